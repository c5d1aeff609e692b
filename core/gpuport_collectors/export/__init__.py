"""The documented programmatic API: load a config, run its pipelines over instances."""

from ..config import ExportConfig, load_export_config
from ..pipeline import PipelineResult, execute_pipelines

__all__ = ["ExportConfig", "PipelineResult", "execute_pipelines", "load_export_config"]
