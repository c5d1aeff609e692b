"""Read instances from a snapshot file written by ``gpuport-collectors collect``."""

from __future__ import annotations

from gpuport_collectors.plugin_api import GPUInstance, ProgressCallback, read_snapshot

from .config import SnapshotConfig


class SnapshotCollector:
    """Loads every good record; bad records are listed in ``problems`` and skipped."""

    Config = SnapshotConfig

    def __init__(self, config: SnapshotConfig) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        snapshot = read_snapshot(self.config.path)
        self.problems = [problem.located(self.config.path) for problem in snapshot.problems]
        if progress is not None:
            progress(1, 1)
        return snapshot.instances
