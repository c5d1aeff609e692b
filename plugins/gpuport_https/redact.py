"""Keeping secrets out of what the https output says: URLs, messages and library logs."""

from __future__ import annotations

import contextlib
import logging
import os
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping

from gpuport_collectors.secrets import Secret, references

#: Loggers of httpx / httpcore that may format a request URL into a record.
LIBRARY_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)

MASK = "***"


def display_url(template: str) -> str:
    """``template`` without userinfo, query string or fragment: safe to print.

    Works on the URL as written in the config, so ``${VAR}`` references stay references
    and no value from the environment can show.
    """
    parts = urllib.parse.urlsplit(template)
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Scrubber:
    """Replaces every known secret value in a text with ``***``."""

    def __init__(self, values: Iterable[str]) -> None:
        # Longest first, so a value containing another is masked whole.
        self.values = sorted({value for value in values if value}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    @classmethod
    def for_request(
        cls,
        url: Secret,
        headers: Mapping[str, Secret],
        plain: Iterable[str] = (),
        environ: Mapping[str, str] | None = None,
    ) -> Scrubber:
        """Mask resolved header values (except ``plain`` header names), the resolved URL's
        query and credentials, and the value of every variable the templates reference."""
        environ = os.environ if environ is None else environ
        skip = {name.lower() for name in plain}
        values: list[str] = []
        templates = [url.template]
        for name, value in headers.items():
            if name.lower() in skip:
                continue
            values.append(value.reveal())
            templates.append(value.template)
        resolved = urllib.parse.urlsplit(url.reveal())
        if url.reveal() != url.template:
            values.append(url.reveal())
        values += [resolved.query, resolved.password or ""]
        for template in templates:
            values += [environ.get(name, "") for name in references(template)]
        return cls(values)


class _ScrubFilter(logging.Filter):
    def __init__(self, scrub: Scrubber) -> None:
        super().__init__()
        self.scrub = scrub

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


@contextlib.contextmanager
def scrubbed_library_logs(scrub: Scrubber) -> Iterator[None]:
    """While active, httpx / httpcore log records have secret values masked.

    httpx logs every request's full URL at INFO, query string included.
    """
    log_filter = _ScrubFilter(scrub)
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    for logger in loggers:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(log_filter)
