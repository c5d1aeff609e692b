"""Hookimpls only: registers the ``openmetrics`` transformer."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    register("openmetrics", "gpuport_openmetrics.transformer:OpenMetricsTransformer")
