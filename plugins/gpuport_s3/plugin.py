from typing import Any

from gpuport_collectors import hookimpl

from .sink import S3Sink


@hookimpl
def gpuport_register_sinks(register: Any) -> None:
    register("s3", S3Sink)
