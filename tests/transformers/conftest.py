"""A plugin host holding only the json and csv transformers and a sink that discards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

import gpuport_csv.plugin
import gpuport_json.plugin
from gpuport_collectors import hookimpl
from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import OutputResult, Payload, RunContext


class Discard:
    """``type: discard``: accepts any payload, writes nothing."""

    @attrs.frozen
    class Config:
        pass

    def __init__(self, config: Config) -> None:
        pass

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        return OutputResult(output_type="discard", destination="nowhere")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        return self.describe(payload, context)


class DiscardPlugin:
    @hookimpl
    def gpuport_register_sinks(self, register: Any) -> None:
        register("discard", Discard)


@pytest.fixture
def host() -> PluginHost:
    host = PluginHost(entry_points=[], environ={}).load()
    host.add_plugin(gpuport_json.plugin, name="json")
    host.add_plugin(gpuport_csv.plugin, name="csv")
    host.add_plugin(DiscardPlugin(), name="discard")
    return host


@pytest.fixture
def load(host: PluginHost) -> Callable[[str], ExportConfig]:
    """``load(yaml_text)``: parse a whole config against ``host``; errors name ``cfg.yaml``."""

    def parse(text: str) -> ExportConfig:
        return parse_export_config(text, source="cfg.yaml", host=host, environ={})

    return parse
