"""Options of the ``local`` sink, as written under ``outputs: [{type: local, ...}]``."""

from __future__ import annotations

from typing import Literal

import attrs

from gpuport_collectors.plugin_api import OptionError, check_filename_pattern


@attrs.frozen
class LocalConfig:
    """Options of the ``local`` sink (see the module docstring)."""

    path: str
    filename_pattern: str | None = None
    create_dirs: bool = True
    overwrite: bool = False
    compression: Literal["none", "gzip"] = "none"

    def __attrs_post_init__(self) -> None:
        if not self.path.strip():
            raise OptionError("path", "must not be empty; give the directory to write into")
        if self.filename_pattern is not None:
            check_filename_pattern(self.filename_pattern, compression=self.compression)
