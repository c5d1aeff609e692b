"""The CLI over one config with every built-in output at once, as the README's users run it:
local files, S3 (moto's server on loopback) and an HTTPS webhook (trustme TLS server)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from gpuport_collectors.cli import main
from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances
from tests.https.https_helpers import Certs
from tests.https.https_testserver import TLSServer
from tests.servers import moto_s3_server

CANARY = "canary-e2e-token-5d1f"
AWS_CANARY = "canary-aws-secret-93ab"

CONFIG = """\
pipelines:
  - name: production-export
    filters:
      - {{field: availability, operator: in, values: [HIGH, MEDIUM]}}
      - {{field: price, operator: lt, value: 10.0}}
    transformer:
      format: json
      fields: {{provider: Provider, accelerator_name: GPU, price: PricePerHour}}
      pretty_print: true
    outputs:
      - type: s3
        bucket: gpu-data-prod
        prefix: "high-availability/"
        region: us-east-1
        endpoint_url: "{endpoint}"
        filename_pattern: "{{date}}/gpus_{{time}}.json.gz"
        compression: gzip
        credentials: {{access_key_env: AWS_ACCESS_KEY_ID, secret_key_env: AWS_SECRET_ACCESS_KEY}}
      - type: local
        path: "{backups}"
        filename_pattern: "backup_{{timestamp}}.json"
  - name: eu-regions-report
    filters:
      - {{field: region, operator: regex, value: "^eu-", ignore_case: true}}
    transformer:
      format: csv
      fields: {{provider: Provider, instance_type: Instance, region: Region, price: Price}}
    outputs:
      - {{type: local, path: "{reports}", filename_pattern: "eu-gpus_{{date}}.csv"}}
  - name: daily-metrics
    transformer:
      format: metrics
      metrics:
        - {{name: total_instances, type: count}}
        - {{name: avg_price, type: avg, field: price}}
        - {{name: providers, type: unique, field: provider}}
      include_timestamp: true
    outputs:
      - type: https
        url: "{webhook}/api/gpu-stats"
        headers: {{Authorization: "Bearer ${{METRICS_API_TOKEN}}"}}
        retry_attempts: 3
"""


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    with moto_s3_server() as url:
        yield url


def test_every_output_of_one_config_delivers(
    tmp_path: Path,
    certs: Certs,
    server: object,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    webhook: TLSServer = server()  # type: ignore[operator]
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_file))  # verify on, our test CA trusted
    monkeypatch.setenv("METRICS_API_TOKEN", CANARY)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_CANARY)
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="gpu-data-prod")

    snapshot = tmp_path / "snap.json.gz"
    instances = generate_instances(seed=5)
    write_snapshot(instances, snapshot)
    config = tmp_path / "export.yaml"
    config.write_text(
        CONFIG.format(
            endpoint=moto_endpoint,
            backups=tmp_path / "backups",
            reports=tmp_path / "reports",
            webhook=webhook.url,
        )
    )

    with pytest.raises(SystemExit) as exit_info:
        main(["export", "-c", str(config), "--snapshot", str(snapshot), "--verbose"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 0, err

    loaded = read_snapshot(snapshot).instances
    wanted = [
        i
        for i in loaded
        if i.availability.name in ("HIGH", "MEDIUM") and i.price is not None and i.price < 10.0
    ]
    [key] = [o["Key"] for o in s3.list_objects_v2(Bucket="gpu-data-prod")["Contents"]]
    assert key.startswith("high-availability/") and key.endswith(".json.gz")
    body = s3.get_object(Bucket="gpu-data-prod", Key=key)["Body"].read()
    uploaded = json.loads(gzip.decompress(body))
    assert uploaded == [
        {"Provider": i.provider, "GPU": i.accelerator_name, "PricePerHour": i.price} for i in wanted
    ]
    [backup] = (tmp_path / "backups").iterdir()
    assert json.loads(backup.read_text()) == uploaded

    [report] = (tmp_path / "reports").iterdir()
    rows = report.read_text().splitlines()
    assert rows[0] == "Provider,Instance,Region,Price"
    assert len(rows) - 1 == sum(i.region.startswith("EU-") for i in loaded) > 0

    [request] = webhook.requests
    assert request.headers["authorization"] == f"Bearer {CANARY}"
    metrics = json.loads(request.body)
    assert metrics["metrics"]["total_instances"] == len(loaded)
    assert metrics["metrics"]["providers"] == 1
    assert metrics["timestamp"].endswith("Z")

    shown = out + err + caplog.text
    assert CANARY not in shown and AWS_CANARY not in shown
    assert f"s3://gpu-data-prod/{key}" in out
