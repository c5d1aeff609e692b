"""Dead-letter files: one JSON file per batch that could not be delivered.

A file holds everything needed to send the batch again, and no secret: the URL and
header values are kept as written in the config, with ``${VAR}`` references unresolved
(``replay`` resolves them from its own environment). The body is text when it is UTF-8
and not compressed, base64 otherwise. Files are written atomically.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any

import attrs

from gpuport_collectors.plugin_api import atomic_write

from .tls import TLSSettings

FORMAT = "gpuport-dead-letter/1"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class DeadLetterError(ValueError):
    """A file is not a readable dead-letter file; the message says what is wrong."""


@attrs.frozen
class DeadLetter:
    """One undelivered batch, as stored on disk."""

    url: str
    method: str
    idempotency_key: str
    headers: dict[str, str]
    content_type: str
    body: bytes = attrs.field(repr=False)
    error: str
    content_encoding: str | None = None
    pipeline: str = ""
    batch: int = 1
    batches: int = 1
    records: int = 0
    attempts: int = 0
    failed_at: str = ""
    tls: TLSSettings = attrs.Factory(TLSSettings)
    timeout: float = 30.0

    @property
    def filename(self) -> str:
        """Unique per batch (the idempotency key) and sorted by time, then batch."""
        stamp = re.sub(r"[^0-9TZ]", "", self.failed_at) or "undated"
        pipeline = _UNSAFE.sub("-", self.pipeline).strip("-") or "pipeline"
        return f"{stamp}_{pipeline}_{self.batch:05d}_{self.idempotency_key}.json"

    def to_json(self) -> bytes:
        body_text = None
        if self.content_encoding is None:
            try:
                body_text = self.body.decode("utf-8")
            except UnicodeDecodeError:
                body_text = None
        document: dict[str, Any] = {
            "format": FORMAT,
            "url": self.url,
            "method": self.method,
            "idempotency_key": self.idempotency_key,
            "headers": self.headers,
            "content_type": self.content_type,
            "content_encoding": self.content_encoding,
            "body_encoding": "text" if body_text is not None else "base64",
            "body": body_text
            if body_text is not None
            else base64.b64encode(self.body).decode("ascii"),
            "error": self.error,
            "pipeline": self.pipeline,
            "batch": self.batch,
            "batches": self.batches,
            "records": self.records,
            "attempts": self.attempts,
            "failed_at": self.failed_at,
            "tls": attrs.asdict(self.tls),
            "timeout": self.timeout,
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_dead_letter(directory: str | Path, letter: DeadLetter) -> Path:
    """Write ``letter`` into ``directory`` (created if missing) and return its path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / letter.filename
    atomic_write(path, [letter.to_json()])
    return path


def read_dead_letter(path: str | Path) -> DeadLetter:
    """Load a dead-letter file; raise :class:`DeadLetterError` saying what is wrong."""
    try:
        document = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise DeadLetterError(f"cannot read: {error.strerror or error}") from None
    except ValueError:
        raise DeadLetterError("not valid JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DeadLetterError(f'not a dead-letter file (no "format": "{FORMAT}")')
    try:
        return _letter(document)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        detail = f"missing {error}" if isinstance(error, KeyError) else "malformed"
        raise DeadLetterError(f"{detail} field in dead-letter file") from None


def _letter(document: dict[str, Any]) -> DeadLetter:
    headers = document["headers"]
    if not isinstance(headers, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in headers.items()
    ):
        raise TypeError("headers")
    if document["body_encoding"] == "base64":
        body = base64.b64decode(document["body"], validate=True)
    elif document["body_encoding"] == "text":
        body = str(document["body"]).encode("utf-8")
    else:
        raise ValueError("body_encoding")
    tls = document.get("tls") or {}
    return DeadLetter(
        url=_text(document["url"]),
        method=_text(document["method"]),
        idempotency_key=_text(document["idempotency_key"]),
        headers=headers,
        content_type=_text(document["content_type"]),
        content_encoding=document.get("content_encoding"),
        body=body,
        error=str(document.get("error", "")),
        pipeline=str(document.get("pipeline", "")),
        batch=int(document.get("batch", 1)),
        batches=int(document.get("batches", 1)),
        records=int(document.get("records", 0)),
        attempts=int(document.get("attempts", 0)),
        failed_at=str(document.get("failed_at", "")),
        tls=TLSSettings(
            verify_ssl=bool(tls.get("verify_ssl", True)),
            ca_bundle=tls.get("ca_bundle"),
            client_cert=tls.get("client_cert"),
            client_key=tls.get("client_key"),
        ),
        timeout=float(document.get("timeout", 30.0)),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("text")
    return value
