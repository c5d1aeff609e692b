"""Failures: one-line OutputErrors naming the destination, other outputs unaffected,
and no credential value in any message, log record, repr or result."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from gpuport_collectors.config import ExportConfig
from gpuport_collectors.errors import OutputError
from gpuport_collectors.pipeline import execute_pipelines
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import Payload, RunContext
from gpuport_collectors.testing import generate_instances
from gpuport_collectors.testing.host import capture_of
from gpuport_s3.sink import S3Sink

from . import fakes
from .conftest import MOMENT, SECRET_CANARY, TOKEN_CANARY

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MakeSink = Callable[[str], S3Sink]
Load = Callable[[str], ExportConfig]


def write_error(
    sink: S3Sink, payload: Payload, context: RunContext, *, chained: bool = True
) -> OutputError:
    with pytest.raises(OutputError) as caught:
        sink.write(payload, context)
    message = str(caught.value)
    assert "\n" not in message and SECRET_CANARY not in message, message
    if chained:  # the botocore error stays reachable for --debug
        assert caught.value.__cause__ is not None
    return caught.value


def keyed_options(endpoint: str, access: str = "TEST_S3_ACCESS_KEY") -> str:
    return (
        f"bucket: exports\nendpoint_url: {endpoint}\nfilename_pattern: gpus.jsonl\n"
        f"credentials:\n  access_key_env: {access}\n  secret_key_env: TEST_S3_SECRET_KEY\n"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: connections are refused


def test_missing_bucket(
    make_sink: MakeSink, endpoint: str, payload: Payload, context: RunContext
) -> None:
    error = write_error(make_sink(keyed_options(endpoint)), payload, context)
    assert str(error) == (
        "s3://exports/gpus.jsonl: the bucket does not exist; create it or fix 'bucket' "
        "(NoSuchBucket: The specified bucket does not exist)"
    )


def test_denied_access(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    iam_keys: dict[str, tuple[str, str]],
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    access, secret = iam_keys["reader"]
    monkeypatch.setenv("TEST_S3_ACCESS_KEY", access)
    monkeypatch.setenv("TEST_S3_SECRET_KEY", secret)

    error = write_error(make_sink(keyed_options(endpoint)), payload, context)

    assert str(error).startswith("s3://exports/gpus.jsonl: access denied; allow s3:PutObject")
    assert "(AccessDenied: Access Denied)" in str(error)
    assert secret not in str(error)


def test_allowed_writer_succeeds_with_enforcement_on(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    iam_keys: dict[str, tuple[str, str]],
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The counterpart of test_denied_access: IAM checking really is what refuses the reader.
    access, secret = iam_keys["writer"]
    monkeypatch.setenv("TEST_S3_ACCESS_KEY", access)
    monkeypatch.setenv("TEST_S3_SECRET_KEY", secret)

    result = make_sink(keyed_options(endpoint)).write(payload, context)

    assert result.destination == "s3://exports/gpus.jsonl"


def test_wrong_secret_key_is_rejected_without_showing_it(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    iam_keys: dict[str, tuple[str, str]],
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TEST_S3_ACCESS_KEY", iam_keys["writer"][0])  # real ID, canary secret
    sink = make_sink(keyed_options(endpoint))

    error = write_error(sink, payload, context)

    assert str(error).startswith(
        "s3://exports/gpus.jsonl: the credentials were rejected (SignatureDoesNotMatch: "
    )
    assert any(record.name.startswith("botocore") for record in caplog.records)
    assert SECRET_CANARY not in caplog.text
    assert SECRET_CANARY not in repr(sink) + repr(sink.config)


def test_unreachable_endpoint_names_it(
    make_sink: MakeSink, payload: Payload, context: RunContext
) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    sink = make_sink(keyed_options(endpoint) + "retry_attempts: 0\n")  # retries: test_retries.py
    error = write_error(sink, payload, context)
    assert str(error).startswith(f"s3://exports/gpus.jsonl: cannot reach {endpoint} (")
    assert str(error).endswith("check endpoint_url, region and the network")


def test_no_credentials_anywhere(
    make_sink: MakeSink, endpoint: str, bucket: str, payload: Payload, context: RunContext
) -> None:
    sink = make_sink(f"bucket: exports\nendpoint_url: {endpoint}\nfilename_pattern: gpus.jsonl")
    error = write_error(sink, payload, context)
    assert str(error).startswith("s3://exports/gpus.jsonl: no usable AWS credentials (")


def test_variable_unset_after_loading_names_it(
    make_sink: MakeSink,
    endpoint: str,
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sink = make_sink(keyed_options(endpoint))
    monkeypatch.delenv("TEST_S3_SECRET_KEY")
    error = write_error(sink, payload, context, chained=False)
    assert str(error) == (
        "s3://exports/gpus.jsonl: environment variable TEST_S3_SECRET_KEY named by "
        "credentials.secret_key_env is not set; export it or fix the name"
    )


def test_credentials_never_reach_logs_errors_or_results(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # botocore logs the canonical request and headers at DEBUG: token and key ID included.
    monkeypatch.setenv("TEST_S3_TOKEN", TOKEN_CANARY)
    sink = make_sink(keyed_options(endpoint) + "  session_token_env: TEST_S3_TOKEN\n")
    caplog.set_level(logging.DEBUG)

    result = sink.write(payload, context)
    missing = make_sink(
        keyed_options(endpoint).replace("exports", "not-there")
        + "  session_token_env: TEST_S3_TOKEN\n"
    )
    error = write_error(missing, payload, context)

    client_logs = [r for r in caplog.records if r.name.split(".")[0] in ("botocore", "urllib3")]
    assert any("x-amz-security-token" in r.getMessage().lower() for r in client_logs)
    seen = caplog.text + str(error) + repr(result) + repr(sink) + repr(sink.config)
    for canary in (SECRET_CANARY, TOKEN_CANARY, "AKIDGPUPORTTEST0001"):
        assert canary not in seen
    assert "***" in caplog.text
    # The filters are gone once the upload is over.
    assert not logging.getLogger("botocore.endpoint").filters


def test_failing_output_does_not_stop_the_others(
    load: Load, host: PluginHost, endpoint: str, bucket: str, admin: S3Client
) -> None:
    instances = generate_instances(20)
    keys = "{access_key_env: TEST_S3_ACCESS_KEY, secret_key_env: TEST_S3_SECRET_KEY}"
    config = load(
        f"""
        pipelines:
          - name: daily
            transformer: {{format: lines}}
            outputs:
              - type: s3
                bucket: no-such-bucket
                endpoint_url: {endpoint}
                filename_pattern: "gpus_{{date}}.jsonl"
                credentials: {keys}
              - type: s3
                bucket: exports
                endpoint_url: {endpoint}
                filename_pattern: "gpus_{{date}}.jsonl"
                credentials: {keys}
              - type: capture
        """
    )

    [result] = execute_pipelines(instances, config, now=MOMENT)

    failed, stored, captured = result.outputs
    assert not result.success and result.error == "1 of 3 outputs failed"
    assert not failed.success
    assert failed.error is not None and "\n" not in failed.error
    assert failed.error.startswith("s3://no-such-bucket/gpus_2024-05-06.jsonl: the bucket does not")
    assert stored.success and stored.destination == "s3://exports/gpus_2024-05-06.jsonl"
    expected = b"".join(fakes.render_lines(instances))
    assert admin.get_object(Bucket=bucket, Key="gpus_2024-05-06.jsonl")["Body"].read() == expected
    assert captured.success
    capture = capture_of(host)
    assert capture is not None
    assert [c.body for c in capture.captured] == [expected]


def test_dry_run_describes_and_uploads_nothing(
    load: Load, endpoint: str, bucket: str, admin: S3Client
) -> None:
    config = load(
        f"""
        pipelines:
          - name: daily
            transformer: {{format: lines}}
            outputs:
              - type: s3
                bucket: exports
                endpoint_url: {endpoint}
                filename_pattern: "gpus_{{date}}.jsonl"
        """
    )

    [result] = execute_pipelines(generate_instances(5), config, now=MOMENT, dry_run=True)

    [output] = result.outputs
    assert output.dry_run and output.destination == "s3://exports/gpus_2024-05-06.jsonl"
    assert admin.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
