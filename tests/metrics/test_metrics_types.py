"""Each metric type against an independent computation (statistics, sets, sorted lists)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import pytest

from gpuport_collectors.models import GPUInstance
from gpuport_metrics.config import MetricSpec

Compute = Callable[..., dict[str, Any]]


def spec(name: str, kind: str, field: str | None = None, group_by: str | None = None) -> MetricSpec:
    return MetricSpec(name=name, type=kind, field=field, group_by=group_by)  # type: ignore[arg-type]


def test_count_is_the_number_of_instances(
    compute: Compute, sample_instances: list[GPUInstance]
) -> None:
    assert compute(sample_instances, spec("total", "count")) == {"total": len(sample_instances)}


def test_count_with_a_field_counts_non_null_values(compute: Compute, instance_factory: Any) -> None:
    rows = [instance_factory(spot_price=p) for p in (0.3, None, 0.5, None, 0.7)]
    assert compute(rows, spec("spot_offers", "count", "spot_price")) == {"spot_offers": 3}


@pytest.mark.parametrize("field", ["price", "spot_price", "accelerator_count", "memory_gib"])
def test_numeric_aggregates_on_the_catalogue(
    compute: Compute, sample_instances: list[GPUInstance], field: str
) -> None:
    values = [getattr(row, field) for row in sample_instances]
    present = [value for value in values if value is not None]
    assert present, "the catalogue has values for this field"
    result = compute(
        sample_instances,
        spec("avg", "avg", field),
        spec("min", "min", field),
        spec("max", "max", field),
        spec("sum", "sum", field),
        spec("unique", "unique", field),
    )
    assert result["avg"] == pytest.approx(statistics.fmean(present), rel=1e-12)
    assert result["min"] == sorted(present)[0]
    assert result["max"] == sorted(present)[-1]
    assert result["sum"] == pytest.approx(sum(present), rel=1e-12)
    assert result["unique"] == len(set(present))


def test_hand_built_values(compute: Compute, instance_factory: Any) -> None:
    prices = [1.25, None, 2.5, 0.75, None, 2.5]
    rows = [instance_factory(price=p) for p in prices]
    result = compute(
        rows,
        spec("n", "count"),
        spec("avg", "avg", "price"),
        spec("min", "min", "price"),
        spec("max", "max", "price"),
        spec("sum", "sum", "price"),
        spec("unique", "unique", "price"),
    )
    # By hand: non-null prices 1.25, 2.5, 0.75, 2.5 -> sum 7.0, mean 1.75, 3 distinct.
    assert result == {"n": 6, "avg": 1.75, "min": 0.75, "max": 2.5, "sum": 7.0, "unique": 3}


def test_sum_of_an_integer_field_is_an_integer(compute: Compute, instance_factory: Any) -> None:
    rows = [instance_factory(accelerator_count=n) for n in (1, 2, 8)]
    result = compute(rows, spec("gpus", "sum", "accelerator_count"))
    assert result == {"gpus": 11}
    assert isinstance(result["gpus"], int)


def test_float_sum_is_exact(compute: Compute, instance_factory: Any) -> None:
    # ten times 0.1 is 1.0 exactly when summed with fsum; a naive sum gives 0.9999999999999999
    rows = [instance_factory(price=0.1) for _ in range(10)]
    assert compute(rows, spec("s", "sum", "price")) == {"s": 1.0}


def test_min_max_of_collected_at_are_unix_seconds(compute: Compute, instance_factory: Any) -> None:
    rows = [instance_factory(collected_at=t) for t in (1_763_900_300, 1_763_900_000, 1_763_900_100)]
    result = compute(
        rows, spec("first", "min", "collected_at"), spec("last", "max", "collected_at")
    )
    assert result == {"first": 1_763_900_000, "last": 1_763_900_300}


def test_unique_text_and_availability(
    compute: Compute, sample_instances: list[GPUInstance]
) -> None:
    result = compute(
        sample_instances,
        spec("gpus", "unique", "accelerator_name"),
        spec("regions", "unique", "region"),
        spec("levels", "unique", "availability"),
    )
    assert result == {
        "gpus": len({row.accelerator_name for row in sample_instances}),
        "regions": len({row.region for row in sample_instances}),
        "levels": len({row.availability.name for row in sample_instances}),
    }


def test_nulls_are_skipped_and_all_null_gives_null(compute: Compute, instance_factory: Any) -> None:
    rows = [instance_factory(spot_price=None) for _ in range(3)]
    result = compute(
        rows,
        spec("n", "count"),
        spec("spot_n", "count", "spot_price"),
        spec("avg", "avg", "spot_price"),
        spec("min", "min", "spot_price"),
        spec("max", "max", "spot_price"),
        spec("sum", "sum", "spot_price"),
        spec("unique", "unique", "spot_price"),
    )
    assert result == {
        "n": 3,
        "spot_n": 0,
        "avg": None,
        "min": None,
        "max": None,
        "sum": None,
        "unique": 0,
    }


def test_empty_input(compute: Compute) -> None:
    result = compute(
        [],
        spec("n", "count"),
        spec("avg", "avg", "price"),
        spec("min", "min", "price"),
        spec("max", "max", "price"),
        spec("sum", "sum", "price"),
        spec("unique", "unique", "provider"),
        spec("by_region", "count", group_by="region"),
    )
    assert result == {
        "n": 0,
        "avg": None,
        "min": None,
        "max": None,
        "sum": None,
        "unique": 0,
        "by_region": {},
    }


def test_metrics_keep_their_configured_order(compute: Compute, instance_factory: Any) -> None:
    result = compute(
        [instance_factory()], spec("z", "count"), spec("a", "count"), spec("m", "count")
    )
    assert list(result) == ["z", "a", "m"]
