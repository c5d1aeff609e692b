"""RunPod takes the https output's retry spellings beside its older ones; giving both
spellings of one option is a config error at its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gpuport_collectors.converter import make_converter
from gpuport_collectors.retry import RetryPolicy
from gpuport_collectors.testing import invoke_cli, make_host
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .conftest import COLLECTED_AT, FakeTime, run
from .oracle import expected_from_catalogue, records_by_key
from .simulator import Catalogue, RunPodSimulator


def policy(options: dict[str, Any]) -> RetryPolicy:
    config: RunPodConfig = make_converter({}).structure(options, RunPodConfig)
    return config.retry_policy()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, RetryPolicy(attempts=4, initial=0.5, backoff=2.0, max_delay=30.0)),
        (
            {"max_retries": 2, "retry_initial": 1.5, "retry_max_delay": 9},
            RetryPolicy(attempts=2, initial=1.5, backoff=2.0, max_delay=9.0),
        ),
        (
            {"retry_attempts": 2, "retry_delay": 1.5, "retry_backoff": 3, "retry_max_delay": 9},
            RetryPolicy(attempts=2, initial=1.5, backoff=3.0, max_delay=9.0),
        ),
        (
            {"max_retries": 1, "retry_delay": 0.25},  # one of each is fine
            RetryPolicy(attempts=1, initial=0.25, backoff=2.0, max_delay=30.0),
        ),
    ],
    ids=["defaults", "runpod-spelling", "https-spelling", "mixed"],
)
def test_either_spelling_makes_the_same_policy(
    options: dict[str, Any], expected: RetryPolicy
) -> None:
    assert policy(options) == expected


def test_the_https_spelling_drives_the_retries_on_the_wire(
    small_simulator: RunPodSimulator,
    small_catalogue: Catalogue,
    make_collector: Callable[..., RunPodCollector],
    fake_time: FakeTime,
) -> None:
    flaky = small_catalogue.gpu_types[1].id
    small_simulator.fail(flaky, "status", times=2, status=503)
    collector = make_collector(small_simulator, retry_attempts=2, retry_delay=1.0, retry_backoff=3)

    instances = run(collector)

    assert records_by_key(instances).keys() == (
        expected_from_catalogue(small_catalogue, COLLECTED_AT).keys()
    )
    assert small_simulator.stats.by_target[flaky] == 3
    # jitter with rand() = 0.5: three quarters of 1 s, then of 1 s x 3
    assert fake_time.sleeps == [0.75, 2.25]


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"retry_attempts": -1}, "retry_attempts", "must not be negative"),
        ({"retry_delay": -1}, "retry_delay", "must not be negative"),
        ({"retry_backoff": 0.5}, "retry_backoff", "at least 1.0"),
    ],
)
def test_bad_https_spellings_blame_their_key(
    options: dict[str, Any], key: str, message: str
) -> None:
    from gpuport_collectors.errors import OptionError

    with pytest.raises(OptionError) as caught:
        RunPodConfig(**options)
    assert (caught.value.key, message in caught.value.message) == (key, True)


@pytest.mark.parametrize(
    ("lines", "column", "message"),
    [
        (
            "    max_retries: 2\n    retry_attempts: 3\n",
            "retry_attempts",
            "retry_attempts and max_retries are two spellings of one option; remove one of them",
        ),
        (
            "    retry_delay: 1\n    retry_initial: 2\n",
            "retry_delay",
            "retry_delay and retry_initial are two spellings of one option; remove one of them",
        ),
    ],
)
def test_both_spellings_of_one_option_are_a_located_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lines: str, column: str, message: str
) -> None:
    config = tmp_path / "export.yaml"
    text = (
        "collectors:\n  - type: runpod\n" + lines + "pipelines:\n  - name: all\n"
        "    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: {tmp_path}}}]\n"
    )
    config.write_text(text)
    line, row = next((n, row) for n, row in enumerate(text.splitlines(), 1) if f"{column}:" in row)
    at = row.index(": ") + 3  # the value the error is about

    result = invoke_cli(make_host(), capsys, "validate", "--config", config)

    assert result.exit_code == 2
    assert f"{config}:{line}:{at}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
