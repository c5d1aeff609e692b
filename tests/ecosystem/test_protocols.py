"""Every method of every plugin protocol, exercised through the code that calls it.

test_docs.py fails when a protocol method has no test named ``test_<protocol>_<method>``.
The plugins here are spies: they record how gpuport calls them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors import (
    CollectionInfo,
    ConfigError,
    FieldInfo,
    GPUInstance,
    OptionError,
    OutputError,
    OutputResult,
    Payload,
    RunContext,
    hookimpl,
)
from gpuport_collectors.collection import choose_collectors, gather
from gpuport_collectors.hookspecs import Register
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import CliRun, PipelineRun, config_yaml, pipeline

Factory = Callable[..., GPUInstance]
CALLS: list[tuple[Any, ...]] = []


@pytest.fixture(autouse=True)
def spies(register_plugin: Callable[..., Any]) -> None:
    CALLS.clear()
    report = register_plugin(Spies())
    assert report.loaded, report.error


# -- collectors ---------------------------------------------------------------------------


@attrs.frozen
class SpyCollectorConfig:
    name: str
    count: int = 1
    problem: str | None = None
    wait_for: str | None = None  # another collector's name: proves they run concurrently


STARTED: dict[str, asyncio.Event] = {}


class SpyCollector:
    Config = SpyCollectorConfig

    def __init__(self, config: SpyCollectorConfig) -> None:
        CALLS.append(("collector.__init__", config))
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
        CALLS.append(("collector.fetch_instances", self.config.name, progress is not None))
        STARTED.setdefault(self.config.name, asyncio.Event()).set()
        if self.config.wait_for:
            await STARTED.setdefault(self.config.wait_for, asyncio.Event()).wait()
        if self.config.problem:
            self.problems.append(self.config.problem)
        if progress is not None:
            progress(1, 1)
        return [make(instance_type=f"{self.config.name}-{n}") for n in range(self.config.count)]


def make(**values: Any) -> GPUInstance:
    from gpuport_collectors.testing import make_instance

    return make_instance(**values)


# -- operators ----------------------------------------------------------------------------


@attrs.frozen
class SpyOperatorConfig:
    value: Any
    tag: str = ""


class SpyOperator:
    """Keeps values greater than ``value`` (coerced to the field's type at load)."""

    Config = SpyOperatorConfig

    def __init__(self, field: FieldInfo, config: SpyOperatorConfig) -> None:
        CALLS.append(("operator.__init__", field.name, field.kind, config))
        try:
            self.limit = field.coerce(config.value)
        except ValueError as error:
            raise OptionError("value", str(error)) from None
        self.tag = config.tag

    def __call__(self, value: Any) -> bool:
        CALLS.append(("operator.__call__", self.tag, value))
        return value is not None and value > self.limit


# -- transformers -------------------------------------------------------------------------


@attrs.frozen
class SpyTransformerConfig:
    fail: bool = False


class SpyTransformer:
    Config = SpyTransformerConfig

    def __init__(self, config: SpyTransformerConfig) -> None:
        CALLS.append(("transformer.__init__", config))
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        CALLS.append(("transformer.transform", [i.instance_type for i in instances], context))
        if self.config.fail:
            raise RuntimeError("spy transformer broke")

        def render(records: Sequence[GPUInstance]) -> Any:
            for record in records:
                yield (record.instance_type + "\n").encode()

        return Payload(media_type="text/plain", extension=".txt", records=instances, render=render)


# -- sinks --------------------------------------------------------------------------------


@attrs.frozen
class SpySinkConfig:
    name: str
    fail: str | None = None  # "output" raises OutputError, "bug" a RuntimeError


class SpySink:
    Config = SpySinkConfig

    def __init__(self, config: SpySinkConfig) -> None:
        CALLS.append(("sink.__init__", config))
        self.config = config

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        CALLS.append(("sink.describe", self.config.name, context.dry_run))
        return OutputResult(output_type="spy", destination=f"spy:{self.config.name}")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        CALLS.append(("sink.write", self.config.name, payload.to_bytes(), context.pipeline))
        if self.config.fail == "output":
            raise OutputError(f"spy:{self.config.name}: refused")
        if self.config.fail == "bug":
            raise RuntimeError("sink bug")
        return OutputResult(
            output_type="spy",
            destination=f"spy:{self.config.name}",
            bytes_written=len(payload.to_bytes()),
        )


class Spies:
    @hookimpl
    def gpuport_register_collectors(self, register: Register) -> None:
        register("spy", SpyCollector)

    @hookimpl
    def gpuport_register_operators(self, register: Register) -> None:
        register("spy_gt", SpyOperator)

    @hookimpl
    def gpuport_register_transformers(self, register: Register) -> None:
        register("spy", SpyTransformer)

    @hookimpl
    def gpuport_register_sinks(self, register: Register) -> None:
        register("spy", SpySink)


def calls(prefix: str) -> list[tuple[Any, ...]]:
    return [call for call in CALLS if call[0].startswith(prefix)]


SPY_PIPELINE = pipeline(transformer={"format": "spy"}, outputs=[{"type": "spy", "name": "a"}])


# -- collector tests ----------------------------------------------------------------------


def collect(host: PluginHost, export_config: Callable[..., Any], text: str) -> Any:
    config = export_config(text)
    choices = choose_collectors(config, host)
    progress: list[tuple[int, int]] = []
    collection = asyncio.run(
        gather(choices, lambda done, total: progress.append((done, total)), built=config.built)
    )
    return collection, progress


def test_collector_init(gpuport_host: PluginHost, export_config: Callable[..., Any]) -> None:
    text = config_yaml(SPY_PIPELINE, collectors=[{"type": "spy", "name": "x", "count": 2}])
    collect(gpuport_host, export_config, text)
    # Built once, when the config loads (a constructor may raise OptionError, so __init__
    # must do no I/O); the run uses that instance.
    config = SpyCollectorConfig(name="x", count=2)
    assert calls("collector") == [
        ("collector.__init__", config),
        ("collector.fetch_instances", "x", True),
    ]


def test_collector_fetch_instances(
    gpuport_host: PluginHost, export_config: Callable[..., Any]
) -> None:
    STARTED.clear()
    collectors = [
        {"type": "spy", "name": "first", "count": 2, "wait_for": "second"},
        {"type": "spy", "name": "second", "count": 1, "wait_for": "first"},
    ]
    collection, progress = collect(
        gpuport_host, export_config, config_yaml(SPY_PIPELINE, collectors=collectors)
    )
    # Each waited for the other to start: they were awaited concurrently.
    assert [i.instance_type for i in collection.instances] == ["first-0", "first-1", "second-0"]
    assert collection.info.collectors == ("spy", "spy")
    assert collection.info.instance_count == 3
    assert progress == [(1, 1), (2, 2)]  # one bar: the sums over both collectors
    assert calls("collector.fetch_instances") == [
        ("collector.fetch_instances", "first", True),
        ("collector.fetch_instances", "second", True),
    ]


def test_collector_problems_make_the_run_partial(
    gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    collectors = [{"type": "spy", "name": "x", "count": 2, "problem": "region EU-RO-1 timed out"}]
    config = config_file(config_yaml(SPY_PIPELINE, collectors=collectors))

    run = gpuport_cli("export", "--config", config)

    assert run.exit_code == 1
    assert "warning: spy: region EU-RO-1 timed out" in run.stderr
    assert "pipeline test: ok" in run.stdout
    assert calls("sink.write") == [("sink.write", "a", b"x-0\nx-1\n", "test")]


# -- operator tests -----------------------------------------------------------------------


def test_operator_init(run_pipeline: Callable[..., PipelineRun], instance_factory: Factory) -> None:
    filters = [{"field": "availability", "operator": "spy_gt", "value": "low"}]
    run_pipeline(config_yaml(pipeline(filters=filters)), [instance_factory()] * 3)
    # Once, at load, with the field's description and the structured options.
    assert calls("operator.__init__") == [
        ("operator.__init__", "availability", "availability", SpyOperatorConfig(value="low"))
    ]


def test_operator_init_errors_are_located(run_pipeline: Callable[..., PipelineRun]) -> None:
    filters = [{"field": "price", "operator": "spy_gt", "value": "cheap"}]
    with pytest.raises(ConfigError) as caught:
        run_pipeline(config_yaml(pipeline(filters=filters)), [])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message) == (
        6,
        12,
        "expected a number, got 'cheap'",
    )


def test_operator_call(run_pipeline: Callable[..., PipelineRun], instance_factory: Factory) -> None:
    prices = [0.5, None, 2.0, 3.5, 1.0]
    instances = [instance_factory(price=p, instance_type=f"i{n}") for n, p in enumerate(prices)]
    filters: list[dict[str, Any]] = [
        {"field": "price", "operator": "spy_gt", "value": "0.75", "tag": "first"},
        {"field": "price", "operator": "spy_gt", "value": 1.5, "tag": "second"},
    ]
    run = run_pipeline(config_yaml(pipeline(filters=filters)), instances)

    assert [r.instance_type for r in run.payload.records] == ["i2", "i3"]
    # Every instance's value, null included; the second filter sees only survivors.
    assert calls("operator.__call__") == [
        ("operator.__call__", "first", 0.5),
        ("operator.__call__", "first", None),
        ("operator.__call__", "first", 2.0),
        ("operator.__call__", "first", 3.5),
        ("operator.__call__", "first", 1.0),
        ("operator.__call__", "second", 2.0),
        ("operator.__call__", "second", 3.5),
        ("operator.__call__", "second", 1.0),
    ]


# -- transformer tests --------------------------------------------------------------------


def test_transformer_init(run_pipeline: Callable[..., PipelineRun]) -> None:
    run_pipeline(config_yaml(SPY_PIPELINE), [])
    # Once, at load (to check the options); the run uses that instance.
    assert calls("transformer.__init__") == [("transformer.__init__", SpyTransformerConfig())]
    assert CALLS.index(calls("transformer.transform")[0]) > 0


def test_transformer_transform(
    run_pipeline: Callable[..., PipelineRun], instance_factory: Factory
) -> None:
    instances = [instance_factory(instance_type=f"i{n}", price=float(n)) for n in range(4)]
    filters = [{"field": "price", "operator": "spy_gt", "value": 1}]
    info = CollectionInfo(("spy",), 4, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 0.5)
    now = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
    text = config_yaml(
        pipeline("p", filters=filters, transformer={"format": "spy"}, outputs=[{"type": "capture"}])
    )

    run = run_pipeline(text, instances, now=now, collection=info)

    ((_, types, context),) = calls("transformer.transform")
    assert types == ["i2", "i3"]
    assert context == RunContext(started_at=now, pipeline="p", collection=info, dry_run=False)
    assert run.payload.text == "i2\ni3\n"


def test_transformer_transform_failure_fails_only_its_pipeline(
    run_pipeline: Callable[..., PipelineRun],
) -> None:
    broken = pipeline("broken", transformer={"format": "spy", "fail": True})
    fine = pipeline("fine", transformer={"format": "spy"})

    run = run_pipeline(config_yaml(broken, fine), [make(instance_type="only")])

    first, second = run.results
    assert not first.success
    assert first.error == "transformer 'spy' failed: RuntimeError: spy transformer broke"
    assert second.success and run.payload.text == "only\n"


# -- sink tests ---------------------------------------------------------------------------


def test_sink_init(run_pipeline: Callable[..., PipelineRun]) -> None:
    outputs = [{"type": "spy", "name": "a"}, {"type": "spy", "name": "b", "fail": "output"}]
    run_pipeline(config_yaml(pipeline(transformer={"format": "spy"}, outputs=outputs)), [])
    # Each output is built once, when the config loads; the run uses those instances.
    a, b = SpySinkConfig(name="a"), SpySinkConfig(name="b", fail="output")
    assert [call[1] for call in calls("sink.__init__")] == [a, b]


def test_sink_describe(run_pipeline: Callable[..., PipelineRun]) -> None:
    run = run_pipeline(config_yaml(SPY_PIPELINE), [make()], dry_run=True)
    assert calls("sink.describe") == [("sink.describe", "a", True)]
    assert calls("sink.write") == []
    (output,) = run.outputs
    assert output.dry_run and output.success and output.destination == "spy:a"


def test_sink_write(run_pipeline: Callable[..., PipelineRun]) -> None:
    outputs = [
        {"type": "spy", "name": "refuses", "fail": "output"},
        {"type": "spy", "name": "buggy", "fail": "bug"},
        {"type": "spy", "name": "fine"},
    ]
    text = config_yaml(pipeline("p", transformer={"format": "spy"}, outputs=outputs))

    run = run_pipeline(text, [make(instance_type="a"), make(instance_type="b")])

    assert [call[1:] for call in calls("sink.write")] == [
        ("refuses", b"a\nb\n", "p"),
        ("buggy", b"a\nb\n", "p"),
        ("fine", b"a\nb\n", "p"),
    ]
    refused, buggy, fine = run.outputs
    assert (refused.success, refused.error) == (False, "spy:refuses: refused")
    assert (buggy.success, buggy.error) == (
        False,
        "output 'spy' failed unexpectedly: RuntimeError: sink bug",
    )
    assert fine.success and fine.bytes_written == 4
    assert not run.result.success and run.result.error == "2 of 3 outputs failed"
