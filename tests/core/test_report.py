"""``--report PATH``: the run report, whatever the run's outcome, with no secret in it."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances
from tests.run_cli import run

CANARY = "tok_CANARY_4b1d9e_never_print_me"
URL_CANARY = "qs_CANARY_88e2a0_not_in_reports"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOK_TOKEN", CANARY)
    monkeypatch.setenv("HOOK_QUERY", URL_CANARY)
    write_snapshot(generate_instances(25, seed=8), "today.json")
    Path("c.yaml").write_text(
        "checks:\n  price_range: [0.01, 10]\n"
        "pipelines:\n"
        "  - name: files\n    transformer: {format: json}\n"
        "    outputs:\n      - {type: local, path: out, filename_pattern: all.json}\n"
        "  - name: hook\n    transformer: {format: json}\n"
        "    outputs:\n"
        f"      - type: https\n        url: https://127.0.0.1:{closed_port()}/h?key=${{HOOK_QUERY}}\n"
        "        headers: {Authorization: 'Bearer ${HOOK_TOKEN}'}\n"
        "        retry_attempts: 0\n        timeout: 2\n"
    )
    return tmp_path


def read(path: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(Path(path).read_text())
    return report


def test_report_of_an_export_with_drops_and_a_failed_output(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "export", "-c", "c.yaml", "--snapshot", "today.json", "--report", "r.json"
    )
    assert code == 1
    text = Path("r.json").read_text()
    for secret in (CANARY, URL_CANARY):
        assert secret not in text and secret not in out + err
    report = read("r.json")
    assert report["version"] == 1 and report["exit_code"] == 1
    dropped = report["checks"]["dropped"]
    assert dropped and all(drop["check"] == "price_range" for drop in dropped)
    assert set(dropped[0]) == {
        "provider", "instance_type", "region", "accelerator_count", "check", "reason",
    }  # fmt: skip
    assert report["checks"]["published_count"] == 25 - len(dropped)
    files, hook = report["pipelines"]
    assert files["success"] and files["input_count"] == 25 - len(dropped)
    assert files["outputs"][0]["bytes_written"] == Path("out/all.json").stat().st_size
    assert not hook["success"]
    [failed] = hook["outputs"]
    assert failed["type"] == "https" and not failed["success"] and failed["error"]
    assert "pipeline files: ok" in out  # the summary is still printed


def test_report_dash_prints_the_report_instead_of_the_summary(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "export", "-c", "c.yaml", "--snapshot", "today.json", "--pipeline", "files",
        "--report", "-",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert [p["name"] for p in report["pipelines"]] == ["files"]
    assert "warning: checks dropped" in err


def test_report_is_written_when_the_collection_is_withheld(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("empty.jsonl").write_text("")
    code, _, _ = run(
        capsys, "export", "-c", "c.yaml", "--snapshot", "empty.jsonl", "--report", "r.json"
    )
    assert code == 1
    report = read("r.json")
    assert report["checks"]["withheld"] is True
    assert report["checks"]["withheld_reasons"] == ["no instances were collected"]
    assert report["pipelines"] == [] and not Path("out").exists()


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["--snapshot", "absent.json"], 2, None),
        (["--snapshot", "today.json", "--pipeline", "nope"], 2, "--pipeline 'nope'"),
    ],
)
def test_report_is_written_when_the_run_fails(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, error: Any
) -> None:
    result, _, _ = run(capsys, "export", "-c", "c.yaml", *args, "--report", "r.json")
    assert result == code
    report = read("r.json")
    assert report["exit_code"] == code
    if error is not None:
        assert error in report["error"] and report["collection"] is None
    else:
        assert report["collectors"][0]["error"].endswith("snapshot file not found")


def test_report_of_an_invalid_config(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("bad.yaml").write_text(
        "checks: {min_instance: 2}\npipelines:\n  - name: p\n    transformer: {format: json}\n"
        "    outputs: [{type: https, url: 'http://x/${HOOK_TOKEN}'}]\n"
    )
    code, _, err = run(capsys, "export", "-c", "bad.yaml", "--report", "r.json")
    assert code == 2
    report = read("r.json")
    assert report["error"].startswith("bad.yaml:1:10: unknown option 'min_instance'")
    assert len(report["error"].splitlines()) == len(err.splitlines())
    assert CANARY not in Path("r.json").read_text()


def test_collect_report_names_the_snapshot(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "collect", "--collector", "snapshot", "-o", "path=today.json",
        "--output", "copy.jsonl.gz", "--report", "reports/collect.json",
    )  # fmt: skip
    assert code == 0, err
    report = read("reports/collect.json")
    assert report["command"] == "collect"
    assert report["snapshot"] == {"path": "copy.jsonl.gz", "instance_count": 25}
    assert report["collectors"][0]["instance_count"] == 25


def test_an_unwritable_report_is_a_one_line_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("blocker").write_text("a file, not a directory")
    code, _, err = run(
        capsys, "export", "-c", "c.yaml", "--snapshot", "today.json", "--pipeline", "files",
        "--report", "blocker/r.json",
    )  # fmt: skip
    assert code == 2
    assert err.splitlines() == [
        "error: blocker/r.json: cannot write the run report: blocker is not a directory"
    ]
    assert not Path("out").exists()  # refused before anything ran, so nothing was published


@pytest.mark.parametrize("command", ["export", "collect"])
def test_a_report_path_that_is_a_directory_is_refused_first(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    Path("reports").mkdir()
    args = {
        "export": ["-c", "c.yaml", "--snapshot", "today.json"],
        "collect": ["--collector", "snapshot", "-o", "path=today.json", "--output", "x.jsonl"],
    }[command]
    code, _, err = run(capsys, command, *args, "--report", "reports")
    assert code == 2
    assert err.splitlines() == ["error: reports: cannot write the run report: is a directory"]
    assert not Path("out").exists() and not Path("x.jsonl").exists()
