"""A plugin host holding only the json and csv transformers and the kit's capture sink."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import gpuport_csv.plugin
import gpuport_json.plugin
from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing.host import make_host


@pytest.fixture
def host() -> PluginHost:
    # Only json and csv, plus the test kit's in-memory ``capture`` sink.
    return make_host(gpuport_json.plugin, gpuport_csv.plugin, installed=False)


@pytest.fixture
def load(host: PluginHost) -> Callable[[str], ExportConfig]:
    """``load(yaml_text)``: parse a whole config against ``host``; errors name ``cfg.yaml``."""

    def parse(text: str) -> ExportConfig:
        return parse_export_config(text, source="cfg.yaml", host=host, environ={})

    return parse
