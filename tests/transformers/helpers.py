"""Build a transformer from the YAML lines of its mapping, as a user would write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from textwrap import indent
from typing import Any

from gpuport_collectors.config import ExportConfig
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.protocols import RunContext

CONTEXT = RunContext(started_at=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC), pipeline="p")


def config_text(transformer_yaml: str) -> str:
    """A one-pipeline config whose transformer mapping is ``transformer_yaml``."""
    return (
        "pipelines:\n"
        "  - name: p\n"
        "    transformer:\n"
        f"{indent(transformer_yaml, '      ')}"
        "    outputs:\n"
        "      - type: capture\n"
    )


def build(load: Callable[[str], ExportConfig], transformer_yaml: str) -> Any:
    [pipeline] = load(config_text(transformer_yaml)).pipelines
    return pipeline.transformer.build()


def render(transformer: Any, instances: Sequence[GPUInstance]) -> bytes:
    return bytes(transformer.transform(instances, CONTEXT).to_bytes())
