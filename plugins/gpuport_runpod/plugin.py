"""Registers the ``runpod`` collector. Importing this module must stay cheap (no httpx)."""

from typing import Any

from gpuport_collectors import hookimpl

from .collector import RunPodCollector


@hookimpl
def gpuport_register_collectors(register: Any) -> None:
    """Register :class:`~gpuport_runpod.collector.RunPodCollector` as ``runpod``."""
    register("runpod", RunPodCollector)
