"""The ``s3`` sink: one object per payload, uploaded by the plugin API's ``upload_object``."""

from __future__ import annotations

import gzip
import io
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gpuport_collectors.plugin_api import (
    MissingCredentialError,
    OutputError,
    OutputResult,
    Payload,
    RunContext,
    S3Location,
    S3RequestError,
    output_name,
    upload_object,
)

from .client import access_for, read_keys
from .config import S3Config

log = logging.getLogger(__name__)


class S3Sink:
    """Uploads the payload to ``s3://bucket/prefix + filename_pattern`` (``.gz`` when gzipped).

    ``upload_object`` spools the payload (memory stays bounded), uploads it whole (in parts
    past its multipart threshold) and retries transient failures by the config's retry
    options; a failed upload leaves no object. ``sleep`` and ``rand`` are for tests.
    """

    Config = S3Config

    def __init__(
        self,
        config: S3Config,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.rand = rand

    def __repr__(self) -> str:
        return f"S3Sink(bucket={self.config.bucket!r}, prefix={self.config.prefix!r})"

    def key(self, payload: Payload, context: RunContext) -> str:
        """The object key for this run: prefix, rendered pattern, ``.gz`` when compressing.

        A prefix is a folder: ``exports/data`` and ``exports/data/`` both give
        ``exports/data/gpus.json``, as the earlier exporter wrote them.
        """
        prefix = self.config.prefix
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return prefix + output_name(
            self.config.filename_pattern,
            extension=payload.extension,
            moment=context.started_at,
            pipeline=context.pipeline,
            gzip=self.config.compression == "gzip",
        )

    def uri(self, key: str) -> str:
        return f"s3://{self.config.bucket}/{key}"

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """The object URI this run would write; no boto3, no network."""
        return OutputResult(output_type="s3", destination=self.uri(self.key(payload, context)))

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Upload the payload; raise a one-line ``OutputError`` naming the object on failure."""
        key = self.key(payload, context)
        destination = self.uri(key)
        try:
            keys = read_keys(self.config)
        except MissingCredentialError as error:
            raise OutputError(f"{destination}: {error}") from None
        chunks = payload.iter_bytes()
        if self.config.compression == "gzip":
            chunks = gzipped(chunks)
        try:
            size = upload_object(
                chunks,
                S3Location(self.config.bucket, key),
                access_for(self.config, keys),
                extra_args=self.extra_args(payload),
                sleep=self.sleep,
                rand=self.rand,
            )
        except S3RequestError as error:
            raise OutputError(f"{destination}: {error}") from error
        log.debug("uploaded %d bytes to %s", size, destination)
        return OutputResult(output_type="s3", destination=destination, bytes_written=size)

    def extra_args(self, payload: Payload) -> dict[str, Any]:
        """Object headers: content type and encoding, metadata, class, encryption, ACL.

        ``STANDARD`` and ``private`` are what S3 applies anyway, so they are not sent:
        buckets with ACLs disabled (the AWS default since 2023) and stores such as R2
        reject an explicit ACL header.
        """
        config = self.config
        args: dict[str, Any] = {"ContentType": payload.media_type}
        if config.compression == "gzip":
            args["ContentEncoding"] = "gzip"
        if config.metadata:
            args["Metadata"] = dict(config.metadata)
        if config.storage_class != "STANDARD":
            args["StorageClass"] = config.storage_class
        if config.server_side_encryption is not None:
            args["ServerSideEncryption"] = config.server_side_encryption
        if config.kms_key_id is not None:
            args["SSEKMSKeyId"] = config.kms_key_id
        if config.acl != "private":
            args["ACL"] = config.acl
        return args


def gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks`` gzip-compressed as they come (no timestamp: same input, same bytes)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as stream:
        for chunk in chunks:
            stream.write(chunk)
            if buffer.tell():
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
