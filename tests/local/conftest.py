"""A plugin host holding only the local sink and a kit stub transformer writing regions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest

import gpuport_local.plugin
from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import StubPlugin


def regions(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
    """``format: regions``: one region per line."""
    for row in rows:
        yield f"{row.region}\n".encode()


@pytest.fixture
def host() -> PluginHost:
    host = PluginHost(entry_points=[], environ={}).load()
    host.add_plugin(gpuport_local.plugin, name="local")
    stubs = StubPlugin(
        collector=None,
        transformer="regions",
        sink=None,
        render=regions,
        media_type="text/plain",
        extension=".txt",
    )
    host.add_plugin(stubs, name="regions")
    return host


@pytest.fixture
def load(host: PluginHost) -> Callable[[str], ExportConfig]:
    """``load(yaml_text)``: parse a whole config against ``host``; errors name ``cfg.yaml``."""

    def parse(text: str) -> ExportConfig:
        return parse_export_config(text, source="cfg.yaml", host=host, environ={})

    return parse
