"""Options of the ``metrics`` transformer, validated at config load.

Each metric checks its own ``field`` and ``group_by`` (unknown names get a did-you-mean;
``avg``/``sum`` need a numeric field, ``min``/``max`` a numeric field or ``collected_at``).
Metric names must be unique, since they become keys of one JSON object.
"""

from __future__ import annotations

from typing import Literal

import attrs

from gpuport_collectors.plugin_api import FieldInfo, OptionError, field_info

MetricType = Literal["count", "avg", "min", "max", "sum", "unique"]

_NUMERIC = frozenset({"integer", "number"})

#: Field kinds each type accepts; a type not listed accepts every kind.
FIELD_KINDS: dict[str, frozenset[str]] = {
    "avg": _NUMERIC,
    "sum": _NUMERIC,
    "min": _NUMERIC | {"timestamp"},
    "max": _NUMERIC | {"timestamp"},
}


def _lookup(name: str, key: str) -> FieldInfo:
    try:
        return field_info(name)
    except ValueError as error:
        raise OptionError(key, str(error)) from None


@attrs.frozen
class MetricSpec:
    """One metric: ``{name, type, field?, group_by?}``.

    ``count`` without ``field`` counts instances; with ``field`` it counts instances whose
    field is not null (SQL's ``COUNT(field)``). Every other type needs ``field``.
    """

    name: str = attrs.field(metadata={"description": "the metric's key in the document"})
    type: MetricType = attrs.field(
        metadata={"description": "`count`, `avg`, `min`, `max`, `sum` or `unique`"}
    )
    field: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the field to aggregate; required except for `count` (which then counts "
                "instances; with a field, non-null values)"
            )
        },
    )
    group_by: str | None = attrs.field(
        default=None,
        metadata={
            "description": ("a field to group by: the metric becomes a mapping of group to value")
        },
    )

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise OptionError("name", "metric name must not be empty")
        if self.field is None:
            if self.type != "count":
                raise OptionError(
                    None, f"metric {self.name!r}: {self.type} needs a 'field' (e.g. field: price)"
                )
        else:
            info = _lookup(self.field, "field")
            allowed = FIELD_KINDS.get(self.type)
            if allowed is not None and info.kind not in allowed:
                raise OptionError(
                    "field",
                    f"{self.type} needs a numeric field{self._also()}; field {info.name!r} is "
                    f"{info.kind.word} (use count or unique instead)",
                )
        if self.group_by is not None:
            _lookup(self.group_by, "group_by")

    def _also(self) -> str:
        return " or collected_at" if "timestamp" in FIELD_KINDS.get(self.type, ()) else ""


@attrs.frozen
class MetricsConfig:
    """``metrics`` (required, non-empty), ``include_timestamp``, ``include_collection_info``
    and ``pretty_print`` (all default false)."""

    metrics: list[MetricSpec] = attrs.field(
        metadata={"description": "a non-empty list of metrics (below); names must be unique"}
    )
    include_timestamp: bool = attrs.field(
        default=False, metadata={"description": "add the run's time"}
    )
    include_collection_info: bool = attrs.field(
        default=False,
        metadata={
            "description": (
                "add where the instances came from (collectors, providers, count, "
                "collected_at: when the offers, or the snapshot, were collected; duration)"
            )
        },
    )
    pretty_print: bool = attrs.field(
        default=False, metadata={"description": "indent by two spaces"}
    )

    def __attrs_post_init__(self) -> None:
        if not self.metrics:
            raise OptionError(
                "metrics", "'metrics' is empty; add at least one, e.g. {name: total, type: count}"
            )
        first: dict[str, int] = {}
        for index, spec in enumerate(self.metrics, start=1):
            if spec.name in first:
                raise OptionError(
                    "metrics",
                    f"metric name {spec.name!r} is used by metrics {first[spec.name]} and "
                    f"{index}; names must be unique",
                )
            first[spec.name] = index
