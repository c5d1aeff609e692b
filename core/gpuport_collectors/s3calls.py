"""S3 requests with the one retry rule: :func:`upload_object` for every upload (the ``s3``
output and ``s3://`` snapshots), :func:`call_s3` for any other request.

botocore's own retries are off (``make_s3_client``), so every wait follows
``S3Access.retry`` (docs/configuration.md, Retries). A transient failure (see
:func:`~.s3.is_transient`) is tried again; anything else fails at once. A failure for good
is an :class:`S3RequestError` with a one-line reason and no secret in it; callers turn it
into their own error. ``sleep`` and ``rand`` are injected by tests.
"""

from __future__ import annotations

import logging
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .s3 import (
    S3Access,
    S3Location,
    error_code,
    explain_s3_error,
    is_transient,
    make_s3_client,
    masked_s3_logs,
    retry_after,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Objects up to this size stay in memory while uploading; larger ones spill to disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
#: Objects from this size go up as a multipart upload, one part at a time.
MULTIPART_THRESHOLD = 16 * 1024 * 1024
MULTIPART_CHUNKSIZE = 16 * 1024 * 1024


class S3RequestError(Exception):
    """An S3 request failed for good (after any retries), raised ``from`` botocore's error.

    ``reason`` says on one line what failed and what to check, never a credential value;
    ``transient`` whether a later run may succeed; ``code`` the S3 error code, if any;
    ``attempts`` how many tries were made.
    """

    def __init__(
        self, reason: str, *, transient: bool, code: str | None = None, attempts: int = 1
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.code = code
        self.attempts = attempts


def call_s3(
    access: S3Access,
    call: Callable[[S3Client], T],
    *,
    label: str,
    writing: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """``call(client)``, tried again after each transient failure while ``access.retry``
    allows; ``label`` names the object in log lines. ``call`` must be safe to repeat."""
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    secrets = access.keys.values() if access.keys else []
    policy = access.retry
    client: S3Client | None = None
    attempt = 0
    while True:
        attempt += 1
        try:
            if client is None:
                client, secrets = make_s3_client(access)
            with masked_s3_logs(secrets):
                return call(client)
        except (BotoCoreError, ClientError, Boto3Error) as error:
            cause = _cause(error)
            reason = explain_s3_error(cause, access.describe_endpoint(), secrets, writing=writing)
            transient = is_transient(cause)
            if not transient or attempt > policy.attempts:
                if attempt > 1:
                    reason += f"; gave up after {attempt} attempts"
                raise S3RequestError(
                    reason, transient=transient, code=error_code(cause), attempts=attempt
                ) from error
            delay = policy.delay(attempt, retry_after(cause), rand)
            log.info(
                "%s: %s; retry %d of %d in %.2fs", label, reason, attempt, policy.attempts, delay
            )
            sleep(delay)


def upload_object(
    chunks: Iterable[bytes],
    location: S3Location,
    access: S3Access,
    *,
    extra_args: Mapping[str, Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> int:
    """Store ``chunks`` as the object at ``location``; returns its size in bytes.

    The chunks are spooled first (memory stays bounded, past :data:`SPOOL_MAX_BYTES` on
    disk), then sent whole: in one request, or past :data:`MULTIPART_THRESHOLD` as a
    multipart upload that is aborted on failure. So an object is created or replaced only
    when all of it arrived. Each retry sends the whole object again. ``extra_args`` are
    boto3's (``ContentType``, ``Metadata``, ...). Raises :class:`S3RequestError`.
    """
    from boto3.s3.transfer import TransferConfig

    transfer = TransferConfig(
        multipart_threshold=MULTIPART_THRESHOLD,
        multipart_chunksize=MULTIPART_CHUNKSIZE,
        use_threads=False,  # one part in memory at a time
    )
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as body:
        try:
            for chunk in chunks:
                body.write(chunk)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise S3RequestError(f"cannot buffer the object: {reason}", transient=False) from error
        size = body.tell()

        def send(client: S3Client) -> None:
            body.seek(0)  # every try sends the whole object
            client.upload_fileobj(
                _KeptOpen(body),  # type: ignore[arg-type]
                location.bucket,
                location.key,
                ExtraArgs=dict(extra_args or {}),
                Config=transfer,
            )

        call_s3(access, send, label=str(location), sleep=sleep, rand=rand)
    return size


class _KeptOpen:
    """The spooled body as s3transfer sees it: s3transfer closes what it has sent, but a
    retry sends the same body again."""

    def __init__(self, body: IO[bytes]) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._body.seek(offset, whence)

    def tell(self) -> int:
        return self._body.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """Left open: the spool is closed by :func:`upload_object` when it is done."""


def _cause(error: Exception) -> Exception:
    """botocore's error behind one of boto3's wrappers (``S3UploadFailedError``)."""
    from boto3.exceptions import Boto3Error

    cause = error.__cause__
    if isinstance(error, Boto3Error) and isinstance(cause, Exception):
        return cause
    return error
