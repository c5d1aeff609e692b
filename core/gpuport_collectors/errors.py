"""Every error gpuport raises on purpose derives from :class:`GpuportError`.

::

    GpuportError
     ├── ConfigError          bad YAML or option values; carries every located problem (exit 2)
     ├── UsageError           bad command-line use, e.g. a missing API key (exit 2)
     ├── PluginError          a plugin failed to load or two plugins claim one name
     ├── CollectorError       a collector could not produce instances
     │    └── AuthenticationError   the API rejected the credentials; never retried
     ├── SnapshotError        a snapshot file cannot be read at all
     │    ├── SnapshotWriteError    or cannot be written (full disk...): exit 1, not 2
     │    └── SnapshotNotFoundError   there is no such file (a first run's baseline)
     └── OutputError          a sink could not deliver a payload

The CLI catches only ``GpuportError``; anything else is a bug and shows a traceback.
Third-party exceptions (httpx, botocore, OSError) are translated where they occur and
chained with ``from`` so ``--debug`` still shows the cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .protocols import OutputResult


class GpuportError(Exception):
    """Base class of every error gpuport raises on purpose."""

    exit_code = 1


class Problem(NamedTuple):
    """One located problem in a file: ``FILE:LINE:COL: message`` (line and column 1-based).

    A named tuple rather than an attrs class: the CLI imports this module at start-up.
    """

    source: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}:{self.column or 1}: {self.message}"


class ConfigError(GpuportError):
    """The configuration is invalid. ``problems`` lists every problem found, in file order."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.source, p.line or 0, p.column or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(GpuportError):
    """The command line asks for something impossible (missing key, unknown pipeline...)."""

    exit_code = 2


class OptionError(ValueError):
    """Raised by a plugin's config validation to blame one option key.

    The config loader turns it into a located :class:`Problem` pointing at ``key``
    (or at the mapping when ``key`` is None). Never put a secret in ``message``.
    """

    def __init__(self, key: str | None, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(message)


def check_options(*checks: Callable[[], None]) -> None:
    """Run every check of a ``Config``; raise all their :class:`OptionError` at once.

    One failing check raises its ``OptionError``; several raise an ``ExceptionGroup`` of
    them, which the config loader reports one located line each, so a user fixes every
    option in one go instead of one per run.
    """
    errors: list[OptionError] = []
    for check in checks:
        try:
            check()
        except OptionError as error:
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ExceptionGroup("invalid options", errors)


class PluginError(GpuportError):
    """A plugin failed to load, registered something invalid, or collides with another."""

    exit_code = 2


class CollectorError(GpuportError):
    """A collector could not produce instances."""


class AuthenticationError(CollectorError):
    """The API rejected the credentials. Raised at once, never retried."""

    exit_code = 2


class SnapshotError(GpuportError):
    """A snapshot file is missing, unreadable or not a list of records."""

    exit_code = 2


class SnapshotNotFoundError(SnapshotError):
    """The snapshot does not exist (as opposed to existing but being unusable)."""


class SnapshotWriteError(SnapshotError):
    """A snapshot could not be written (full disk, permissions): the run failed, exit 1."""

    exit_code = 1


class OutputError(GpuportError):
    """A sink could not deliver. The message names the destination and never a secret.

    ``result``, when given, is what the sink did before it failed (bytes, batches sent,
    retried and failed): the run report keeps those figures.
    """

    def __init__(self, message: str, *, result: OutputResult | None = None) -> None:
        super().__init__(message)
        self.result = result
