"""Hookimpls only: registers the ``local`` sink (``outputs: [{type: local}]``)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_sinks(register: Register) -> None:
    register("local", "gpuport_local.sink:LocalSink")
