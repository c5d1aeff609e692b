"""Snapshot bytes to and from ``s3://bucket/key``, for snapshots.py.

Reading: a missing bucket or object is a :class:`SnapshotNotFoundError`, refused access or
rejected credentials a :class:`SnapshotError` (both exit 2: fix the input); an endpoint
that cannot be reached or fails is a :class:`CollectorError` (exit 1: worth retrying).
Writing fails as :class:`SnapshotError` (exit 2) or, when worth retrying,
:class:`OutputError` (exit 1). Both retry transient failures first, by the one rule
(``S3Access.retry``, through :mod:`.s3calls`); a write goes through
:func:`~.s3calls.upload_object`, so a failed run never leaves a partial object behind.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .errors import CollectorError, OutputError, SnapshotError, SnapshotNotFoundError
from .s3 import MISSING_CODES, S3Access, parse_s3_url
from .s3calls import S3RequestError, call_s3, upload_object

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

#: Bytes read from a download at a time.
DOWNLOAD_CHUNK = 1024 * 1024


def open_object(
    url: str,
    access: S3Access | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> io.BufferedRandom:
    """The object at ``url`` as a binary stream, downloaded to a temporary file first (so
    memory stays bounded and a broken connection is an error here, not half a snapshot)."""
    location = parse_s3_url(url)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the caller reads and closes it

    def fetch(client: S3Client) -> None:
        spool.seek(0)
        spool.truncate()  # a retry starts the download again
        answer = client.get_object(Bucket=location.bucket, Key=location.key)
        for chunk in answer["Body"].iter_chunks(DOWNLOAD_CHUNK):
            spool.write(chunk)

    try:
        call_s3(access or S3Access(), fetch, label=url, writing=False, sleep=sleep, rand=rand)
    except S3RequestError as error:
        spool.close()
        if error.code in MISSING_CODES:
            raise SnapshotNotFoundError(f"{url}: snapshot not found: {error}") from error
        if error.transient:
            raise CollectorError(f"{url}: cannot read snapshot: {error}") from error
        raise SnapshotError(f"{url}: cannot read snapshot: {error}") from error
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
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> int:
    """Upload ``chunks`` as the object at ``url``; returns its size. ``SnapshotError`` on
    failure, naming the URL; no object is created (or replaced) unless all of it arrived."""
    location = parse_s3_url(url)
    try:
        return upload_object(
            chunks,
            location,
            access or S3Access(),
            extra_args={"ContentType": content_type},
            sleep=sleep,
            rand=rand,
        )
    except S3RequestError as error:
        if error.transient:
            raise OutputError(f"{url}: cannot write snapshot: {error}") from error
        raise SnapshotError(f"{url}: cannot write snapshot: {error}") from error
