"""Snapshots at s3:// URLs: collect writes them, export and the snapshot collector read them,
against moto's S3 server on loopback (real HTTP, real SigV4)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gpuport_collectors import SnapshotError
from gpuport_collectors.records import instance_to_record
from gpuport_collectors.retry import RetryPolicy
from gpuport_collectors.s3 import S3Access, S3CredentialsConfig
from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances, invoke_cli, make_host, make_instance

from .conftest import ACCESS_KEY, SECRET_CANARY

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CONFIG = """\
pipelines:
  - name: all
    transformer: {{format: json}}
    outputs:
      - type: local
        path: "{out}"
        filename_pattern: all.json
"""


@pytest.fixture
def aws_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys in the default chain's variables (moto accepts any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_CANARY)


@pytest.fixture
def local_snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "in.json"
    write_snapshot(generate_instances(seed=7), path)
    return path


def records_of(instances: list) -> list[dict]:
    return [instance_to_record(instance, include_raw_data=True) for instance in instances]


def test_collect_writes_and_export_reads_an_s3_snapshot(
    capsys, tmp_path, endpoint, bucket, admin: S3Client, aws_keys, local_snapshot, monkeypatch
) -> None:
    host = make_host()
    url = f"s3://{bucket}/snapshots/latest.json.gz"
    expected = records_of(generate_instances(seed=7))

    run = invoke_cli(
        host, capsys, "collect", "--collector", "snapshot", "-o", f"path={local_snapshot}",
        "--output", url, "--s3-endpoint-url", endpoint,
    )  # fmt: skip

    assert run.exit_code == 0, run.stderr
    assert f"to {url}" in run.stdout
    stored = admin.get_object(Bucket=bucket, Key="snapshots/latest.json.gz")
    assert stored["ContentType"] == "application/gzip"
    assert json.loads(gzip.decompress(stored["Body"].read())) == expected

    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)  # the other way to name the store
    config = tmp_path / "cfg.yaml"
    config.write_text(CONFIG.format(out=tmp_path / "out"))
    run = invoke_cli(host, capsys, "export", "--config", config, "--snapshot", url)

    assert run.exit_code == 0, run.stderr
    assert len(json.loads((tmp_path / "out" / "all.json").read_text())) == len(expected)
    assert SECRET_CANARY not in run.stdout + run.stderr


@pytest.mark.parametrize("where", ["exports/missing.json", "no-such-bucket/x.json"])
def test_a_missing_object_or_bucket_is_a_usage_error_naming_it(
    capsys, tmp_path, endpoint, bucket, aws_keys, where
) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text(CONFIG.format(out=tmp_path / "out"))
    url = f"s3://{where}"

    run = invoke_cli(
        make_host(), capsys, "export", "--config", config, "--snapshot", url,
        "--s3-endpoint-url", endpoint,
    )  # fmt: skip

    assert run.exit_code == 2
    assert f"{url}: snapshot not found" in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_the_snapshot_collector_reads_s3_with_the_s3_outputs_options(
    tmp_path, endpoint, bucket, monkeypatch
) -> None:
    monkeypatch.setenv("SNAP_KEY", ACCESS_KEY)
    monkeypatch.setenv("SNAP_SECRET", SECRET_CANARY)
    rows = generate_instances(seed=8)
    keys = S3CredentialsConfig(access_key_env="SNAP_KEY", secret_key_env="SNAP_SECRET").read()
    write_snapshot(rows, f"s3://{bucket}/in.jsonl", s3=S3Access(endpoint_url=endpoint, keys=keys))
    config = tmp_path / "cfg.yaml"
    config.write_text(
        "collectors:\n"
        "  - type: snapshot\n"
        f"    path: s3://{bucket}/in.jsonl\n"
        f"    endpoint_url: {endpoint}\n"
        "    region: eu-west-1\n"
        "    credentials: {access_key_env: SNAP_KEY, secret_key_env: SNAP_SECRET}\n"
        + CONFIG.format(out=tmp_path / "out")
    )

    # The path export takes: load the config, choose its collectors, gather.
    import asyncio

    from gpuport_collectors.collection import choose_collectors, gather
    from gpuport_collectors.config import load_export_config

    host = make_host()
    loaded = load_export_config(config, host=host)
    collection = asyncio.run(gather(choose_collectors(loaded, host)))
    assert records_of(collection.instances) == records_of(rows)


def test_options_for_s3_only_are_refused_with_a_local_path(tmp_path) -> None:
    from gpuport_collectors import ConfigError
    from gpuport_collectors.config import parse_export_config

    text = (
        "collectors:\n"
        "  - type: snapshot\n"
        "    path: ./in.json\n"
        "    endpoint_url: http://127.0.0.1:9\n" + CONFIG.format(out=tmp_path)
    )
    with pytest.raises(ConfigError) as caught:
        parse_export_config(text, source="cfg.yaml", host=make_host(), environ={})
    assert "cfg.yaml:4:" in str(caught.value)
    assert "s3://" in str(caught.value)


def test_a_failed_upload_leaves_no_object(endpoint, bucket, admin: S3Client, aws_keys) -> None:
    url = f"s3://{bucket}/keep.json"
    access = S3Access(endpoint_url=endpoint)
    good = [make_instance()]
    write_snapshot(good, url, s3=access)
    broken = [make_instance(), make_instance(raw_data={"not json": object()})]

    with pytest.raises(TypeError):
        write_snapshot(broken, url, s3=access)
    with pytest.raises(TypeError):
        write_snapshot(broken, f"s3://{bucket}/new.json", s3=access)

    assert read_snapshot(url, s3=access).instances == good  # the old object, whole
    listed = admin.list_objects_v2(Bucket=bucket).get("Contents", [])
    assert [item["Key"] for item in listed] == ["keep.json"]
    assert admin.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_an_upload_to_a_missing_bucket_names_it(capsys, endpoint, aws_keys, local_snapshot):
    url = "s3://no-such-bucket/latest.json"

    run = invoke_cli(
        make_host(), capsys, "collect", "--collector", "snapshot", "-o", f"path={local_snapshot}",
        "--output", url, "--s3-endpoint-url", endpoint,
    )  # fmt: skip

    assert run.exit_code == 2
    assert f"{url}: cannot write snapshot: the bucket does not exist" in run.stderr
    assert SECRET_CANARY not in run.stderr


def test_an_unreachable_store_is_worth_retrying(aws_keys) -> None:
    from gpuport_collectors import CollectorError

    with pytest.raises(CollectorError) as caught:
        # No retries here (they are in test_retries.py), so no waiting.
        access = S3Access(endpoint_url="http://127.0.0.1:9", retry=RetryPolicy(attempts=0))
        read_snapshot("s3://b/k.json", s3=access)
    assert str(caught.value).startswith("s3://b/k.json: cannot read snapshot: cannot reach")
    assert not isinstance(caught.value, SnapshotError)


@pytest.mark.parametrize("url", ["s3://", "s3://bucket", "s3://bucket/", "s3://b@d/x.json"])
def test_a_malformed_url_is_a_usage_error(capsys, url, local_snapshot) -> None:
    run = invoke_cli(
        make_host(), capsys, "collect", "--collector", "snapshot", "-o", f"path={local_snapshot}",
        "--output", url,
    )  # fmt: skip
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr


def test_the_checks_baseline_lives_on_s3(
    capsys, tmp_path, endpoint, bucket, admin: S3Client, aws_keys, local_snapshot
) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text(
        f"checks: {{baseline: 's3://{bucket}/baseline.json', update_baseline: true}}\n"
        + CONFIG.format(out=tmp_path / "out")
    )
    args = ("export", "--config", config, "--snapshot", local_snapshot)
    first = invoke_cli(make_host(), capsys, *args, "--s3-endpoint-url", endpoint)
    assert first.exit_code == 0, first.stderr
    stored = json.loads(admin.get_object(Bucket=bucket, Key="baseline.json")["Body"].read())
    assert stored == records_of(generate_instances(seed=7))

    (tmp_path / "out" / "all.json").unlink()
    second = invoke_cli(make_host(), capsys, *args, "--s3-endpoint-url", endpoint)
    assert second.exit_code == 0, second.stderr
    assert "does not exist yet" not in second.stdout + second.stderr
