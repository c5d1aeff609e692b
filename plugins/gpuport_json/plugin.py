"""Hookimpls only: registers the ``json`` transformer (``transformer: {format: json}``)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    register("json", "gpuport_json.transformer:JsonTransformer")
