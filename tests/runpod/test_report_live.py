"""The run report of a partial RunPod collection, collected live from the simulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.run_cli import run

from .conftest import CANARY
from .oracle import expected_from_catalogue
from .simulator import RunPodSimulator


@pytest.fixture
def live(small_simulator: RunPodSimulator, monkeypatch: pytest.MonkeyPatch) -> RunPodSimulator:
    monkeypatch.setenv("RUNPOD_API_URL", small_simulator.url)
    monkeypatch.setenv("RUNPOD_API_KEY", CANARY)
    return small_simulator


def test_report_of_a_partial_runpod_export(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = live.catalogue.gpu_types[0]
    live.fail(broken.id, "status", status=500)
    config = tmp_path / "c.yaml"
    config.write_text(
        "collectors:\n  - {type: runpod, api_key: '${RUNPOD_API_KEY}', max_retries: 0}\n"
        "pipelines:\n  - name: all\n    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: '{tmp_path}', filename_pattern: o.json}}]\n"
    )
    report_path = tmp_path / "report.json"
    code, _, err = run(capsys, "export", "-c", str(config), "--report", str(report_path))
    assert code == 1
    text = report_path.read_text()
    assert CANARY not in text and CANARY not in err
    report: dict[str, Any] = json.loads(text)
    published = json.loads((tmp_path / "o.json").read_text())
    everything = expected_from_catalogue(live.catalogue, published[0]["collected_at"])
    assert 0 < len(published) < len(everything)

    assert report["version"] == 1 and report["command"] == "export"
    assert report["exit_code"] == 1 and report["error"] is None
    assert report["started_at"].endswith("Z") and report["duration_seconds"] > 0
    [collector] = report["collectors"]
    assert collector["name"] == "runpod" and collector["where"] == "collectors[0]"
    assert collector["instance_count"] == len(published) and not collector["failed"]
    assert len(collector["problems"]) == 1 and broken.id in collector["problems"][0]
    assert report["collection"]["partial"] is True
    assert report["collection"]["problems"] == [f"runpod: {collector['problems'][0]}"]
    assert report["checks"] == {
        "withheld": False,
        "withheld_reasons": [],
        "published_count": len(published),
        "dropped": [],
        "baseline": None,
    }
    [pipeline] = report["pipelines"]
    assert pipeline["name"] == "all" and pipeline["success"] is True
    assert pipeline["input_count"] == pipeline["matched_count"] == len(published)
    [output] = pipeline["outputs"]
    assert output["type"] == "local" and output["success"] is True
    assert output["destination"] == str(tmp_path / "o.json")
    assert output["bytes_written"] == (tmp_path / "o.json").stat().st_size


def test_report_when_the_key_is_rejected(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_path = tmp_path / "report.json"
    code, out, _ = run(
        capsys, "collect", "--api-key", "wrong-key-0123", "--output", str(tmp_path / "s.json"),
        "--report", "-",
    )  # fmt: skip
    assert code == 2
    report = json.loads(out)
    assert report["exit_code"] == 2 and report["snapshot"] is None
    assert report["collectors"][0]["failed"] is True
    assert "wrong-key-0123" not in out
    assert not report_path.exists() and not (tmp_path / "s.json").exists()


def test_every_gpu_type_failing_withholds_and_keeps_yesterdays_file(
    live: RunPodSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "collectors:\n  - {type: runpod, max_retries: 0}\n"
        "pipelines:\n  - name: all\n    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: '{tmp_path}', filename_pattern: o.json, "
        "overwrite: true}]\n"
    )
    code, _, err = run(capsys, "export", "-c", str(config))
    assert code == 0, err
    yesterday = (tmp_path / "o.json").read_bytes()
    for gpu in live.catalogue.gpu_types:
        live.fail(gpu.id, "status", status=500)
    code, _, err = run(capsys, "export", "-c", str(config), "--report", str(tmp_path / "r.json"))
    assert code == 1
    assert "error: collection withheld, nothing published: no instances were collected" in err
    assert (tmp_path / "o.json").read_bytes() == yesterday
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["checks"]["withheld"] is True and report["pipelines"] == []
    assert len(report["collectors"][0]["problems"]) == len(live.catalogue.gpu_types)
