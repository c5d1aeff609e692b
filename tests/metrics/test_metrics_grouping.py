"""group_by: one value per group, keys as text, null under "null", availability by name."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from gpuport_collectors.models import Availability, GPUInstance
from gpuport_metrics.config import MetricSpec

Compute = Callable[..., dict[str, Any]]


def spec(name: str, kind: str, field: str | None = None, group_by: str | None = None) -> MetricSpec:
    return MetricSpec(name=name, type=kind, field=field, group_by=group_by)  # type: ignore[arg-type]


def test_count_by_region(compute: Compute, sample_instances: list[GPUInstance]) -> None:
    result = compute(sample_instances, spec("by_region", "count", group_by="region"))
    expected = Counter(row.region for row in sample_instances)
    assert result["by_region"] == dict(expected)
    assert len(expected) > 5


def test_avg_price_by_gpu(compute: Compute, sample_instances: list[GPUInstance]) -> None:
    result = compute(sample_instances, spec("avg", "avg", "price", group_by="accelerator_name"))
    prices: dict[str, list[float]] = defaultdict(list)
    for row in sample_instances:
        if row.price is not None:
            prices[row.accelerator_name].append(row.price)
    assert set(result["avg"]) == {row.accelerator_name for row in sample_instances}
    for name, values in prices.items():
        assert result["avg"][name] == pytest.approx(statistics.fmean(values), rel=1e-12)


def test_availability_keys_are_names_in_level_order(
    compute: Compute, instance_factory: Any
) -> None:
    rows = [
        instance_factory(availability=level)
        for level in (
            Availability.HIGH,
            Availability.LOW,
            Availability.HIGH,
            Availability.NOT_AVAILABLE,
        )
    ]
    result = compute(rows, spec("levels", "count", group_by="availability"))
    assert result["levels"] == {"NOT_AVAILABLE": 1, "LOW": 1, "HIGH": 2}
    assert list(result["levels"]) == ["NOT_AVAILABLE", "LOW", "HIGH"]


def test_numeric_keys_in_numeric_order(compute: Compute, instance_factory: Any) -> None:
    rows = [instance_factory(accelerator_count=n) for n in (10, 2, 1, 8, 2)]
    result = compute(rows, spec("by_count", "count", group_by="accelerator_count"))
    assert list(result["by_count"].items()) == [("1", 1), ("2", 2), ("8", 1), ("10", 1)]


def test_null_group_is_written_null_and_comes_last(compute: Compute, instance_factory: Any) -> None:
    rows = [
        instance_factory(quantity=None, price=1.0),
        instance_factory(quantity=4, price=2.0),
        instance_factory(quantity=None, price=3.0),
    ]
    result = compute(rows, spec("by_quantity", "sum", "price", group_by="quantity"))
    assert list(result["by_quantity"].items()) == [("4", 2.0), ("null", 4.0)]


def test_group_where_every_value_is_null(compute: Compute, instance_factory: Any) -> None:
    rows = [
        instance_factory(region="EU-RO-1", spot_price=None),
        instance_factory(region="US-TX-3", spot_price=0.4),
        instance_factory(region="US-TX-3", spot_price=0.6),
    ]
    result = compute(
        rows,
        spec("spot_avg", "avg", "spot_price", group_by="region"),
        spec("spot_n", "count", "spot_price", group_by="region"),
    )
    assert result["spot_avg"] == {"EU-RO-1": None, "US-TX-3": pytest.approx(0.5)}
    assert result["spot_n"] == {"EU-RO-1": 0, "US-TX-3": 2}


def test_unique_gpus_per_provider(compute: Compute, instance_factory: Any) -> None:
    rows = [
        instance_factory(provider="RunPod", accelerator_name="NVIDIA A40"),
        instance_factory(provider="RunPod", accelerator_name="NVIDIA L4"),
        instance_factory(provider="RunPod", accelerator_name="NVIDIA A40"),
        instance_factory(provider="Other", accelerator_name="NVIDIA A40"),
    ]
    result = compute(rows, spec("gpus", "unique", "accelerator_name", group_by="provider"))
    assert result["gpus"] == {"Other": 1, "RunPod": 2}


def test_min_collected_at_by_provider(compute: Compute, instance_factory: Any) -> None:
    rows = [
        instance_factory(provider="RunPod", collected_at=200),
        instance_factory(provider="RunPod", collected_at=100),
        instance_factory(provider="Other", collected_at=300),
    ]
    result = compute(rows, spec("first", "min", "collected_at", group_by="provider"))
    assert result["first"] == {"Other": 300, "RunPod": 100}


def test_unknown_availability_groups_under_null_after_the_levels(
    compute: Compute, instance_factory: Any
) -> None:
    rows = [
        instance_factory(availability=None),
        instance_factory(availability=Availability.HIGH),
        instance_factory(availability=Availability.LOW),
        instance_factory(availability=None),
    ]
    result = compute(rows, spec("levels", "count", group_by="availability"))
    assert list(result["levels"].items()) == [("LOW", 1), ("HIGH", 1), ("null", 2)]


def test_group_by_accelerator_model_across_providers(
    compute: Compute, instance_factory: Any
) -> None:
    rows = [
        instance_factory(provider="RunPod", accelerator_model="H100", price=2.0),
        instance_factory(provider="AWS", accelerator_model="H100", price=4.0),
        instance_factory(provider="AWS", accelerator_model=None, price=1.0),
    ]
    result = compute(rows, spec("avg", "avg", "price", group_by="accelerator_model"))
    assert result["avg"] == {"H100": 3.0, "null": 1.0}
