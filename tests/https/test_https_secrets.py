"""A canary token sent in a header and a query string must show up nowhere but on the wire."""

from __future__ import annotations

import logging

import click
from click.testing import CliRunner

import gpuport_https.plugin
from gpuport_collectors.testing import generate_instances
from tests.https.https_helpers import context, https_config, json_payload, make_sink, write
from tests.https.https_testserver import Reply

TOKEN = "canary-7f3a9d0c51-token"
QUERY = "canary-q-55e1b2"


def test_canary_never_leaks(certs, server, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CANARY_TOKEN", TOKEN)
    monkeypatch.setenv("CANARY_QUERY", QUERY)
    batches: list[str] = []

    def plan(request, seen):
        if request.key not in batches:
            batches.append(request.key)
        index = batches.index(request.key)
        if index == 0:
            return Reply(200)
        if index == 1:  # retried, then dead-lettered
            return Reply(503, {"Retry-After": "0"})
        # a receiver that echoes the request's credentials in its error body
        echo = f"bad token {request.headers['authorization']} for {request.path}"
        return Reply(401, body=echo.encode())

    srv = server(plan)
    monkeypatch.setenv("HOOK_PORT", str(srv.port))
    config = https_config(
        {"CANARY_TOKEN": TOKEN, "CANARY_QUERY": QUERY, "HOOK_PORT": str(srv.port)},
        url="https://127.0.0.1:${HOOK_PORT}/hook?key=${CANARY_QUERY}",
        headers={"Authorization": "Bearer ${CANARY_TOKEN}"},
        ca_bundle=str(certs.ca_file),
        batch_size=5,
        retry_delay=0,
        dead_letter_dir=str(tmp_path / "dead"),
    )
    sink, _ = make_sink(config)
    caplog.set_level(logging.DEBUG)

    result = write(sink, json_payload(generate_instances(15)), context())
    group = click.Group("gpuport-collectors")
    gpuport_https.plugin.gpuport_register_commands(group)
    replay = CliRunner().invoke(group, ["replay", str(tmp_path / "dead")])

    # Positive controls: the secrets went out, the libraries logged, the failures happened.
    assert any(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in srv.requests)
    assert any(QUERY in r.path for r in srv.requests)
    assert "HTTP Request: POST" in caplog.text
    assert any(rec.name.startswith("httpcore") for rec in caplog.records)
    assert result.batches_failed == 2 and "HTTP 401" in (result.error or "")
    assert replay.exit_code == 1 and "HTTP 401" in replay.output
    dead_letters = [path.read_text() for path in (tmp_path / "dead").glob("*.json")]
    assert len(dead_letters) == 2

    seen = {
        "logs": caplog.text,
        "error": result.error or "",
        "result": repr(result),
        "sink": repr(sink),
        "config": repr(config),
        "replay output": replay.output,
        "dead letters": "\n".join(dead_letters),
    }
    for where, text in seen.items():
        assert TOKEN not in text, f"token leaked in {where}"
        assert QUERY not in text, f"query secret leaked in {where}"
    assert "key=" not in result.error
    assert "${CANARY_TOKEN}" in seen["dead letters"]
