"""Every bad operator config, through the real loader: one located line each."""

from __future__ import annotations

from typing import Any

import pytest

from gpuport_collectors.models import Availability

# (filter, key blamed (None: the filter mapping), blame the key itself?, message)
CASES: list[tuple[str, str | None, bool, str]] = [
    (
        "{field: provider, operator: eq, value: [RunPod, AWS]}",
        "value",
        False,
        "eq takes a single value, got a list; "
        "to match any of several use operator 'in' with 'values: [...]'",
    ),
    (
        "{field: region, operator: ne, value: [EU-RO-1]}",
        "value",
        False,
        "ne takes a single value, got a list; "
        "to match any of several use operator 'not_in' with 'values: [...]'",
    ),
    (
        "{field: price, operator: lt, value: [1, 2]}",
        "value",
        False,
        "lt takes a single value, got a list",
    ),
    (
        "{field: price, operator: gt, value: {amount: 1}}",
        "value",
        False,
        "gt takes a single value, got a mapping",
    ),
    (
        "{field: price, operator: eq, value: null}",
        "value",
        False,
        "value is null; to match a missing value use operator is_null "
        "(or is_not_null for the opposite)",
    ),
    (
        "{field: price, operator: lt, value: cheap}",
        "value",
        False,
        "expected a number, got 'cheap' for field 'price'",
    ),
    (
        "{field: quantity, operator: gte, value: 2.5}",
        "value",
        False,
        "expected a whole number, got 2.5 for field 'quantity'",
    ),
    (
        "{field: availability, operator: gte, value: hihg}",
        "value",
        False,
        f"unknown availability 'hihg'; expected one of {Availability.names()} "
        "for field 'availability'",
    ),
    (
        "{field: collected_at, operator: gt, value: yesterday}",
        "value",
        False,
        "expected Unix seconds or an ISO 8601 datetime, got 'yesterday' for field 'collected_at'",
    ),
    (
        "{field: price, operator: between, min: 5.0, max: 1.0}",
        "min",
        False,
        "min (5.0) is greater than max (1.0) for field 'price'; swap them",
    ),
    (
        "{field: availability, operator: between, min: HIGH, max: low}",
        "min",
        False,
        "min ('HIGH') is greater than max ('low') for field 'availability'; swap them",
    ),
    (
        "{field: price, operator: between, min: 1.0, max: lots}",
        "max",
        False,
        "expected a number, got 'lots' for field 'price'",
    ),
    (
        "{field: price, operator: in, values: []}",
        "values",
        False,
        "in needs at least one value, e.g. 'values: [a, b]'",
    ),
    (
        "{field: region, operator: not_in, values: []}",
        "values",
        False,
        "not_in needs at least one value, e.g. 'values: [a, b]'",
    ),
    (
        "{field: region, operator: in, values: EU-RO-1}",
        "values",
        False,
        "expected a list, got text",
    ),
    (
        "{field: price, operator: in, values: [1.0, abc]}",
        "values",
        False,
        "values[1]: expected a number, got 'abc' for field 'price'",
    ),
    (
        "{field: availability, operator: in, values: [HIGH, null]}",
        "values",
        False,
        "values[1] is null; to match a missing value use operator is_null "
        "(or is_not_null for the opposite)",
    ),
    (
        "{field: region, operator: regex, value: '^EU-('}",
        "value",
        False,
        "invalid regular expression: missing ), unterminated subpattern at position 4",
    ),
    (
        "{field: price, operator: contains, value: '1'}",
        "operator",
        False,
        "contains works on text fields; field 'price' is a number "
        "(use eq, lt, gt, between... instead)",
    ),
    (
        "{field: availability, operator: starts_with, value: H}",
        "operator",
        False,
        "starts_with works on text fields; field 'availability' is an availability level "
        "(use eq, lt, gt, between... instead)",
    ),
    (
        "{field: collected_at, operator: regex, value: '^17'}",
        "operator",
        False,
        "regex works on text fields; field 'collected_at' is a timestamp "
        "(use eq, lt, gt, between... instead)",
    ),
    (
        "{field: spot_price, operator: is_null, value: 1}",
        "value",
        True,
        "unknown option 'value' (this takes no options)",
    ),
    (
        "{field: spot_price, operator: is_not_null, values: [1]}",
        "values",
        True,
        "unknown option 'values' (this takes no options)",
    ),
    (
        "{field: price, operator: between, min: 1}",
        None,
        False,
        "missing required option 'max'",
    ),
    (
        "{field: price, operator: lt, value: '${MAX_PRICE}'}",
        "value",
        False,
        "environment variable MAX_PRICE is not set; export it or remove ${MAX_PRICE}",
    ),
    (
        "{field: price, operator: btween, min: 1, max: 2}",
        "operator",
        False,
        "unknown operator 'btween'; did you mean 'between'? (available: between, contains, "
        "eq, gt, gte, in, is_not_null, is_null, lt, lte, ne, not_in, regex, starts_with)",
    ),
]


@pytest.mark.parametrize(("item", "key", "on_key", "message"), CASES, ids=lambda v: str(v)[:40])
def test_bad_filter_is_one_located_line(
    loader: Any, item: str, key: str | None, on_key: bool, message: str
) -> None:
    # A good filter first, so the bad one is on the second filter line (line 7).
    good = "{field: price, operator: gte, value: 0}"
    assert loader.errors(good, item) == [f"{loader.at(1, item, key, on_key=on_key)}: {message}"]
    assert loader.at(1, item).split(":")[-2] == "7"


def test_every_bad_filter_is_reported_at_once(loader: Any) -> None:
    items = [item for item, *_ in CASES]
    errors = loader.errors(*items)
    assert len(errors) == len(CASES)
    for index, (item, key, on_key, message) in enumerate(CASES):
        assert f"{loader.at(index, item, key, on_key=on_key)}: {message}" in errors


def test_eq_given_values_suggests_value(loader: Any) -> None:
    item = "{field: provider, operator: eq, values: [RunPod]}"
    assert loader.errors(item) == [
        f"{loader.at(0, item)}: missing required option 'value'",
        f"{loader.at(0, item, 'values', on_key=True)}: "
        "unknown option 'values'; did you mean 'value'? (options: value)",
    ]


def test_in_given_value_suggests_values(loader: Any) -> None:
    item = "{field: price, operator: in, value: 1}"
    assert loader.errors(item) == [
        f"{loader.at(0, item)}: missing required option 'values'",
        f"{loader.at(0, item, 'value', on_key=True)}: "
        "unknown option 'value'; did you mean 'values'? (options: values)",
    ]


def test_env_value_that_is_not_a_number(loader: Any) -> None:
    item = "{field: price, operator: lt, value: '${MAX_PRICE}'}"
    errors = loader.errors(item, environ={"MAX_PRICE": "abc"})
    assert errors == [
        f"{loader.at(0, item, 'value')}: expected a number, got 'abc' for field 'price'"
    ]
