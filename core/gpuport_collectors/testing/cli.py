"""Run the ``gpuport-collectors`` command line in-process against a chosen plugin host."""

from __future__ import annotations

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


def invoke_cli(host: PluginHost, capsys: pytest.CaptureFixture[str], *args: object) -> CliRun:
    """Run ``gpuport-collectors ARGS...`` the way the console script does (``main``).

    Plugin commands of ``host`` are available; output is read from ``capsys``.
    """
    from ..cli import main

    capsys.readouterr()  # start from a clean slate
    try:
        main([str(arg) for arg in args], host=host)
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
