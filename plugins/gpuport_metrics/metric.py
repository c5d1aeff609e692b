"""One configured metric, compiled: which values to pick, how to group and aggregate them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from gpuport_collectors.plugin_api import Availability, GPUInstance

from .aggregates import AGGREGATES
from .config import MetricSpec


def group_key(value: Any) -> str:
    """How a group value is written as a JSON key: null as "null", availability by name."""
    if value is None:
        return "null"
    if isinstance(value, Availability):
        return value.name
    return str(value)


def _group_order(value: Any) -> tuple[bool, Any]:
    # Natural order of the field (1 < 2 < 10, LOW < HIGH), null last.
    return (value is None, value)


class Metric:
    """Computes one metric's value (or ``{group: value}``) over a list of instances."""

    def __init__(self, spec: MetricSpec) -> None:
        self.name = spec.name
        self._aggregate = AGGREGATES[spec.type]
        self._pick: Callable[[GPUInstance], Any] | None = (
            attrgetter(spec.field) if spec.field is not None else None
        )
        self._group: Callable[[GPUInstance], Any] | None = (
            attrgetter(spec.group_by) if spec.group_by is not None else None
        )

    def compute(self, instances: Sequence[GPUInstance]) -> Any:
        """The metric's value, or a mapping of group key to value when grouped."""
        if self._group is None:
            return self._aggregate(self._values(instances))
        groups: dict[Any, list[GPUInstance]] = {}
        for instance in instances:
            groups.setdefault(self._group(instance), []).append(instance)
        return {
            group_key(key): self._aggregate(self._values(groups[key]))
            for key in sorted(groups, key=_group_order)
        }

    def _values(self, instances: Sequence[GPUInstance]) -> Sequence[Any]:
        if self._pick is None:
            return instances
        pick = self._pick
        return [value for value in map(pick, instances) if value is not None]
