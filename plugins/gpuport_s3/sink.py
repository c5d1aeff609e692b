"""The ``s3`` sink: one object per payload, uploaded with boto3."""

from __future__ import annotations

import gzip
import logging
import tempfile
from typing import IO, Any

from gpuport_collectors.plugin_api import (
    MissingCredentialError,
    OutputError,
    OutputResult,
    Payload,
    RunContext,
    S3Keys,
    make_s3_client,
    masked_s3_logs,
    output_name,
)

from .client import access_for, read_keys
from .config import S3Config
from .errors import translate

log = logging.getLogger(__name__)

#: Payloads up to this size stay in memory; larger ones spill to a temporary file.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
#: Objects from this size are sent as a multipart upload, part by part.
MULTIPART_THRESHOLD = 16 * 1024 * 1024
MULTIPART_CHUNKSIZE = 16 * 1024 * 1024


class S3Sink:
    """Uploads the payload to ``s3://bucket/prefix + filename_pattern`` (``.gz`` when gzipped).

    The payload is streamed into a spooled temporary file (memory stays bounded), then
    uploaded; objects past :data:`MULTIPART_THRESHOLD` go up in parts, one at a time.
    """

    Config = S3Config

    def __init__(self, config: S3Config) -> None:
        self.config = config

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
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as body:
            try:
                size = self._spool(payload, body)
            except OSError as error:
                reason = error.strerror or type(error).__name__
                raise OutputError(f"{destination}: cannot buffer the payload: {reason}") from error
            self._upload(body, key, payload, destination, keys)
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

    def _spool(self, payload: Payload, body: IO[bytes]) -> int:
        if self.config.compression == "gzip":
            with gzip.GzipFile(fileobj=body, mode="wb", mtime=0) as stream:
                for chunk in payload.iter_bytes():
                    stream.write(chunk)
        else:
            for chunk in payload.iter_bytes():
                body.write(chunk)
        size = body.tell()
        body.seek(0)
        return size

    def _upload(
        self, body: IO[bytes], key: str, payload: Payload, destination: str, keys: S3Keys | None
    ) -> None:
        from boto3.exceptions import Boto3Error
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import BotoCoreError, ClientError

        access = access_for(self.config, keys)
        endpoint = access.describe_endpoint()
        secrets = keys.values() if keys else []
        try:
            client, secrets = make_s3_client(access)
            transfer = TransferConfig(
                multipart_threshold=MULTIPART_THRESHOLD,
                multipart_chunksize=MULTIPART_CHUNKSIZE,
                use_threads=False,  # one part in memory at a time
            )
            with masked_s3_logs(secrets):
                client.upload_fileobj(
                    body,
                    self.config.bucket,
                    key,
                    ExtraArgs=self.extra_args(payload),
                    Config=transfer,
                )
        except (BotoCoreError, ClientError, Boto3Error) as error:
            raise translate(
                error, destination=destination, endpoint=endpoint, secrets=secrets
            ) from error
