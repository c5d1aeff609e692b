"""What each filterable field holds, and how a config value is coerced to that type.

Operators coerce their configured values once, at load time, through
:meth:`FieldInfo.coerce`, so filtering compares like with like and never parses per row.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

import attrs

from .models import INSTANCE_FIELDS, Availability
from .scalars import to_integer, to_number, to_text
from .words import suggest


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
        return to_integer(value)
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


class FieldKind(enum.StrEnum):
    """What a field holds. A ``str`` (``kind == "text"`` works) that knows its own word."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    AVAILABILITY = "availability"
    TIMESTAMP = "timestamp"

    @property
    def word(self) -> str:
        """How the kind reads in a message: ``field 'price' is a number``."""
        return _WORDS[self]

    @property
    def numeric(self) -> bool:
        return self in (FieldKind.INTEGER, FieldKind.NUMBER)


_WORDS = {
    FieldKind.TEXT: "text",
    FieldKind.INTEGER: "a whole number",
    FieldKind.NUMBER: "a number",
    FieldKind.AVAILABILITY: "an availability level",
    FieldKind.TIMESTAMP: "a timestamp",
}


@attrs.frozen
class FieldInfo:
    """A filterable ``GPUInstance`` field: its name, its kind and its coercion."""

    name: str
    kind: FieldKind
    coerce: Callable[[Any], Any] = attrs.field(repr=False)


_KINDS: dict[str, tuple[FieldKind, Callable[[Any], Any]]] = {
    "provider": (FieldKind.TEXT, to_text),
    "instance_type": (FieldKind.TEXT, to_text),
    "accelerator_name": (FieldKind.TEXT, to_text),
    "accelerator_model": (FieldKind.TEXT, to_text),
    "region": (FieldKind.TEXT, to_text),
    "accelerator_count": (FieldKind.INTEGER, to_integer),
    "accelerator_mem_gib": (FieldKind.NUMBER, to_number),
    "quantity": (FieldKind.INTEGER, to_integer),
    "price": (FieldKind.NUMBER, to_number),
    "spot_price": (FieldKind.NUMBER, to_number),
    "v_cpus": (FieldKind.NUMBER, to_number),
    "memory_gib": (FieldKind.NUMBER, to_number),
    "availability": (FieldKind.AVAILABILITY, _to_availability),
    "collected_at": (FieldKind.TIMESTAMP, _to_timestamp),
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
