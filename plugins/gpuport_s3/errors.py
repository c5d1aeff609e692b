"""Translate boto3 / botocore exceptions into one-line :class:`OutputError` messages.

Each message starts with the destination (``s3://bucket/key``), names the endpoint when
it cannot be reached, says what to check, and never contains a credential value.
"""

from __future__ import annotations

from collections.abc import Iterable

from gpuport_collectors.plugin_api import OutputError

from .redaction import scrub

MAX_DETAIL = 240

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
    "AccessDenied": "access denied; allow s3:PutObject for these credentials "
    "(and kms:GenerateDataKey with aws:kms) or fix the bucket policy",
    "AllAccessDisabled": "all access to this bucket is disabled",
    "AccessControlListNotSupported": "the bucket does not accept ACLs; "
    "use acl: private (the default), which sends none",
    "InvalidStorageClass": "this store does not offer that storage class; change storage_class",
    "AuthorizationHeaderMalformed": "the request was signed for the wrong region; fix 'region'",
    "PermanentRedirect": "the bucket is in another region; fix 'region'",
    "NotImplemented": "the store does not support an option this output sends "
    "(storage_class, acl or server_side_encryption); remove it",
}


def one_line(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` on one line, shortened, with every secret masked."""
    flat = " ".join(scrub(text, secrets).split())
    return flat if len(flat) <= MAX_DETAIL else flat[: MAX_DETAIL - 3] + "..."


def translate(
    error: Exception, *, destination: str, endpoint: str, secrets: Iterable[str] = ()
) -> OutputError:
    """The :class:`OutputError` to raise (``from error``) for a failed upload."""
    return OutputError(f"{destination}: {_explain(error, endpoint, list(secrets))}")


def _explain(error: Exception, endpoint: str, secrets: list[str]) -> str:
    from botocore import exceptions as boto

    if isinstance(error, boto.ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code") or "")
        message = one_line(str(details.get("Message") or ""), secrets)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        cause = f"{code}: {message}" if message else code or f"HTTP {status}"
        if code in _CREDENTIAL_CODES:
            return (
                f"the credentials were rejected ({cause}); check the keys in the variables "
                "that credentials names, or the default AWS credentials"
            )
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
            f"no usable AWS credentials ({one_line(str(error), secrets)}); set "
            "credentials.access_key_env and secret_key_env, or configure AWS_ACCESS_KEY_ID, "
            "~/.aws or an instance role"
        )
    if isinstance(error, boto.ConnectionError | boto.HTTPClientError):
        reason = one_line(str(error), secrets)
        return f"cannot reach {endpoint} ({reason}); check endpoint_url, region and the network"
    if isinstance(error, boto.ParamValidationError):
        return f"invalid request ({one_line(str(error), secrets)})"
    return f"upload failed ({type(error).__name__}: {one_line(str(error), secrets)})"
