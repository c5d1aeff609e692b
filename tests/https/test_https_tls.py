"""TLS: verification on by default, trust store from SSL_CERT_FILE, mutual TLS."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gpuport_collectors.testing import generate_instances
from gpuport_https.tls import TLSSettings, TLSSetupError, build_ssl_context
from tests.https.https_helpers import context, https_config, json_payload, make_sink, write


def send(config):
    sink, sleep = make_sink(config)
    return write(sink, json_payload(generate_instances(3)), context()), sleep


def test_trusted_by_ca_bundle(certs, server):
    srv = server()
    result, _ = send(https_config(url=srv.url, ca_bundle=str(certs.ca_file)))

    assert result.success
    assert len(srv.accepted) == 1


def test_default_trust_store_honours_ssl_cert_file(certs, server, monkeypatch):
    srv = server()
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_file))

    result, _ = send(https_config(url=srv.url))

    assert result.success, result.error
    assert len(srv.accepted) == 1


def test_ca_bundle_wins_over_ssl_cert_file(certs, server, monkeypatch):
    srv = server()
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.other_ca_file))

    result, _ = send(https_config(url=srv.url, ca_bundle=str(certs.ca_file)))

    assert result.success, result.error


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to hash the CA")
def test_default_trust_store_honours_ssl_cert_dir(certs, server, monkeypatch, tmp_path):
    srv = server()
    subject_hash = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", str(certs.ca_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.copy(certs.ca_file, tmp_path / f"{subject_hash}.0")  # OpenSSL's capath layout
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))

    result, _ = send(https_config(url=srv.url))

    assert result.success, result.error


def test_without_our_ca_the_server_is_not_trusted(server):
    srv = server()

    result, sleep = send(https_config(url=srv.url))

    assert not result.success
    assert "TLS certificate verification failed" in (result.error or "")
    assert srv.requests == []
    assert sleep.delays == []  # a certificate problem is not retried


def test_untrusted_ca_fails(certs, server):
    srv = server(ca=certs.other_ca)

    result, _ = send(https_config(url=srv.url, ca_bundle=str(certs.ca_file)))

    assert not result.success
    assert "TLS certificate verification failed: unable to get local issuer" in (result.error or "")
    assert srv.requests == []


@pytest.mark.parametrize(
    ("cert_host", "url_host"), [("localhost", "127.0.0.1"), ("127.0.0.1", "localhost")]
)
def test_certificate_for_another_host_fails(certs, server, cert_host, url_host):
    srv = server(host=cert_host, url_host=url_host)

    result, _ = send(https_config(url=srv.url, ca_bundle=str(certs.ca_file)))

    assert not result.success
    assert "TLS certificate verification failed" in (result.error or "")
    assert "mismatch" in (result.error or "")
    assert srv.requests == []


def test_verify_ssl_false_accepts_any_certificate(certs, server):
    srv = server(ca=certs.other_ca, host="localhost", url_host="127.0.0.1")

    result, _ = send(https_config(url=srv.url, verify_ssl=False))

    assert result.success
    assert len(srv.accepted) == 1


def test_mutual_tls_with_client_certificate_and_key(certs, server):
    srv = server(client_auth=True)
    config = https_config(
        url=srv.url,
        ca_bundle=str(certs.ca_file),
        client_cert=str(certs.client_cert),
        client_key=str(certs.client_key),
    )

    result, _ = send(config)

    assert result.success, result.error
    (request,) = srv.requests
    subject = dict(pair for rdn in request.peer_cert["subject"] for pair in rdn)
    assert subject["commonName"] == "gpuport-client"


def test_mutual_tls_with_combined_pem(certs, server):
    srv = server(client_auth=True)
    config = https_config(
        url=srv.url, ca_bundle=str(certs.ca_file), client_cert=str(certs.client_combined)
    )

    result, _ = send(config)

    assert result.success, result.error


def test_server_requiring_a_client_certificate_rejects_none(certs, server):
    srv = server(client_auth=True)

    result, sleep = send(https_config(url=srv.url, ca_bundle=str(certs.ca_file)))

    assert not result.success
    assert "TLS handshake refused by the server" in (result.error or "")
    assert "certificate required" in (result.error or "")
    assert sleep.delays == []  # not retried
    assert srv.requests == []


def test_unreadable_ca_bundle_fails_every_batch_without_sending(server, tmp_path):
    srv = server()
    missing = tmp_path / "nope.pem"
    config = https_config(url=srv.url, ca_bundle=str(missing), batch_size=1)
    sink, sleep = make_sink(config)

    result = write(sink, json_payload(generate_instances(3)), context())

    assert (result.batches_sent, result.batches_failed) == (0, 3)
    assert f"cannot load ca_bundle {missing}" in (result.error or "")
    assert srv.requests == [] and sleep.delays == []


def test_bad_client_certificate_names_the_file(certs, tmp_path):
    broken = tmp_path / "client.pem"
    broken.write_text("not a certificate")

    with pytest.raises(TLSSetupError, match=f"cannot load client_cert {broken}"):
        build_ssl_context(TLSSettings(ca_bundle=str(certs.ca_file), client_cert=str(broken)))
