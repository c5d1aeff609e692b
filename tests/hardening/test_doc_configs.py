"""Every whole config in our docs (and the user's export spec, when it is beside the repo)
loads, dry-runs over a generated snapshot and, when its outputs are all local, runs.

A config is a YAML block with a ``pipelines`` key. Variables it references are set to
dummy values, except ``RUNPOD_API_KEY``: ``--snapshot`` replaces the collectors, so a run
must not need their credentials. The spec is read where it is (never copied in); without
it that part is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances
from tests.ecosystem.markdown import DOCS, ROOT, Document

from .corpus import Case
from .test_corpus import run_case

SPEC = ROOT.parent / "shared" / "spec" / "gpu-data-exports.md"
SOURCES = [ROOT / "README.md", *sorted(DOCS.glob("*.md")), SPEC]
UNSET = {"RUNPOD_API_KEY"}
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENV_OPTION = re.compile(r"\b\w+_env:\s*([A-Z_][A-Z0-9_]*)")


def configs() -> list[Any]:
    found = []
    for source in SOURCES:
        if not source.exists():
            found.append(pytest.param(source, 0, "", marks=pytest.mark.skip(f"no {source}")))
            continue
        for block in Document.read(str(source)).blocks():
            if block.language not in ("yaml", "yml") or "..." in block.text:
                continue
            try:
                value = YAML(typ="safe", pure=True).load(block.text)
            except Exception:
                continue
            if isinstance(value, dict) and "pipelines" in value and runnable(value):
                found.append(
                    pytest.param(source, block.line, block.text, id=f"{source.name}:{block.line}")
                )
    return found


#: Plugins the docs teach how to write: their examples need that plugin installed.
TUTORIAL_PLUGINS = {"glob", "price_history"}


def runnable(value: dict[str, Any]) -> bool:
    """A whole config, not a skeleton (``transformer: {}``) or a tutorial plugin's example."""
    for pipeline in value["pipelines"] or []:
        if not pipeline.get("transformer") or not pipeline.get("outputs"):
            return False
        used = {f.get("operator") for f in pipeline.get("filters") or []}
        used |= {o.get("type") for o in pipeline["outputs"]}
        if used & TUTORIAL_PLUGINS:
            return False
    return True


def local_only(text: str) -> bool:
    value = YAML(typ="safe", pure=True).load(text)
    return all(
        output.get("type") == "local"
        for pipeline in value["pipelines"]
        for output in pipeline.get("outputs", [])
    )


@pytest.mark.parametrize(("source", "line", "text"), configs())
def test_documented_config_runs(source: Path, line: int, text: str, tmp_path: Path) -> None:
    config = tmp_path / "export.yaml"
    config.write_text(text, encoding="utf-8")
    snapshot = tmp_path / "snapshot.json"
    write_snapshot(generate_instances(400, seed=5), snapshot)
    names = set(_REFERENCE.findall(text)) | set(_ENV_OPTION.findall(text))
    env = {name: f"dummy-{name.lower()}-value" for name in names - UNSET}
    base = ["export", "-c", str(config), "--snapshot", str(snapshot)]
    for argv in (["validate", "-c", str(config)], [*base, "--dry-run"]):
        if argv[0] == "validate" and UNSET & set(_REFERENCE.findall(text)):
            continue  # validate checks the collectors, which do need their key
        done = run_case(Case(argv, 0, env=env), tmp_path)
        assert done.returncode == 0, f"{source.name}:{line}: {argv[0]}: {done.stderr}"
        # over a catalogue of every GPU and region, a documented filter keeps something
        # (the spec's regex "^eu-.*" once matched none of RunPod's upper-case ids)
        assert "left none of" not in done.stderr, f"{source.name}:{line}: {done.stderr}"
    if local_only(text):
        done = run_case(Case(base, 0, env=env), tmp_path)
        assert done.returncode == 0, f"{source.name}:{line}: export: {done.stderr}"
        assert "Traceback" not in done.stderr
