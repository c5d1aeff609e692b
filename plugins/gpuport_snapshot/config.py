"""Options of the ``snapshot`` collector (``collectors: [{type: snapshot, path: ...}]``)."""

from __future__ import annotations

import attrs

from gpuport_collectors.plugin_api import (
    OptionError,
    S3Access,
    S3CredentialsConfig,
    check_s3_endpoint_url,
    is_s3_url,
)

_S3_ONLY = ("endpoint_url", "region", "credentials")


@attrs.frozen
class SnapshotConfig:
    """``path``: a local file or ``s3://bucket/key``. For S3, the s3 output's options
    ``endpoint_url``, ``region`` and ``credentials`` (default: boto3's own chain)."""

    path: str = attrs.field(metadata={"description": "the snapshot file, or `s3://bucket/key`"})
    endpoint_url: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "an S3-compatible store's URL; default: the command's `--s3-endpoint-url`, "
                "else `AWS_ENDPOINT_URL`, else AWS"
            )
        },
    )
    region: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "the bucket's region; default: boto3's (`AWS_REGION`, `~/.aws/config`), "
                "else `us-east-1`"
            )
        },
    )
    credentials: S3CredentialsConfig | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "names of environment variables holding the keys; default: boto3's usual chain"
            )
        },
    )

    def __attrs_post_init__(self) -> None:
        if not self.path.strip():
            raise OptionError("path", "must not be empty; give a snapshot file or s3:// URL")
        if not is_s3_url(self.path):
            for key in _S3_ONLY:
                if getattr(self, key) is not None:
                    raise OptionError(key, f"{key} applies to s3:// paths only; remove it")
        if self.endpoint_url is not None:
            check_s3_endpoint_url(self.endpoint_url)

    def s3_access(self) -> S3Access:
        """How to reach an ``s3://`` path; the keys are read now."""
        keys = None if self.credentials is None else self.credentials.read()
        return S3Access(region=self.region, endpoint_url=self.endpoint_url, keys=keys)
