"""The headers of a batch request, kept as :class:`Secret` so each has a safe stored form."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping

from gpuport_collectors.plugin_api import VERSION, RunContext, Secret

from .config import PLAIN_HEADERS
from .redact import MASK

USER_AGENT = f"gpuport-collectors/{VERSION}"
IDEMPOTENCY_HEADER = "Idempotency-Key"
_NAMESPACE = uuid.UUID("6f1d7a55-4c1b-4f0e-9a53-5c0a2d1e8b7f")


def request_headers(
    configured: Mapping[str, Secret], media_type: str, *, gzip: bool = False
) -> dict[str, Secret]:
    """Defaults (User-Agent, Content-Type, Content-Encoding) overridden by configured headers.

    Names compare case-insensitively; a configured ``content-type`` replaces the default.
    """
    headers = {"User-Agent": Secret.literal(USER_AGENT), "Content-Type": Secret.literal(media_type)}
    if gzip:
        headers["Content-Encoding"] = Secret.literal("gzip")
    for name, value in configured.items():
        for existing in [key for key in headers if key.lower() == name.lower()]:
            del headers[existing]
        headers[name] = value
    return headers


def header_value(headers: Mapping[str, Secret], name: str) -> str | None:
    """The resolved value of header ``name`` (any case), or None."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value.reveal()
    return None


def stored_form(name: str, value: Secret) -> str:
    """What a dead-letter file keeps: the ``${VAR}`` template, a plain header's literal
    value, or ``***`` (the config loader refuses literal secrets with dead_letter_dir)."""
    if value.is_templated:
        return value.template
    if name.lower() in PLAIN_HEADERS:
        return value.template
    return MASK


def idempotency_key(context: RunContext, url_template: str, index: int, body: bytes) -> str:
    """A UUID (version 5) fixed by run, pipeline, URL, batch index and body.

    The same batch keeps its key across retries and replays; batches of another run,
    pipeline or destination never share one.
    """
    digest = hashlib.sha256(body).hexdigest()
    name = "\n".join(
        [context.started_at.isoformat(), context.pipeline, url_template, str(index), digest]
    )
    return str(uuid.uuid5(_NAMESPACE, name))
