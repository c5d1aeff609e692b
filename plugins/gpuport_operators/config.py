"""The option shapes operators take. Values are ``Any``: each operator coerces them to its field."""

from __future__ import annotations

from typing import Any

import attrs

#: What every field kind's coercion can take: text or a number (never null, a list, a
#: mapping or true/false); told to the config's JSON Schema.
SCALAR = {"type": ["string", "number"]}


@attrs.frozen
class ValueConfig:
    """One value: ``value: 5.0``."""

    value: Any = attrs.field(
        metadata={
            "description": "the value to compare with, in the field's type",
            "json_schema": SCALAR,
        }
    )


@attrs.frozen
class TextConfig:
    """Text to match: ``value: A100``, optionally ``ignore_case: true``."""

    value: Any = attrs.field(
        metadata={
            "description": "the text or pattern; an invalid pattern is a config error",
            "json_schema": SCALAR,
        }
    )
    ignore_case: bool | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "compare ignoring case; default: true for `region` (clouds spell ids in "
                'either case: `regex "^eu-"` matches RunPod\'s `EU-RO-1`), false otherwise'
            )
        },
    )


@attrs.frozen
class RangeConfig:
    """An inclusive range: ``min: 1.0``, ``max: 5.0``."""

    min: Any = attrs.field(metadata={"description": "lower bound, included", "json_schema": SCALAR})
    max: Any = attrs.field(
        metadata={
            "description": "upper bound, included; must not be below `min`",
            "json_schema": SCALAR,
        }
    )


@attrs.frozen
class ValuesConfig:
    """A list of values: ``values: [HIGH, MEDIUM]``."""

    values: list[Any] = attrs.field(
        metadata={
            "description": "a non-empty list of values, in the field's type",
            "json_schema": {"items": SCALAR, "minItems": 1},
        }
    )


@attrs.frozen
class NoOptions:
    """No options at all; the loader rejects any key with "this takes no options"."""
