"""Hookimpls only: registers the ``snapshot`` collector (``collectors: [{type: snapshot}]``)."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_collectors(register: Register) -> None:
    register("snapshot", "gpuport_snapshot.collector:SnapshotCollector")
