"""Options of the ``s3`` output, checked when the config is loaded (no boto3, no network)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

from gpuport_collectors.plugin_api import (
    OptionError,
    RetryOptions,
    S3CredentialsConfig,
    check_filename_pattern,
    check_s3_bucket,
    check_s3_endpoint_url,
    suggest,
)

CANNED_ACLS = Literal[
    "private",
    "public-read",
    "public-read-write",
    "authenticated-read",
    "aws-exec-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
]
AWS_STORAGE_CLASSES = (
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "GLACIER_IR",
    "DEEP_ARCHIVE",
    "EXPRESS_ONEZONE",
)
#: S3 limits user metadata (keys and values, as sent) to 2 KB per object.
METADATA_LIMIT = 2048

_REGION = re.compile(r"[a-z0-9][a-z0-9-]*")
_STORAGE_CLASS = re.compile(r"[A-Z][A-Z0-9_]*")
_METADATA_KEY = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # an HTTP header token


#: The names tests and older code import from here.
CredentialsConfig = S3CredentialsConfig


@attrs.frozen
class S3Config(RetryOptions):
    """Options of one ``type: s3`` output; the defaults are those of the export spec.

    Without ``filename_pattern`` the key is ``{pipeline}_{timestamp}`` plus the payload's
    extension: a new object per run, never overwriting an earlier one. ``retry_attempts``,
    ``retry_delay``, ``retry_backoff`` and ``retry_max_delay`` come from
    :class:`RetryOptions` (the same names and defaults as the ``https`` output).
    """

    bucket: str = attrs.field(
        metadata={"description": "the bucket name only (no `s3://`, no path)"}
    )
    filename_pattern: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the object name after `prefix`, with placeholders; default "
                "`{pipeline}_{timestamp}` plus the document's extension"
            )
        },
    )
    prefix: str = attrs.field(
        default="",
        metadata={
            "description": (
                "the folder keys go under, e.g. `data/` "
                "(a missing trailing `/` is added; no placeholders)"
            )
        },
    )
    region: str = attrs.field(
        default="us-east-1", metadata={"description": "the bucket's region (`auto` for R2)"}
    )
    endpoint_url: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the store's URL for S3-compatible services, e.g. `https://minio.example:9000`; "
                "default: the command's `--s3-endpoint-url`, else `AWS_ENDPOINT_URL`, else AWS"
            )
        },
    )
    compression: Literal["none", "gzip"] = attrs.field(
        default="none", metadata={"description": '`"none"` or `"gzip"`'}
    )
    credentials: CredentialsConfig | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "names of environment variables holding the keys; default: boto3's usual chain "
                "(`AWS_*` variables, `~/.aws`, instance roles)"
            )
        },
    )
    storage_class: str = attrs.field(
        default="STANDARD", metadata={"description": "`STANDARD`, `STANDARD_IA`, `GLACIER`, ..."}
    )
    server_side_encryption: Literal["AES256", "aws:kms"] | None = attrs.field(
        default=None, metadata={"description": "`AES256` or `aws:kms`"}
    )
    kms_key_id: str | None = attrs.field(
        default=None,
        metadata={"description": "the KMS key, with `server_side_encryption: aws:kms`"},
    )
    acl: CANNED_ACLS = attrs.field(
        default="private",
        metadata={
            "description": (
                "a canned ACL: `private`, `public-read`, `bucket-owner-full-control`, ..."
            )
        },
    )
    metadata: dict[str, str] = attrs.field(
        factory=dict,
        metadata={"description": "user metadata stored with the object (ASCII, 2 KB in total)"},
    )

    def __attrs_post_init__(self) -> None:
        check_s3_bucket(self.bucket)
        self.check_retry()
        if self.filename_pattern is not None:
            check_filename_pattern(self.filename_pattern, compression=self.compression)
        _check_prefix(self.prefix)
        if not _REGION.fullmatch(self.region):
            raise OptionError("region", "expected a region name such as us-east-1 (R2: auto)")
        if self.endpoint_url is not None:
            check_s3_endpoint_url(self.endpoint_url)
        _check_storage_class(self.storage_class)
        if self.kms_key_id is not None and self.server_side_encryption != "aws:kms":
            raise OptionError(
                "kms_key_id",
                "kms_key_id needs server_side_encryption: aws:kms; set it or remove this",
            )
        if self.kms_key_id is not None and not self.kms_key_id.strip():
            raise OptionError("kms_key_id", "must not be empty; remove it to use the default key")
        _check_metadata(self.metadata)


def _check_prefix(prefix: str) -> None:
    if prefix.startswith("/"):
        raise OptionError("prefix", "must not start with '/' (write 'data/', not '/data/')")
    if "{" in prefix or "}" in prefix:
        raise OptionError(
            "prefix",
            "takes no placeholders; put them in filename_pattern (e.g. '{date}/gpus_{time}.json')",
        )


def _check_storage_class(storage_class: str) -> None:
    if _STORAGE_CLASS.fullmatch(storage_class):
        return
    raise OptionError(
        "storage_class",
        f"expected an upper-case storage class{suggest(storage_class.upper(), AWS_STORAGE_CLASSES)}"
        f" (AWS: {', '.join(AWS_STORAGE_CLASSES)})",
    )


def _check_metadata(metadata: Mapping[str, str]) -> None:
    size = 0
    for key, value in metadata.items():
        if not _METADATA_KEY.fullmatch(key):
            raise OptionError(
                "metadata", f"key {key!r} must be ASCII letters, digits or '-' (no spaces)"
            )
        if not all(" " <= char <= "~" for char in value):
            raise OptionError(
                "metadata",
                f"value of {key!r} must be printable ASCII text (S3 sends metadata as headers)",
            )
        size += len(key) + len(value)
    if size > METADATA_LIMIT:
        raise OptionError(
            "metadata", f"keys and values add up to {size} bytes; S3 allows {METADATA_LIMIT}"
        )
