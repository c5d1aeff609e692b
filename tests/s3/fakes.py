"""A ``format: lines`` transformer (a kit stub) for exercising the s3 output alone."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from gpuport_collectors.models import GPUInstance
from gpuport_collectors.protocols import Payload
from gpuport_collectors.testing import StubPlugin

MEDIA_TYPE = "application/x-ndjson"


def render_lines(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
    """One JSON object per instance, one chunk per line."""
    for row in rows:
        record = {"instance_type": row.instance_type, "region": row.region, "price": row.price}
        yield (json.dumps(record) + "\n").encode()


def lines_payload(instances: Sequence[GPUInstance]) -> Payload:
    return Payload(media_type=MEDIA_TYPE, extension="jsonl", records=instances, render=render_lines)


def lines_plugin() -> StubPlugin:
    """``format: lines``: JSON lines, as :func:`lines_payload` renders them."""
    return StubPlugin(
        collector=None,
        transformer="lines",
        sink=None,
        name="fakes",
        render=render_lines,
        media_type=MEDIA_TYPE,
        extension="jsonl",
    )
