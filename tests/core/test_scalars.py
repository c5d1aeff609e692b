"""One scalar parser: every number option and every filter value decide and word alike."""

from __future__ import annotations

import pytest

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.fields import FIELDS, FieldKind
from gpuport_collectors.scalars import to_integer, to_number, to_text
from gpuport_collectors.testing import make_host

PIPELINE = """\
pipelines:
  - name: p
    filters: {filters}
    transformer: {{format: json}}
    outputs:
      - {output}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_export_config(text, source="c.yaml", host=make_host(), environ={})
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf", ".NaN", "'nan'", "'inf'"])
@pytest.mark.parametrize(
    "output",
    [
        "{{type: https, url: 'https://h.example.org', timeout: {v}}}",
        "{{type: https, url: 'https://h.example.org', retry_delay: {v}}}",
        "{{type: https, url: 'https://h.example.org', batch_size: {v}}}",
    ],
)
def test_non_finite_numbers_are_refused_in_every_number_option(output: str, written: str) -> None:
    text = PIPELINE.format(filters="[]", output=output.format(v=written))
    (message,) = problems(text)
    assert message.startswith("expected a finite number, got ")


@pytest.mark.parametrize("written", [".nan", ".inf"])
def test_non_finite_numbers_are_refused_in_filter_values(written: str) -> None:
    filters = f"[{{field: price, operator: lt, value: {written}}}]"
    text = PIPELINE.format(filters=filters, output="{type: local, path: out}")
    (message,) = problems(text)
    assert "expected a finite number, got " in message


def test_runpod_collector_refuses_nan_with_the_same_words() -> None:
    text = "collectors: [{type: runpod, timeout: .nan}]\n" + PIPELINE.format(
        filters="[]", output="{type: local, path: out}"
    )
    assert problems(text) == ["expected a finite number, got nan"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got true"),
        ([1], "expected a number, got a list"),
        ("cheap", "expected a number, got 'cheap'"),
        (float("nan"), "expected a finite number, got nan"),
        ("1e999", "expected a finite number, got '1e999'"),
    ],
)
def test_to_number_refusals(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        to_number(value)


def test_scalars_accept_what_they_should() -> None:
    assert to_number(" 2.5 ") == 2.5
    assert to_integer(2.0) == 2 and isinstance(to_integer("3"), int)
    assert to_text(7) == "7"
    with pytest.raises(ValueError, match=r"expected a whole number, got 2\.5"):
        to_integer(2.5)
    with pytest.raises(ValueError, match="expected text, got null"):
        to_text(None)


def test_field_kinds_carry_their_own_word() -> None:
    assert FIELDS["price"].kind is FieldKind.NUMBER
    assert FIELDS["price"].kind == "number" and FIELDS["price"].kind.word == "a number"
    assert FIELDS["quantity"].kind.word == "a whole number"
    assert {kind for kind in FieldKind if kind.numeric} == {FieldKind.INTEGER, FieldKind.NUMBER}
