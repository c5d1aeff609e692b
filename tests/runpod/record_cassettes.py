"""Record the RunPod cassettes in ``cassettes/`` with vcrpy.

From the local simulator (the default; deterministic, needs no key)::

    python -m tests.runpod.record_cassettes

From the real API, when you have a key (re-records the scenarios the real API can
produce: a normal collection and a rejected key; the partial-failure scenario exists only
on the simulator)::

    RUNPOD_API_KEY=... python -m tests.runpod.record_cassettes --live

The Authorization header is dropped before anything is written (``filter_headers``), and
so are cookies. Replays match on method, path and JSON body, never on host, so the
simulator's random port and the real host both replay against any URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vcr

from gpuport_collectors.errors import AuthenticationError, GpuportError
from gpuport_collectors.secrets import Secret
from gpuport_runpod.client import Sleep
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .simulator import Catalogue, RunPodSimulator

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
RECORDING_KEY = "gpuport-recording-key"
WRONG_KEY = "gpuport-deliberately-wrong-key"
#: The simulator catalogue the cassettes are recorded from (small: cassettes stay readable).
CATALOGUE = {"seed": 3, "gpu_types": 6, "datacenters": 8}
MATCH_ON = ("method", "path", "body")


def _partial_failure(simulator: RunPodSimulator) -> None:
    ids = [gpu.id for gpu in simulator.catalogue.gpu_types]
    simulator.throttle(1, retry_after="1")  # one 429 at the start, then fine
    simulator.fail(ids[1], "status", status=500)  # never recovers: skipped
    simulator.fail(ids[3], "graphql")  # an errors array: skipped, not retried


@dataclass(frozen=True)
class Scenario:
    """A cassette: the collector options used to record it (replays must use the same)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)
    setup: Callable[[RunPodSimulator], None] | None = None
    wrong_key: bool = False
    live: bool = True

    @property
    def filename(self) -> str:
        return f"{self.name}.yaml"


SCENARIOS = {
    scenario.name: scenario
    for scenario in (
        Scenario("runpod_collect"),
        Scenario(
            "runpod_partial_failure",
            options={"max_retries": 2, "retry_initial": 0.01},
            setup=_partial_failure,
            live=False,
        ),
        # One request at a time: the first answer (401) stops the run, and the query that
        # was asked first is the same one on every recording and replay.
        Scenario("runpod_auth_rejected", options={"max_concurrency": 1}, wrong_key=True),
    )
}


def make_vcr(record_mode: str, directory: Path = CASSETTES) -> vcr.VCR:
    """The one vcrpy configuration used to record and to replay."""
    return vcr.VCR(
        cassette_library_dir=str(directory),
        record_mode=record_mode,
        match_on=MATCH_ON,
        filter_headers=["authorization", "cookie"],
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    for name in list(response["headers"]):
        if name.lower() in {"set-cookie", "cf-ray", "report-to", "nel"}:
            del response["headers"][name]
    return response


def record(
    scenario: Scenario,
    *,
    directory: Path = CASSETTES,
    key: str,
    url: str | None,
    sleep: Sleep = asyncio.sleep,
) -> Path:
    """Record one scenario; returns the cassette path."""
    path = directory / scenario.filename
    path.unlink(missing_ok=True)
    config = RunPodConfig(
        api_key=Secret.literal(WRONG_KEY if scenario.wrong_key else key),
        api_url=url,
        **scenario.options,
    )
    collector = RunPodCollector(config, sleep=sleep)
    with make_vcr("all", directory).use_cassette(scenario.filename):
        try:
            instances = asyncio.run(collector.fetch_instances())
        except AuthenticationError:
            if not scenario.wrong_key:
                raise
            print(f"{path.name}: recorded the rejected key")
        else:
            print(f"{path.name}: {len(instances)} instances, problems: {collector.problems}")
    return path


def record_from_simulator(
    directory: Path = CASSETTES, key: str = RECORDING_KEY, sleep: Sleep = asyncio.sleep
) -> list[Path]:
    """Record every scenario against a fresh simulator each."""
    paths = []
    for scenario in SCENARIOS.values():
        with RunPodSimulator(Catalogue.generate(**CATALOGUE), api_key=key) as simulator:
            if scenario.setup is not None:
                scenario.setup(simulator)
            paths.append(
                record(scenario, directory=directory, key=key, url=simulator.url, sleep=sleep)
            )
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record the RunPod cassettes.")
    parser.add_argument("--live", action="store_true", help="record from the real RunPod API")
    parser.add_argument("--directory", type=Path, default=CASSETTES)
    args = parser.parse_args(argv)
    args.directory.mkdir(parents=True, exist_ok=True)
    try:
        if not args.live:
            record_from_simulator(args.directory)
            return 0
        key = os.environ.get("RUNPOD_API_KEY", "").strip()
        if not key:
            print("--live needs RUNPOD_API_KEY set", file=sys.stderr)
            return 2
        for scenario in SCENARIOS.values():
            if scenario.live:
                record(scenario, directory=args.directory, key=key, url=None)
    except GpuportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
