"""A transformer for exercising the s3 output without the other built-ins."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from gpuport_collectors import hookimpl
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.protocols import Payload, RunContext

MEDIA_TYPE = "application/x-ndjson"


def render_lines(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
    """One JSON object per instance, one chunk per line."""
    for row in rows:
        record = {"instance_type": row.instance_type, "region": row.region, "price": row.price}
        yield (json.dumps(record) + "\n").encode()


def lines_payload(instances: Sequence[GPUInstance]) -> Payload:
    return Payload(media_type=MEDIA_TYPE, extension="jsonl", records=instances, render=render_lines)


class Lines:
    """``format: lines``: JSON lines."""

    @attrs.frozen
    class Config:
        pass

    def __init__(self, config: Config) -> None:
        pass

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        return lines_payload(instances)


@hookimpl
def gpuport_register_transformers(register: Any) -> None:
    register("lines", Lines)
