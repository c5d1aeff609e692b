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
