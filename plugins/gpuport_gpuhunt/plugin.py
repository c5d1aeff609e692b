"""Registers the ``gpuhunt`` collector. Importing this module must stay cheap (no gpuhunt)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_collectors(register: Register) -> None:
    """Register :class:`~gpuport_gpuhunt.collector.GpuhuntCollector` as ``gpuhunt``."""
    register("gpuhunt", "gpuport_gpuhunt.collector:GpuhuntCollector")


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    """Register the gpuhunt catalogue format as ``gpuhunt``."""
    register("gpuhunt", "gpuport_gpuhunt.catalogue_format:GpuhuntCatalogueTransformer")
