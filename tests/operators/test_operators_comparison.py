"""eq, ne, lt, lte, gt, gte and between on numbers, text, availability and collected_at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gpuport_collectors.fields import FIELDS, FieldInfo
from gpuport_collectors.models import Availability
from gpuport_operators.names import OPERATORS

HIGH, MEDIUM, LOW, NONE = (
    Availability.HIGH,
    Availability.MEDIUM,
    Availability.LOW,
    Availability.NOT_AVAILABLE,
)


def build(operator: str, field: str, **options: Any) -> Any:
    cls = OPERATORS[operator]
    return cls(FIELDS[field], cls.Config(**options))


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("eq", [False, True, False]),
        ("ne", [True, False, True]),
        ("lt", [True, False, False]),
        ("lte", [True, True, False]),
        ("gt", [False, False, True]),
        ("gte", [False, True, True]),
    ],
)
def test_numeric_comparisons(operator: str, expected: list[bool]) -> None:
    test = build(operator, "price", value=2.5)
    assert [test(value) for value in (1.0, 2.5, 7.25)] == expected


def test_integer_field_compares_with_ints(instance_factory: Any) -> None:
    test = build("gte", "accelerator_count", value="4")
    assert test.value == 4 and isinstance(test.value, int)
    counts = [1, 2, 4, 8, 10]
    assert [c for c in counts if test(instance_factory(accelerator_count=c).accelerator_count)] == [
        4,
        8,
        10,
    ]


def test_text_compares_lexically() -> None:
    assert build("lt", "region", value="EU")("CA-MTL-1")
    assert not build("lt", "region", value="EU")("US-TX-3")
    # lexical, not numeric: "10" sorts before "9"
    assert build("lt", "instance_type", value="9x")("10x NVIDIA A40")


def test_text_eq_is_case_sensitive() -> None:
    test = build("eq", "provider", value="RunPod")
    assert test("RunPod")
    assert not test("runpod")


def test_number_in_config_is_text_for_a_text_field() -> None:
    # YAML `value: 4090` arrives as an int; for a text field it means the text "4090".
    test = build("eq", "accelerator_name", value=4090)
    assert test.value == "4090"
    assert test("4090")


@pytest.mark.parametrize("spelling", ["MEDIUM", "medium", "Medium", " medium "])
def test_availability_gte_any_spelling(spelling: str) -> None:
    test = build("gte", "availability", value=spelling)
    assert test.value is MEDIUM
    assert [level for level in (NONE, LOW, MEDIUM, HIGH) if test(level)] == [MEDIUM, HIGH]


@pytest.mark.parametrize(
    "spelling", ["NOT_AVAILABLE", "not available", "Not Available", "not-available"]
)
def test_availability_eq_not_available(spelling: str) -> None:
    test = build("eq", "availability", value=spelling)
    assert test.value is NONE
    assert [level for level in (NONE, LOW, MEDIUM, HIGH) if test(level)] == [NONE]


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("lt", [Availability.NOT_AVAILABLE]),
        ("lte", [Availability.NOT_AVAILABLE, Availability.LOW]),
        ("gt", [Availability.MEDIUM, Availability.HIGH]),
        ("ne", [Availability.NOT_AVAILABLE, Availability.MEDIUM, Availability.HIGH]),
    ],
)
def test_availability_order(operator: str, expected: list[Availability]) -> None:
    test = build(operator, "availability", value="low")
    assert [level for level in Availability if test(level)] == expected


# 2026-11-23T14:00:00Z by hand: 56 years to 2026 (14 leap days) + 326 days into 2026,
# so 20 780 days * 86 400 s, plus 14 hours.
NOON_ISH = (56 * 365 + 14 + 326) * 86_400 + 14 * 3_600


def test_collected_at_iso_datetimes_in_config() -> None:
    assert dt.datetime(2026, 11, 23, 14, tzinfo=dt.UTC).timestamp() == NOON_ISH
    for spelling in (
        "2026-11-23T14:00:00Z",
        "2026-11-23T14:00:00+00:00",
        "2026-11-23T16:00:00+02:00",
        "2026-11-23 14:00:00",  # naive means UTC
        NOON_ISH,
        str(NOON_ISH),
    ):
        test = build("gte", "collected_at", value=spelling)
        assert test.value == NOON_ISH, spelling
        assert test(NOON_ISH) and test(NOON_ISH + 1) and not test(NOON_ISH - 1)


def test_collected_at_unquoted_yaml_timestamps(loader: Any) -> None:
    # YAML parses these as datetimes (with their offset) and dates.
    after = loader.one("{field: collected_at, operator: gt, value: 2026-11-23T16:00:00+02:00}")
    day = loader.one("{field: collected_at, operator: gte, value: 2026-11-23}")
    assert after.value == NOON_ISH
    assert day.value == NOON_ISH - 14 * 3_600
    assert not after(NOON_ISH) and after(NOON_ISH + 60)


def test_between_is_inclusive() -> None:
    test = build("between", "price", min=1.0, max=5.0)
    assert [p for p in (0.99, 1.0, 2.5, 5.0, 5.01) if test(p)] == [1.0, 2.5, 5.0]


def test_between_equal_bounds_is_equality() -> None:
    test = build("between", "accelerator_count", min=8, max=8)
    assert [c for c in (4, 8, 10) if test(c)] == [8]


def test_between_availability_and_timestamps() -> None:
    levels = build("between", "availability", min="low", max="Medium")
    assert [level for level in Availability if levels(level)] == [LOW, MEDIUM]
    window = build(
        "between", "collected_at", min="2026-11-23T00:00:00Z", max="2026-11-23T23:59:59Z"
    )
    assert window(NOON_ISH)
    assert not window(NOON_ISH + 86_400)


def test_values_are_coerced_once_at_load() -> None:
    calls: list[Any] = []

    def counting(value: Any) -> float:
        calls.append(value)
        return float(value)

    field = FieldInfo("price", "number", counting)
    cls = OPERATORS["lt"]
    test = cls(field, cls.Config(value="2.5"))
    assert calls == ["2.5"]
    results = [test(price) for price in (1.0, 3.0) * 500]
    assert results.count(True) == 500
    assert calls == ["2.5"], "coercion must not run per row"


def test_coerced_value_is_stored_not_the_text(loader: Any) -> None:
    assert loader.one("{field: availability, operator: eq, value: high}").value is HIGH
    assert loader.one("{field: price, operator: lt, value: '2.5'}").value == 2.5
    assert loader.one("{field: quantity, operator: gte, value: 2.0}").value == 2
    assert isinstance(loader.one("{field: quantity, operator: gte, value: 2.0}").value, int)


def test_env_reference_in_value(loader: Any) -> None:
    test = loader.one(
        "{field: price, operator: lte, value: '${MAX_PRICE}'}", environ={"MAX_PRICE": "3"}
    )
    assert test.value == 3.0
    assert test(3.0) and not test(3.01)


def test_realistic_catalogue_price_filters(loader: Any, sample_instances: list[Any]) -> None:
    from gpuport_collectors.pipeline import apply_filters

    filters = loader.load(
        "{field: price, operator: between, min: 1.0, max: 5.0}",
        "{field: availability, operator: gte, value: Medium}",
    )
    kept = apply_filters(sample_instances, filters)
    expected = [
        row
        for row in sample_instances
        if row.price is not None
        and 1.0 <= row.price <= 5.0
        and row.availability.name in ("MEDIUM", "HIGH")
    ]
    assert kept == expected
    assert 0 < len(kept) < len(sample_instances)
