"""Translate boto3 / botocore exceptions into one-line :class:`OutputError` messages.

Each message starts with the destination (``s3://bucket/key``) and goes on with the core's
explanation (``explain_s3_error``: what failed, what to check, never a credential value).
"""

from __future__ import annotations

from collections.abc import Iterable

from gpuport_collectors.plugin_api import OutputError, explain_s3_error


def translate(
    error: Exception, *, destination: str, endpoint: str, secrets: Iterable[str] = ()
) -> OutputError:
    """The :class:`OutputError` to raise (``from error``) for a failed upload."""
    return OutputError(f"{destination}: {explain_s3_error(error, endpoint, secrets)}")
