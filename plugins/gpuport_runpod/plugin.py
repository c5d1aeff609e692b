"""Hookimpls only: registers the ``runpod`` collector. httpx loads when it collects."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_collectors(register: Register) -> None:
    """Register :class:`~gpuport_runpod.collector.RunPodCollector` as ``runpod``."""
    register("runpod", "gpuport_runpod.collector:RunPodCollector")
