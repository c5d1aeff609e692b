from typing import Any

from gpuport_collectors import hookimpl

from .sink import LocalSink


@hookimpl
def gpuport_register_sinks(register: Any) -> None:
    register("local", LocalSink)
