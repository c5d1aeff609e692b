"""Options of the ``local`` sink, as written under ``outputs: [{type: local, ...}]``."""

from __future__ import annotations

from typing import Literal

import attrs

from gpuport_collectors.plugin_api import OptionError, check_filename_pattern


@attrs.frozen
class LocalConfig:
    """Options of the ``local`` sink (see the module docstring)."""

    path: str = attrs.field(metadata={"description": "the directory to write into"})
    filename_pattern: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the file name, with placeholders; may contain subdirectories "
                '(`"{date}/gpus.json"`). Default: `{pipeline}_{timestamp}` plus the document\'s '
                "extension (`.json`, `.csv`), a new file per run"
            )
        },
    )
    create_dirs: bool = attrs.field(
        default=True, metadata={"description": "create missing directories"}
    )
    overwrite: bool = attrs.field(
        default=False,
        metadata={
            "description": (
                "replace an existing file; with `false` an existing file makes the output fail"
            )
        },
    )
    compression: Literal["none", "gzip"] = attrs.field(
        default="none",
        metadata={"description": '`"none"` or `"gzip"` (`.gz` is appended when the name lacks it)'},
    )

    def __attrs_post_init__(self) -> None:
        if not self.path.strip():
            raise OptionError("path", "must not be empty; give the directory to write into")
        if self.filename_pattern is not None:
            check_filename_pattern(self.filename_pattern, compression=self.compression)
