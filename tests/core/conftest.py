from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gpuport_collectors.config import ExportConfig, parse_export_config
from gpuport_collectors.plugins import PluginHost

from . import fakes


@pytest.fixture
def fake_plugins() -> fakes.FakePlugins:
    """This test's fake plugins; ``delivered`` is what their ``memory`` outputs wrote."""
    return fakes.FakePlugins()


@pytest.fixture
def fake_host(fake_plugins: fakes.FakePlugins) -> PluginHost:
    """A host holding only the fake plugins: the core tested without any built-in."""
    host = PluginHost(entry_points=[], environ={})
    host.load()
    for plugin, name in fake_plugins.plugins():
        host.add_plugin(plugin, name=name)
    return host


@pytest.fixture
def load(fake_host: PluginHost, tmp_path: Path) -> Callable[..., ExportConfig]:
    """``load(yaml_text, environ={})`` against the fake host, source named ``cfg.yaml``."""

    def parse(text: str, environ: dict[str, str] | None = None) -> ExportConfig:
        return parse_export_config(text, source="cfg.yaml", host=fake_host, environ=environ or {})

    return parse
