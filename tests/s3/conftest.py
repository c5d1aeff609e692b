"""Fixtures: a moto S3 server on loopback (real HTTP, real SigV4), a plugin host holding
only the s3 plugin and test fakes, and an AWS environment stripped of real credentials."""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import gpuport_s3.plugin
from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import Payload, RunContext
from gpuport_collectors.testing import generate_instances
from gpuport_collectors.testing.host import make_host
from gpuport_s3.sink import S3Sink
from tests.servers import moto_s3_server

from . import fakes

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ACCESS_KEY = "AKIDGPUPORTTEST0001"
#: A secret key that must never show up anywhere: logs, errors, reprs, results.
SECRET_CANARY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYSECRET"
TOKEN_CANARY = "FwoGZXIvYXdzECANARYTOKEN//////////wEaDH"
MOMENT = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
BUCKET = "exports"


@pytest.fixture(autouse=True)
def _isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No real credentials, config files or instance metadata (that would be network).
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("TEST_S3_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("TEST_S3_SECRET_KEY", SECRET_CANARY)


def _post(url: str, body: bytes = b"") -> None:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's HTTP server on a free loopback port, for the whole session."""
    with moto_s3_server() as url:
        yield url


@pytest.fixture
def endpoint(moto_server: str) -> str:
    """The server URL, with every bucket, object and IAM user of earlier tests gone."""
    _post(f"{moto_server}/moto-api/reset")
    return moto_server


def client_for(
    endpoint: str, service: str = "s3", key: str = "admin", secret: str = "admin"
) -> Any:
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
    )
    config = Config(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return session.client(service, endpoint_url=endpoint, config=config)  # type: ignore[call-overload]


@pytest.fixture
def admin(endpoint: str) -> S3Client:
    """A separate boto3 client for arranging and inspecting the store."""
    client: S3Client = client_for(endpoint)
    return client


@pytest.fixture
def bucket(admin: S3Client) -> str:
    admin.create_bucket(Bucket=BUCKET)
    return BUCKET


@pytest.fixture
def iam_keys(endpoint: str) -> Iterator[dict[str, tuple[str, str]]]:
    """IAM users ``writer`` (s3:*) and ``reader`` (s3:GetObject only), then enforce IAM.

    Yields ``{user: (access key id, secret key)}``. Enforcement is switched off again
    afterwards through the same ``/moto-api/reset-auth`` endpoint.
    """
    iam = client_for(endpoint, "iam")
    keys = {}
    for user, actions in (("writer", ["s3:*"]), ("reader", ["s3:GetObject"])):
        iam.create_user(UserName=user)
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }
        iam.put_user_policy(UserName=user, PolicyName="s3", PolicyDocument=json.dumps(policy))
        created = iam.create_access_key(UserName=user)["AccessKey"]
        keys[user] = (created["AccessKeyId"], created["SecretAccessKey"])
    _post(f"{endpoint}/moto-api/reset-auth", b"0")
    try:
        yield keys
    finally:
        _post(f"{endpoint}/moto-api/reset-auth", b"inf")


@pytest.fixture
def host() -> PluginHost:
    """Only the s3 plugin and the test fakes: independent of the other built-ins."""
    return make_host(gpuport_s3.plugin, fakes.lines_plugin(), installed=False)


@pytest.fixture
def load(host: PluginHost) -> Callable[[str], ExportConfig]:
    """``load(yaml_text)``: a config checked against ``host``, source named ``cfg.yaml``."""

    def parse(text: str) -> ExportConfig:
        return parse_export_config(
            textwrap.dedent(text), source="cfg.yaml", host=host, environ=dict(os.environ)
        )

    return parse


@pytest.fixture
def make_sink(load: Callable[[str], ExportConfig]) -> Callable[[str], S3Sink]:
    """``make_sink(options_yaml)``: the s3 output of a one-pipeline config."""

    def build(options: str) -> S3Sink:
        body = textwrap.indent(textwrap.dedent(options).strip(), " " * 8)
        config = load(
            "pipelines:\n"
            "  - name: daily\n"
            "    transformer: {format: lines}\n"
            "    outputs:\n"
            "      - type: s3\n" + body + "\n"
        )
        sink = config.pipelines[0].outputs[0].build()
        assert isinstance(sink, S3Sink)
        return sink

    return build


@pytest.fixture
def payload() -> Payload:
    return fakes.lines_payload(generate_instances(50))


@pytest.fixture
def context() -> RunContext:
    return RunContext(started_at=MOMENT, pipeline="daily")
