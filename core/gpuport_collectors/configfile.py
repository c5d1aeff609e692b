"""Read a config file's text safely: regular files only, a size cap, UTF-8 with a location.

A config is read before anything else runs, so what it reads must never hang or exhaust
memory: a FIFO, ``/dev/zero`` or a directory is refused (the file is opened non-blocking
and checked with ``fstat``, so swapping one in after a check cannot hang the read), and
at most :data:`MAX_CONFIG_BYTES` are read. ``-`` reads standard input (``-c -``).
"""

from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO

from .errors import ConfigError, Problem

#: A config is a few kilobytes; anything past this is not a config someone wrote.
MAX_CONFIG_BYTES = 4 * 1024 * 1024

#: The path that means "read the config from standard input".
STDIN = "-"
STDIN_SOURCE = "<stdin>"


def read_config_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """``(text, source)`` of a config file, or of standard input for ``-``.

    Raises :class:`ConfigError` with one problem naming the file (and, for bad UTF-8,
    the line and column of the first bad byte).
    """
    source = str(path)
    if source == STDIN:
        return _decode(_read_capped(sys.stdin.buffer, STDIN_SOURCE), STDIN_SOURCE), STDIN_SOURCE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _error(source, "config file not found") from None
    except OSError as error:
        raise _error(source, f"cannot read config: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(fd).st_mode)
        if kind:
            raise _error(
                source, f"is {kind}, not a config file; give a YAML file, or '-' for stdin"
            )
        try:
            data = _read_capped(handle, source)
        except OSError as error:
            raise _error(source, f"cannot read config: {error.strerror or error}") from None
    return _decode(data, source), source


def _kind(mode: int) -> str:
    """What a non-regular file is, in words; empty for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_capped(handle: BinaryIO, source: str) -> bytes:
    data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise _error(source, f"config is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB")
    return data


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ConfigError(
            [
                Problem(
                    source,
                    line,
                    column,
                    f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the config as UTF-8",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")  # a BOM some editors write is not content


def _error(source: str, message: str) -> ConfigError:
    return ConfigError([Problem(source, None, None, message)])
