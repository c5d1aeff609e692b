"""What each filterable field holds, and how a config value is coerced to that type.

Operators coerce their configured values once, at load time, through
:meth:`FieldInfo.coerce`, so filtering compares like with like and never parses per row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import attrs

from .models import INSTANCE_FIELDS, Availability
from .words import suggest


def _to_str(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, got {_kind(value)}")
    return str(value)


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number, got true/false")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
    else:
        raise ValueError(f"expected a number, got {_kind(value)}")
    if math.isnan(number):
        raise ValueError("expected a number, got NaN")
    return number


def _to_int(value: Any) -> int:
    number = _to_float(value)
    if not number.is_integer():
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(number)


def _to_timestamp(value: Any) -> int:
    """Unix seconds, or an ISO 8601 datetime (naive means UTC)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and not _looks_numeric(value):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"expected Unix seconds or an ISO 8601 datetime, got {value!r}"
            ) from None
    else:
        return _to_int(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _to_availability(value: Any) -> Availability:
    return Availability.parse(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


@attrs.frozen
class FieldInfo:
    """A filterable ``GPUInstance`` field: its name, its kind and its coercion."""

    name: str
    kind: str  # "text", "integer", "number", "availability", "timestamp"
    coerce: Callable[[Any], Any] = attrs.field(repr=False)


_KINDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "provider": ("text", _to_str),
    "instance_type": ("text", _to_str),
    "accelerator_name": ("text", _to_str),
    "accelerator_model": ("text", _to_str),
    "region": ("text", _to_str),
    "accelerator_count": ("integer", _to_int),
    "accelerator_mem_gib": ("number", _to_float),
    "quantity": ("integer", _to_int),
    "price": ("number", _to_float),
    "spot_price": ("number", _to_float),
    "v_cpus": ("number", _to_float),
    "memory_gib": ("number", _to_float),
    "availability": ("availability", _to_availability),
    "collected_at": ("timestamp", _to_timestamp),
}
assert tuple(_KINDS) == INSTANCE_FIELDS

FIELDS: dict[str, FieldInfo] = {
    name: FieldInfo(name, kind, coerce) for name, (kind, coerce) in _KINDS.items()
}


def field_info(name: str) -> FieldInfo:
    """Look up a filterable field, raising ``ValueError`` with a did-you-mean."""
    try:
        return FIELDS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown field {name!r}{suggest(name, FIELDS)} (fields: {', '.join(FIELDS)})"
        ) from None


def check_field_names(names: object, *, key: str, allow_raw_data: bool = False) -> None:
    """Raise ``OptionError(key, ...)`` when a ``fields`` mapping names an unknown field."""
    from .errors import OptionError

    known = {*FIELDS, "raw_data"} if allow_raw_data else set(FIELDS)
    for name in names:  # type: ignore[attr-defined]
        if name not in known:
            raise OptionError(key, f"unknown field {name!r}{suggest(name, sorted(known))}")
