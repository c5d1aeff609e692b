"""Fixtures for the https output: trustme certificates, a local TLS server, a plugin host."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import trustme

import gpuport_https.plugin
from gpuport_collectors import PluginHost
from tests.https.https_helpers import Certs, json_stubs
from tests.https.https_testserver import TLSServer, always_ok


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No trust store or proxy from the developer's shell may change a test's outcome."""
    for name in (
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


# -- certificates ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    folder = tmp_path_factory.mktemp("certs")
    ca, other = trustme.CA(), trustme.CA()
    ca.cert_pem.write_to_path(folder / "ca.pem")
    other.cert_pem.write_to_path(folder / "other-ca.pem")
    client = ca.issue_cert("gpuport-client@example.org", common_name="gpuport-client")
    client.cert_chain_pems[0].write_to_path(folder / "client.crt")
    client.private_key_pem.write_to_path(folder / "client.key")
    client.private_key_and_cert_chain_pem.write_to_path(folder / "client.pem")
    return Certs(
        ca=ca,
        ca_file=folder / "ca.pem",
        other_ca=other,
        other_ca_file=folder / "other-ca.pem",
        client_cert=folder / "client.crt",
        client_key=folder / "client.key",
        client_combined=folder / "client.pem",
    )


@pytest.fixture
def server(certs: Certs) -> Callable[..., TLSServer]:
    """``server(plan=..., host=..., ca=..., client_auth=...)``: a started TLS server."""
    started: list[TLSServer] = []

    def start(
        plan: Any = always_ok,
        *,
        host: str = "127.0.0.1",
        url_host: str | None = None,
        ca: trustme.CA | None = None,
        client_auth: bool = False,
    ) -> TLSServer:
        context = certs.server_context(host, ca=ca, client_auth=client_auth)
        instance = TLSServer(context, plan, host=url_host or host).__enter__()
        started.append(instance)
        return instance

    yield start  # type: ignore[misc]
    for instance in started:
        instance.__exit__(None, None, None)


@pytest.fixture
def host() -> PluginHost:
    plugin_host = PluginHost(entry_points=[], environ={})
    plugin_host.add_plugin(gpuport_https.plugin, "https")
    plugin_host.add_plugin(json_stubs(), "test-json")
    return plugin_host
