"""The parts of the metrics document that describe the run rather than the instances."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gpuport_collectors.plugin_api import CollectionInfo


def iso_utc(moment: dt.datetime) -> str:
    """``2026-11-23T14:00:00Z``: UTC, whole seconds. A naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collection_info(info: CollectionInfo | None) -> dict[str, Any] | None:
    """Where the instances came from, or None when the run has no collection step."""
    if info is None:
        return None
    return {
        "collectors": list(info.collectors),
        "providers": list(info.providers),
        "instance_count": info.instance_count,
        "collected_at": iso_utc(info.collected_at),
        "duration_seconds": info.duration_seconds,
    }
