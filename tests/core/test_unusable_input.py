"""An unusable snapshot is an input error: exit 2, one line naming it, no output touched."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from gpuport_collectors.cli import main
from gpuport_collectors.records import instance_to_record
from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances
from tests.run_cli import run

CONFIG = """\
pipelines:
  - name: prices
    transformer: {format: json}
    outputs:
      - {type: local, path: out, filename_pattern: prices.json, overwrite: true}
  - name: table
    transformer: {format: csv, fields: {instance_type: Type, price: Price}}
    outputs:
      - {type: local, path: out, filename_pattern: prices.csv, overwrite: true}
"""

RECORD = json.dumps(instance_to_record(generate_instances(1)[0]))

UNUSABLE: dict[str, bytes] = {
    "not-json.json": b"<html>502 Bad Gateway</html>\n",
    "truncated.json": ("[" + RECORD + ",\n" + RECORD[:40]).encode(),
    "object.json": b'{"instances": []}',
    "numbers.json": b"[1, 2, 3]\n",
    "all-bad.jsonl": b'{"provider": "runpod"}\n{"price": 1}\n',
    "cut-short.json.gz": gzip.compress(("[" + ",".join([RECORD] * 40) + "]").encode())[:-12],
    "binary.json": bytes(range(256)),
}


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[Path, bytes]:
    """A good run's files, as a cron job left them yesterday."""
    monkeypatch.chdir(tmp_path)
    Path("export.yaml").write_text(CONFIG)
    write_snapshot(generate_instances(30), "good.json")
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "-c", "export.yaml", "--snapshot", "good.json"])
    assert exit_info.value.code in (0, None)
    files = {path: path.read_bytes() for path in sorted(Path("out").iterdir())}
    assert len(files) == 2
    return files


def snapshot_of(tmp_path: Path, name: str) -> Path:
    if name == "directory":
        path = tmp_path / "a-directory"
        path.mkdir()
        return path
    path = tmp_path / name
    path.write_bytes(UNUSABLE[name])
    return path


@pytest.mark.parametrize("name", [*UNUSABLE, "directory"])
def test_export_on_an_unusable_snapshot_exits_2_and_touches_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    published: dict[Path, bytes],
    name: str,
) -> None:
    capsys.readouterr()
    stamps = {path: path.stat().st_mtime_ns for path in published}
    bad = snapshot_of(tmp_path, name)
    code, out, err = run(capsys, "export", "-c", "export.yaml", "--snapshot", bad)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}"), err
    assert {path: path.read_bytes() for path in sorted(Path("out").iterdir())} == published
    assert {path: path.stat().st_mtime_ns for path in published} == stamps
    assert "prices" not in out


def test_the_line_of_a_broken_json_array_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, published: dict[Path, bytes]
) -> None:
    bad = snapshot_of(tmp_path, "truncated.json")
    _, _, err = run(capsys, "export", "-c", "export.yaml", "--snapshot", bad)
    assert f"error: {bad}:2:" in err and "invalid JSON" in err


def test_collect_from_an_unusable_snapshot_writes_no_snapshot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = snapshot_of(tmp_path, "not-json.json")
    target = tmp_path / "copy.jsonl"
    target.write_text("yesterday\n")
    code, _, err = run(
        capsys, "collect", "--collector", "snapshot", "-o", f"path={bad}", "--output", target
    )
    assert code == 2
    assert len(err.splitlines()) == 1 and str(bad) in err
    assert target.read_text() == "yesterday\n"


def test_partly_bad_records_still_load_and_are_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, published: dict[Path, bytes]
) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(RECORD + "\n{oops\n" + RECORD + "\n")
    code, out, err = run(capsys, "export", "-c", "export.yaml", "--snapshot", mixed)
    assert code == 1
    assert f"warning: snapshot: {mixed}:2: invalid JSON" in err
    assert len(json.loads(Path("out/prices.json").read_text())) == 2
    assert "collected 2 instances" in out
