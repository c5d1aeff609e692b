"""The editor and CI set-up docs/configuration.md describes, run as written: check-jsonschema
with the pre-commit hook's arguments, on the example config (which names the committed
schema in its modeline) and on a broken one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.ecosystem.markdown import DOCS, ROOT, Document

EXAMPLE = ROOT / "examples" / "export.yaml"


def hook() -> dict[str, Any]:
    """The check-jsonschema hook of the documented .pre-commit-config.yaml."""
    section = Document.read("configuration.md").section("In pre-commit and CI")
    (block,) = section.code("yaml")
    config = YAML(typ="safe", pure=True).load(block.text)
    (repo,) = config["repos"]
    assert repo["repo"].endswith("/check-jsonschema")
    (found,) = repo["hooks"]
    assert found["id"] == "check-jsonschema"
    return dict(found)


def check_jsonschema(cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *hook()["args"], *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_documented_hook_accepts_the_example_config(tmp_path: Path) -> None:
    shutil.copy(DOCS / "gpuport.schema.json", tmp_path / "gpuport.schema.json")
    shutil.copy(EXAMPLE, tmp_path / "export.yaml")
    run = check_jsonschema(tmp_path, "export.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok -- validation done" in run.stdout


def test_documented_hook_names_the_option_at_fault(tmp_path: Path) -> None:
    shutil.copy(DOCS / "gpuport.schema.json", tmp_path / "gpuport.schema.json")
    broken = EXAMPLE.read_text(encoding="utf-8").replace(
        "operator: lt\n        value: 10.0", "operator: between\n        min: 1"
    )
    assert broken != EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "export.yaml").write_text(broken, encoding="utf-8")
    run = check_jsonschema(tmp_path, "export.yaml")
    assert run.returncode == 1
    assert "export.yaml::$.pipelines[0].filters[1]: 'max' is a required property" in run.stdout
