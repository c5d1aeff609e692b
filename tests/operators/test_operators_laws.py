"""Hypothesis: the laws that tie the operators together, on realistic instances.

Config values are drawn as a user could write them (``"medium"``, ``"4"``, an ISO
datetime for ``collected_at``), field values from a generated catalogue mixed with
arbitrary values of the field's type, nulls included where the model allows them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpuport_collectors.errors import OptionError
from gpuport_collectors.fields import FIELDS
from gpuport_collectors.models import Availability, GPUInstance
from gpuport_collectors.testing import generate_instances
from gpuport_operators.names import OPERATORS

CATALOGUE = generate_instances(seed=7)
NULLABLE = {
    "availability",
    "accelerator_model",
    "accelerator_mem_gib",
    "quantity",
    "price",
    "spot_price",
    "v_cpus",
    "memory_gib",
}
TEXT_FIELDS = [name for name, info in FIELDS.items() if info.kind == "text"]

_BY_KIND: dict[str, st.SearchStrategy[Any]] = {
    "text": st.text(alphabet="AEUSx-19 ", max_size=8),
    "integer": st.integers(min_value=0, max_value=16),
    "number": st.floats(min_value=0, max_value=64, allow_nan=False, allow_infinity=False),
    "availability": st.sampled_from(list(Availability)),
    "timestamp": st.integers(min_value=1_700_000_000, max_value=1_800_000_000),
}


def typed(name: str) -> st.SearchStrategy[Any]:
    """A non-null value of field ``name``: one seen in the catalogue or an arbitrary one."""
    seen = sorted({getattr(row, name) for row in CATALOGUE} - {None}, key=repr)
    return st.sampled_from(seen) | _BY_KIND[FIELDS[name].kind]


def spelled(name: str, value: Any) -> st.SearchStrategy[Any]:
    """The ways a config may write ``value`` for field ``name``."""
    kind = FIELDS[name].kind
    if kind == "integer":
        return st.sampled_from([value, str(value), float(value)])
    if kind == "number":
        return st.sampled_from([value, repr(value)])
    if kind == "availability":
        return st.sampled_from(
            [value.name, value.name.lower(), value.name.title().replace("_", " ")]
        )
    if kind == "timestamp":
        moment = dt.datetime.fromtimestamp(value, dt.UTC)
        return st.sampled_from(
            [value, str(value), moment.isoformat(), moment.strftime("%Y-%m-%dT%H:%M:%SZ")]
        )
    return st.just(value)


@st.composite
def config_value(draw: st.DrawFn, name: str) -> tuple[Any, Any]:
    """``(typed value, how the config spells it)``."""
    value = draw(typed(name))
    return value, draw(spelled(name, value))


@st.composite
def instance_value(draw: st.DrawFn, name: str) -> Any:
    """Field ``name`` of a realistic instance, sometimes replaced (or nulled) by Hypothesis."""
    base: GPUInstance = draw(st.sampled_from(CATALOGUE))
    choices = typed(name) | st.none() if name in NULLABLE else typed(name)
    replace = draw(st.booleans())
    changes: dict[str, Any] = {name: draw(choices)}
    row = attrs.evolve(base, **changes) if replace else base
    return getattr(row, name)


fields = st.sampled_from(sorted(FIELDS))


def build(operator: str, name: str, **options: Any) -> Any:
    cls = OPERATORS[operator]
    return cls(FIELDS[name], cls.Config(**options))


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_between_is_gte_min_and_lte_max(data: st.DataObject, name: str) -> None:
    (_, low_spelling), (_, high_spelling) = sorted(
        [data.draw(config_value(name)), data.draw(config_value(name))], key=lambda pair: pair[0]
    )
    value = data.draw(instance_value(name))
    between = build("between", name, min=low_spelling, max=high_spelling)
    expected = build("gte", name, value=low_spelling)(value) and build(
        "lte", name, value=high_spelling
    )(value)
    assert between(value) == expected


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_between_refuses_reversed_bounds(data: st.DataObject, name: str) -> None:
    first, second = data.draw(config_value(name)), data.draw(config_value(name))
    (low, low_spelling), (high, high_spelling) = sorted([first, second], key=lambda p: p[0])
    if low == high:
        return
    with pytest.raises(OptionError) as caught:
        build("between", name, min=high_spelling, max=low_spelling)
    assert caught.value.key == "min"


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_ne_is_not_eq(data: st.DataObject, name: str) -> None:
    _, spelling = data.draw(config_value(name))
    value = data.draw(instance_value(name))
    eq, ne = build("eq", name, value=spelling), build("ne", name, value=spelling)
    if value is None:
        assert ne(value) and not eq(value)
    else:
        assert ne(value) == (not eq(value))


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_lt_is_not_gte_and_gt_is_not_lte(data: st.DataObject, name: str) -> None:
    _, spelling = data.draw(config_value(name))
    value = data.draw(instance_value(name))
    lt, gte = build("lt", name, value=spelling), build("gte", name, value=spelling)
    gt, lte = build("gt", name, value=spelling), build("lte", name, value=spelling)
    if value is None:
        assert not any(test(value) for test in (lt, gte, gt, lte))
    else:
        assert lt(value) == (not gte(value))
        assert gt(value) == (not lte(value))


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_in_is_any_eq(data: st.DataObject, name: str) -> None:
    spellings = [s for _, s in data.draw(st.lists(config_value(name), min_size=1, max_size=5))]
    value = data.draw(instance_value(name))
    expected = any(build("eq", name, value=spelling)(value) for spelling in spellings)
    assert build("in", name, values=spellings)(value) == expected


@settings(deadline=None)
@given(data=st.data(), name=fields)
def test_not_in_is_not_in(data: st.DataObject, name: str) -> None:
    spellings = [s for _, s in data.draw(st.lists(config_value(name), min_size=1, max_size=5))]
    value = data.draw(instance_value(name))
    within = build("in", name, values=spellings)(value)
    outside = build("not_in", name, values=spellings)(value)
    if value is None:
        assert outside and not within
    else:
        assert outside == (not within)


@settings(deadline=None)
@given(data=st.data(), name=st.sampled_from(TEXT_FIELDS), needle=_BY_KIND["text"])
def test_text_operators_agree_with_escaped_regex(
    data: st.DataObject, name: str, needle: str
) -> None:
    value = data.draw(instance_value(name) | _BY_KIND["text"])
    contains = build("contains", name, value=needle)(value)
    starts = build("starts_with", name, value=needle)(value)
    assert contains == build("regex", name, value=re.escape(needle))(value)
    assert starts == build("regex", name, value="^" + re.escape(needle))(value)
    if value is None:
        assert not contains and not starts
        return
    assert contains == (needle in value)
    assert starts == value.startswith(needle)
