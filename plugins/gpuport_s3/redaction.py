"""Keep credential values out of third-party debug logs while boto3 works.

At DEBUG level botocore logs the canonical request and the prepared headers, which hold
the session token and the access key ID. A filter on the loggers that emit them replaces
every credential value with ``***`` before any handler sees the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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
MASK = "***"


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message contains a secret, masking every secret."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not ours
            return True
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    return RedactingFilter(secrets).scrub(text)


def _loggers() -> list[logging.Logger]:
    names = set(KNOWN_LOGGERS)
    names.update(
        name
        for name in list(logging.Logger.manager.loggerDict)
        if name.split(".", 1)[0] in LOGGER_ROOTS
    )
    return [logging.getLogger(name) for name in sorted(names)]


@contextmanager
def redacted_logs(secrets: Iterable[str]) -> Iterator[None]:
    """Mask ``secrets`` in boto3, botocore, s3transfer and urllib3 log records meanwhile."""
    log_filter = RedactingFilter(secrets)
    if not log_filter.secrets:
        yield
        return
    loggers = _loggers()
    for logger in loggers:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(log_filter)
