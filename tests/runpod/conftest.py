"""Fixtures for the RunPod collector tests: catalogue, loopback simulator, fake time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gpuport_collectors.secrets import Secret
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .simulator import Catalogue, RunPodSimulator

#: A key that must never show up anywhere: logs, errors, reprs, files.
CANARY = "rpa_CANARY_7f3e9b2d5c1a_do_not_leak"
COLLECTED_AT = 1_763_900_000


class FakeTime:
    """Injected ``sleep``/``clock``: sleeping advances the clock and records the delay."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def clock(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The full-size seeded catalogue: 40 GPU types x 40 datacenters."""
    return Catalogue.generate(seed=1, gpu_types=40, datacenters=40)


@pytest.fixture(scope="session")
def small_catalogue() -> Catalogue:
    return Catalogue.generate(seed=3, gpu_types=6, datacenters=8)


@pytest.fixture
def simulator(catalogue: Catalogue) -> Iterator[RunPodSimulator]:
    with RunPodSimulator(catalogue, api_key=CANARY) as sim:
        yield sim


@pytest.fixture
def small_simulator(small_catalogue: Catalogue) -> Iterator[RunPodSimulator]:
    with RunPodSimulator(small_catalogue, api_key=CANARY) as sim:
        yield sim


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_collector(fake_time: FakeTime) -> Callable[..., RunPodCollector]:
    """``make_collector(sim, **options)``: a collector aimed at ``sim`` with the canary key,
    fake sleep/clock, a fixed ``collected_at`` and no environment."""

    def build(sim: RunPodSimulator | None = None, **options: Any) -> RunPodCollector:
        options.setdefault("api_key", Secret.literal(CANARY))
        options.setdefault("timeout", 5.0)
        if sim is not None:
            options.setdefault("api_url", sim.url)
        return RunPodCollector(
            RunPodConfig(**options),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            rand=lambda: 0.5,
            now=lambda: COLLECTED_AT,
            environ={},
        )

    return build


def run(collector: RunPodCollector, progress: Any = None) -> Any:
    """Run ``fetch_instances`` to completion in a fresh event loop."""
    return asyncio.run(collector.fetch_instances(progress))
