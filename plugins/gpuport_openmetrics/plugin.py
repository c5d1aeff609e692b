"""Hookimpls only: registers the ``openmetrics`` transformer."""

from typing import Any

from gpuport_collectors import hookimpl

from .transformer import OpenMetricsTransformer


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("openmetrics", OpenMetricsTransformer)
