"""Hookimpls only: registers the ``metrics`` transformer (``transformer: {format: metrics}``)."""

from typing import Any

from gpuport_collectors import hookimpl

from .transformer import MetricsTransformer


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("metrics", MetricsTransformer)
