"""Mapping one pricing answer to instances, on hand-written answers."""

from __future__ import annotations

from typing import Any

import pytest

from gpuport_collectors.models import Availability
from gpuport_collectors.testing.factories import instance_type_for
from gpuport_runpod.mapping import (
    DataCenter,
    GpuType,
    ShapeError,
    map_offers,
    parse_datacenters,
    parse_gpu_types,
    pricing_entry,
)

GPU = GpuType(id="NVIDIA GeForce RTX 4090", display_name="RTX 4090", memory_gib=24.0, raw={})
CENTERS = {"EU-RO-1": DataCenter("EU-RO-1", {"id": "EU-RO-1"})}
ALIASES = {"dc_EU_RO_1": "EU-RO-1"}


def offer(**overrides: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "stockStatus": "High",
        "uninterruptablePrice": 0.69,
        "minimumBidPrice": 0.35,
        "availableGpuCounts": [1, 2, 4, 8],
        "minVcpu": 6,
        "minMemory": 31,
        "maxUnreservedGpuCount": 3,
    }
    answer.update(overrides)
    return answer


def mapped(answer: Any, expand: bool = True) -> tuple[list[Any], list[str]]:
    return map_offers(
        GPU, {"dc_EU_RO_1": answer}, ALIASES, CENTERS, collected_at=7, expand_gpu_counts=expand
    )


def test_one_instance_per_rentable_count_with_scaled_values() -> None:
    instances, problems = mapped(offer(availableGpuCounts=[4, 1, 8, 2, 2]))
    assert problems == []
    assert [i.accelerator_count for i in instances] == [1, 2, 4, 8]
    three = mapped(offer(availableGpuCounts=[3]))[0][0]
    assert three.price == 2.07  # 3 x 0.69 without float noise
    eight = instances[-1]
    assert eight.instance_type == instance_type_for("RTX 4090", 8) == "8x RTX 4090"
    assert eight.price == pytest.approx(8 * 0.69)
    assert eight.spot_price == pytest.approx(8 * 0.35)
    assert (eight.v_cpus, eight.memory_gib) == (48.0, 248.0)
    assert {i.quantity for i in instances} == {8}  # largest count, not 1+2+4+8
    assert {(i.region, i.availability, i.collected_at) for i in instances} == {
        ("EU-RO-1", Availability.HIGH, 7)
    }


def test_without_expansion_one_single_gpu_instance() -> None:
    (instance,), _ = mapped(offer(), expand=False)
    assert (instance.accelerator_count, instance.price, instance.quantity) == (1, 0.69, 8)


@pytest.mark.parametrize("answer", [None, offer(stockStatus=None)])
def test_no_stock_status_no_instance(answer: Any) -> None:
    assert mapped(answer) == ([], [])


@pytest.mark.parametrize("value", [None, 0, -1, "0.3", True, [1]])
def test_unknown_or_unoffered_values_are_null_never_zero(value: Any) -> None:
    (instance,), _ = mapped(
        offer(minimumBidPrice=value, uninterruptablePrice=value, minVcpu=value, minMemory=value),
        expand=False,
    )
    assert instance.spot_price is None
    assert instance.price is None
    assert instance.v_cpus is None
    assert instance.memory_gib is None


@pytest.mark.parametrize("counts", [None, [], [0, -2], "8"])
def test_missing_counts_give_one_instance_of_unknown_quantity(counts: Any) -> None:
    (instance,), _ = mapped(offer(availableGpuCounts=counts))
    assert (instance.accelerator_count, instance.quantity) == (1, None)


@pytest.mark.parametrize(
    ("status", "level"), [("Low", "LOW"), ("MEDIUM", "MEDIUM"), ("high", "HIGH")]
)
def test_stock_status_spellings(status: str, level: str) -> None:
    (instance,), _ = mapped(offer(stockStatus=status), expand=False)
    assert instance.availability is Availability[level]


def test_odd_answers_are_problems_not_crashes() -> None:
    assert mapped(offer(stockStatus="Plenty")) == (
        [],
        ["GPU type 'NVIDIA GeForce RTX 4090' in EU-RO-1: unknown stockStatus 'Plenty'; skipped"],
    )
    assert mapped("High")[1] == [
        "GPU type 'NVIDIA GeForce RTX 4090' in EU-RO-1: lowestPrice is not an object; skipped"
    ]


def test_raw_data_keeps_gpu_type_datacenter_and_pricing() -> None:
    gpu = GpuType(GPU.id, GPU.display_name, 24.0, raw={"id": GPU.id, "displayName": "RTX 4090"})
    answer = offer()
    (instance, *_), _ = map_offers(gpu, {"dc_EU_RO_1": answer}, ALIASES, CENTERS, collected_at=1)
    assert instance.raw_data == {
        "gpu_type": {"id": GPU.id, "displayName": "RTX 4090"},
        "datacenter": {"id": "EU-RO-1"},
        "pricing": answer,
    }


def test_discovery_parsing_skips_bad_items_and_repeats() -> None:
    gpus, problems = parse_gpu_types(
        {
            "gpuTypes": [
                {"id": "A", "displayName": "Alpha", "memoryInGb": 24},
                {"displayName": "no id"},
                {"id": "B", "displayName": "", "memoryInGb": 0},
                {"id": "A", "displayName": "again"},
                "junk",
            ]
        }
    )
    assert [(g.id, g.display_name, g.memory_gib) for g in gpus] == [
        ("A", "Alpha", 24.0),
        ("B", "B", None),  # no display name: the id; no memory: null
    ]
    assert problems == ["gpuTypes[1] has no id; skipped", "gpuTypes[4] has no id; skipped"]
    centers, problems = parse_datacenters({"dataCenters": [{"id": "EU-RO-1", "listed": False}]})
    assert [c.id for c in centers] == ["EU-RO-1"] and problems == []


@pytest.mark.parametrize("data", [{}, {"gpuTypes": None}, {"gpuTypes": {"id": "A"}}])
def test_discovery_shape_errors(data: dict[str, Any]) -> None:
    with pytest.raises(ShapeError, match="expected 'gpuTypes' to be a list"):
        parse_gpu_types(data)


def test_pricing_entry_picks_the_asked_gpu_type() -> None:
    entry = pricing_entry({"gpuTypes": [{"id": "other"}, {"id": GPU.id, "x": 1}]}, GPU)
    assert entry == {"id": GPU.id, "x": 1}
    with pytest.raises(ShapeError, match="lists no GPU type"):
        pricing_entry({"gpuTypes": []}, GPU)
