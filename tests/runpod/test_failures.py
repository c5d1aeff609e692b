"""Retries, skipped GPU types, rejected keys and broken answers, on the wire."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import pytest

from gpuport_collectors.errors import AuthenticationError, CollectorError, UsageError
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .conftest import COLLECTED_AT, FakeTime, run
from .oracle import expected_from_catalogue, records_by_key
from .simulator import Catalogue, RunPodSimulator

MakeCollector = Callable[..., RunPodCollector]


def gpu_ids(catalogue: Catalogue, *indexes: int) -> list[str]:
    return [catalogue.gpu_types[i].id for i in indexes]


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("status", {"status": 500}),
        ("status", {"status": 502}),
        ("status", {"status": 503}),
        ("drop", {}),
    ],
)
def test_transient_failures_are_retried_and_nothing_is_lost(
    small_simulator: RunPodSimulator,
    small_catalogue: Catalogue,
    make_collector: MakeCollector,
    fake_time: FakeTime,
    kind: str,
    options: dict[str, Any],
) -> None:
    (flaky,) = gpu_ids(small_catalogue, 1)
    small_simulator.fail(flaky, kind, times=2, **options)  # type: ignore[arg-type]
    collector = make_collector(small_simulator, max_retries=3, retry_initial=0.5)
    instances = run(collector)
    assert (
        records_by_key(instances).keys()
        == expected_from_catalogue(small_catalogue, COLLECTED_AT).keys()
    )
    assert collector.problems == []
    assert small_simulator.stats.by_target[flaky] == 3
    # jitter with rand() = 0.5: three quarters of 0.5 s, then of 1 s
    assert fake_time.sleeps == [0.375, 0.75]


def test_timeouts_are_retried(
    small_simulator: RunPodSimulator, small_catalogue: Catalogue, make_collector: MakeCollector
) -> None:
    (slow,) = gpu_ids(small_catalogue, 0)
    # Wide margins: a loaded CI machine must not time out the healthy requests.
    small_simulator.fail(slow, "hang", times=1, seconds=4.0)
    collector = make_collector(small_simulator, timeout=1.5, max_retries=2)
    instances = run(collector)
    assert collector.problems == []
    assert small_simulator.stats.by_target[slow] == 2
    assert (
        records_by_key(instances).keys()
        == expected_from_catalogue(small_catalogue, COLLECTED_AT).keys()
    )


def test_a_gpu_type_that_keeps_failing_is_skipped_and_reported(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: MakeCollector
) -> None:
    broken, erroring, malformed, odd = gpu_ids(catalogue, 2, 5, 7, 11)
    simulator.fail(broken, "status", status=500)
    simulator.fail(erroring, "graphql")
    simulator.fail(malformed, "malformed")
    simulator.fail(odd, "shape")
    collector = make_collector(simulator, max_retries=2)
    instances = run(collector)

    skipped = {broken, erroring, malformed, odd}
    expected = expected_from_catalogue(catalogue, COLLECTED_AT, skip=skipped)
    assert records_by_key(instances).keys() == expected.keys()
    assert len(collector.problems) == 4
    # in GPU-type order, whichever answer came first
    assert [p.split("'")[1] for p in collector.problems] == [broken, erroring, malformed, odd]
    problems = {gpu: p for p in collector.problems for gpu in skipped if repr(gpu) in p}
    assert "HTTP 500 (gave up after 3 attempts)" in problems[broken]
    assert "GraphQL error: Something went wrong" in problems[erroring]
    assert "not valid JSON" in problems[malformed]
    assert "unexpected answer" in problems[odd]
    # only transient failures are retried
    assert simulator.stats.by_target[broken] == 3
    assert simulator.stats.by_target[erroring] == 1
    assert simulator.stats.by_target[malformed] == 1


def test_429_burst_honours_retry_after(
    small_simulator: RunPodSimulator, make_collector: MakeCollector, fake_time: FakeTime
) -> None:
    small_simulator.throttle(2, retry_after="3")
    collector = make_collector(small_simulator, max_concurrency=1, max_retries=4)
    run(collector)
    assert collector.problems == []
    assert small_simulator.stats.statuses[429] == 2
    assert fake_time.sleeps == [3.0, 3.0]  # the server's value, not the backoff


@pytest.mark.parametrize("header", ["120", "http-date"])
def test_retry_after_is_capped(
    small_simulator: RunPodSimulator,
    make_collector: MakeCollector,
    fake_time: FakeTime,
    header: str,
) -> None:
    value = (
        email.utils.formatdate(time.time() + 600, usegmt=True) if header == "http-date" else header
    )
    small_simulator.throttle(1, retry_after=value)
    run(make_collector(small_simulator, max_concurrency=1, retry_max_delay=7.0))
    assert fake_time.sleeps == [7.0]


def test_retry_after_http_date_is_understood(
    small_simulator: RunPodSimulator, make_collector: MakeCollector, fake_time: FakeTime
) -> None:
    small_simulator.throttle(1, retry_after=email.utils.formatdate(time.time() + 20, usegmt=True))
    run(make_collector(small_simulator, max_concurrency=1))
    assert len(fake_time.sleeps) == 1
    assert 17.0 <= fake_time.sleeps[0] <= 20.0


@pytest.mark.parametrize("style", ["http", "graphql"])
def test_rejected_key_stops_at_once(
    small_catalogue: Catalogue, make_collector: MakeCollector, fake_time: FakeTime, style: str
) -> None:
    with RunPodSimulator(small_catalogue, api_key="the-right-key", auth_style=style) as sim:  # type: ignore[arg-type]
        collector = make_collector(sim, max_retries=4)
        with pytest.raises(AuthenticationError, match="RunPod rejected the API key"):
            run(collector)
    assert sim.stats.requests <= 2  # the two discovery queries at most, never retried
    assert fake_time.sleeps == []


def test_rejected_key_during_pricing_stops_everything(
    small_simulator: RunPodSimulator, small_catalogue: Catalogue, make_collector: MakeCollector
) -> None:
    (target,) = gpu_ids(small_catalogue, 0)
    small_simulator.fail(target, "status", status=403)
    with pytest.raises(AuthenticationError, match="HTTP 403"):
        run(make_collector(small_simulator, max_concurrency=1))
    # with one request at a time, nothing was asked after the rejection
    assert small_simulator.stats.requests == 3


@pytest.mark.parametrize("target", ["gpuTypes", "dataCenters"])
def test_discovery_failure_is_a_collector_error(
    small_simulator: RunPodSimulator, make_collector: MakeCollector, target: str
) -> None:
    small_simulator.fail(target, "status", status=503)
    with pytest.raises(CollectorError, match=f"RunPod {target} discovery: HTTP 503") as caught:
        run(make_collector(small_simulator, max_retries=1))
    assert not isinstance(caught.value, AuthenticationError)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("shape", "unexpected answer: expected '{}' to be a list"),
        ("malformed", "not valid JSON"),
        ("graphql", "GraphQL error"),
    ],
)
def test_discovery_bad_answers_name_the_query(
    small_simulator: RunPodSimulator, make_collector: MakeCollector, kind: str, message: str
) -> None:
    small_simulator.fail("gpuTypes", kind)  # type: ignore[arg-type]
    with pytest.raises(CollectorError) as caught:
        run(make_collector(small_simulator))
    assert str(caught.value).startswith("RunPod gpuTypes discovery: ")
    assert message.format("gpuTypes") in str(caught.value)


def test_unreachable_api_is_a_collector_error(make_collector: MakeCollector) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    collector = make_collector(api_url=f"http://127.0.0.1:{port}/graphql", max_retries=1)
    with pytest.raises(CollectorError, match="connection failed"):
        run(collector)


def test_missing_key_is_a_usage_error_before_any_request(
    small_simulator: RunPodSimulator,
) -> None:
    collector = RunPodCollector(RunPodConfig(api_url=small_simulator.url), environ={})
    with pytest.raises(UsageError) as caught:
        run(collector)
    assert str(caught.value) == (
        "no RunPod API key: pass --api-key, set RUNPOD_API_KEY, or set api_key in the "
        "collector config"
    )
    assert small_simulator.stats.requests == 0
    assert small_simulator.stats.connections == 0


def test_key_falls_back_to_the_environment(
    small_simulator: RunPodSimulator,
) -> None:
    from .conftest import CANARY

    collector = RunPodCollector(
        RunPodConfig(api_url=small_simulator.url), environ={"RUNPOD_API_KEY": CANARY}
    )
    assert run(collector)
