"""Where and as whom one ``s3`` output reaches S3: its options as the core's :class:`S3Access`.

The client itself is built by the core (``make_s3_client``), the same way for ``s3://``
snapshots; boto3 loads only when an upload happens.
"""

from __future__ import annotations

from collections.abc import Mapping

from gpuport_collectors.plugin_api import S3Access, S3Keys

from .config import S3Config


def read_keys(config: S3Config, environ: Mapping[str, str] | None = None) -> S3Keys | None:
    """The configured keys, read now; None means boto3's default chain.

    Raises ``MissingCredentialError`` when a named variable has been unset since loading.
    """
    if config.credentials is None:
        return None
    return config.credentials.read(environ)


def access_for(config: S3Config, keys: S3Keys | None) -> S3Access:
    return S3Access(
        region=config.region,
        endpoint_url=config.endpoint_url,
        keys=keys,
        retry=config.retry_policy(),
    )
