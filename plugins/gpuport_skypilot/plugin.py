"""Hookimpls only: registers the ``skypilot`` transformer."""

from typing import Any

from gpuport_collectors import hookimpl

from .transformer import SkyPilotTransformer


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("skypilot", SkyPilotTransformer)
