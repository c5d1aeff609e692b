"""pytest fixtures for gpuport plugin authors (registered through the ``pytest11`` entry point).

Nothing here loads plugins at import time: each fixture builds what it needs when a test
asks for it, so merely having gpuport installed costs other projects' test runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ..config import ExportConfig, parse_export_config
from ..models import GPUInstance
from ..plugins import PluginHost, PluginReport
from .cli import CliRun, invoke_cli
from .factories import generate_instances, make_instance
from .host import add_plugin_once, make_host
from .runner import PipelineRun, run_pipeline


@pytest.fixture
def instance_factory() -> Callable[..., GPUInstance]:
    """``instance_factory(price=1.0, region="EU-RO-1")``: one instance, defaults for the rest."""
    return make_instance


@pytest.fixture
def sample_instances() -> list[GPUInstance]:
    """A seeded, realistic catalogue of a few hundred instances."""
    return generate_instances()


@pytest.fixture
def gpuport_host() -> PluginHost:
    """A fresh plugin host: the installed plugins plus the in-memory ``capture`` sink."""
    return make_host()


@pytest.fixture
def register_plugin(gpuport_host: PluginHost) -> Callable[..., PluginReport]:
    """``register_plugin(obj, name=None)``: add an in-test plugin to ``gpuport_host``.

    ``obj`` is a module or an object with ``@hookimpl`` methods. A plugin already loaded
    through its entry point (its package is installed) is not added twice. Returns its
    :class:`~gpuport_collectors.plugins.PluginReport` (``loaded``, ``registered``, ``error``).
    """

    def register(plugin: object, name: str | None = None) -> PluginReport:
        return add_plugin_once(gpuport_host, plugin, name)

    return register


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[..., Path]:
    """``config_file(yaml_text, name="export.yaml")``: write a config under tmp_path."""

    def write(text: str, name: str = "export.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def export_config(tmp_path: Path, gpuport_host: PluginHost) -> Callable[..., ExportConfig]:
    """``export_config(yaml_text, environ=None)``: validate config text written to tmp_path.

    Uses ``gpuport_host`` (so in-test plugins are known) unless ``host=`` is given.
    """

    def build(text: str, environ: dict[str, str] | None = None, **kwargs: Any) -> ExportConfig:
        path = tmp_path / "export.yaml"
        path.write_text(text)
        kwargs.setdefault("host", gpuport_host)
        return parse_export_config(text, source=str(path), environ=environ or {}, **kwargs)

    return build


@pytest.fixture(name="run_pipeline")
def run_pipeline_fixture(gpuport_host: PluginHost) -> Callable[..., PipelineRun]:
    """``run_pipeline(yaml_text, instances=None, **options)`` on ``gpuport_host``.

    Returns a :class:`~gpuport_collectors.testing.PipelineRun`; see
    :func:`gpuport_collectors.testing.run_pipeline` for the options.
    """

    def run(
        yaml_text: str, instances: Sequence[GPUInstance] | None = None, **options: Any
    ) -> PipelineRun:
        options.setdefault("host", gpuport_host)
        return run_pipeline(yaml_text, instances, **options)

    return run


@pytest.fixture
def gpuport_cli(
    gpuport_host: PluginHost, capsys: pytest.CaptureFixture[str]
) -> Callable[..., CliRun]:
    """``gpuport_cli("plugins", "--json")``: run the command line on ``gpuport_host``.

    Returns a :class:`~gpuport_collectors.testing.CliRun` (``exit_code``, ``stdout``,
    ``stderr``). Commands added by plugins on ``gpuport_host`` are available.
    """

    def invoke(*args: object) -> CliRun:
        return invoke_cli(gpuport_host, capsys, *args)

    return invoke
