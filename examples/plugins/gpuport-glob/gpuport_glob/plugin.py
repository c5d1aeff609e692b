"""Hook implementations only; gpuport imports this module through the entry point."""

from gpuport_collectors import hookimpl
from gpuport_collectors.hookspecs import Register

from .matcher import GlobOperator


@hookimpl
def gpuport_register_operators(register: Register) -> None:
    register("glob", GlobOperator)
