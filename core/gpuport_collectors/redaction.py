"""Mask secret values in text and in third-party log records.

Libraries such as botocore and httpx log requests (headers, full URLs) at DEBUG or INFO.
While a plugin talks to the network it installs :func:`masked_library_logs` (the one way
built-ins do it), so every record from that library has each known secret value replaced
by ``***`` before any handler sees it, and masks its own error text with the yielded
:class:`Redactor`. Filters are not inherited by child loggers, so the loggers that exist
under the library's roots are covered one by one, plus any named up front.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from .secrets import MIN_SECRET_LENGTH

MASK = "***"


#: Per network library: the logger trees it logs under, and the loggers known to print a
#: request (URL, headers, signed payload), named so they are covered before first use.
LIBRARY_LOGGERS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "httpx": (
        ("httpx", "httpcore"),
        (
            "httpx",
            "httpcore.connection",
            "httpcore.http11",
            "httpcore.http2",
            "httpcore.proxy",
        ),
    ),
    "boto3": (
        ("botocore", "boto3", "s3transfer", "urllib3"),
        (
            "botocore.auth",
            "botocore.endpoint",
            "botocore.hooks",
            "botocore.parsers",
            "botocore.httpsession",
            "botocore.retryhandler",
            "botocore.credentials",
            "urllib3.connectionpool",
        ),
    ),
    # requests logs through urllib3 (gpuhunt's online providers use it).
    "requests": (("requests", "urllib3"), ("urllib3.connectionpool",)),
}


class Redactor:
    """Replaces every known secret value in a text with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret containing another is masked whole.
        kept = {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(kept, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self.secrets)


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message or traceback text contains a secret."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not ours
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def _loggers(roots: Iterable[str], known: Iterable[str]) -> list[logging.Logger]:
    prefixes = tuple(roots)
    names = set(known) | set(prefixes)
    names.update(
        name
        for name in list(logging.Logger.manager.loggerDict)
        if name.split(".", 1)[0] in prefixes
    )
    return [logging.getLogger(name) for name in sorted(names)]


@contextmanager
def redacted_logs(
    redact: Redactor, roots: Iterable[str], known: Iterable[str] = ()
) -> Iterator[None]:
    """While active, records of loggers under ``roots`` (and ``known``) are redacted."""
    if not redact:
        yield
        return
    log_filter = RedactingFilter(redact)
    loggers = _loggers(roots, known)
    for logger in loggers:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(log_filter)


@contextmanager
def masked_library_logs(secrets: Iterable[str] | Redactor, *libraries: str) -> Iterator[Redactor]:
    """While active, records of ``libraries`` (keys of :data:`LIBRARY_LOGGERS`, e.g.
    ``"httpx"``, ``"boto3"``) have every secret masked; yields the :class:`Redactor` so
    the caller masks its own error text with the same values."""
    redact = secrets if isinstance(secrets, Redactor) else Redactor(secrets)
    roots: list[str] = []
    known: list[str] = []
    for library in libraries:
        library_roots, library_known = LIBRARY_LOGGERS[library]
        roots += library_roots
        known += library_known
    with redacted_logs(redact, roots, known):
        yield redact
