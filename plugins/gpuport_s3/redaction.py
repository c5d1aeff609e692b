"""Keep credential values out of third-party debug logs while boto3 works.

At DEBUG level botocore logs the canonical request and the prepared headers, which hold
the session token and the access key ID; the core's redacting filter masks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from gpuport_collectors.plugin_api import Redactor
from gpuport_collectors.plugin_api import redacted_logs as _redacted_logs

#: Top-level packages whose loggers are filtered while an upload runs.
LOGGER_ROOTS = ("botocore", "boto3", "s3transfer", "urllib3")
#: Loggers known to print requests; named so they are covered even before first use.
KNOWN_LOGGERS = (
    "botocore.auth",
    "botocore.endpoint",
    "botocore.hooks",
    "botocore.parsers",
    "botocore.httpsession",
    "botocore.retryhandler",
    "urllib3.connectionpool",
)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    return Redactor(secrets)(text)


@contextmanager
def redacted_logs(secrets: Iterable[str]) -> Iterator[None]:
    """Mask ``secrets`` in boto3, botocore, s3transfer and urllib3 log records meanwhile."""
    with _redacted_logs(Redactor(secrets), LOGGER_ROOTS, KNOWN_LOGGERS):
        yield
