"""``filename_pattern`` placeholders, shared by every sink that names files or keys.

All times are UTC and come from the run's single clock reading, so every file of one
run agrees. ``{pipeline}`` is the pipeline name.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import PurePosixPath

from .errors import OptionError
from .words import suggest

PLACEHOLDERS: dict[str, str] = {
    "date": "%Y-%m-%d",
    "time": "%H-%M-%S",
    "timestamp": "%Y%m%d-%H%M%S",
    "year": "%Y",
    "month": "%m",
    "day": "%d",
    "hour": "%H",
    "minute": "%M",
    "second": "%S",
}
NAMES = (*PLACEHOLDERS, "pipeline")

#: The name used when an output sets no ``filename_pattern``: unique per run and pipeline.
DEFAULT_PATTERN = "{pipeline}_{timestamp}"


def check_filename_pattern(
    pattern: str, key: str = "filename_pattern", *, compression: str | None = None
) -> None:
    """Raise ``OptionError(key, ...)`` for a pattern no run could turn into a file name.

    Unknown placeholders, a path leaving its root, a part that is empty, ``.`` or ``..``
    (``"."``, ``"sub/"``, ``"a//b"``), control characters or a NUL byte are refused. With
    ``compression`` given, a ``.gz`` name needs ``compression: gzip``: plain bytes under a
    ``.gz`` name would break every reader.
    """
    if not pattern.isprintable():
        raise OptionError(
            key, f"{key} must be printable text (no NUL byte, newline or control character)"
        )
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as error:
        raise OptionError(key, f"invalid pattern: {error} (use {{{{ and }}}} for braces)") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in NAMES:
            raise OptionError(
                key,
                f"unknown placeholder {{{name}}}{suggest(name, NAMES)} "
                f"(placeholders: {', '.join('{' + n + '}' for n in NAMES)})",
            )
        if spec or conversion:
            raise OptionError(key, f"placeholder {{{name}}} takes no format spec")
    if not pattern.strip():
        raise OptionError(key, "must not be empty")
    path = PurePosixPath(pattern.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise OptionError(key, "must stay inside the output location (no leading / and no ..)")
    parts = pattern.replace("\\", "/").split("/")
    if parts[-1] in ("", "."):
        raise OptionError(
            key, f"{key} {pattern!r} names a directory, not a file; end it with a file name"
        )
    if any(part in ("", ".") for part in parts):
        raise OptionError(key, f"{key} {pattern!r} has an empty or '.' path part")
    if compression is not None and pattern.endswith(".gz") and compression != "gzip":
        raise OptionError(
            key, f"{key} ends in .gz but compression is {compression!r}; set compression: gzip"
        )


def render_filename(pattern: str, moment: dt.datetime, pipeline: str) -> str:
    """Fill the placeholders from ``moment`` (converted to UTC) and the pipeline name."""
    utc = moment.astimezone(dt.UTC)
    values = {name: utc.strftime(fmt) for name, fmt in PLACEHOLDERS.items()}
    return pattern.format(pipeline=pipeline, **values)


def output_name(
    pattern: str | None,
    *,
    extension: str,
    moment: dt.datetime,
    pipeline: str,
    gzip: bool = False,
) -> str:
    """The file name (or object key suffix) for one run of one output.

    Without a pattern it is :data:`DEFAULT_PATTERN` plus the payload's ``extension``;
    ``gzip`` appends ``.gz`` when the name lacks it.
    """
    suffix = "." + extension.lstrip(".") if extension else ""
    name = render_filename(pattern or DEFAULT_PATTERN + suffix, moment, pipeline)
    if gzip and not name.endswith(".gz"):
        name += ".gz"
    return name
