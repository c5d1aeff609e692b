"""Project-level promises: README commands, CI script, public API."""

from __future__ import annotations

import re
from pathlib import Path

import gpuport_collectors

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


def test_public_api_is_complete() -> None:
    # Order is ruff's job (RUF022); this guards that nothing public is left out of __all__.
    exported = gpuport_collectors.__all__
    assert len(exported) == len(set(exported))
    public = {
        name
        for name in vars(gpuport_collectors)
        if not name.startswith("_") and not isinstance(getattr(gpuport_collectors, name), type(re))
    }
    assert public - {"__version__"} == set(exported)
