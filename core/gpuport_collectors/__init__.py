"""gpuport-data-collectors: collect GPU cloud offers, run them through export pipelines.

Names load on first use (as in :mod:`.plugin_api`), so ``import gpuport_collectors`` and
the command line's start-up stay cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .importing import lazy_getattr
from .version import VERSION as __version__  # noqa: F401  (the package's version)

if TYPE_CHECKING:
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

_HOMES: dict[str, str] = {
    "FIELDS": "fields",
    "AuthenticationError": "errors",
    "Availability": "models",
    "CollectionInfo": "protocols",
    "CollectorConfig": "config",
    "CollectorError": "errors",
    "ConfigError": "errors",
    "ExportConfig": "config",
    "FieldInfo": "fields",
    "GPUInstance": "models",
    "GpuportError": "errors",
    "OptionError": "errors",
    "OutputError": "errors",
    "OutputResult": "protocols",
    "Payload": "protocols",
    "PipelineResult": "pipeline",
    "PluginError": "errors",
    "PluginHost": "plugins",
    "RunContext": "protocols",
    "Secret": "secrets",
    "SnapshotError": "errors",
    "UsageError": "errors",
    "execute_pipelines": "pipeline",
    "hookimpl": "hookspecs",
    "load_export_config": "config",
}

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


__getattr__ = lazy_getattr(__name__, _HOMES, globals())


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
