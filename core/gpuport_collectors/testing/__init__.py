"""Helpers for testing gpuport and gpuport plugins (documented in docs/testing-plugins.md).

The pytest fixtures live in :mod:`gpuport_collectors.testing.pytest_plugin`, which pytest
loads automatically wherever gpuport-data-collectors is installed.
"""

from .capture import Captured, CapturePlugin, CaptureSink
from .cli import CliRun, invoke_cli
from .configs import config_yaml, pipeline
from .factories import DATACENTERS, GPU_CATALOG, generate_instances, make_instance
from .host import capture_of, make_host
from .runner import DEFAULT_NOW, PipelineRun, run_pipeline
from .stubs import StubCollector, StubOperator, StubPlugin, StubSink, StubTransformer

__all__ = [
    "DATACENTERS",
    "DEFAULT_NOW",
    "GPU_CATALOG",
    "CapturePlugin",
    "CaptureSink",
    "Captured",
    "CliRun",
    "PipelineRun",
    "StubCollector",
    "StubOperator",
    "StubPlugin",
    "StubSink",
    "StubTransformer",
    "capture_of",
    "config_yaml",
    "generate_instances",
    "invoke_cli",
    "make_host",
    "make_instance",
    "pipeline",
    "run_pipeline",
]
