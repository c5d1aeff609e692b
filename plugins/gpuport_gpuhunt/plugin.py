"""Registers the ``gpuhunt`` collector. Importing this module must stay cheap (no gpuhunt)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_collectors(register: Register) -> None:
    """Register :class:`~gpuport_gpuhunt.collector.GpuhuntCollector` as ``gpuhunt``."""
    from .collector import GpuhuntCollector

    register("gpuhunt", GpuhuntCollector)


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    """Register the gpuhunt catalogue format as ``gpuhunt``."""
    from .catalogue_format import GpuhuntCatalogueTransformer

    register("gpuhunt", GpuhuntCatalogueTransformer)
