"""Run the command line in-process, as the tests of every folder do."""

from __future__ import annotations

import pytest

from gpuport_collectors.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``gpuport-collectors ARGS``; never a traceback."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return int(exit_info.value.code or 0), out, err
