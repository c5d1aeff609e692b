"""Snapshot bytes to and from ``s3://bucket/key``, for snapshots.py.

Reading: a missing bucket or object is a :class:`SnapshotNotFoundError`, refused access or
rejected credentials a :class:`SnapshotError` (both exit 2: fix the input); an endpoint
that cannot be reached or fails is a :class:`CollectorError` (exit 1: worth retrying).
Writing fails as :class:`SnapshotError` (exit 2) or, when worth retrying,
:class:`OutputError` (exit 1). It spools the whole document first and uploads it in one
request (or a multipart upload that boto3 aborts on failure), so a failed run never
leaves a partial object behind.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from typing import IO

from .errors import CollectorError, OutputError, SnapshotError, SnapshotNotFoundError
from .s3 import (
    MISSING_CODES,
    S3Access,
    error_code,
    explain_s3_error,
    make_s3_client,
    masked_s3_logs,
    parse_s3_url,
)

#: Documents up to this size stay in memory while uploading; larger ones spill to disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
#: Objects from this size go up as a multipart upload, one part at a time.
MULTIPART_THRESHOLD = 16 * 1024 * 1024
MULTIPART_CHUNKSIZE = 16 * 1024 * 1024

#: Bytes read from a download at a time.
DOWNLOAD_CHUNK = 1024 * 1024
#: Answers that say "try again later" rather than "fix the input".
_RETRYABLE = frozenset({"InternalError", "ServiceUnavailable", "SlowDown", "500", "502", "503"})


def open_object(url: str, access: S3Access | None = None) -> io.BufferedRandom:
    """The object at ``url`` as a binary stream, downloaded to a temporary file first (so
    memory stays bounded and a broken connection is an error here, not half a snapshot)."""
    from botocore.exceptions import BotoCoreError, ClientError

    location = parse_s3_url(url)
    access = access or S3Access()
    secrets: list[str] = []
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the caller reads and closes it
    try:
        client, secrets = make_s3_client(access)
        with masked_s3_logs(secrets):
            answer = client.get_object(Bucket=location.bucket, Key=location.key)
            for chunk in answer["Body"].iter_chunks(DOWNLOAD_CHUNK):
                spool.write(chunk)
    except (BotoCoreError, ClientError) as error:
        spool.close()
        reason = explain_s3_error(error, access.describe_endpoint(), secrets, writing=False)
        if error_code(error) in MISSING_CODES:
            raise SnapshotNotFoundError(f"{url}: snapshot not found: {reason}") from error
        if _transient(error):
            raise CollectorError(f"{url}: cannot read snapshot: {reason}") from error
        raise SnapshotError(f"{url}: cannot read snapshot: {reason}") from error
    except OSError as error:
        spool.close()
        reason = error.strerror or type(error).__name__
        raise SnapshotError(f"{url}: cannot buffer the snapshot: {reason}") from error
    spool.seek(0)
    return spool


def write_object(
    url: str,
    chunks: Iterable[bytes],
    *,
    content_type: str,
    access: S3Access | None = None,
) -> int:
    """Upload ``chunks`` as the object at ``url``; returns its size. ``SnapshotError`` on
    failure, naming the URL; no object is created (or replaced) unless all of it arrived."""
    location = parse_s3_url(url)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as body:
        try:
            for chunk in chunks:
                body.write(chunk)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise SnapshotError(f"{url}: cannot buffer the snapshot: {reason}") from error
        size = body.tell()
        body.seek(0)
        _upload(body, url, location.bucket, location.key, content_type, access or S3Access())
    return size


def _upload(
    body: IO[bytes], url: str, bucket: str, key: str, content_type: str, access: S3Access
) -> None:
    from boto3.exceptions import Boto3Error
    from boto3.s3.transfer import TransferConfig
    from botocore.exceptions import BotoCoreError, ClientError

    secrets: list[str] = []
    try:
        client, secrets = make_s3_client(access)
        transfer = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD,
            multipart_chunksize=MULTIPART_CHUNKSIZE,
            use_threads=False,  # one part in memory at a time
        )
        with masked_s3_logs(secrets):
            client.upload_fileobj(
                body, bucket, key, ExtraArgs={"ContentType": content_type}, Config=transfer
            )
    except (BotoCoreError, ClientError, Boto3Error) as error:
        cause = error.__cause__ if isinstance(error, Boto3Error) and error.__cause__ else error
        assert isinstance(cause, Exception)
        reason = explain_s3_error(cause, access.describe_endpoint(), secrets)
        if _transient(cause):
            raise OutputError(f"{url}: cannot write snapshot: {reason}") from error
        raise SnapshotError(f"{url}: cannot write snapshot: {reason}") from error


def _transient(error: Exception) -> bool:
    """A failure worth retrying (exit 1) rather than one to fix (exit 2)."""
    from botocore.exceptions import ConnectionError, HTTPClientError

    return error_code(error) in _RETRYABLE or isinstance(error, ConnectionError | HTTPClientError)
