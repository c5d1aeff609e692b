"""Project-level promises: README commands, CI script, public API."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)


def test_readme_opens_with_the_export_then_the_test_command() -> None:
    export, tests = readme_commands()[:2]
    assert "pip install ." in export and "gpuport-collectors export" in export
    assert "--snapshot examples/" in export
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines
