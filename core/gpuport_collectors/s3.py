"""S3 access shared by the ``s3`` output and ``s3://`` snapshots: one way to build a client,
read credentials, explain a failure, tell a transient one and keep keys out of botocore's
logs. Requests with retries are in :mod:`.s3calls`.

boto3 and botocore are imported inside the functions that need them, so importing this
module costs nothing (``--help``, ``validate`` and ``plugins`` never load boto3).
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from .errors import OptionError, UsageError
from .redaction import Redactor, masked_library_logs
from .retry import RetryOptions, RetryPolicy, parse_retry_after
from .secrets import Secret

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
MAX_DETAIL = 240

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names shown in messages: conventional upper-case names. Anything else might be a key
# pasted by mistake (secret keys are mixed case), so it is never echoed.
_SHOWABLE_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_ACCESS_KEY_ID = re.compile(r"(AKIA|ASIA)[A-Z0-9]{16}")
_BUCKET = re.compile(r"[A-Za-z0-9.\-_]{1,255}")  # botocore's own check; stores are stricter


# -- s3:// URLs ------------------------------------------------------------------------------


def is_s3_url(text: str | os.PathLike[str]) -> bool:
    return isinstance(text, str) and text[:5].lower() == "s3://"


@attrs.frozen
class S3Location:
    """``s3://bucket/key``."""

    bucket: str
    key: str

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def parse_s3_url(url: str) -> S3Location:
    """Bucket and key of ``s3://bucket/key``; ``UsageError`` saying what is wrong."""
    parts = urlsplit(url)
    bucket, key = parts.netloc, parts.path.lstrip("/")
    if parts.scheme.lower() != "s3" or not bucket or not key or parts.query or parts.fragment:
        raise UsageError(f"{url}: expected s3://bucket/key (e.g. s3://gpu-data/latest.json.gz)")
    if not _BUCKET.fullmatch(bucket):
        raise UsageError(f"{url}: {bucket!r} is not a valid bucket name")
    return S3Location(bucket, key)


# -- credentials named in the config -----------------------------------------------------


class MissingCredentialError(LookupError):
    """A variable named in ``credentials`` is not set; the message never shows a value."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(message)


def shown_name(name: str) -> str:
    """How a variable name appears in messages: itself, unless it might be a key."""
    if _SHOWABLE_NAME.fullmatch(name) and not _ACCESS_KEY_ID.fullmatch(name):
        return name
    return "(name hidden: it does not look like an environment variable name)"


def env_value(option: str, name: str, environ: Mapping[str, str]) -> str:
    """The value of the variable ``name`` configured as ``option``; raise if it is unset."""
    if name in environ:
        return environ[name]
    raise MissingCredentialError(
        option,
        f"environment variable {shown_name(name)} named by credentials.{option} is not set; "
        "export it or fix the name",
    )


def _check_env_name(option: str, name: str) -> None:
    if _ACCESS_KEY_ID.fullmatch(name):
        raise OptionError(
            option,
            "this looks like an access key ID; put the name of the environment variable "
            "that holds it here (e.g. AWS_ACCESS_KEY_ID), never the key itself",
        )
    if not _ENV_NAME.fullmatch(name):
        raise OptionError(
            option,
            "expected the name of an environment variable (e.g. AWS_SECRET_ACCESS_KEY); "
            "never put a key itself in the config",
        )


@attrs.frozen
class S3Keys:
    """Credentials read from the variables a ``credentials`` block names."""

    access_key: Secret
    secret_key: Secret
    session_token: Secret | None = None

    def values(self) -> list[str]:
        """Every credential value, for masking."""
        secrets = [self.access_key, self.secret_key, self.session_token]
        return [secret.reveal() for secret in secrets if secret is not None]


@attrs.frozen
class S3CredentialsConfig:
    """Names of the environment variables holding the keys (read again at use).

    Without a ``credentials`` block boto3's default chain applies (``AWS_*`` variables,
    ``~/.aws``, instance or container roles).
    """

    access_key_env: str = attrs.field(
        metadata={"description": "variable holding the access key ID, e.g. `AWS_ACCESS_KEY_ID`"}
    )
    secret_key_env: str = attrs.field(metadata={"description": "variable holding the secret key"})
    session_token_env: str | None = attrs.field(
        default=None,
        metadata={
            "description": "variable holding a session token; optional: unset means no token"
        },
    )

    def __attrs_post_init__(self) -> None:
        for option, name in self.names():
            _check_env_name(option, name)
            if option == "session_token_env":  # temporary credentials only; may be unset
                continue
            try:
                env_value(option, name, os.environ)
            except MissingCredentialError as error:
                raise OptionError(option, str(error)) from None

    def names(self) -> list[tuple[str, str]]:
        """``(option, variable name)`` for every configured variable."""
        pairs = [("access_key_env", self.access_key_env), ("secret_key_env", self.secret_key_env)]
        if self.session_token_env is not None:
            pairs.append(("session_token_env", self.session_token_env))
        return pairs

    def read(self, environ: Mapping[str, str] | None = None) -> S3Keys:
        """The keys, read now; ``MissingCredentialError`` if a variable has been unset."""
        env = os.environ if environ is None else environ
        token = None
        if self.session_token_env is not None and self.session_token_env in env:
            token = Secret.literal(env_value("session_token_env", self.session_token_env, env))
        return S3Keys(
            access_key=Secret.literal(env_value("access_key_env", self.access_key_env, env)),
            secret_key=Secret.literal(env_value("secret_key_env", self.secret_key_env, env)),
            session_token=token,
        )


def check_s3_bucket(bucket: str, option: str = "bucket") -> None:
    """``OptionError`` unless ``bucket`` is a bucket name alone (no ``s3://``, no path)."""
    if bucket.startswith("s3://") or "/" in bucket:
        raise OptionError(
            option, "give the bucket name only (e.g. my-bucket); put any path in prefix"
        )
    if not _BUCKET.fullmatch(bucket):
        raise OptionError(
            option,
            "not a valid bucket name: use letters, digits, '.', '-' or '_' (e.g. my-bucket)",
        )


def check_s3_endpoint_url(url: str, option: str = "endpoint_url") -> None:
    """``OptionError`` unless ``url`` is an http(s) URL without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(
            option, "expected an http:// or https:// URL such as https://minio.example:9000"
        )
    if parts.username or parts.password:
        raise OptionError(
            option, "must not contain credentials; use the credentials option instead"
        )


# -- the client ------------------------------------------------------------------------------

#: ``--s3-endpoint-url`` of the running command; see :func:`endpoint_for_run`.
_RUN_ENDPOINT: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gpuport_s3_endpoint", default=None
)


@contextmanager
def endpoint_for_run(url: str | None) -> Iterator[None]:
    """Meanwhile, S3 access without its own ``endpoint_url`` goes to ``url`` (when not None).

    The CLI's ``--s3-endpoint-url``: it outranks ``AWS_ENDPOINT_URL`` without changing
    the process environment, and is forgotten when the command ends.
    """
    token = _RUN_ENDPOINT.set(url) if url else None
    try:
        yield
    finally:
        if token is not None:
            _RUN_ENDPOINT.reset(token)


def _default_retry() -> RetryPolicy:
    return RetryOptions().retry_policy()


@attrs.frozen
class S3Access:
    """Where and as whom to reach S3, and how often to try.

    ``region`` None means boto3's own choice (``AWS_REGION``, ``AWS_DEFAULT_REGION``,
    ``~/.aws/config``), then us-east-1. ``endpoint_url`` None means the command's
    ``--s3-endpoint-url``, else ``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL``, else AWS.
    ``keys`` None means boto3's default chain. ``retry`` is the one wait rule; by default
    that of :class:`RetryOptions`' defaults (``s3://`` snapshots have no retry options).
    """

    region: str | None = None
    endpoint_url: str | None = None
    keys: S3Keys | None = None
    retry: RetryPolicy = attrs.field(factory=_default_retry)

    def endpoint(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The endpoint URL requests go to, or None for AWS."""
        env = os.environ if environ is None else environ
        return (
            self.endpoint_url
            or _RUN_ENDPOINT.get()
            or env.get("AWS_ENDPOINT_URL_S3")
            or env.get("AWS_ENDPOINT_URL")
            or None
        )

    def describe_endpoint(self) -> str:
        """The endpoint for messages: the configured one or AWS's regional endpoint."""
        return self.endpoint() or f"https://s3.{self.region or 'us-east-1'}.amazonaws.com"


def make_s3_client(access: S3Access) -> tuple[S3Client, list[str]]:
    """An S3 client for ``access`` and every credential value it will use (to mask).

    With an endpoint URL requests use path-style addressing (MinIO, R2 and most other
    stores need it), and checksums are computed and validated only when an operation
    requires them: recent botocore defaults add CRC trailers that many stores reject.
    botocore itself never retries (one attempt per call): callers retry with
    ``access.retry`` through :mod:`.s3calls`, so every wait follows our one rule.
    """
    import boto3
    from botocore.config import Config

    keys = access.keys
    session = boto3.session.Session(
        aws_access_key_id=keys.access_key.reveal() if keys else None,
        aws_secret_access_key=keys.secret_key.reveal() if keys else None,
        aws_session_token=keys.session_token.reveal() if keys and keys.session_token else None,
        region_name=access.region,
    )
    region = access.region or session.region_name or "us-east-1"
    endpoint = access.endpoint()
    botocore_config = Config(
        region_name=region,
        signature_version="s3v4",
        s3={"addressing_style": "path" if endpoint else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    client = session.client("s3", endpoint_url=endpoint, config=botocore_config)
    secrets: list[str | None] = list(keys.values()) if keys else []
    credentials = session.get_credentials()
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        secrets += [frozen.access_key, frozen.secret_key, frozen.token]
    return client, [secret for secret in secrets if secret]


@contextmanager
def masked_s3_logs(secrets: Iterable[str]) -> Iterator[None]:
    """Mask ``secrets`` in boto3, botocore, s3transfer and urllib3 log records meanwhile."""
    with masked_library_logs(secrets, "boto3"):
        yield


# -- errors ----------------------------------------------------------------------------------

_CREDENTIAL_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "TokenRefreshRequired",
    "InvalidSecurity",
}
_HINTS = {
    "NoSuchBucket": "the bucket does not exist; create it or fix 'bucket'",
    "NoSuchKey": "no such object; check the key",
    "404": "no such object; check the key",
    "AllAccessDisabled": "all access to this bucket is disabled",
    "AccessControlListNotSupported": "the bucket does not accept ACLs; "
    "use acl: private (the default), which sends none",
    "InvalidStorageClass": "this store does not offer that storage class; change storage_class",
    "AuthorizationHeaderMalformed": "the request was signed for the wrong region; fix 'region'",
    "PermanentRedirect": "the bucket is in another region; fix 'region'",
    "NotImplemented": "the store does not support an option this output sends "
    "(storage_class, acl or server_side_encryption); remove it",
}
#: Error codes that mean "what you named is not there" (a usage error when reading).
MISSING_CODES = frozenset({"NoSuchBucket", "NoSuchKey", "404"})
#: Answers that say "try again later": throttling, request timeouts, server faults.
#: Everything else S3 answers (AccessDenied, NoSuchBucket, InvalidAccessKeyId, other 4xx,
#: 501 NotImplemented) needs a fix, not another try.
TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestThrottled",
        "TooManyRequests",
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalError",
        "ServiceUnavailable",
        "500",
        "502",
        "503",
        "504",
    }
)
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


def one_line(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` on one line, shortened, with every secret masked."""
    flat = " ".join(Redactor(secrets)(text).split())
    return flat if len(flat) <= MAX_DETAIL else flat[: MAX_DETAIL - 3] + "..."


def error_code(error: Exception) -> str | None:
    """The S3 error code of a botocore ``ClientError`` (``NoSuchKey``), else None."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None
    return str(response.get("Error", {}).get("Code") or "") or None


def is_transient(error: Exception) -> bool:
    """Whether another try may succeed: a transient answer (:data:`TRANSIENT_CODES`,
    :data:`TRANSIENT_STATUSES`), a connection that failed or dropped, or a timeout.
    A TLS failure is not (a certificate does not fix itself)."""
    from botocore import exceptions as boto

    if isinstance(error, boto.ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return error_code(error) in TRANSIENT_CODES or status in TRANSIENT_STATUSES
    if isinstance(error, boto.SSLError):
        return False
    return isinstance(error, boto.ConnectionError | boto.HTTPClientError)


def retry_after(error: Exception) -> float | None:
    """Seconds from the Retry-After header of a botocore ``ClientError``, if it has one."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    return parse_retry_after(headers.get("retry-after"))


def explain_s3_error(
    error: Exception, endpoint: str, secrets: Iterable[str] = (), *, writing: bool = True
) -> str:
    """What went wrong talking to S3 and what to check, on one line, without a secret."""
    from botocore import exceptions as boto

    masked = list(secrets)
    if isinstance(error, boto.ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code") or "")
        message = one_line(str(details.get("Message") or ""), masked)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        cause = f"{code}: {message}" if message else code or f"HTTP {status}"
        if code in _CREDENTIAL_CODES:
            return (
                f"the credentials were rejected ({cause}); check the keys in the variables "
                "that credentials names, or the default AWS credentials"
            )
        if code in ("AccessDenied", "403"):
            needed = (
                "s3:PutObject for these credentials (and kms:GenerateDataKey with aws:kms)"
                if writing
                else "s3:GetObject for these credentials"
            )
            return f"access denied; allow {needed} or fix the bucket policy ({cause})"
        if code in _HINTS:
            return f"{_HINTS[code]} ({cause})"
        return f"S3 error (HTTP {status}, {cause})"
    if isinstance(
        error,
        boto.NoCredentialsError
        | boto.PartialCredentialsError
        | boto.CredentialRetrievalError
        | boto.ProfileNotFound,
    ):
        return (
            f"no usable AWS credentials ({one_line(str(error), masked)}); set "
            "credentials.access_key_env and secret_key_env, or configure AWS_ACCESS_KEY_ID, "
            "~/.aws or an instance role"
        )
    if isinstance(error, boto.ConnectionError | boto.HTTPClientError):
        reason = one_line(str(error), masked)
        return f"cannot reach {endpoint} ({reason}); check endpoint_url, region and the network"
    if isinstance(error, boto.ParamValidationError):
        return f"invalid request ({one_line(str(error), masked)})"
    return f"S3 request failed ({type(error).__name__}: {one_line(str(error), masked)})"
