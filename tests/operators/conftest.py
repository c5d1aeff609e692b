"""A plugin host with the real ``operators`` entry point and stub transformer/sink.

Configs in these tests need a transformer and an output; the stubs keep the operator
tests independent of the json and local plugins.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors.config import ExportConfig, FilterConfig
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import StubPlugin

#: The config around the filters: filter N (0-based) is on line 6 + N, its mapping at column 9.
HEADER = """\
pipelines:
  - name: p
    transformer: {format: stub}
    outputs: [{type: stub}]
    filters:
"""
FIRST_FILTER_LINE = 6
FILTER_COLUMN = 9  # after "      - "


@attrs.define
class FilterLoader:
    """Loads filters (flow mappings, one per line) through the real config loader."""

    host: PluginHost
    build: Callable[..., ExportConfig]
    path: Path

    def text(self, *filters: str) -> str:
        return HEADER + "".join(f"      - {item}\n" for item in filters)

    def load(self, *filters: str, environ: dict[str, str] | None = None) -> list[FilterConfig]:
        """The loaded filters; fails the test on a config error."""
        config = self.build(self.text(*filters), environ=environ, host=self.host)
        return config.pipelines[0].filters

    def one(self, item: str, environ: dict[str, str] | None = None) -> Any:
        """The operator instance built for a single filter."""
        return self.load(item, environ=environ)[0].test

    def errors(self, *filters: str, environ: dict[str, str] | None = None) -> list[str]:
        """Every problem the loader reports, as ``FILE:LINE:COL: message`` lines."""
        with pytest.raises(ConfigError) as caught:
            self.build(self.text(*filters), environ=environ, host=self.host)
        return [str(problem) for problem in caught.value.problems]

    def at(self, index: int, item: str, key: str | None = None, *, on_key: bool = False) -> str:
        """``FILE:LINE:COL`` of ``key``'s value (or the key itself with ``on_key``) in
        filter ``index``; of the filter mapping when ``key`` is None."""
        column = FILTER_COLUMN
        if key is not None:
            column += item.index(f"{key}: ") + (0 if on_key else len(key) + 2)
        return f"{self.path}:{FIRST_FILTER_LINE + index}:{column}"


@pytest.fixture
def host() -> PluginHost:
    """A host that loaded only the real ``operators`` entry point, plus the stubs."""
    points = [
        point
        for point in importlib.metadata.entry_points(group="gpuport")
        if point.name == "operators"
    ]
    assert points, "the 'operators' entry point is not installed"
    built = PluginHost(entry_points=points, environ={}).load()
    built.add_plugin(StubPlugin(collector=None), "stubs")
    return built


@pytest.fixture
def loader(
    export_config: Callable[..., ExportConfig], host: PluginHost, tmp_path: Path
) -> FilterLoader:
    """Load filters through ``export_config`` (which writes tmp_path/export.yaml)."""
    return FilterLoader(host=host, build=export_config, path=tmp_path / "export.yaml")
