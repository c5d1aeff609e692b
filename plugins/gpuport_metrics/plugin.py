"""Hookimpls only: registers the ``metrics`` transformer (``transformer: {format: metrics}``)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    register("metrics", "gpuport_metrics.transformer:MetricsTransformer")
