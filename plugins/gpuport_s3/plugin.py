"""Hookimpls only: registers the ``s3`` sink (``outputs: [{type: s3}]``); boto3 loads on upload."""

from gpuport_collectors.plugin_api import Register, hookimpl


@hookimpl
def gpuport_register_sinks(register: Register) -> None:
    register("s3", "gpuport_s3.sink:S3Sink")
