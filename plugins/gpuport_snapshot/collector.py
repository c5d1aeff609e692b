"""Read instances from a snapshot written by ``gpuport-collectors collect``: a local file
or an ``s3://`` object."""

from __future__ import annotations

from gpuport_collectors.plugin_api import (
    GPUInstance,
    MissingCredentialError,
    ProgressCallback,
    SnapshotError,
    is_s3_url,
    read_snapshot,
)

from .config import SnapshotConfig


class SnapshotCollector:
    """Loads every good record; bad records are listed in ``problems`` and skipped."""

    Config = SnapshotConfig

    def __init__(self, config: SnapshotConfig) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        path = self.config.path
        access = None
        if is_s3_url(path):
            try:
                access = self.config.s3_access()
            except MissingCredentialError as error:
                raise SnapshotError(f"{path}: {error}") from None
        snapshot = read_snapshot(path, s3=access)
        self.problems = [problem.located(path) for problem in snapshot.problems]
        if progress is not None:
            progress(1, 1)
        return snapshot.instances
