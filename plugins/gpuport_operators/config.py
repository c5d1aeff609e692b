"""The option shapes operators take. Values are ``Any``: each operator coerces them to its field."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class ValueConfig:
    """One value: ``value: 5.0``."""

    value: Any


@attrs.frozen
class TextConfig:
    """Text to match: ``value: A100``, optionally ``ignore_case: true``."""

    value: Any
    ignore_case: bool = False


@attrs.frozen
class RangeConfig:
    """An inclusive range: ``min: 1.0``, ``max: 5.0``."""

    min: Any
    max: Any


@attrs.frozen
class ValuesConfig:
    """A list of values: ``values: [HIGH, MEDIUM]``."""

    values: list[Any]


@attrs.frozen
class NoOptions:
    """No options at all; the loader rejects any key with "this takes no options"."""
