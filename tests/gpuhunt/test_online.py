"""Online providers: gpuhunt's own DigitalOcean provider answered by a loopback server it
finds through ``DIGITAL_OCEAN_API_URL``; credentials from gpuhunt's environment variables."""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpuport_collectors.models import GPUInstance
from gpuport_gpuhunt.collector import GpuhuntCollector
from gpuport_gpuhunt.config import GpuhuntConfig

from .conftest import CANARY


def size(slug: str, model: str, count: int, price: float, regions: list[str]) -> dict[str, Any]:
    return {
        "slug": slug,
        "memory": 245760,
        "vcpus": 20,
        "price_hourly": price,
        "regions": regions,
        "disk_info": [{"type": "local", "size": {"amount": 720, "unit": "gib"}}],
        "gpu_info": {"count": count, "model": model, "vram": {"amount": 80, "unit": "gib"}},
    }


SIZES = {
    "sizes": [
        size("gpu-h100x1-80gb", "nvidia_h100", 1, 3.39, ["nyc2", "tor1"]),
        # An unknown model makes gpuhunt log a warning that quotes it: here, the secret.
        size("gpu-odd", f"nvidia_{CANARY}", 1, 1.0, ["nyc2"]),
        {
            "slug": "s-2vcpu-4gb",
            "memory": 4096,
            "vcpus": 2,
            "price_hourly": 0.03,
            "regions": ["nyc2"],
            "disk_info": [{"type": "local", "size": {"amount": 80, "unit": "gib"}}],
        },
    ]
}


class DigitalOcean:
    def __init__(self) -> None:
        self.status = 200
        self.authorization: list[str | None] = []
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.authorization.append(self.headers.get("Authorization"))
                body = json.dumps(SIZES).encode() if api.status == 200 else b"{}"
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def digitalocean(monkeypatch: pytest.MonkeyPatch) -> Iterator[DigitalOcean]:
    api = DigitalOcean()
    thread = threading.Thread(target=api.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("DIGITAL_OCEAN_API_URL", api.url)
    monkeypatch.setenv("DIGITAL_OCEAN_API_KEY", CANARY)
    for name in ("HOTAISLE_API_KEY", "HOTAISLE_TEAM_HANDLE"):
        monkeypatch.delenv(name, raising=False)
    yield api
    api.httpd.shutdown()
    api.httpd.server_close()
    thread.join()


def collect(*providers: str) -> tuple[list[GPUInstance], list[str]]:
    collector = GpuhuntCollector(GpuhuntConfig(providers=list(providers)))
    instances = asyncio.run(collector.fetch_instances())
    return instances, collector.problems


def test_online_provider_is_collected_with_its_credential(
    digitalocean: DigitalOcean, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="gpuport_gpuhunt")
    instances, problems = collect("digitalocean")
    assert [(i.provider, i.instance_type, i.region, i.price) for i in instances] == [
        ("DigitalOcean", "gpu-h100x1-80gb", "nyc2", 3.39),
        ("DigitalOcean", "gpu-h100x1-80gb", "tor1", 3.39),
    ]
    assert {i.accelerator_model for i in instances} == {"H100"}
    assert problems == []
    assert digitalocean.authorization == [f"Bearer {CANARY}"]
    # gpuhunt's own records arrive through our logger, the credential masked.
    gpuhunt_records = [r for r in caplog.records if r.name.startswith("gpuhunt")]
    assert any("Could not determine GPU vendor" in r.getMessage() for r in gpuhunt_records)
    assert any("Loading items for online provider" in r.getMessage() for r in gpuhunt_records)
    assert CANARY not in caplog.text


def test_online_api_down_is_a_problem_of_that_provider(
    digitalocean: DigitalOcean, tmp_path: Any
) -> None:
    from .catalogues import item, write_dir

    digitalocean.status = 503
    write_dir(tmp_path, "aws", [item()])
    collector = GpuhuntCollector(
        GpuhuntConfig(providers=["digitalocean", "aws"], catalog_dir=str(tmp_path))
    )
    instances = asyncio.run(collector.fetch_instances())
    assert [i.provider for i in instances] == ["AWS"]
    [problem] = collector.problems
    assert problem.startswith("digitalocean: HTTPError: 503 Server Error")
    assert CANARY not in problem


def test_missing_credentials_are_a_problem_of_that_provider(digitalocean: DigitalOcean) -> None:
    instances, problems = collect("hotaisle", "digitalocean")
    assert {i.provider for i in instances} == {"DigitalOcean"}
    assert problems == [
        "hotaisle: missing credentials: Set the HOTAISLE_API_KEY environment variable"
    ]


def test_verbose_shows_gpuhunts_own_log_lines_masked(
    digitalocean: DigitalOcean, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from gpuport_collectors.cli import main

    target = tmp_path / "do.json"
    argv = ["collect", "--collector", "gpuhunt", "-o", "providers=digitalocean"]
    for verbose in (False, True):
        with pytest.raises(SystemExit) as exit_info:
            main([*argv, "--output", str(target), *(["-v"] if verbose else [])])
        assert exit_info.value.code in (0, None)
        _, err = capsys.readouterr()
        assert ("Loading items for online provider digitalocean" in err) is verbose
        if verbose:
            assert "Could not determine GPU vendor for model 'nvidia_***'" in err
        assert CANARY not in err
    assert CANARY not in target.read_text()
