"""Plain-record form of instances: what snapshots and JSON hold.

``availability`` is written as its name (``HIGH``), or null when unknown; ``raw_data`` only
when asked.
Reading is lenient about what older exporters wrote (``accelerator_count: 1.0``,
``"Not Available"``, extra keys such as ``arch`` or ``gpu_info``, which go to raw_data)
and strict about what no real offer holds: a record with a non-finite number anywhere,
a negative price, size or count, a GPU count that is not a whole number below
:data:`MAX_ACCELERATOR_COUNT`, or a ``collected_at`` outside 2000..2100 is malformed.

Each field has one small check with a fast path for the type JSON gives it, because a
snapshot may hold millions of records.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .fields import FIELDS
from .models import INSTANCE_FIELDS, Availability, GPUInstance

REQUIRED = (
    "provider",
    "instance_type",
    "accelerator_name",
    "region",
    "accelerator_count",
    "collected_at",
)

#: Counts (GPUs per offer, offers in stock) are whole numbers below this.
MAX_ACCELERATOR_COUNT = 10_000
#: ``collected_at`` bounds, Unix seconds: 2000-01-01 and 2100-01-01 UTC.
EARLIEST, LATEST = 946_684_800, 4_102_444_800

_INF = math.inf
_REQUIRED_MESSAGE = "missing (required: " + ", ".join(REQUIRED) + ")"
_AVAILABILITY = {member.name: member for member in Availability}


@attrs.frozen
class RecordError(ValueError):
    """A record that cannot become an instance: which field, and why."""

    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def instance_to_record(instance: GPUInstance, *, include_raw_data: bool = False) -> dict[str, Any]:
    """A JSON-ready dict in :data:`INSTANCE_FIELDS` order."""
    record: dict[str, Any] = {name: getattr(instance, name) for name in INSTANCE_FIELDS}
    if instance.availability is not None:
        record["availability"] = instance.availability.name
    if include_raw_data:
        record["raw_data"] = instance.raw_data
    return record


def record_to_instance(record: Any) -> GPUInstance:
    """Build an instance from a record; raise :class:`RecordError` naming the bad field."""
    if not isinstance(record, Mapping):
        raise RecordError(None, f"expected an object, got {type(record).__name__}")
    get = record.get
    values: dict[str, Any] = {}
    name = ""
    try:
        for name, check, required in _CHECKS:
            value = get(name)
            if value is not None:
                values[name] = check(value)
            elif required:
                raise RecordError(name, _REQUIRED_MESSAGE)
    except ValueError as error:
        if isinstance(error, RecordError):
            raise
        raise RecordError(name, str(error)) from None
    raw = get("raw_data")
    raw_data: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
    if not _KNOWN_KEYS.issuperset(record):  # keys older exporters wrote
        for key, value in record.items():
            if key not in _KNOWN_KEYS:
                raw_data.setdefault(key, value)
    if raw_data and not _finite(raw_data):
        raise RecordError("raw_data" + str(non_finite_path(raw_data)), "not a finite number")
    _as_older_exporters_meant(values, raw_data)
    return GPUInstance(**values, raw_data=raw_data)


def instance_problem(instance: Any) -> str | None:
    """Why a collector's ``instance`` must not be published, by the rules a snapshot's
    records are read by (a NaN price, a negative count, a missing region...), or None.

    A value must also already be what reading would make of it: a snapshot may spell a
    price ``"5"`` or a count ``2.0``, a collector hands over ``5.0`` and ``2``. A value of
    the field's own type inside its range passes without a call, so checking an offer
    costs a fraction of reading it from a snapshot.
    """
    if not isinstance(instance, GPUInstance):
        return f"expected a GPUInstance, got {_kind(instance)}"
    name = ""
    try:
        for name, check, required, (fast, low, high) in _LIVE_CHECKS:
            value = getattr(instance, name)
            if type(value) is fast and (low is None or low <= value < high):
                continue
            if value is None:
                if required:
                    return f"{name}: {_REQUIRED_MESSAGE}"
                continue
            read = check(value)
            if read != value or isinstance(value, bool | str) != isinstance(read, bool | str):
                return f"{name}: expected {FIELDS[name].kind}, got {value!r}"
    except ValueError as error:
        return f"{name}: {error}"
    raw_data = instance.raw_data
    if raw_data and not _finite(raw_data):
        return f"raw_data{non_finite_path(raw_data)}: not a finite number"
    return None


def _as_older_exporters_meant(values: dict[str, Any], raw_data: Mapping[str, Any]) -> None:
    """Read two things the earlier exporter wrote the way it meant them.

    ``spot_price: 0.0`` stood for "no spot market": a free GPU is not a price, so it is null.
    Where ``raw_data.pricing.availableGpuCounts`` (RunPod's rentable counts) is present,
    ``quantity`` is its maximum, whatever the record's own quantity said.
    """
    if values.get("spot_price") == 0.0:
        values["spot_price"] = None
    pricing = raw_data.get("pricing") if raw_data else None
    counts = pricing.get("availableGpuCounts") if isinstance(pricing, Mapping) else None
    if isinstance(counts, list):
        whole = [n for n in counts if type(n) is int and 0 <= n < MAX_ACCELERATOR_COUNT]
        if whole:
            values["quantity"] = max(whole)


def _finite(value: Any) -> bool:
    """No NaN or infinity anywhere inside ``value`` (the fast yes/no of non_finite_path)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return bool(value - value == 0.0)  # inf - inf and nan - nan are nan
    if kind is dict:
        return all(map(_finite, value.values()))
    if kind is list:
        return all(map(_finite, value))
    return non_finite_path(value) is None


def non_finite_path(value: Any, path: str = "") -> str | None:
    """The ``.key[index]`` path of the first NaN or infinity inside ``value``, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = non_finite_path(item, f"{path}.{key}")
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = non_finite_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


# -- one check per field ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if type(value) is str:
        return sys.intern(value)  # a handful of distinct names across millions of records
    return str(FIELDS["provider"].coerce(value))


def _number(value: Any) -> float:
    """A finite float from a JSON number or numeric text; never bool."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number, got {_kind(value)}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"expected a number, got {value!r}") from None
    except OverflowError:
        number = _INF
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _amount(value: Any) -> float:
    """A price or size: finite and not negative."""
    if type(value) is float and 0.0 <= value < _INF:  # NaN fails both comparisons
        return value
    number = _number(value)
    if number < 0:
        raise ValueError(f"must not be negative, got {value!r}")
    return number


def _count(value: Any) -> int:
    """A whole number in 0..MAX_ACCELERATOR_COUNT-1 (``1.0`` from older exporters is 1)."""
    if type(value) is int and 0 <= value < MAX_ACCELERATOR_COUNT:
        return value
    number = _number(value)
    if not number.is_integer():
        raise ValueError(f"expected a whole number, got {value!r}")
    if not 0 <= number < MAX_ACCELERATOR_COUNT:
        raise ValueError(
            f"must be a whole number from 0 to {MAX_ACCELERATOR_COUNT - 1}, got {value!r}"
        )
    return int(number)


def _timestamp(value: Any) -> int:
    """Unix seconds (or ISO 8601) between 2000 and 2100."""
    if type(value) is int and EARLIEST <= value < LATEST:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = _number(value)
        if not seconds.is_integer():
            raise ValueError(f"expected whole Unix seconds, got {value!r}")
        moment = int(seconds)
    else:
        moment = FIELDS["collected_at"].coerce(value)
    if not EARLIEST <= moment < LATEST:
        raise ValueError(f"must be Unix seconds between 2000 and 2100, got {value!r}")
    return int(moment)


def _availability(value: Any) -> Availability:
    member = _AVAILABILITY.get(value) if type(value) is str else None
    return member if member is not None else Availability.parse(value)


def _kind(value: Any) -> str:
    return "a mapping" if isinstance(value, Mapping) else type(value).__name__


_BY_KIND: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "number": _amount,
    "integer": _count,
    "timestamp": _timestamp,
    "availability": _availability,
}
_CHECKS: tuple[tuple[str, Callable[[Any], Any], bool], ...] = tuple(
    (name, _BY_KIND[FIELDS[name].kind], name in REQUIRED) for name in INSTANCE_FIELDS
)
_KNOWN_KEYS = frozenset((*FIELDS, "raw_data"))
#: check -> (the type a live instance holds, the range it passes in without a call)
_FAST: dict[Callable[[Any], Any], tuple[type, Any, Any]] = {
    _text: (str, None, None),
    _amount: (float, 0.0, _INF),
    _count: (int, 0, MAX_ACCELERATOR_COUNT),
    _timestamp: (int, EARLIEST, LATEST),
    _availability: (Availability, None, None),
}
_LIVE_CHECKS = tuple((name, check, required, _FAST[check]) for name, check, required in _CHECKS)
