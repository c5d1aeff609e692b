"""Comparison operators: eq, ne, lt, lte, gt, gte and between (inclusive).

Text compares lexically, availability by level (``NOT_AVAILABLE < LOW < MEDIUM < HIGH``),
``collected_at`` as Unix seconds (the config may write an ISO 8601 datetime).
"""

from __future__ import annotations

from typing import Any, ClassVar

from gpuport_collectors.plugin_api import FieldInfo, OptionError

from .coercion import coerce_value
from .config import RangeConfig, ValueConfig


class _Comparison:
    """Holds one configured value, already coerced to the field's type."""

    Config = ValueConfig
    name: ClassVar[str] = ""

    def __init__(self, field: FieldInfo, config: ValueConfig) -> None:
        self.field = field
        self.value: Any = coerce_value(field, config.value, key="value", operator=self.name)


class Eq(_Comparison):
    """``eq``: the field equals the value. Null never equals anything."""

    name = "eq"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` equals the configured value."""
        return value is not None and bool(value == self.value)


class Ne(_Comparison):
    """``ne``: the field differs from the value. A null field differs, so it matches."""

    name = "ne"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is null or differs from the configured value."""
        return value is None or bool(value != self.value)


class Lt(_Comparison):
    """``lt``: the field is less than the value; null does not match."""

    name = "lt"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and below the configured value."""
        return value is not None and bool(value < self.value)


class Lte(_Comparison):
    """``lte``: the field is at most the value; null does not match."""

    name = "lte"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and at most the configured value."""
        return value is not None and bool(value <= self.value)


class Gt(_Comparison):
    """``gt``: the field is greater than the value; null does not match."""

    name = "gt"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and above the configured value."""
        return value is not None and bool(value > self.value)


class Gte(_Comparison):
    """``gte``: the field is at least the value; null does not match."""

    name = "gte"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and at least the configured value."""
        return value is not None and bool(value >= self.value)


class Between:
    """``between``: ``min <= field <= max``, both ends inclusive; null does not match."""

    Config = RangeConfig

    def __init__(self, field: FieldInfo, config: RangeConfig) -> None:
        self.field = field
        self.low: Any = coerce_value(field, config.min, key="min", operator="between")
        self.high: Any = coerce_value(field, config.max, key="max", operator="between")
        if self.low > self.high:
            raise OptionError(
                "min",
                f"min ({config.min!r}) is greater than max ({config.max!r}) "
                f"for field {field.name!r}; swap them",
            )

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and inside the inclusive range."""
        return value is not None and bool(self.low <= value <= self.high)
