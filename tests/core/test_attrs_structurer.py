"""The config converter's attrs hook decides and words everything as cattrs' generated one.

``attrs_structurer`` replaces ``cattrs.gen.make_dict_structure_fn`` (which compiles a
function per class) for configs. Each case structures the same input with both, on the
same converter, and compares the result or the flattened error leaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import cattrs
import pytest
from cattrs.gen import make_dict_structure_fn

from gpuport_collectors.converter import (
    attrs_structurer,
    describe,
    flatten_errors,
    make_converter,
)
from gpuport_collectors.errors import OptionError


@attrs.frozen
class Inner:
    level: Literal["low", "high"]
    weight: float = 1.0


@attrs.frozen
class Outer:
    name: str
    inner: Inner
    tags: list[str] = attrs.Factory(list)
    _hidden: int = 0  # the key is the attribute's name, as cattrs (without use_alias) reads it
    computed: int = attrs.field(init=False, default=7)

    def __attrs_post_init__(self) -> None:
        if self.name == "bad":
            raise OptionError("name", "is reserved")


CASES: list[dict[str, Any]] = [
    {"name": "a", "inner": {"level": "low"}},
    {"name": "a", "inner": {"level": "high", "weight": 2}, "tags": ["x"], "_hidden": 3},
    {"inner": {"level": "low"}},  # a required key missing
    {"name": "a", "inner": {"level": "lo", "wieght": 1}},  # a bad choice and an unknown key
    {"name": 5, "inner": "text", "tags": "x", "extra": 1},  # wrong shapes everywhere
    {"name": "bad", "inner": {"level": "low"}},  # __attrs_post_init__ refuses
    {"name": "a", "inner": {"level": "low"}, "computed": 1},  # init=False is not an option
]


def _outcome(converter: cattrs.Converter, value: dict[str, Any]) -> Any:
    try:
        return converter.structure(value, Outer)
    except Exception as error:
        return sorted((path, message) for path, message, _ in flatten_errors(error))


def _generated(environ: dict[str, str]) -> cattrs.Converter:
    """The same converter with cattrs' own code-generating hook for attrs classes (behind
    the same "expected a mapping" check the config converter puts before its hook)."""
    converter = make_converter(environ)

    def factory(kind: type, conv: cattrs.Converter) -> Any:
        generated = make_dict_structure_fn(
            kind, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a mapping, got {describe(value)}")
            return generated(value, kind)

        return hook

    converter.register_structure_hook_factory(attrs.has, factory)
    return converter


@pytest.mark.parametrize("value", CASES)
def test_same_result_or_same_errors_as_cattrs(value: dict[str, Any]) -> None:
    ours = _outcome(make_converter({}), value)
    theirs = _outcome(_generated({}), value)
    assert ours == theirs


def test_errors_are_found_and_located() -> None:
    """The comparison above is not between two silent failures."""
    errors = _outcome(make_converter({}), CASES[3])
    assert (("inner", "level"), "expected one of 'low', 'high', got 'lo'; did you mean 'low'?") in [
        (tuple(path), message) for path, message in errors
    ]
    assert any(path == ("inner", "wieght") for path, _ in errors)
    structured = make_converter({}).structure(CASES[1], Outer)
    assert structured == Outer("a", Inner("high", 2.0), ["x"], 3)


def test_the_hook_is_built_once_per_class() -> None:
    converter = make_converter({})
    assert converter.get_structure_hook(Outer) is converter.get_structure_hook(Outer)
    assert callable(attrs_structurer(Inner, converter))
