"""The CLI collecting live from the simulator: `collect` and `export` without --snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpuport_collectors.snapshots import read_snapshot
from tests.run_cli import run

from .conftest import CANARY
from .oracle import expected_from_catalogue, records_by_key
from .simulator import RunPodSimulator


@pytest.fixture
def live(small_simulator: RunPodSimulator, monkeypatch: pytest.MonkeyPatch) -> RunPodSimulator:
    monkeypatch.setenv("RUNPOD_API_URL", small_simulator.url)
    return small_simulator


def test_collect_saves_a_live_collection(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "snap.json.gz"
    code, out, err = run(capsys, "collect", "--api-key", CANARY, "--output", str(target), "-v")
    assert code == 0, err
    instances = read_snapshot(target).instances
    collected_at = instances[0].collected_at
    assert records_by_key(instances) == expected_from_catalogue(live.catalogue, collected_at)
    assert f"wrote {len(instances)} instances" in out
    assert "pricing query for GPU type" in err and "answered in" in err  # --verbose timings
    assert CANARY not in out + err
    assert CANARY not in target.read_bytes().decode("latin-1")


def test_export_without_snapshot_collects_live(
    live: RunPodSimulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", CANARY)
    config = tmp_path / "c.yaml"
    config.write_text(
        "pipelines:\n  - name: p\n    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: '{tmp_path}', filename_pattern: o.json}}]\n"
    )
    code, out, err = run(capsys, "export", "-c", str(config), "--verbose")
    assert code == 0, err
    records = json.loads((tmp_path / "o.json").read_text())
    expected = expected_from_catalogue(live.catalogue, records[0]["collected_at"])
    assert len(records) == len(expected)
    assert "collected" in out and "from runpod" in out
    assert CANARY not in out + err


def test_partial_collection_exits_1_and_names_the_gpu_type(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = live.catalogue.gpu_types[0]
    live.fail(broken.id, "status", status=500)
    target = tmp_path / "snap.jsonl"
    code, _, err = run(
        capsys, "collect", "--api-key", CANARY, "-o", "max_retries=0", "--output", str(target)
    )
    assert code == 1
    assert broken.id in err
    assert read_snapshot(target).instances  # the other GPU types were kept


def test_rejected_key_exits_2_without_retrying(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "collect", "--api-key", "wrong-key", "--output", str(tmp_path / "s.json")
    )
    assert code == 2
    assert "error:" in err and "wrong-key" not in err
    assert not (tmp_path / "s.json").exists()
