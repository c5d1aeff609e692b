"""Options of the ``price_history`` sink (``outputs: [{type: price_history, path: ...}]``)."""

from __future__ import annotations

import attrs

from gpuport_collectors.plugin_api import OptionError


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value <= 0:
        raise OptionError(attribute.name, f"{attribute.name} must be above 0, got {value}")


def _not_blank(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise OptionError(attribute.name, "path is empty; give the SQLite file to write")


@attrs.frozen
class PriceHistoryConfig:
    """Options of ``type: price_history``."""

    path: str = attrs.field(
        validator=_not_blank, metadata={"description": "the SQLite file to write"}
    )
    create_dirs: bool = attrs.field(
        default=True, metadata={"description": "create missing parent directories"}
    )
    timeout: float = attrs.field(
        default=10.0,
        validator=_positive,
        metadata={
            "description": "seconds to wait for a locked database",
            "json_schema": {"exclusiveMinimum": 0},  # what _positive checks, for editors
        },
    )
