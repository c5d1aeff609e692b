from typing import Any

from gpuport_collectors import hookimpl

from .collector import SnapshotCollector


@hookimpl
def gpuport_register_collectors(register: Any) -> None:
    register("snapshot", SnapshotCollector)
