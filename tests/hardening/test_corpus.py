"""Run every corpus case through the installed CLI in a subprocess, under a time limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .corpus import CASES, Case

CLI = Path(sys.executable).with_name("gpuport-collectors")
#: Generous for a loaded CI machine; only a hang gets near it.
TIME_LIMIT = 60


def run_case(case: Case, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GPUPORT_")}
    env.update(case.env)
    try:
        return subprocess.run(
            [str(CLI), *case.argv],
            input=case.stdin.decode() if case.stdin is not None else None,
            stdin=None if case.stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=TIME_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.argv} did not finish in {TIME_LIMIT}s (a hang)")


def strict_json(path: Path) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{path}: non-standard JSON constant {constant}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, tmp_path: Path) -> None:
    case = CASES[name](tmp_path)
    done = run_case(case, tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == case.code, (done.stdout, done.stderr)
    if case.stderr:
        assert case.stderr in done.stderr, done.stderr
    if case.stdout == "":
        assert done.stdout == ""
    elif case.stdout is not None:
        assert case.stdout in done.stdout
    for output in tmp_path.rglob("*.json"):
        if output.parent != tmp_path:  # the case's inputs live at the top
            strict_json(output)
