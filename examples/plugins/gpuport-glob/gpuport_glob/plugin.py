"""Hook implementations only; gpuport imports this module through the entry point."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_operators(register: Register) -> None:
    register("glob", "gpuport_glob.matcher:GlobOperator")  # imported when a config uses it
