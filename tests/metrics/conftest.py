"""Fixtures for the metrics transformer: a host with the real ``metrics`` entry point and a
recording sink, a loader that reports located errors, and a helper that runs the
transformer and decodes its JSON."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors.config import ExportConfig, PipelineConfig
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import RunContext
from gpuport_collectors.testing import StubPlugin
from gpuport_metrics.config import MetricsConfig, MetricSpec
from gpuport_metrics.transformer import MetricsTransformer

STARTED = dt.datetime(2026, 11, 23, 14, 0, 0, 250_000, tzinfo=dt.UTC)


@pytest.fixture
def stubs() -> StubPlugin:
    """The kit's stub sink, registered as ``record``; it keeps what it receives."""
    return StubPlugin(collector=None, transformer=None, sink="record")


@pytest.fixture
def host(stubs: StubPlugin) -> PluginHost:
    """A host that loaded only the real ``metrics`` entry point, plus the recording sink."""
    points = [
        point
        for point in importlib.metadata.entry_points(group="gpuport")
        if point.name == "metrics"
    ]
    assert points, "the 'metrics' entry point is not installed"
    built = PluginHost(entry_points=points, environ={}).load()
    built.add_plugin(stubs, "stubs")
    return built


@pytest.fixture
def received(host: PluginHost, stubs: StubPlugin) -> list[bytes]:
    """The bytes of every payload the ``record`` output was given, in order."""
    return stubs.received


@attrs.define
class MetricsLoader:
    """Builds a one-pipeline config around a ``transformer`` block and loads it."""

    host: PluginHost
    build: Callable[..., ExportConfig]
    path: Path

    def text(self, metrics: Sequence[str], *options: str) -> str:
        lines = [
            "pipelines:",
            "  - name: m",
            "    outputs: [{type: record}]",
            "    transformer:",
            "      format: metrics",
            *(f"      {option}" for option in options),
            "      metrics:",
            *(f"        - {metric}" for metric in metrics),
        ]
        return "\n".join(lines) + "\n"

    def config(self, metrics: Sequence[str], *options: str) -> ExportConfig:
        return self.build(self.text(metrics, *options), environ={}, host=self.host)

    def load(self, metrics: Sequence[str], *options: str) -> PipelineConfig:
        return self.config(metrics, *options).pipelines[0]

    def errors(self, metrics: Sequence[str], *options: str) -> list[str]:
        """Every problem reported for the config built from ``metrics`` and ``options``."""
        return self.errors_in(self.text(metrics, *options))

    def errors_in(self, text: str) -> list[str]:
        """Every problem reported for config ``text``, as ``FILE:LINE:COL: message``."""
        with pytest.raises(ConfigError) as caught:
            self.build(text, environ={}, host=self.host)
        return [str(problem) for problem in caught.value.problems]

    def at(self, text: str, needle: str, key: str | None = None, *, on_key: bool = False) -> str:
        """``FILE:LINE:COL`` of ``key``'s value (or key) on the first line holding ``needle``;
        with no key, of the line's first non-blank character after a ``- ``."""
        for number, line in enumerate(text.splitlines(), start=1):
            if needle in line:
                if key is None:
                    column = len(line) - len(line.lstrip(" -"))
                else:
                    column = line.index(f"{key}: ") + (0 if on_key else len(key) + 2)
                return f"{self.path}:{number}:{column + 1}"
        raise AssertionError(f"{needle!r} not in the config")


@pytest.fixture
def metrics_loader(
    export_config: Callable[..., ExportConfig], host: PluginHost, tmp_path: Path
) -> MetricsLoader:
    return MetricsLoader(host=host, build=export_config, path=tmp_path / "export.yaml")


def run_metrics(
    instances: Sequence[GPUInstance],
    *specs: MetricSpec,
    context: RunContext | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Transform and decode: the whole JSON document."""
    transformer = MetricsTransformer(MetricsConfig(metrics=list(specs), **options))
    payload = transformer.transform(instances, context or RunContext(STARTED, "m"))
    document: dict[str, Any] = json.loads(payload.to_bytes())
    return document


@pytest.fixture
def compute() -> Callable[..., dict[str, Any]]:
    """``compute(instances, MetricSpec(...), ...)``: the ``metrics`` object of the document."""

    def run(instances: Sequence[GPUInstance], *specs: MetricSpec) -> dict[str, Any]:
        metrics: dict[str, Any] = run_metrics(instances, *specs)["metrics"]
        return metrics

    return run


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    """``document(instances, *specs, context=..., **options)``: the whole decoded document."""
    return run_metrics
