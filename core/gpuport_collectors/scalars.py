"""The one scalar parser: text, numbers and whole numbers from config values or records.

The config converter (every plugin option) and field coercion (filter values) both call
these, so a value is accepted, rejected and worded the same way wherever it is written.
Numbers are finite: NaN and infinity (YAML ``.nan``, ``.inf``) are refused everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def describe(value: Any) -> str:
    """How a value is named in a message without quoting text (which may be a secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def to_text(value: Any) -> str:
    """Text as written; a number written bare (``region: 1``) becomes its text."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, got {describe(value)}")
    return value if isinstance(value, str) else str(value)


def to_number(value: Any, shown: str | None = None) -> float:
    """A finite float from a number or numeric text; ``shown`` names the value in errors."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number, got {describe(value)}")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        raise ValueError(f"expected a number, got {shown or repr(value)}") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {shown or repr(value)}")
    return number


def to_integer(value: Any, shown: str | None = None) -> int:
    """A whole number (``2.0`` is 2, ``2.5`` is an error)."""
    number = to_number(value, shown)
    if not number.is_integer():
        raise ValueError(f"expected a whole number, got {shown or repr(value)}")
    return int(number)
