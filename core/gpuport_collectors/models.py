"""The data model: one GPU offer as collected from a cloud. No I/O, no serialization."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs


class Availability(enum.Enum):
    """How much of an offer is in stock, ordered ``NOT_AVAILABLE < LOW < MEDIUM < HIGH``."""

    NOT_AVAILABLE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, text: str | Availability) -> Availability:
        """Parse any common spelling: "HIGH", "High", "Not Available", "not_available"."""
        if isinstance(text, Availability):
            return text
        if not isinstance(text, str):
            raise ValueError(f"expected one of {cls.names()}, got {type(text).__name__}")
        key = re.sub(r"[\s_-]+", "_", text.strip()).upper()
        try:
            return cls[key]
        except KeyError:
            raise ValueError(
                f"unknown availability {text!r}; expected one of {cls.names()}"
            ) from None

    @classmethod
    def names(cls) -> str:
        return ", ".join(member.name for member in cls)

    # Direct ``_value_`` access and an exact class check: filters call these once per row.
    def __lt__(self, other: object) -> bool:
        if other.__class__ is not Availability:
            return NotImplemented
        return bool(self._value_ < other._value_)

    def __le__(self, other: object) -> bool:
        if other.__class__ is not Availability:
            return NotImplemented
        return bool(self._value_ <= other._value_)

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not Availability:
            return NotImplemented
        return bool(self._value_ > other._value_)

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not Availability:
            return NotImplemented
        return bool(self._value_ >= other._value_)

    def __str__(self) -> str:
        return self.name


@attrs.frozen(slots=True)
class GPUInstance:
    """One offer: a GPU model, a count and a region at a price.

    ``None`` means unknown or not offered (no spot market is ``spot_price=None``; a
    catalogue that reports no stock is ``availability=None``), never 0.
    ``price`` and ``spot_price`` are US dollars per hour for the whole instance.
    ``accelerator_name`` is the provider's own GPU name; ``accelerator_model`` is the one
    spelling shared by every provider (gpuhunt's: ``H100``, ``A100``, ``RTX4090``...).
    """

    provider: str
    instance_type: str
    accelerator_name: str
    region: str
    accelerator_count: int
    collected_at: int
    availability: Availability | None = None
    accelerator_model: str | None = None
    accelerator_mem_gib: float | None = None
    quantity: int | None = None
    price: float | None = None
    spot_price: float | None = None
    v_cpus: float | None = None
    memory_gib: float | None = None
    raw_data: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)


#: Field names in the order they are written to snapshots and default JSON output.
INSTANCE_FIELDS: tuple[str, ...] = (
    "provider",
    "instance_type",
    "accelerator_name",
    "accelerator_model",
    "region",
    "accelerator_count",
    "accelerator_mem_gib",
    "quantity",
    "price",
    "spot_price",
    "v_cpus",
    "memory_gib",
    "availability",
    "collected_at",
)
