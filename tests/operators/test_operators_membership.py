"""in and not_in: coerced value sets, nulls, availability spellings."""

from __future__ import annotations

from typing import Any

from gpuport_collectors.fields import FIELDS
from gpuport_collectors.models import Availability
from gpuport_collectors.pipeline import apply_filters
from gpuport_operators.names import OPERATORS


def build(operator: str, field: str, values: list[Any]) -> Any:
    cls = OPERATORS[operator]
    return cls(FIELDS[field], cls.Config(values=values))


def test_in_matches_any_listed_value() -> None:
    test = build("in", "region", ["EU-RO-1", "US-TX-3"])
    assert [r for r in ("EU-RO-1", "US-TX-3", "EU-SE-1") if test(r)] == ["EU-RO-1", "US-TX-3"]


def test_not_in_matches_the_rest() -> None:
    test = build("not_in", "region", ["deprecated-1", "deprecated-2"])
    assert [r for r in ("deprecated-1", "EU-RO-1", "deprecated-2") if test(r)] == ["EU-RO-1"]


def test_in_coerces_every_value_once() -> None:
    levels = build("in", "availability", ["high", "Medium"])
    assert levels.values == frozenset({Availability.HIGH, Availability.MEDIUM})
    counts = build("in", "accelerator_count", ["2", 4.0, 8])
    assert counts.values == frozenset({2, 4, 8})
    assert all(isinstance(value, int) for value in counts.values)
    assert counts(4) and not counts(1)


def test_numbers_match_regardless_of_spelling() -> None:
    test = build("in", "price", [1, "2.50"])
    assert test(1.0) and test(2.5) and not test(2.0)


def test_single_value_list_is_fine() -> None:
    assert build("in", "provider", ["RunPod"])("RunPod")


def test_spec_example_on_catalogue(loader: Any, sample_instances: list[Any]) -> None:
    filters = loader.load(
        "{field: availability, operator: in, values: [HIGH, MEDIUM]}",
        "{field: price, operator: lt, value: 10.0}",
    )
    kept = apply_filters(sample_instances, filters)
    expected = [
        row
        for row in sample_instances
        if row.availability in (Availability.HIGH, Availability.MEDIUM)
        and row.price is not None
        and row.price < 10.0
    ]
    assert kept == expected
    assert 0 < len(kept) < len(sample_instances)
