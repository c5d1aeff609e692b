"""Keeping secrets out of what the https output says: URLs and messages.

Library logs are masked with the plugin API's ``masked_library_logs(scrub, "httpx")``.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterable, Mapping

from gpuport_collectors.plugin_api import MASK, Redactor, Secret, references

__all__ = ["MASK", "Scrubber", "display_url"]


def display_url(template: str) -> str:
    """``template`` without userinfo, query string or fragment: safe to print.

    Works on the URL as written in the config, so ``${VAR}`` references stay references
    and no value from the environment can show.
    """
    parts = urllib.parse.urlsplit(template)
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Scrubber(Redactor):
    """Replaces every known secret value in a text with ``***``."""

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
