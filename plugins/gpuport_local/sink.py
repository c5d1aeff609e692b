"""``outputs: [{type: local}]``: one file per pipeline run under ``path``.

``filename_pattern`` may use the placeholders of :mod:`gpuport_collectors.filenames` and
subdirectories (``"{date}/gpus.json"``), and is checked at load: an unknown placeholder or
a path leaving ``path`` is a config error. Without it the name is
``{pipeline}_{timestamp}`` plus the payload's extension, as for S3.
``compression: gzip`` appends ``.gz`` when the name lacks it.

The file is written atomically (temp file beside it, fsync, rename): readers see the old
file or the whole new one, and a failed run leaves nothing behind. With
``overwrite: false`` (the default) an existing file is never touched and the output fails.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from gpuport_collectors.plugin_api import OutputError, atomic_write, output_name

from .config import LocalConfig

if TYPE_CHECKING:
    from gpuport_collectors.plugin_api import OutputResult, Payload, RunContext


class LocalSink:
    """Writes the whole payload to ``path / filename_pattern`` in one atomic step."""

    Config = LocalConfig

    def __init__(self, config: LocalConfig) -> None:
        self.config = config

    def target(self, payload: Payload, context: RunContext) -> Path:
        """The file this run writes; computed without touching the disk."""
        config = self.config
        name = output_name(
            config.filename_pattern,
            extension=payload.extension,
            moment=context.started_at,
            pipeline=context.pipeline,
            gzip=config.compression == "gzip",
        )
        parts = PurePosixPath(name.replace("\\", "/"))
        if parts.is_absolute() or ".." in parts.parts:  # a pipeline name can hold "../"
            raise OutputError(f"file name {name!r} leaves {config.path}; rename the pipeline")
        return Path(config.path).expanduser() / name

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """The file a run would write; nothing is created or checked on disk."""
        from gpuport_collectors.plugin_api import OutputResult  # run-time only

        return OutputResult(output_type="local", destination=str(self.target(payload, context)))

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Write the payload; raise ``OutputError`` naming the path when that fails."""
        from gpuport_collectors.plugin_api import OutputResult  # run-time only

        target = self.target(payload, context)
        self._prepare_directory(target.parent)
        overwrite = self.config.overwrite
        if not overwrite and target.exists():
            raise OutputError(_exists(target))
        try:
            size = atomic_write(
                target,
                payload.iter_bytes(),
                compress=self.config.compression == "gzip",
                overwrite=overwrite,
            )
        except FileExistsError as error:  # created by someone else while we wrote
            raise OutputError(_exists(target)) from error
        except OSError as error:
            raise OutputError(f"cannot write {target}: {_reason(error)}") from error
        return OutputResult(output_type="local", destination=str(target), bytes_written=size)

    def _prepare_directory(self, directory: Path) -> None:
        if directory.is_dir():
            return
        if not self.config.create_dirs:
            raise OutputError(
                f"directory {directory} does not exist; create it or set create_dirs: true"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"cannot create directory {directory}: {_reason(error)}") from error


def _exists(target: Path) -> str:
    return f"{target} exists; set overwrite: true or add {{timestamp}} to filename_pattern"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
