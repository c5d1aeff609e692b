"""``checks.baseline`` at an s3:// URL: missing on the first run, then read and moved
forward, against moto's S3 server on loopback."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest

from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances, invoke_cli, make_host

from .conftest import ACCESS_KEY, SECRET_CANARY

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def test_an_s3_baseline_is_created_then_checked_and_moved(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_CANARY)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    baseline = f"s3://{bucket}/state/last.json.gz"
    config = tmp_path / "c.yaml"
    config.write_text(
        f"checks:\n  baseline: {baseline}\n  max_price_change: 5\n  update_baseline: true\n"
        "pipelines:\n  - name: all\n    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: '{tmp_path}/out', filename_pattern: all.json, "
        "overwrite: true}]\n"
    )
    yesterday = generate_instances(15, seed=21)
    write_snapshot(yesterday, tmp_path / "day1.json")
    host = make_host()

    run = invoke_cli(host, capsys, "export", "-c", config, "--snapshot", tmp_path / "day1.json")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.count("does not exist yet") == 1
    stored = admin.get_object(Bucket=bucket, Key="state/last.json.gz")["Body"].read()
    assert len(json.loads(gzip.decompress(stored))) == 15

    today = list(yesterday)
    today[3] = attrs.evolve(today[3], price=(today[3].price or 1.0) * 50)
    write_snapshot(today, tmp_path / "day2.json")
    report = tmp_path / "r.json"
    run = invoke_cli(
        host, capsys, "export", "-c", config, "--snapshot", tmp_path / "day2.json",
        "--report", report,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "checks dropped 1 offer (max_price_change: 1)" in run.stderr
    document = json.loads(report.read_text())
    assert document["checks"]["baseline"]["status"] == "loaded"
    assert document["checks"]["baseline"]["update"] == "updated"
    stored = admin.get_object(Bucket=bucket, Key="state/last.json.gz")["Body"].read()
    assert len(json.loads(gzip.decompress(stored))) == 14
    assert SECRET_CANARY not in run.stdout + run.stderr + report.read_text()
