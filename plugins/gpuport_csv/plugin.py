"""Hookimpls only: registers the ``csv`` transformer (``transformer: {format: csv}``)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    register("csv", "gpuport_csv.transformer:CsvTransformer")
