"""A null field value matches only is_null, ne and not_in."""

from __future__ import annotations

from typing import Any

import pytest

from gpuport_collectors.fields import FIELDS
from gpuport_collectors.pipeline import apply_filters
from gpuport_operators.names import OPERATORS

# operator -> (options, result on a null value, result on "RunPod")
ON_NULL: dict[str, tuple[dict[str, Any], bool, bool]] = {
    "eq": ({"value": "RunPod"}, False, True),
    "ne": ({"value": "RunPod"}, True, False),
    "lt": ({"value": "S"}, False, True),
    "lte": ({"value": "RunPod"}, False, True),
    "gt": ({"value": "A"}, False, True),
    "gte": ({"value": "RunPod"}, False, True),
    "between": ({"min": "A", "max": "Z"}, False, True),
    "in": ({"values": ["RunPod"]}, False, True),
    "not_in": ({"values": ["RunPod"]}, True, False),
    "regex": ({"value": ".*"}, False, True),
    "contains": ({"value": ""}, False, True),
    "starts_with": ({"value": ""}, False, True),
    "is_null": ({}, True, False),
    "is_not_null": ({}, False, True),
}


def test_table_covers_every_operator() -> None:
    assert set(ON_NULL) == set(OPERATORS)


@pytest.mark.parametrize("operator", sorted(ON_NULL))
def test_null_value(operator: str) -> None:
    options, on_null, on_value = ON_NULL[operator]
    cls = OPERATORS[operator]
    test = cls(FIELDS["provider"], cls.Config(**options))
    assert test(None) is on_null
    # The same operator says the opposite for a value, so a null answer is not a default.
    assert test("RunPod") is on_value


def test_spot_price_null_checks(loader: Any, instance_factory: Any) -> None:
    rows = [instance_factory(spot_price=None), instance_factory(spot_price=0.35)]
    (is_null,) = loader.load("{field: spot_price, operator: is_null}")
    (not_null,) = loader.load("{field: spot_price, operator: is_not_null}")
    assert apply_filters(rows, [is_null]) == [rows[0]]
    assert apply_filters(rows, [not_null]) == [rows[1]]


def test_numeric_comparisons_skip_null_prices(loader: Any, instance_factory: Any) -> None:
    rows = [instance_factory(price=None), instance_factory(price=0.5), instance_factory(price=2.0)]
    lt = loader.load("{field: price, operator: lt, value: 1}")
    ne = loader.load("{field: price, operator: ne, value: 2}")
    assert apply_filters(rows, lt) == [rows[1]]
    assert apply_filters(rows, ne) == [rows[0], rows[1]]


def test_unknown_availability_is_null_and_never_ordered(loader: Any, instance_factory: Any) -> None:
    from gpuport_collectors.models import Availability

    rows = [
        instance_factory(availability=None),
        instance_factory(availability=Availability.LOW),
        instance_factory(availability=Availability.HIGH),
    ]

    def kept(text: str) -> list[Any]:
        return apply_filters(rows, loader.load(text))

    assert kept("{field: availability, operator: is_null}") == [rows[0]]
    assert kept("{field: availability, operator: is_not_null}") == rows[1:]
    for operator in ("gte", "gt", "lte", "lt", "eq"):
        assert rows[0] not in kept(f"{{field: availability, operator: {operator}, value: low}}")
    assert kept("{field: availability, operator: between, min: low, max: high}") == rows[1:]
    assert kept("{field: availability, operator: ne, value: high}") == rows[:2]
    assert kept("{field: availability, operator: in, values: [low, high]}") == rows[1:]


def test_accelerator_model_filters_like_text(loader: Any, instance_factory: Any) -> None:
    rows = [
        instance_factory(accelerator_model="H100"),
        instance_factory(accelerator_model="H100NVL"),
        instance_factory(accelerator_model=None),
    ]
    eq = loader.load("{field: accelerator_model, operator: eq, value: H100}")
    starts = loader.load("{field: accelerator_model, operator: starts_with, value: H100}")
    assert apply_filters(rows, eq) == [rows[0]]
    assert apply_filters(rows, starts) == rows[:2]
