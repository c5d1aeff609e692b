"""Atomic file writes: temp file beside the target, fsync, rename.

A reader sees the old file or the whole new one, never a partial one; a failed or
interrupted write (Ctrl-C, SIGTERM, SIGHUP) leaves nothing behind. Used by the local sink,
snapshots and dead-letter files.

Temp files are named ``.NAME.gpuport-PID-RANDOM.tmp``. Only ``kill -9`` or a power cut
can leave one behind, so before its first write into a directory a process removes the
temp files of that pattern whose process is no longer running.
"""

from __future__ import annotations

import contextlib
import os
import re
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
    import tempfile  # imported by writers, not by every command that loads a config

    target = Path(path)
    remove_stale_temps(target.parent)
    fd, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.gpuport-{os.getpid()}-", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o666 & ~_current_umask())  # mkstemp makes 0600; files should look normal
        with os.fdopen(fd, "wb") as handle:
            if compress:
                import gzip

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


_TEMP = re.compile(r"\..+\.gpuport-(\d+)-[A-Za-z0-9_]+\.tmp")
_swept: set[Path] = set()


def remove_stale_temps(directory: Path) -> list[Path]:
    """Remove our temp files in ``directory`` left by processes that are gone (once per
    directory per process); return what was removed. A live writer's file is kept."""
    try:
        key = directory.resolve()
    except OSError:
        return []
    if key in _swept:
        return []
    _swept.add(key)
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:  # not there yet, or unreadable: the write itself will say
        return []
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists, owned by someone else
        return True
    return True


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
