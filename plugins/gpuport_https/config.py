"""Options of the ``https`` output, as written under ``outputs: [{type: https, ...}]``."""

from __future__ import annotations

import re
import urllib.parse
from typing import Literal

import attrs

from gpuport_collectors.plugin_api import OptionError, RetryOptions, Secret

from .redact import display_url

#: Headers that never carry credentials: their literal values may be written to dead-letter
#: files (Content-Encoding is set by the sink itself).
PLAIN_HEADERS = frozenset(
    {
        "accept",
        "accept-language",
        "content-encoding",
        "content-language",
        "content-type",
        "user-agent",
    }
)
#: Headers the sink sets itself for every request.
RESERVED_HEADERS = frozenset({"idempotency-key", "content-length", "content-encoding", "host"})

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def _default_statuses() -> list[int]:
    return [429, 500, 502, 503, 504]


@attrs.frozen
class HttpsConfig(RetryOptions):
    """Options of one ``type: https`` output; see docs/outputs.md for each one.

    ``retry_attempts``, ``retry_delay``, ``retry_backoff`` and ``retry_max_delay`` come
    from :class:`RetryOptions` (the spec's spelling and defaults).
    """

    url: Secret = attrs.field(metadata={"description": "an `https://` URL; may use `${ENV}`"})
    method: Literal["POST", "PUT", "PATCH"] = attrs.field(
        default="POST", metadata={"description": "`POST`, `PUT` or `PATCH`"}
    )
    headers: dict[str, Secret] = attrs.field(
        factory=dict,
        metadata={
            "description": ("extra request headers; values may use `${ENV}` (they are kept secret)")
        },
    )
    batch_size: int | None = attrs.field(
        default=None,
        metadata={
            "json_schema": {"minimum": 1},
            "description": "instances per request; default: everything in one request",
        },
    )
    batch_delay: float = attrs.field(
        default=0.0,
        metadata={"json_schema": {"minimum": 0}, "description": "seconds to wait between batches"},
    )
    retry_on_status: list[int] = attrs.field(
        factory=_default_statuses,
        metadata={
            "description": (
                "HTTP statuses that are retried (connection errors and timeouts always are)"
            )
        },
    )
    verify_ssl: bool = attrs.field(
        default=True, metadata={"description": "verify the server's certificate"}
    )
    ca_bundle: str | None = attrs.field(
        default=None,
        metadata={"description": "a CA file to verify against instead of the system's"},
    )
    client_cert: str | None = attrs.field(
        default=None, metadata={"description": "client certificate file (PEM) for mutual TLS"}
    )
    client_key: str | None = attrs.field(
        default=None, metadata={"description": "its private key, if not in `client_cert`"}
    )
    timeout: float = attrs.field(
        default=30.0,
        metadata={"json_schema": {"exclusiveMinimum": 0}, "description": "seconds per request"},
    )
    compression: Literal["none", "gzip"] = attrs.field(
        default="none",
        metadata={"description": '`"gzip"` compresses request bodies (`Content-Encoding: gzip`)'},
    )
    dead_letter_dir: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "where to save batches that could not be delivered, for `gpuport-collectors replay`"
            )
        },
    )

    def __attrs_post_init__(self) -> None:
        self._check_url()
        self._check_numbers()
        self._check_headers()
        if self.client_key is not None and self.client_cert is None:
            raise OptionError("client_key", "client_key needs client_cert; set both or neither")
        if self.ca_bundle is not None and not self.verify_ssl:
            raise OptionError(
                "ca_bundle", "ca_bundle has no effect with verify_ssl: false; remove one of them"
            )

    @property
    def destination(self) -> str:
        """The URL as written in the config, without query string or credentials."""
        return display_url(self.url.template)

    def _check_url(self) -> None:
        parts = urllib.parse.urlsplit(self.url.reveal())
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise OptionError(
                "url", f"{self.destination!r} is not an https:// URL; write https://host/path"
            )

    def _check_numbers(self) -> None:
        if self.batch_size is not None and self.batch_size < 1:
            raise OptionError("batch_size", "batch_size must be at least 1 (omit it to send all)")
        if self.batch_delay < 0:
            raise OptionError("batch_delay", "batch_delay must not be negative")
        self.check_retry()
        if self.timeout <= 0:
            raise OptionError("timeout", "timeout must be a positive number of seconds")
        for status in self.retry_on_status:
            if not 100 <= status <= 599:
                raise OptionError(
                    "retry_on_status", f"{status} is not an HTTP status code (100-599)"
                )

    def _check_headers(self) -> None:
        for name, value in self.headers.items():
            key = "headers"
            if not _TOKEN.match(name):
                raise OptionError(key, f"{name!r} is not a valid header name")
            if name.lower() in RESERVED_HEADERS:
                raise OptionError(
                    key, f"{name} is set by the https output itself; remove it from headers"
                )
            if "\r" in value.reveal() or "\n" in value.reveal():
                raise OptionError(key, f"the value of {name} contains a line break")
            if not value.reveal().isascii():
                raise OptionError(key, f"the value of {name} must be ASCII text")
            if (
                self.dead_letter_dir is not None
                and not value.is_templated
                and name.lower() not in PLAIN_HEADERS
            ):
                # Dead-letter files never hold a literal header value, and a file missing
                # one could not be replayed; so such a value must come from the environment.
                raise OptionError(
                    key,
                    f"with dead_letter_dir set, {name} must reference an environment variable "
                    f'(e.g. "Bearer ${{TOKEN}}") so dead-letter files never hold its value',
                )
