"""Registers the ``gpuhunt`` collector. Importing this module must stay cheap (no gpuhunt)."""

from typing import Any

from gpuport_collectors import hookimpl


@hookimpl
def gpuport_register_collectors(register: Any) -> None:
    """Register :class:`~gpuport_gpuhunt.collector.GpuhuntCollector` as ``gpuhunt``."""
    from .collector import GpuhuntCollector

    register("gpuhunt", GpuhuntCollector)
