"""contains, starts_with and regex: text fields only, case-sensitive, regex searches."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gpuport_collectors.errors import OptionError
from gpuport_collectors.fields import FIELDS
from gpuport_collectors.pipeline import apply_filters
from gpuport_operators.names import OPERATORS


def build(operator: str, field: str, value: Any, **options: Any) -> Any:
    cls = OPERATORS[operator]
    return cls(FIELDS[field], cls.Config(value=value, **options))


def test_contains() -> None:
    test = build("contains", "instance_type", "A100")
    names = ["1x NVIDIA A100 80GB PCIe", "2x NVIDIA A100-SXM4-80GB", "1x NVIDIA A40", "a100"]
    assert [n for n in names if test(n)] == names[:2]


def test_starts_with() -> None:
    test = build("starts_with", "region", "EU-", ignore_case=False)
    regions = ["EU-RO-1", "EUR-IS-1", "US-EU-1", "eu-ro-1"]
    assert [r for r in regions if test(r)] == ["EU-RO-1"]


def test_regex_uses_search_semantics() -> None:
    anywhere = build("regex", "region", "RO")
    anchored = build("regex", "region", "^RO")
    assert anywhere("EU-RO-1")
    assert not anchored("EU-RO-1")
    assert build("regex", "region", r"-\d$")("EU-RO-1")


def test_regex_is_case_sensitive_unless_flagged() -> None:
    assert not build("regex", "accelerator_name", "^nvidia")("NVIDIA A40")
    assert build("regex", "accelerator_name", "(?i)^nvidia")("NVIDIA A40")


def test_region_ignores_case_unless_told_not_to() -> None:
    # providers spell region ids in either case; the spec's `regex "^eu-.*"` must match
    assert build("regex", "region", "^eu-.*")("EU-RO-1")
    assert not build("regex", "region", "^eu-.*", ignore_case=False)("EU-RO-1")


@pytest.mark.parametrize(
    ("operator", "value"), [("regex", "^eu-"), ("contains", "ro-"), ("starts_with", "eu-r")]
)
def test_ignore_case(operator: str, value: str) -> None:
    regions = ["EU-RO-1", "eu-ro-2", "US-TX-3", None]
    folded = build(operator, "region", value, ignore_case=True)
    exact = build(operator, "region", value, ignore_case=False)
    assert [r for r in regions if folded(r)] == ["EU-RO-1", "eu-ro-2"]
    assert [r for r in regions if exact(r)] == ["eu-ro-2"]


def test_regex_is_compiled_at_load() -> None:
    test = build("regex", "accelerator_name", "H100|H200")
    assert isinstance(test.pattern, re.Pattern)
    assert test.pattern.pattern == "H100|H200"


def test_invalid_regex_is_an_option_error() -> None:
    with pytest.raises(OptionError) as caught:
        build("regex", "region", "^EU-(")
    assert caught.value.key == "value"
    assert caught.value.message.startswith("invalid regular expression: ")


@pytest.mark.parametrize("operator", ["contains", "starts_with", "regex"])
@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("price", "a number"),
        ("accelerator_count", "a whole number"),
        ("availability", "an availability level"),
        ("collected_at", "a timestamp"),
    ],
)
def test_text_operators_refuse_other_fields(operator: str, field: str, kind: str) -> None:
    with pytest.raises(OptionError) as caught:
        build(operator, field, "1")
    assert caught.value.message.startswith(
        f"{operator} works on text fields; field {field!r} is {kind}"
    )


def test_regex_on_catalogue(loader: Any, sample_instances: list[Any]) -> None:
    filters = loader.load("{field: region, operator: regex, value: '^EU-.*'}")
    kept = apply_filters(sample_instances, filters)
    assert kept == [row for row in sample_instances if row.region.startswith("EU-")]
    assert kept
