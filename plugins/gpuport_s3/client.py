"""Build the boto3 S3 client for one output: credentials, addressing, checksums, retries.

boto3 is imported here, inside functions, so loading the plugin stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from gpuport_collectors.plugin_api import Secret

from .config import S3Config, env_value

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
MAX_ATTEMPTS = 3


@attrs.frozen
class Keys:
    """Credentials read from the variables a ``credentials`` block names."""

    access_key: Secret
    secret_key: Secret
    session_token: Secret | None = None

    def values(self) -> list[str]:
        """Every credential value, for masking."""
        secrets = [self.access_key, self.secret_key, self.session_token]
        return [secret.reveal() for secret in secrets if secret is not None]


def read_keys(config: S3Config, environ: Mapping[str, str] | None = None) -> Keys | None:
    """The configured keys, read now; None means boto3's default chain.

    Raises ``MissingCredentialError`` when a named variable has been unset since loading.
    """
    credentials = config.credentials
    if credentials is None:
        return None
    env = os.environ if environ is None else environ
    token = None
    if credentials.session_token_env is not None and credentials.session_token_env in env:
        token = Secret.literal(env_value("session_token_env", credentials.session_token_env, env))
    return Keys(
        access_key=Secret.literal(env_value("access_key_env", credentials.access_key_env, env)),
        secret_key=Secret.literal(env_value("secret_key_env", credentials.secret_key_env, env)),
        session_token=token,
    )


def default_endpoint(config: S3Config) -> str:
    """The URL requests go to, for messages: ``endpoint_url`` or AWS's regional endpoint."""
    return config.endpoint_url or f"https://s3.{config.region}.amazonaws.com"


def make_client(config: S3Config, keys: Keys | None) -> tuple[S3Client, list[str]]:
    """An S3 client for ``config`` and every credential value it will use (to mask in logs).

    With ``endpoint_url`` requests use path-style addressing (MinIO, R2 and most other
    stores need it), and checksums are computed and validated only when an operation
    requires them: recent botocore defaults add CRC trailers that many stores reject.
    """
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=keys.access_key.reveal() if keys else None,
        aws_secret_access_key=keys.secret_key.reveal() if keys else None,
        aws_session_token=keys.session_token.reveal() if keys and keys.session_token else None,
        region_name=config.region,
    )
    botocore_config = Config(
        region_name=config.region,
        signature_version="s3v4",
        s3={"addressing_style": "path" if config.endpoint_url else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
    )
    client = session.client("s3", endpoint_url=config.endpoint_url, config=botocore_config)
    secrets: list[str | None] = []
    credentials = session.get_credentials()
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        secrets = [frozen.access_key, frozen.secret_key, frozen.token]
    return client, [secret for secret in secrets if secret]
