"""Run export pipelines from YAML text in one call, and look at what they produced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..config import ExportConfig, parse_export_config
from ..models import GPUInstance
from ..pipeline import PipelineResult, execute_pipelines
from ..plugins import PluginHost
from ..protocols import CollectionInfo, OutputResult
from .capture import Captured
from .factories import generate_instances
from .host import capture_of, make_host

#: The clock reading of a test run unless one is given: file names are predictable.
DEFAULT_NOW = dt.datetime(2025, 11, 23, 12, 30, 45, tzinfo=dt.UTC)


@attrs.frozen
class PipelineRun:
    """What :func:`run_pipeline` did: the loaded config, every result, every capture."""

    config: ExportConfig
    results: list[PipelineResult]
    captured: list[Captured]
    now: dt.datetime

    @property
    def result(self) -> PipelineResult:
        """The result of the only pipeline that ran (``AssertionError`` if not exactly one)."""
        assert len(self.results) == 1, f"expected one pipeline result, got {len(self.results)}"
        return self.results[0]

    @property
    def outputs(self) -> list[OutputResult]:
        """Every output result of every pipeline, in run order."""
        return [output for result in self.results for output in result.outputs]

    @property
    def payload(self) -> Captured:
        """The only payload a ``capture`` output received (``AssertionError`` if not one)."""
        assert len(self.captured) == 1, f"expected one captured payload, got {len(self.captured)}"
        return self.captured[0]

    def captures(self, pipeline: str | None = None, name: str | None = None) -> list[Captured]:
        """Captured payloads, optionally of one pipeline and/or one ``capture`` name."""
        return [
            item
            for item in self.captured
            if (pipeline is None or item.pipeline == pipeline)
            and (name is None or item.name == name)
        ]


def run_pipeline(
    yaml_text: str,
    instances: Sequence[GPUInstance] | None = None,
    *,
    host: PluginHost | None = None,
    environ: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    only: Iterable[str] | None = None,
    collection: CollectionInfo | None = None,
    source: str = "<test config>",
) -> PipelineRun:
    """Load ``yaml_text`` and run its pipelines over ``instances``, as ``export`` would.

    :param instances: default: :func:`generate_instances` (a seeded catalogue).
    :param host: default: a fresh :func:`make_host` (installed plugins plus ``capture``).
    :param environ: the variables ``${ENV}`` references resolve from (default: none).
    :param now: the run's clock reading (default :data:`DEFAULT_NOW`).

    Raises :class:`~gpuport_collectors.errors.ConfigError` when the config is invalid.
    """
    host = host if host is not None else make_host()
    config = parse_export_config(
        yaml_text, source=source, host=host, environ=environ if environ is not None else {}
    )
    capture = capture_of(host)
    already = len(capture.captured) if capture is not None else 0
    now = now or DEFAULT_NOW
    rows = list(instances) if instances is not None else generate_instances()
    results = execute_pipelines(
        rows, config, only=only, dry_run=dry_run, collection=collection, now=now
    )
    captured = list(capture.captured[already:]) if capture is not None else []
    return PipelineRun(config=config, results=results, captured=captured, now=now)
