"""Config-time coercion shared by every operator, so bad values read the same everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gpuport_collectors.plugin_api import FieldInfo, OptionError

#: The operator to suggest when a single-value operator is given a list.
_PLURAL = {"eq": "in", "ne": "not_in"}


def describe_field(field: FieldInfo) -> str:
    """``field 'price' is a number``."""
    return f"field {field.name!r} is {field.kind.word}"


def coerce_value(field: FieldInfo, raw: Any, *, key: str, operator: str, label: str = "") -> Any:
    """Coerce one configured value to ``field``'s type or raise ``OptionError(key, ...)``.

    ``label`` names the value inside its option (``values[2]``) when the option is a list.
    """
    label = label or key
    if raw is None:
        raise OptionError(
            key,
            f"{label} is null; to match a missing value use operator is_null "
            f"(or is_not_null for the opposite)",
        )
    if isinstance(raw, list):
        hint = ""
        if operator in _PLURAL:
            hint = (
                f"; to match any of several use operator {_PLURAL[operator]!r} with 'values: [...]'"
            )
        raise OptionError(key, f"{operator} takes a single {label}, got a list{hint}")
    if isinstance(raw, Mapping):
        raise OptionError(key, f"{operator} takes a single {label}, got a mapping")
    try:
        return field.coerce(raw)
    except ValueError as error:
        prefix = f"{label}: " if label != key else ""
        raise OptionError(key, f"{prefix}{error} for field {field.name!r}") from None


def require_text(field: FieldInfo, operator: str) -> None:
    """Text operators (contains, starts_with, regex) make no sense on numbers or levels."""
    if field.kind != "text":
        raise OptionError(
            "operator",
            f"{operator} works on text fields; {describe_field(field)} "
            f"(use eq, lt, gt, between... instead)",
        )
