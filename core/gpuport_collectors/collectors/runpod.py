"""Seed-API import path for the ``runpod`` collector's ``RunPodCollector`` class.

``from gpuport_collectors.collectors.runpod import RunPodCollector`` asks the plugin host
for the collector registered as ``runpod``; with that plugin disabled or broken the import
fails and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import registered_class

if TYPE_CHECKING:
    RunPodCollector: Any

__all__ = ["RunPodCollector"]


def __getattr__(name: str) -> Any:
    if name != "RunPodCollector":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return registered_class(__name__, name, "runpod")
