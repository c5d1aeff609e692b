"""Import paths kept for the seed API (``gpuport_collectors.collectors.runpod``).

The core imports no plugin: each name here is looked up in the plugin host when first
used, so disabling the plugin that provides it makes the import fail with its reason.
"""

from __future__ import annotations

from typing import Any


def registered_class(module: str, name: str, collector: str) -> Any:
    """The class ``name`` of the collector registered as ``collector``, via the plugin host."""
    from ..plugins import default_host

    registry = default_host().collectors
    if collector not in registry:
        raise ImportError(
            f"cannot import {name} from {module}: {registry.unknown_message(collector)}",
            name=module,
        )
    cls = registry.get(collector)
    if cls.__name__ != name:
        raise ImportError(f"cannot import {name} from {module}: {collector!r} is {cls!r}")
    return cls
