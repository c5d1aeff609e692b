"""Hookimpls only: registers the ``skypilot`` transformer."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_transformers(register: Register) -> None:
    register("skypilot", "gpuport_skypilot.transformer:SkyPilotTransformer")
