"""Atomic file writes: temp file beside the target, fsync, rename.

A reader sees the old file or the whole new one, never a partial one; a failed write
leaves nothing behind. Used by the local sink, snapshots and dead-letter files.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def atomic_write(
    path: str | os.PathLike[str],
    chunks: Iterable[bytes],
    *,
    compress: bool = False,
    overwrite: bool = True,
) -> int:
    """Write ``chunks`` to ``path`` atomically and return the bytes written to disk.

    With ``overwrite=False`` an existing file is left untouched and ``FileExistsError``
    raised (the final link is made with ``os.link``, so a racing writer cannot be clobbered).
    """
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o666 & ~_current_umask())  # mkstemp makes 0600; files should look normal
        with os.fdopen(fd, "wb") as handle:
            if compress:
                with gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as stream:
                    _copy(chunks, stream.write)
            else:
                _copy(chunks, handle.write)
            handle.flush()
            os.fsync(handle.fileno())
            size = handle.tell()
        if overwrite:
            os.replace(temp, target)
        else:
            os.link(temp, target)  # fails with FileExistsError if the target appeared
            temp.unlink()
        _fsync_directory(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return size


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _copy(chunks: Iterable[bytes], write: Callable[[bytes], object]) -> None:
    for chunk in chunks:
        write(chunk)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
