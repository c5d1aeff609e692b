"""The example plugins' own test suites pass, run from their folders as their authors would.

Without installing them: the test kit's ``register_plugin`` makes each plugin available on
the test host, and pytest finds the kit's fixtures through gpuport's ``pytest11`` entry point.
test_install.py covers installing them for real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .markdown import ROOT

EXAMPLES = sorted(path for path in (ROOT / "examples" / "plugins").iterdir() if path.is_dir())


def test_there_are_two_examples() -> None:
    assert [path.name for path in EXAMPLES] == ["gpuport-glob", "gpuport-price-history"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_example_test_suite_passes(example: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "GPUPORT_DISABLE_PLUGINS"},
        "PYTHONPATH": str(example),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:xdist", "tests"],
        cwd=example,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
