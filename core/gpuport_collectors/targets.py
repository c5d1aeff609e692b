"""What a pipeline name and a rendered file name must be, checked when the config loads.

A pipeline name becomes part of file names and object keys (``{pipeline}``, the default
``{pipeline}_{timestamp}``), so it must be one safe path part: printable, no path
separator, not starting with a dot, not blank. With names and patterns checked, every
output's target for every pipeline is known to be a file name at load time, so
``validate`` fails on what the run would fail on.
"""

from __future__ import annotations

import datetime as dt

from .filenames import render_filename

#: Longest pipeline name (characters); file systems allow 255 bytes per path part.
MAX_NAME_LENGTH = 128
MAX_PART_BYTES = 255
#: A moment with every placeholder at its widest, for rendering patterns at load time.
SAMPLE_MOMENT = dt.datetime(2099, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def pipeline_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a pipeline, or None."""
    if not name.strip():
        return "pipeline name must not be blank"
    if not name.isprintable():
        return "pipeline name must be printable text (no newline, tab or control character)"
    if name != name.strip():
        return f"pipeline name {name!r} must not start or end with spaces"
    if "/" in name or "\\" in name:
        return f"pipeline name {name!r} must not contain '/' or '\\' (it is part of file names)"
    if name.startswith("."):
        return f"pipeline name {name!r} must not start with '.' (it is part of file names)"
    if len(name) > MAX_NAME_LENGTH:
        return f"pipeline name is longer than {MAX_NAME_LENGTH} characters"
    return None


def target_problem(pattern: str, pipeline: str) -> str | None:
    """Why ``pattern`` rendered for ``pipeline`` is not a usable file name, or None."""
    rendered = render_filename(pattern, SAMPLE_MOMENT, pipeline)
    for part in rendered.replace("\\", "/").split("/"):
        if part in ("", ".", ".."):
            return f"file name {rendered!r} has an empty, '.' or '..' part"
        if len(part.encode()) > MAX_PART_BYTES:
            return f"file name part {part[:40]!r}... is longer than {MAX_PART_BYTES} bytes"
    return None
