"""A plugin host holding only the local sink and a tiny transformer that writes names."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import pytest

import gpuport_local.plugin
from gpuport_collectors import hookimpl
from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import Payload, RunContext


class Regions:
    """``format: regions``: one region per line."""

    @attrs.frozen
    class Config:
        pass

    def __init__(self, config: Config) -> None:
        pass

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        def render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
            for row in rows:
                yield f"{row.region}\n".encode()

        return Payload(media_type="text/plain", extension=".txt", records=instances, render=render)


class RegionsPlugin:
    @hookimpl
    def gpuport_register_transformers(self, register: Any) -> None:
        register("regions", Regions)


@pytest.fixture
def host() -> PluginHost:
    host = PluginHost(entry_points=[], environ={}).load()
    host.add_plugin(gpuport_local.plugin, name="local")
    host.add_plugin(RegionsPlugin(), name="regions")
    return host


@pytest.fixture
def load(host: PluginHost) -> Callable[[str], ExportConfig]:
    """``load(yaml_text)``: parse a whole config against ``host``; errors name ``cfg.yaml``."""

    def parse(text: str) -> ExportConfig:
        return parse_export_config(text, source="cfg.yaml", host=host, environ={})

    return parse
