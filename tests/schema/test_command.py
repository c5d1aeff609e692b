"""``gpuport-collectors schema`` and the committed schema of the built-ins."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gpuport_collectors.schema import config_schema, dumps
from gpuport_collectors.testing import invoke_cli, make_host
from gpuport_collectors.testing.host import installed_entry_points
from tests.ecosystem.markdown import DOCS, ROOT
from tests.ecosystem.test_docs import DISTRIBUTION, builtin_host

from .test_generator import fancy_plugin

COMMITTED = DOCS / "gpuport.schema.json"


def test_schema_prints_the_schema_of_the_host(capsys: pytest.CaptureFixture[str]) -> None:
    host = make_host(fancy_plugin())
    run = invoke_cli(host, capsys, "schema")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout) == config_schema(host)
    assert "output.fancy" in json.loads(run.stdout)["$defs"]
    assert run.stderr.splitlines() == [
        "warning: plugin 'gpuport_fancy': output type 'fancy' option 'blob': its type Opaque has "
        "no JSON Schema equivalent; the schema accepts any value there"
    ]


def test_schema_output_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    host = make_host()
    target = tmp_path / "gpuport.schema.json"
    run = invoke_cli(host, capsys, "schema", "--output", target)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"wrote the schema to {target}\n"
    assert target.read_text(encoding="utf-8") == dumps(config_schema(host))


def test_schema_output_to_a_missing_folder_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "no" / "s.json"
    run = invoke_cli(make_host(), capsys, "schema", "--output", target)
    assert run.exit_code == 2
    assert run.stderr == f"error: cannot write {target}: No such file or directory\n"
    assert not (tmp_path / "no").exists()


def test_committed_schema_is_current() -> None:
    """docs/gpuport.schema.json is what ``schema`` prints for the built-in plugins."""
    others = sorted(
        ep.name
        for ep in installed_entry_points()
        if ep.dist is None or ep.dist.name != DISTRIBUTION
    )
    command = "gpuport-collectors schema --output docs/gpuport.schema.json"
    if others:
        command = f"GPUPORT_DISABLE_PLUGINS={','.join(others)} {command}"
    expected = dumps(config_schema(builtin_host()))
    actual = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    assert actual == expected, f"docs/gpuport.schema.json is stale; regenerate it: {command}"


def test_example_config_names_the_committed_schema() -> None:
    first = (ROOT / "examples" / "export.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/gpuport.schema.json"
    linked = ROOT / "examples" / first.partition("$schema=")[2]
    assert linked.resolve() == COMMITTED and os.path.exists(linked)
