"""The collector against the loopback simulator: what it finds, how it asks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from gpuport_collectors.config import CollectorConfig
from gpuport_collectors.models import Availability
from gpuport_collectors.protocols import Collector
from gpuport_collectors.secrets import Secret
from gpuport_collectors.testing.factories import instance_type_for
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig

from .conftest import CANARY, COLLECTED_AT, run
from .oracle import expected_from_catalogue, records_by_key
from .simulator import Catalogue, RunPodSimulator


def test_collects_every_in_stock_offer_of_the_catalogue(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: Callable[..., Any]
) -> None:
    collector = make_collector(simulator)
    instances = run(collector)
    expected = expected_from_catalogue(catalogue, COLLECTED_AT)
    actual = records_by_key(instances)
    assert len(expected) > 400  # the catalogue is big enough to mean something
    assert actual.keys() == expected.keys()
    for key, record in expected.items():
        assert actual[key] == pytest.approx(record), key
    assert collector.problems == []


def test_one_instance_per_offer_without_expansion(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: Callable[..., Any]
) -> None:
    instances = run(make_collector(simulator, expand_gpu_counts=False))
    expected = expected_from_catalogue(catalogue, COLLECTED_AT, expand=False)
    actual = records_by_key(instances)
    assert actual.keys() == expected.keys()
    for key, record in expected.items():
        assert actual[key] == pytest.approx(record), key


def test_one_discovery_round_then_one_query_per_gpu_type(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: Callable[..., Any]
) -> None:
    run(make_collector(simulator))
    stats = simulator.stats
    assert stats.requests == 2 + len(catalogue.gpu_types)
    assert stats.by_target["gpuTypes"] == 1
    assert stats.by_target["dataCenters"] == 1
    assert all(stats.by_target[gpu.id] == 1 for gpu in catalogue.gpu_types)


@pytest.mark.parametrize("cap", [1, 3, 5])
def test_concurrency_cap_bounds_requests_in_flight_and_connections(
    catalogue: Catalogue, make_collector: Callable[..., Any], cap: int
) -> None:
    with RunPodSimulator(catalogue, api_key=CANARY, latency=0.01) as sim:
        run(make_collector(sim, max_concurrency=cap))
        assert sim.stats.max_in_flight <= cap
        assert 1 <= sim.stats.connections <= cap
    if cap > 1:
        assert sim.stats.max_in_flight >= 2  # and it does run queries side by side


def test_progress_reports_every_query(
    small_simulator: RunPodSimulator,
    small_catalogue: Catalogue,
    make_collector: Callable[..., Any],
) -> None:
    calls: list[tuple[int, int]] = []
    run(make_collector(small_simulator), progress=lambda done, total: calls.append((done, total)))
    queries = 2 + len(small_catalogue.gpu_types)
    assert [done for done, _ in calls] == list(range(1, queries + 1))
    assert calls[-1] == (queries, queries)
    assert all(done <= total for done, total in calls)


def test_instances_share_one_collected_at_and_carry_raw_answers(
    small_simulator: RunPodSimulator, small_catalogue: Catalogue
) -> None:
    collector = RunPodCollector(
        RunPodConfig(api_key=Secret.literal(CANARY), api_url=small_simulator.url), environ={}
    )
    instances = asyncio.run(collector.fetch_instances())
    assert instances
    assert len({instance.collected_at for instance in instances}) == 1
    names = {gpu.display_name: gpu for gpu in small_catalogue.gpu_types}
    for instance in instances:
        raw = instance.raw_data
        gpu = names[instance.accelerator_name]
        assert raw["gpu_type"]["id"] == gpu.id
        assert raw["datacenter"]["id"] == instance.region
        assert raw["pricing"]["stockStatus"] is not None
        assert instance.instance_type == instance_type_for(
            gpu.display_name, instance.accelerator_count
        )
        assert instance.provider == "RunPod"


def test_nothing_comes_from_unreliable_node_group_datacenters(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: Callable[..., Any]
) -> None:
    instances = run(make_collector(simulator))
    found = {(i.accelerator_name, i.region) for i in instances}
    for gpu in catalogue.gpu_types:
        in_stock = {
            c.id
            for c in catalogue.datacenters
            if (o := catalogue.offers[gpu.id, c.id]) is not None and o.stock_status
        }
        assert {r for name, r in found if name == gpu.display_name} == in_stock
        if in_stock:
            assert catalogue.node_groups[gpu.id] == ()  # the quirk was there to trip on


def test_quantity_is_the_largest_count_never_the_sum(
    simulator: RunPodSimulator, catalogue: Catalogue, make_collector: Callable[..., Any]
) -> None:
    instances = run(make_collector(simulator))
    multi = [i for i in instances if len(i.raw_data["pricing"]["availableGpuCounts"]) > 2]
    assert multi
    for instance in multi:
        counts = instance.raw_data["pricing"]["availableGpuCounts"]
        assert instance.quantity == max(counts) != sum(counts)


def test_seed_api_works_as_written(
    small_simulator: RunPodSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gpuport_collectors.collectors.runpod import RunPodCollector as Seed

    monkeypatch.setenv("RUNPOD_API_KEY", CANARY)
    monkeypatch.setenv("RUNPOD_API_URL", small_simulator.url)

    async def main() -> list[Any]:
        return await Seed(config=CollectorConfig()).fetch_instances()

    instances = asyncio.run(main())
    assert instances
    assert {i.availability for i in instances} <= {
        Availability.HIGH,
        Availability.MEDIUM,
        Availability.LOW,
    }


def test_plain_collector_config_options_are_kept() -> None:
    collector = RunPodCollector(config=CollectorConfig(max_concurrency=7, timeout=3.5))
    assert collector.config == RunPodConfig(max_concurrency=7, timeout=3.5)
    assert isinstance(collector, Collector)
    assert RunPodCollector.Config is RunPodConfig
    assert collector.problems == []


def test_api_url_precedence(small_simulator: RunPodSimulator) -> None:
    config = RunPodConfig(api_url="http://configured.example/graphql")
    assert config.resolve_api_url({"RUNPOD_API_URL": "http://env.example/graphql"}) == (
        "http://configured.example/graphql"
    )
    assert RunPodConfig().resolve_api_url({"RUNPOD_API_URL": "http://env.example/graphql"}) == (
        "http://env.example/graphql"
    )
    assert RunPodConfig().resolve_api_url({}) == "https://api.runpod.io/graphql"
