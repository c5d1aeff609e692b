"""Run the ``gpuport-collectors`` command line in-process against a chosen plugin host."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import attrs

from ..plugins import PluginHost

if TYPE_CHECKING:
    import pytest


@attrs.frozen
class CliRun:
    """What one command did: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str


@contextmanager
def using_host(host: PluginHost) -> Iterator[None]:
    """Make the CLI use ``host`` instead of the process-wide one, and undo what its plugins
    added to the command group afterwards."""
    from .. import cli

    # The CLI reaches its plugins only through ``default_host()``; swap that one name.
    saved_default = getattr(cli, "default_host")  # noqa: B009
    saved_commands = dict(cli.cli.commands)
    setattr(cli, "default_host", lambda: host)  # noqa: B010
    try:
        yield
    finally:
        setattr(cli, "default_host", saved_default)  # noqa: B010
        cli.cli.commands.clear()
        cli.cli.commands.update(saved_commands)


#: Loggers ``--verbose`` retunes (the root logger and the noisy libraries).
_TUNED_LOGGERS = ("", "httpx", "httpcore", "botocore", "boto3", "urllib3", "s3transfer")


@contextmanager
def _logging_restored() -> Iterator[None]:
    """Undo what the CLI's logging set-up changes, so later tests see the usual logging."""
    loggers = [logging.getLogger(name) for name in _TUNED_LOGGERS]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    try:
        yield
    finally:
        for logger, level, handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers


def invoke_cli(host: PluginHost, capsys: pytest.CaptureFixture[str], *args: object) -> CliRun:
    """Run ``gpuport-collectors ARGS...`` the way the console script does (``main``).

    Plugin commands of ``host`` are available; output is read from ``capsys``.
    """
    from ..cli import main

    capsys.readouterr()  # start from a clean slate
    with using_host(host), _logging_restored():
        try:
            main([str(arg) for arg in args])
        except SystemExit as exit_:
            code = exit_.code
        else:  # pragma: no cover - main always exits
            code = 0
    out, err = capsys.readouterr()
    return CliRun(
        exit_code=code if isinstance(code, int) else (0 if code is None else 1),
        stdout=out,
        stderr=err,
    )
