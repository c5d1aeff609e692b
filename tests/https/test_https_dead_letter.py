"""Dead-letter files for batches that finally fail, and ``gpuport-collectors replay DIR``."""

from __future__ import annotations

import base64
import gzip
import json
import os

import click
import pytest
from click.testing import CliRunner

import gpuport_https.plugin
from gpuport_collectors.testing import generate_instances
from tests.https.https_helpers import context, https_config, json_payload, make_sink, write
from tests.https.https_testserver import Drop, Reply


@pytest.fixture
def cli():
    """The real CLI group when it exists on this branch, else a bare group; with ``replay``
    added by the plugin's hook in either case."""
    try:
        from gpuport_collectors.cli import cli as group
    except ImportError:
        group = click.Group("gpuport-collectors")
    if "replay" not in group.commands:
        gpuport_https.plugin.gpuport_register_commands(group)
    return group


@pytest.fixture
def switchable(server):
    """A server that answers 503 while ``state["up"]`` is false, 200 once it is true."""
    state = {"up": False}
    srv = server(lambda request, seen: Reply(200) if state["up"] else Reply(503))
    return srv, state


@pytest.fixture
def hook_env(monkeypatch, switchable):
    srv, _ = switchable
    monkeypatch.setenv("HOOK_PORT", str(srv.port))
    monkeypatch.setenv("HOOK_TOKEN", "first-token")
    return {"HOOK_PORT": str(srv.port), "HOOK_TOKEN": "first-token"}


def failing_write(certs, hook_env, tmp_path, count=30, **extra):
    options = {
        "url": "https://127.0.0.1:${HOOK_PORT}/hook?src=gpuport",
        "headers": {"Authorization": "Bearer ${HOOK_TOKEN}", "Accept": "application/json"},
        "ca_bundle": str(certs.ca_file),
        "retry_attempts": 1,
        "retry_delay": 0,
        "batch_size": 10,
        "dead_letter_dir": str(tmp_path / "dead"),
        **extra,
    }
    sink, _ = make_sink(https_config(hook_env, **options))
    result = write(sink, json_payload(generate_instances(count, seed=4)), context("nightly"))
    return result, tmp_path / "dead"


def letters(directory):
    return {path.name: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def test_each_failed_batch_is_written_with_templates_kept(certs, switchable, hook_env, tmp_path):
    srv, _ = switchable

    result, dead = failing_write(certs, hook_env, tmp_path)

    assert (result.batches_failed, result.batches_sent) == (3, 0)
    assert f"3 saved to {dead}" in (result.error or "")
    assert f"gpuport-collectors replay {dead}" in (result.error or "")
    files = letters(dead)
    assert len(files) == 3
    sent_keys = list(dict.fromkeys(request.key for request in srv.requests))
    assert sorted(doc["idempotency_key"] for doc in files.values()) == sorted(sent_keys)
    for doc in files.values():
        assert doc["url"] == "https://127.0.0.1:${HOOK_PORT}/hook?src=gpuport"
        assert doc["method"] == "POST"
        assert doc["headers"]["Authorization"] == "Bearer ${HOOK_TOKEN}"
        assert doc["headers"]["Accept"] == "application/json"
        assert doc["headers"]["Content-Type"] == "application/json"
        assert doc["content_type"] == "application/json"
        assert doc["body_encoding"] == "text"
        assert len(json.loads(doc["body"])) == doc["records"] == 10
        assert doc["error"].startswith("HTTP 503")
        assert doc["attempts"] == 2
        assert doc["pipeline"] == "nightly"
        assert doc["tls"]["ca_bundle"] == str(certs.ca_file)
        wire = next(r for r in srv.requests if r.key == doc["idempotency_key"])
        assert doc["body"].encode() == wire.body
    assert not any(name.startswith(".") for name in os.listdir(dead))  # no temp files left


def test_gzip_batches_are_stored_base64(certs, switchable, hook_env, tmp_path):
    srv, _ = switchable

    _, dead = failing_write(certs, hook_env, tmp_path, count=5, compression="gzip")

    (doc,) = letters(dead).values()
    assert doc["body_encoding"] == "base64"
    assert doc["content_encoding"] == "gzip"
    assert doc["headers"]["Content-Encoding"] == "gzip"
    assert base64.b64decode(doc["body"]) == srv.requests[0].body
    assert len(json.loads(gzip.decompress(base64.b64decode(doc["body"])))) == 5


def test_only_failed_batches_are_written(certs, server, tmp_path):
    srv = server(lambda request, seen: Reply(500) if len(request.body) % 2 else Reply(200))
    rows = generate_instances(40, seed=8)
    options = {
        "url": srv.url,
        "ca_bundle": str(certs.ca_file),
        "batch_size": 10,
        "retry_attempts": 0,
        "dead_letter_dir": str(tmp_path / "dead"),
    }
    sink, _ = make_sink(https_config(**options))

    result = write(sink, json_payload(rows), context())

    failed_keys = {r.key for r in srv.requests if len(r.body) % 2}
    assert result.batches_failed == len(failed_keys)
    stored = {doc["idempotency_key"] for doc in letters(tmp_path / "dead").values()}
    assert stored == failed_keys


def test_unwritable_dead_letter_dir_is_reported_as_loss(certs, switchable, hook_env, tmp_path):
    (tmp_path / "dead").write_text("a file where the directory should be")

    result, _ = failing_write(certs, hook_env, tmp_path, count=5)

    assert not result.success
    assert f"1 could not be saved to {tmp_path / 'dead'}" in (result.error or "")
    assert "are lost" in (result.error or "")


def test_replay_delivers_with_the_same_key_and_removes_files(
    certs, switchable, hook_env, tmp_path, cli, monkeypatch
):
    srv, state = switchable
    _, dead = failing_write(certs, hook_env, tmp_path)
    stored = {doc["idempotency_key"]: doc for doc in letters(dead).values()}
    state["up"] = True
    monkeypatch.setenv("HOOK_TOKEN", "rotated-token")  # resolved at replay time
    before = len(srv.requests)

    outcome = CliRunner().invoke(cli, ["replay", str(dead)])

    assert outcome.exit_code == 0, outcome.output
    assert "3 of 3 batches delivered; 0 remain" in outcome.output
    assert list(dead.glob("*.json")) == []
    replayed = srv.requests[before:]
    assert {r.key for r in replayed} == set(stored) == set(srv.accepted)
    for request in replayed:
        assert request.headers["authorization"] == "Bearer rotated-token"
        assert request.path == "/hook?src=gpuport"
        assert request.body.decode() == stored[request.key]["body"]


def test_replay_of_gzip_batch_sends_the_same_bytes(certs, switchable, hook_env, tmp_path, cli):
    srv, state = switchable
    _, dead = failing_write(certs, hook_env, tmp_path, count=5, compression="gzip")
    state["up"] = True

    outcome = CliRunner().invoke(cli, ["replay", str(dead)])

    assert outcome.exit_code == 0, outcome.output
    first, replayed = srv.requests[0], srv.requests[-1]
    assert replayed.body == first.body
    assert replayed.headers["content-encoding"] == "gzip"
    assert replayed.key == first.key


def test_replay_with_unset_variable_exits_2_and_sends_nothing(
    certs, switchable, hook_env, tmp_path, cli, monkeypatch
):
    srv, state = switchable
    _, dead = failing_write(certs, hook_env, tmp_path)
    state["up"] = True
    monkeypatch.delenv("HOOK_TOKEN")
    before = len(srv.requests)

    outcome = CliRunner().invoke(cli, ["replay", str(dead)])

    assert outcome.exit_code == 2
    assert "environment variable HOOK_TOKEN is not set (used by 3 dead-letter files" in (
        outcome.output
    )
    assert len(srv.requests) == before
    assert len(list(dead.glob("*.json"))) == 3


def test_replay_of_missing_directory_exits_2(tmp_path, cli):
    outcome = CliRunner().invoke(cli, ["replay", str(tmp_path / "nowhere")])

    assert outcome.exit_code == 2
    assert "does not exist" in outcome.output


def test_replay_keeps_files_while_the_receiver_still_fails(
    certs, switchable, hook_env, tmp_path, cli
):
    _, dead = failing_write(certs, hook_env, tmp_path)

    outcome = CliRunner().invoke(cli, ["replay", str(dead)])

    assert outcome.exit_code == 1
    assert "0 of 3 batches delivered; 3 remain" in outcome.output
    assert "HTTP 503" in outcome.output
    assert len(list(dead.glob("*.json"))) == 3


def test_replay_retries_transient_failures_when_asked(certs, server, tmp_path, cli):
    calls = {"n": 0}

    def plan(request, seen):
        calls["n"] += 1
        # fail the original run (2 tries) and the first replay try
        return Reply(503, {"Retry-After": "0"}) if calls["n"] <= 3 else Reply(200)

    srv = server(plan)
    options = {
        "url": srv.url,
        "ca_bundle": str(certs.ca_file),
        "retry_attempts": 1,
        "retry_delay": 0,
        "dead_letter_dir": str(tmp_path / "dead"),
    }
    sink, _ = make_sink(https_config(**options))
    write(sink, json_payload(generate_instances(3)), context())

    outcome = CliRunner().invoke(cli, ["replay", "--retry-attempts", "1", str(tmp_path / "dead")])

    assert outcome.exit_code == 0, outcome.output
    assert len(srv.accepted) == 1


def test_replay_reports_unreadable_files_and_exits_1(certs, switchable, hook_env, tmp_path, cli):
    srv, state = switchable
    _, dead = failing_write(certs, hook_env, tmp_path, count=5)
    (dead / "zz-notes.json").write_text("{not json")
    (dead / "zz-other.json").write_text('{"format": "something-else"}')
    state["up"] = True

    outcome = CliRunner().invoke(cli, ["replay", str(dead)])

    assert outcome.exit_code == 1
    assert "skipped zz-notes.json: not valid JSON" in outcome.output
    assert "skipped zz-other.json: not a dead-letter file" in outcome.output
    assert "1 of 3 batches delivered; 2 remain" in outcome.output
    assert len(srv.accepted) == 1


def test_replay_of_empty_directory_exits_0(tmp_path, cli):
    outcome = CliRunner().invoke(cli, ["replay", str(tmp_path)])

    assert outcome.exit_code == 0
    assert "nothing to replay" in outcome.output


def test_replay_uses_the_stored_client_certificate(certs, server, tmp_path, cli):
    state = {"up": False}
    srv = server(lambda request, seen: Reply(200) if state["up"] else Reply(500), client_auth=True)
    options = {
        "url": srv.url,
        "ca_bundle": str(certs.ca_file),
        "retry_attempts": 0,
        "client_cert": str(certs.client_cert),
        "client_key": str(certs.client_key),
        "dead_letter_dir": str(tmp_path / "dead"),
    }
    sink, _ = make_sink(https_config(**options))
    write(sink, json_payload(generate_instances(3)), context())
    state["up"] = True

    outcome = CliRunner().invoke(cli, ["replay", str(tmp_path / "dead")])

    assert outcome.exit_code == 0, outcome.output
    assert srv.requests[-1].peer_cert is not None


def test_replay_after_a_lost_response_is_dropped_by_key(certs, server, tmp_path, cli):
    """The receiver processed the batch but the answer never came back: the replay carries
    the same key, so the receiver keeps a single copy."""
    srv = server(lambda request, seen: Drop(process=True) if seen == 1 else Reply(200))
    options = {
        "url": srv.url,
        "ca_bundle": str(certs.ca_file),
        "retry_attempts": 0,
        "dead_letter_dir": str(tmp_path / "dead"),
    }
    sink, _ = make_sink(https_config(**options))
    result = write(sink, json_payload(generate_instances(3)), context())
    assert result.batches_failed == 1

    outcome = CliRunner().invoke(cli, ["replay", str(tmp_path / "dead")])

    assert outcome.exit_code == 0, outcome.output
    (key,) = srv.accepted
    assert srv.duplicates[key] == 1
    assert [r.key for r in srv.requests] == [key, key]


def test_replay_refuses_a_url_that_resolves_to_plain_http(
    certs, switchable, hook_env, tmp_path, cli, monkeypatch
):
    srv, state = switchable
    config_env = dict(hook_env, HOOK_URL=f"https://127.0.0.1:{srv.port}/hook")
    options = {
        "url": "${HOOK_URL}",
        "ca_bundle": str(certs.ca_file),
        "retry_attempts": 0,
        "dead_letter_dir": str(tmp_path / "dead"),
    }
    sink, _ = make_sink(https_config(config_env, **options))
    write(sink, json_payload(generate_instances(3)), context())
    state["up"] = True
    monkeypatch.setenv("HOOK_URL", f"http://127.0.0.1:{srv.port}/hook")
    before = len(srv.requests)

    outcome = CliRunner().invoke(cli, ["replay", str(tmp_path / "dead")])

    assert outcome.exit_code == 1
    assert "${HOOK_URL} is not an https:// URL once resolved" in outcome.output
    assert len(srv.requests) == before
