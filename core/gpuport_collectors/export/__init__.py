"""The documented programmatic API: load a config, collect, check, run its pipelines.

:func:`run_export` does what ``gpuport-collectors export`` does, checks included.
:func:`execute_pipelines` runs pipelines over any instances, unconditionally: call
:func:`check_collection` first if they may be empty or untrustworthy.
"""

from ..checks import ChecksConfig
from ..collection import Collection, CollectorRun, gather
from ..config import ExportConfig, load_export_config
from ..diff import SnapshotDiff, diff_instances
from ..gate import CheckOutcome, Dropped, check_collection
from ..matching import match_offers, offer_key
from ..pipeline import PipelineResult, execute_pipelines
from ..run import ExportRun, Publication, publish, run_export

__all__ = [
    "CheckOutcome",
    "ChecksConfig",
    "Collection",
    "CollectorRun",
    "Dropped",
    "ExportConfig",
    "ExportRun",
    "PipelineResult",
    "Publication",
    "SnapshotDiff",
    "check_collection",
    "diff_instances",
    "execute_pipelines",
    "gather",
    "load_export_config",
    "match_offers",
    "offer_key",
    "publish",
    "run_export",
]
