"""gpuport-data-collectors: collect GPU cloud offers, run them through export pipelines."""

from .config import CollectorConfig, ExportConfig, load_export_config
from .errors import (
    AuthenticationError,
    CollectorError,
    ConfigError,
    GpuportError,
    OptionError,
    OutputError,
    PluginError,
    SnapshotError,
    UsageError,
)
from .fields import FIELDS, FieldInfo
from .hookspecs import hookimpl
from .models import Availability, GPUInstance
from .pipeline import PipelineResult, execute_pipelines
from .plugins import PluginHost
from .protocols import CollectionInfo, OutputResult, Payload, RunContext
from .secrets import Secret

__version__ = "0.1.0"

__all__ = [
    "FIELDS",
    "AuthenticationError",
    "Availability",
    "CollectionInfo",
    "CollectorConfig",
    "CollectorError",
    "ConfigError",
    "ExportConfig",
    "FieldInfo",
    "GPUInstance",
    "GpuportError",
    "OptionError",
    "OutputError",
    "OutputResult",
    "Payload",
    "PipelineResult",
    "PluginError",
    "PluginHost",
    "RunContext",
    "Secret",
    "SnapshotError",
    "UsageError",
    "execute_pipelines",
    "hookimpl",
    "load_export_config",
]
