"""Set membership: ``in`` and ``not_in`` over a non-empty list of ``values``."""

from __future__ import annotations

from typing import Any, ClassVar

from gpuport_collectors.plugin_api import FieldInfo, OptionError

from .coercion import coerce_value
from .config import ValuesConfig


class _Membership:
    """Holds the configured values, coerced to the field's type, as a frozenset."""

    Config = ValuesConfig
    name: ClassVar[str] = ""

    def __init__(self, field: FieldInfo, config: ValuesConfig) -> None:
        self.field = field
        if not config.values:
            raise OptionError(
                "values", f"{self.name} needs at least one value, e.g. 'values: [a, b]'"
            )
        # Coerced values are hashable (str, int, float, Availability), so a set lookup
        # agrees with ``==`` and costs one hash per row.
        self.values: frozenset[Any] = frozenset(
            coerce_value(field, raw, key="values", operator=self.name, label=f"values[{index}]")
            for index, raw in enumerate(config.values)
        )


class In(_Membership):
    """``in``: the field equals one of the values; null does not match."""

    name = "in"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is one of the configured values."""
        return value in self.values


class NotIn(_Membership):
    """``not_in``: the field equals none of the values; null matches."""

    name = "not_in"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is null or none of the configured values."""
        return value not in self.values
