"""Uploads to moto's S3 server over real HTTP, inspected with a separate boto3 client."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from gpuport_collectors import s3calls
from gpuport_collectors.protocols import Payload, RunContext
from gpuport_collectors.testing import generate_instances
from gpuport_s3.sink import S3Sink

from . import fakes

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MakeSink = Callable[[str], S3Sink]

CREDENTIALS = """
credentials:
  access_key_env: TEST_S3_ACCESS_KEY
  secret_key_env: TEST_S3_SECRET_KEY
"""


def options(endpoint: str, extra: str = "") -> str:
    return f"bucket: exports\nendpoint_url: {endpoint}\n" + CREDENTIALS + extra


def test_object_key_body_and_content_type(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
) -> None:
    sink = make_sink(
        options(endpoint, 'prefix: "data/"\nfilename_pattern: "{date}/gpus_{time}.jsonl"')
    )
    result = sink.write(payload, context)

    key = "data/2024-05-06/gpus_07-08-09.jsonl"
    stored = admin.get_object(Bucket=bucket, Key=key)
    body = stored["Body"].read()
    assert body == payload.to_bytes()
    assert stored["ContentType"] == "application/x-ndjson"
    assert "ContentEncoding" not in stored
    assert (result.output_type, result.destination) == ("s3", f"s3://exports/{key}")
    assert result.success and result.bytes_written == len(body) == stored["ContentLength"]


@pytest.mark.parametrize("prefix", ["exports/data", "exports/data/"])
def test_prefix_is_a_folder_with_or_without_its_slash(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    prefix: str,
) -> None:
    # The earlier exporter joined `prefix: exports/data` as a folder; configs written for
    # it must land where they did.
    sink = make_sink(options(endpoint, f'prefix: "{prefix}"\nfilename_pattern: gpus.jsonl'))
    result = sink.write(payload, context)
    assert result.destination == "s3://exports/exports/data/gpus.jsonl"
    assert admin.get_object(Bucket=bucket, Key="exports/data/gpus.jsonl")["Body"].read()


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        ("gpus_{timestamp}.jsonl", "gpus_20240506-070809.jsonl.gz"),
        ("gpus.jsonl.gz", "gpus.jsonl.gz"),
    ],
)
def test_gzip_appends_gz_once_and_sets_content_encoding(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    pattern: str,
    key: str,
) -> None:
    sink = make_sink(options(endpoint, f"filename_pattern: '{pattern}'\ncompression: gzip"))
    result = sink.write(payload, context)

    stored = admin.get_object(Bucket=bucket, Key=key)
    body = stored["Body"].read()
    assert gzip.decompress(body) == payload.to_bytes()
    assert stored["ContentEncoding"] == "gzip"
    assert stored["ContentType"] == "application/x-ndjson"
    assert result.destination == f"s3://exports/{key}"
    assert result.bytes_written == len(body) < len(payload.to_bytes())


def test_metadata_storage_class_and_aes256(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
) -> None:
    extra = """\
filename_pattern: gpus.jsonl
storage_class: STANDARD_IA
server_side_encryption: AES256
metadata:
  pipeline: daily-export
  owner: data-team
"""
    make_sink(options(endpoint, extra)).write(payload, context)

    head = admin.head_object(Bucket=bucket, Key="gpus.jsonl")
    assert head["Metadata"] == {"pipeline": "daily-export", "owner": "data-team"}
    assert head["StorageClass"] == "STANDARD_IA"
    assert head["ServerSideEncryption"] == "AES256"


def test_kms_encryption_with_key_id(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
) -> None:
    extra = (
        "filename_pattern: gpus.jsonl\nserver_side_encryption: aws:kms\nkms_key_id: alias/exports\n"
    )
    make_sink(options(endpoint, extra)).write(payload, context)

    head = admin.head_object(Bucket=bucket, Key="gpus.jsonl")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith("alias/exports")


def test_default_upload_sends_no_class_encryption_or_checksum(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
) -> None:
    make_sink(options(endpoint, "filename_pattern: gpus.jsonl")).write(payload, context)

    head = admin.head_object(Bucket=bucket, Key="gpus.jsonl", ChecksumMode="ENABLED")
    assert "StorageClass" not in head and "ServerSideEncryption" not in head
    # A CRC trailer (botocore's default since 1.36) is what MinIO and R2 reject.
    assert not [name for name in head if name.startswith("Checksum")]
    grants = admin.get_object_acl(Bucket=bucket, Key="gpus.jsonl")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]


def test_canned_acl_is_applied(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
) -> None:
    make_sink(options(endpoint, "filename_pattern: gpus.jsonl\nacl: public-read")).write(
        payload, context
    )

    grants = admin.get_object_acl(Bucket=bucket, Key="gpus.jsonl")["Grants"]
    public = [g["Permission"] for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    assert public == ["READ"]


def test_default_credential_chain_is_used_without_a_credentials_block(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "from-the-environment")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "also-from-the-environment")
    sink = make_sink(f"bucket: exports\nendpoint_url: {endpoint}\nfilename_pattern: gpus.jsonl")
    sink.write(payload, context)

    assert admin.get_object(Bucket=bucket, Key="gpus.jsonl")["Body"].read() == payload.to_bytes()


def test_large_payload_goes_up_in_parts_through_a_file(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # S3's smallest part is 5 MiB; spill to disk after 1 MiB to take the file path too.
    monkeypatch.setattr(s3calls, "SPOOL_MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(s3calls, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(s3calls, "MULTIPART_CHUNKSIZE", 5 * 1024 * 1024)
    payload = fakes.lines_payload(generate_instances(400) * 200)
    expected = payload.to_bytes()
    assert 5 * 1024 * 1024 < len(expected) < 10 * 1024 * 1024

    result = make_sink(options(endpoint, "filename_pattern: big.jsonl")).write(payload, context)

    stored = admin.get_object(Bucket=bucket, Key="big.jsonl")
    assert stored["Body"].read() == expected
    assert stored["ETag"].strip('"').endswith("-2")  # two parts
    assert result.bytes_written == len(expected)


@pytest.mark.parametrize("extension", ["jsonl", ".jsonl"])
def test_default_key_is_pipeline_timestamp_and_extension(
    make_sink: MakeSink,
    endpoint: str,
    bucket: str,
    admin: S3Client,
    context: RunContext,
    extension: str,
) -> None:
    payload = Payload(
        media_type=fakes.MEDIA_TYPE,
        extension=extension,
        records=generate_instances(3),
        render=fakes.render_lines,
    )
    sink = make_sink(f"bucket: exports\nendpoint_url: {endpoint}\n" + CREDENTIALS)

    result = sink.write(payload, context)

    assert result.destination == "s3://exports/daily_20240506-070809.jsonl"
    listed = admin.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == ["daily_20240506-070809.jsonl"]


def test_describe_names_the_object_without_any_request(
    make_sink: MakeSink, payload: Payload, context: RunContext
) -> None:
    # Nothing listens on port 9 of loopback: describe must not try.
    sink = make_sink(
        "bucket: exports\nendpoint_url: http://127.0.0.1:9\nprefix: daily/\n"
        "filename_pattern: '{pipeline}_{date}.jsonl'\ncompression: gzip"
    )
    result = sink.describe(payload, context)
    assert (result.output_type, result.destination) == (
        "s3",
        "s3://exports/daily/daily_2024-05-06.jsonl.gz",
    )
    assert result.success and result.bytes_written == 0
