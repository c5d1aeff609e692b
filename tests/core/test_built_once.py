"""Collectors, transformers and sinks are built once per run, not at load and again at run.

Loading builds each plugin (so ``validate`` reports an ``OptionError`` from ``__init__`` at
its line); the first run uses exactly those instances; each later run of the same loaded
config builds its own, so per-run state never carries over. The counts live on the test's
own plugin object.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors.export import execute_pipelines, run_export
from gpuport_collectors.plugin_api import (
    GPUInstance,
    OptionError,
    OutputResult,
    Payload,
    Register,
    RunContext,
    Secret,
    hookimpl,
)
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import CliRun, generate_instances
from gpuport_collectors.testing.stubs import StubCollector, StubPlugin, StubSink, StubTransformer


@attrs.frozen
class SinkOptions:
    refuse: bool = False  # True: __init__ raises OptionError


@attrs.frozen
class KeyedOptions:
    api_key: Secret | None = None


class Counting(StubPlugin):
    """The kit's stubs (registered as ``counting``), each build counted on this object.

    ``built`` holds every instance built, in order; each sink counts its own ``writes``.
    """

    def __init__(self) -> None:
        super().__init__(collector="counting", transformer="counting", sink="counting")
        self.built: list[Any] = []
        owner = self

        class Collector(StubCollector):
            plugin = owner

            def __init__(self, config: Any) -> None:
                super().__init__(config)
                owner.built.append(self)

        class Transformer(StubTransformer):
            def __init__(self, config: Any) -> None:
                super().__init__(config)
                owner.built.append(self)

        class Sink(StubSink):
            Config: Any = SinkOptions
            plugin = owner

            def __init__(self, config: Any) -> None:
                if config.refuse:
                    raise OptionError("refuse", "this sink refuses to be built")
                super().__init__(config)
                self.writes = 0
                owner.built.append(self)

            def write(self, payload: Payload, context: RunContext) -> OutputResult:
                self.writes += 1
                result: OutputResult = super().write(payload, context)
                return result

        class Keyed:
            """A collector with an ``api_key`` option, keeping the key it was built with."""

            Config = KeyedOptions

            def __init__(self, config: KeyedOptions) -> None:
                self.problems: list[str] = []
                self.key = config.api_key.reveal() if config.api_key else None
                owner.built.append(self)

            async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
                return generate_instances(1)

        self.collector_class = Collector
        self.transformer_class = Transformer
        self.sink_class = Sink
        self.keyed_class = Keyed

    @hookimpl
    def gpuport_register_collectors(self, register: Register) -> None:
        register("counting", self.collector_class)
        register("keyed", self.keyed_class)

    @hookimpl
    def gpuport_register_transformers(self, register: Register) -> None:
        register("counting", self.transformer_class)

    def counts(self) -> Counter[str]:
        return Counter(type(instance).__name__ for instance in self.built)

    def sinks(self) -> list[Any]:
        return [instance for instance in self.built if type(instance).__name__ == "Sink"]


def pipelines(*names: str) -> str:
    return "".join(
        f"""
  - name: {name}
    transformer: {{format: counting}}
    outputs: [{{type: counting}}, {{type: counting}}]"""
        for name in names
    )


CONFIG = "pipelines:" + pipelines("p")
WITH_COLLECTOR = "collectors: [{type: counting}]\npipelines:" + pipelines("p")


@pytest.fixture
def counting(register_plugin: Callable[..., Any]) -> Counting:
    plugin = Counting()
    report = register_plugin(plugin, "counting")
    assert report.loaded, report.error
    return plugin


def test_the_first_run_uses_what_loading_built(
    counting: Counting, export_config: Callable[..., Any]
) -> None:
    config = export_config(CONFIG)
    assert counting.counts() == {"Transformer": 1, "Sink": 2}  # built to check the options
    loaded = list(counting.built)

    (result,) = execute_pipelines(generate_instances(3), config)

    assert result.success, result.error
    assert counting.built == loaded  # nothing built again
    assert [sink.writes for sink in counting.sinks()] == [1, 1]


def test_each_later_run_builds_its_own(
    counting: Counting, export_config: Callable[..., Any]
) -> None:
    config = export_config(CONFIG)
    for _ in range(3):
        execute_pipelines(generate_instances(3), config)

    assert counting.counts() == {"Transformer": 3, "Sink": 6}  # once per run
    # Fresh sinks each run: a sink's per-run state (here its write count) never carries on.
    assert [sink.writes for sink in counting.sinks()] == [1] * 6


def test_run_export_builds_collectors_once_per_run(
    counting: Counting, export_config: Callable[..., Any], gpuport_host: PluginHost
) -> None:
    config = export_config(WITH_COLLECTOR)
    assert counting.counts() == {"Collector": 1, "Transformer": 1, "Sink": 2}

    first = run_export(config, host=gpuport_host)
    assert first.exit_code == 0
    assert counting.counts() == {"Collector": 1, "Transformer": 1, "Sink": 2}
    assert counting.fetches == 1

    run_export(config, host=gpuport_host)
    assert counting.counts() == {"Collector": 2, "Transformer": 2, "Sink": 4}


@pytest.mark.parametrize("flags", [(), ("--dry-run",)], ids=["write", "dry-run"])
def test_cli_export_builds_each_plugin_once(
    counting: Counting,
    gpuport_cli: Callable[..., CliRun],
    config_file: Callable[..., Path],
    flags: Sequence[str],
) -> None:
    run = gpuport_cli("export", "--config", config_file(WITH_COLLECTOR), *flags)

    assert run.exit_code == 0, run.stderr
    assert counting.counts() == {"Collector": 1, "Transformer": 1, "Sink": 2}


def test_cli_unselected_pipelines_are_not_built_again(
    counting: Counting, gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    text = "collectors: [{type: counting}]\npipelines:" + pipelines("one", "two")
    report = config_file("", "report.json")

    run = gpuport_cli(
        "export", "--config", config_file(text), "--pipeline", "two", "--report", report
    )

    assert run.exit_code == 0, run.stderr
    # Everything is built once when the config is checked; nothing again for the run.
    assert counting.counts() == {"Collector": 1, "Transformer": 2, "Sink": 4}
    assert [sink.writes for sink in counting.sinks()] == [0, 0, 1, 1]
    document = json.loads(report.read_text())
    assert [(p["name"], len(p["outputs"])) for p in document["pipelines"]] == [("two", 2)]


def test_cli_collector_options_build_the_collector_once(
    counting: Counting, gpuport_cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    out = tmp_path / "snap.json"
    run = gpuport_cli("collect", "--collector", "counting", "-o", "count=2", "--output", out)

    assert run.exit_code == 0, run.stderr
    assert counting.counts() == {"Collector": 1}


def test_api_key_flag_reaches_the_collector_that_runs(
    counting: Counting, gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    text = "collectors: [{type: keyed, api_key: from-the-config-0123}]\npipelines:" + pipelines("p")
    run = gpuport_cli("export", "--config", config_file(text), "--api-key", "from-the-flag-0123")

    assert run.exit_code == 0, run.stderr
    # The flag changes the options, so the run builds that collector anew, with the flag's key.
    keyed = [instance for instance in counting.built if type(instance).__name__ == "Keyed"]
    assert [collector.key for collector in keyed] == ["from-the-config-0123", "from-the-flag-0123"]
    assert counting.fetches == 0  # only the keyed collector ran


def test_validate_reports_an_option_error_from_init_at_its_line(
    counting: Counting, gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    path = config_file(
        "pipelines:\n"
        "  - name: p\n"
        "    transformer: {format: counting}\n"
        "    outputs:\n"
        "      - type: counting\n"
        "        refuse: true\n"
    )

    run = gpuport_cli("validate", "--config", path)

    assert run.exit_code == 2
    assert f"{path}:6:17: this sink refuses to be built" in run.stderr
    assert "Traceback" not in run.stderr
