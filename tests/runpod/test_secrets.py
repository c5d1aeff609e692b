"""The API key never leaves the Authorization header: logs, errors, reprs, files."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gpuport_collectors.errors import AuthenticationError
from gpuport_collectors.snapshots import write_snapshot
from gpuport_runpod.collector import RunPodCollector

from .conftest import CANARY, run
from .simulator import Catalogue, RunPodSimulator

LOGGERS = ("", "httpx", "httpcore", "gpuport_runpod", "gpuport_runpod.client")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
    return "\n".join(parts)


def test_key_stays_out_of_logs_problems_reprs_and_snapshots(
    simulator: RunPodSimulator,
    catalogue: Catalogue,
    make_collector: Callable[..., RunPodCollector],
    debug_logs: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    simulator.fail(catalogue.gpu_types[0].id, "status", status=500)
    simulator.fail(catalogue.gpu_types[1].id, "graphql")
    simulator.fail(catalogue.gpu_types[2].id, "drop", times=1)
    simulator.throttle(2, retry_after="1")
    collector = make_collector(simulator, max_retries=2)
    instances = run(collector)

    logged = everything_logged(debug_logs)
    assert "httpcore" in logged  # the wire-level loggers were really captured
    assert "retry 1 of 2" in logged
    assert CANARY not in logged
    assert len(collector.problems) == 2
    assert CANARY not in "\n".join(collector.problems)
    assert CANARY not in repr(collector)
    assert CANARY not in repr(collector.config)
    assert CANARY not in str(collector.config.api_key)
    path = tmp_path / "snapshot.json"
    write_snapshot(instances, path)
    assert CANARY not in path.read_text()


@pytest.mark.parametrize("style", ["http", "graphql"])
def test_key_stays_out_of_authentication_errors(
    small_catalogue: Catalogue,
    make_collector: Callable[..., RunPodCollector],
    debug_logs: pytest.LogCaptureFixture,
    style: Any,
) -> None:
    with (
        RunPodSimulator(small_catalogue, api_key="another-key", auth_style=style) as sim,
        pytest.raises(AuthenticationError) as caught,
    ):
        run(make_collector(sim))
    error = caught.value
    rendered = "".join(traceback.format_exception(error))
    assert CANARY not in rendered
    assert CANARY not in repr(error)
    assert CANARY not in everything_logged(debug_logs)
