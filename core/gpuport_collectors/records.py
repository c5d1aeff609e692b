"""Plain-record form of instances: what snapshots and JSON hold.

``availability`` is written as its name (``HIGH``), or null when unknown; ``raw_data`` only
when asked.
Reading is lenient about what older exporters wrote (``accelerator_count: 1.0``,
``"Not Available"``, extra keys such as ``arch`` or ``gpu_info``, which go to raw_data).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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
    missing = [name for name in REQUIRED if record.get(name) is None]
    if missing:
        raise RecordError(missing[0], "missing (required: " + ", ".join(REQUIRED) + ")")
    values: dict[str, Any] = {}
    for name in INSTANCE_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, float) and math.isnan(value):
            continue
        try:
            values[name] = _coerce(name, value)
        except ValueError as error:
            raise RecordError(name, str(error)) from None
    raw = record.get("raw_data")
    raw_data: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
    for key, value in record.items():
        if key not in FIELDS and key != "raw_data":
            raw_data.setdefault(key, value)
    return GPUInstance(**values, raw_data=raw_data)


def _coerce(name: str, value: Any) -> Any:
    if name == "availability":
        return Availability.parse(value)
    return FIELDS[name].coerce(value)
