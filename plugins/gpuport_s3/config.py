"""Options of the ``s3`` output, checked when the config is loaded (no boto3, no network)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

from gpuport_collectors.plugin_api import (
    OptionError,
    S3CredentialsConfig,
    check_filename_pattern,
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

# Names shown in messages: conventional upper-case names. Anything else might be a key
# pasted by mistake (secret keys are mixed case), so it is never echoed.
_BUCKET = re.compile(r"[A-Za-z0-9.\-_]{1,255}")  # botocore's own check; stores are stricter
_REGION = re.compile(r"[a-z0-9][a-z0-9-]*")
_STORAGE_CLASS = re.compile(r"[A-Z][A-Z0-9_]*")
_METADATA_KEY = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # an HTTP header token


#: The names tests and older code import from here.
CredentialsConfig = S3CredentialsConfig


@attrs.frozen
class S3Config:
    """Options of one ``type: s3`` output; the defaults are those of the export spec.

    Without ``filename_pattern`` the key is ``{pipeline}_{timestamp}`` plus the payload's
    extension: a new object per run, never overwriting an earlier one.
    """

    bucket: str
    filename_pattern: str | None = None
    prefix: str = ""
    region: str = "us-east-1"
    endpoint_url: str | None = None
    compression: Literal["none", "gzip"] = "none"
    credentials: S3CredentialsConfig | None = None
    storage_class: str = "STANDARD"
    server_side_encryption: Literal["AES256", "aws:kms"] | None = None
    kms_key_id: str | None = None
    acl: CANNED_ACLS = "private"
    metadata: dict[str, str] = attrs.Factory(dict)

    def __attrs_post_init__(self) -> None:
        _check_bucket(self.bucket)
        if self.filename_pattern is not None:
            check_filename_pattern(self.filename_pattern)
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


def _check_bucket(bucket: str) -> None:
    if bucket.startswith("s3://") or "/" in bucket:
        raise OptionError(
            "bucket", "give the bucket name only (e.g. my-bucket); put any path in prefix"
        )
    if not _BUCKET.fullmatch(bucket):
        raise OptionError(
            "bucket",
            "not a valid bucket name: use letters, digits, '.', '-' or '_' (e.g. my-bucket)",
        )


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
