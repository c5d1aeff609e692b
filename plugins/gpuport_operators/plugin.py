"""Hookimpls only: registers the built-in filter operators under their config names."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_operators(register: Register) -> None:
    from .names import OPERATORS

    for name, cls in OPERATORS.items():
        register(name, cls)
