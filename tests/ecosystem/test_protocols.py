"""Every method of every plugin protocol, exercised through the code that calls it.

test_docs.py fails when a protocol method has no test named ``test_<protocol>_<method>``.
The collector, transformer and sink are the testing kit's stubs (``StubPlugin``), which
record how gpuport calls them; the kit has no operator stub and its collector neither
reports progress nor waits, so an operator spy and a racing collector are kept here. All
of them keep what they saw on their own plugin object, made per test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from gpuport_collectors import (
    CollectionInfo,
    ConfigError,
    FieldInfo,
    GPUInstance,
    OptionError,
    OutputError,
    RunContext,
    hookimpl,
)
from gpuport_collectors.collection import choose_collectors, gather
from gpuport_collectors.hookspecs import Register
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import (
    CliRun,
    PipelineRun,
    StubPlugin,
    config_yaml,
    make_instance,
    pipeline,
)

Factory = Callable[..., GPUInstance]


# -- the stubs' options and behaviour -----------------------------------------------------


@attrs.frozen
class SpyCollectorConfig:
    name: str
    count: int = 1


@attrs.frozen
class SpyTransformerConfig:
    fail: bool = False


@attrs.frozen
class SpySinkConfig:
    name: str
    fail: str | None = None  # "output" raises OutputError, "bug" a RuntimeError


def lines(records: Sequence[GPUInstance]) -> Iterator[bytes]:
    for record in records:
        yield (record.instance_type + "\n").encode()


def transformer_error(config: SpyTransformerConfig) -> BaseException | None:
    return RuntimeError("spy transformer broke") if config.fail else None


def sink_error(config: SpySinkConfig) -> BaseException | None:
    if config.fail == "output":
        return OutputError(f"spy:{config.name}: refused")
    if config.fail == "bug":
        return RuntimeError("sink bug")
    return None


def spy_stubs(**behaviour: Any) -> StubPlugin:
    """The kit's stubs registered as ``spy``, with the options and failures above."""
    behaviour.setdefault("collector_config", SpyCollectorConfig)
    return StubPlugin(
        collector="spy",
        transformer="spy",
        sink="spy",
        name="spy-stubs",
        render=lines,
        media_type="text/plain",
        extension=".txt",
        destination=lambda config: f"spy:{config.name}",
        transformer_config=SpyTransformerConfig,
        transformer_error=transformer_error,
        sink_config=SpySinkConfig,
        sink_error=sink_error,
        **behaviour,
    )


@pytest.fixture
def add_plugin(register_plugin: Callable[..., Any]) -> Callable[[Any], Any]:
    def add(plugin: Any) -> Any:
        report = register_plugin(plugin)
        assert report.loaded, report.error
        return plugin

    return add


@pytest.fixture
def stubs(add_plugin: Callable[[Any], Any]) -> StubPlugin:
    stubs: StubPlugin = add_plugin(spy_stubs())
    return stubs


# -- a collector that reports progress and waits for another (the stub does neither) --------


@attrs.frozen
class RacingConfig:
    name: str
    count: int = 1
    wait_for: str | None = None  # another collector's name: proves they run concurrently


class Racing:
    Config = RacingConfig
    plugin: ClassVar[RacingCollectors]

    def __init__(self, config: RacingConfig) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
        started = self.plugin.started
        self.plugin.fetched.append((self.config.name, progress is not None))
        started.setdefault(self.config.name, asyncio.Event()).set()
        if self.config.wait_for:
            await started.setdefault(self.config.wait_for, asyncio.Event()).wait()
        if progress is not None:
            progress(1, 1)
        return [
            make_instance(instance_type=f"{self.config.name}-{n}") for n in range(self.config.count)
        ]


class RacingCollectors:
    """Registers ``racing``; what its collectors did is kept on this object."""

    def __init__(self) -> None:
        self.started: dict[str, asyncio.Event] = {}
        self.fetched: list[tuple[str, bool]] = []
        self.collector_class = type("Racing", (Racing,), {"plugin": self})

    @hookimpl
    def gpuport_register_collectors(self, register: Register) -> None:
        register("racing", self.collector_class)


# -- an operator spy (the kit has no stub operator) ---------------------------------------


@attrs.frozen
class SpyOperatorConfig:
    value: Any
    tag: str = ""


class SpyOperator:
    """Keeps values greater than ``value`` (coerced to the field's type at load)."""

    Config = SpyOperatorConfig
    plugin: ClassVar[OperatorSpies]

    def __init__(self, field: FieldInfo, config: SpyOperatorConfig) -> None:
        self.plugin.calls.append(("operator.__init__", field.name, field.kind, config))
        try:
            self.limit = field.coerce(config.value)
        except ValueError as error:
            raise OptionError("value", str(error)) from None
        self.tag = config.tag

    def __call__(self, value: Any) -> bool:
        self.plugin.calls.append(("operator.__call__", self.tag, value))
        return value is not None and value > self.limit


class OperatorSpies:
    """Registers ``spy_gt``; every call its operators receive is kept on this object."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.operator_class = type("SpyOperator", (SpyOperator,), {"plugin": self})

    def of(self, event: str) -> list[tuple[Any, ...]]:
        return [call for call in self.calls if call[0] == event]

    @hookimpl
    def gpuport_register_operators(self, register: Register) -> None:
        register("spy_gt", self.operator_class)


@pytest.fixture
def operators(add_plugin: Callable[[Any], Any]) -> OperatorSpies:
    spies: OperatorSpies = add_plugin(OperatorSpies())
    return spies


SPY_PIPELINE = pipeline(transformer={"format": "spy"}, outputs=[{"type": "spy", "name": "a"}])


def events(stubs: StubPlugin, prefix: str) -> list[tuple[str, Any]]:
    return [call for call in stubs.calls if call[0].startswith(prefix)]


# -- collector tests ----------------------------------------------------------------------


def collect(host: PluginHost, export_config: Callable[..., Any], text: str) -> Any:
    """Collect as ``export`` does: the run takes the collectors loading built."""
    config = export_config(text)
    choices = choose_collectors(config, host)
    progress: list[tuple[int, int]] = []
    collection = asyncio.run(
        gather(choices, lambda done, total: progress.append((done, total)), built=config.built)
    )
    return collection, progress


def test_collector_init(
    stubs: StubPlugin, gpuport_host: PluginHost, export_config: Callable[..., Any]
) -> None:
    text = config_yaml(SPY_PIPELINE, collectors=[{"type": "spy", "name": "x", "count": 2}])
    collection, _ = collect(gpuport_host, export_config, text)
    # Built once, when the config loads (a constructor may raise OptionError, so __init__
    # must do no I/O); the run uses that instance.
    config = SpyCollectorConfig(name="x", count=2)
    assert events(stubs, "collector") == [
        ("collector.__init__", config),
        ("collector.fetch_instances", config),
    ]
    assert len(collection.instances) == 2


def test_collector_fetch_instances(
    add_plugin: Callable[[Any], Any],
    stubs: StubPlugin,
    gpuport_host: PluginHost,
    export_config: Callable[..., Any],
) -> None:
    racing: RacingCollectors = add_plugin(RacingCollectors())
    collectors = [
        {"type": "racing", "name": "first", "count": 2, "wait_for": "second"},
        {"type": "racing", "name": "second", "count": 1, "wait_for": "first"},
    ]
    collection, progress = collect(
        gpuport_host, export_config, config_yaml(SPY_PIPELINE, collectors=collectors)
    )
    # Each waited for the other to start: they were awaited concurrently.
    assert [i.instance_type for i in collection.instances] == ["first-0", "first-1", "second-0"]
    assert collection.info.collectors == ("racing", "racing")
    assert collection.info.instance_count == 3
    assert progress == [(1, 1), (2, 2)]  # one bar: the sums over both collectors
    assert racing.fetched == [("first", True), ("second", True)]


def test_collector_problems_make_the_run_partial(
    add_plugin: Callable[[Any], Any],
    gpuport_cli: Callable[..., CliRun],
    config_file: Callable[..., Path],
) -> None:
    rows = [make_instance(instance_type="x-0"), make_instance(instance_type="x-1")]
    stubs = add_plugin(spy_stubs(instances=rows, problems=["region EU-RO-1 timed out"]))
    collectors = [{"type": "spy", "name": "x"}]
    config = config_file(config_yaml(SPY_PIPELINE, collectors=collectors))

    run = gpuport_cli("export", "--config", config)

    assert run.exit_code == 1
    assert "warning: spy: region EU-RO-1 timed out" in run.stderr
    assert "pipeline test: ok" in run.stdout
    assert stubs.written == [(SpySinkConfig(name="a"), b"x-0\nx-1\n")]


# -- operator tests -----------------------------------------------------------------------


def test_operator_init(
    operators: OperatorSpies, run_pipeline: Callable[..., PipelineRun], instance_factory: Factory
) -> None:
    filters = [{"field": "availability", "operator": "spy_gt", "value": "low"}]
    run_pipeline(config_yaml(pipeline(filters=filters)), [instance_factory()] * 3)
    # Once, at load, with the field's description and the structured options.
    assert operators.of("operator.__init__") == [
        ("operator.__init__", "availability", "availability", SpyOperatorConfig(value="low"))
    ]


def test_operator_init_errors_are_located(
    operators: OperatorSpies, run_pipeline: Callable[..., PipelineRun]
) -> None:
    filters = [{"field": "price", "operator": "spy_gt", "value": "cheap"}]
    with pytest.raises(ConfigError) as caught:
        run_pipeline(config_yaml(pipeline(filters=filters)), [])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message) == (
        6,
        12,
        "expected a number, got 'cheap'",
    )


def test_operator_call(
    operators: OperatorSpies, run_pipeline: Callable[..., PipelineRun], instance_factory: Factory
) -> None:
    prices = [0.5, None, 2.0, 3.5, 1.0]
    instances = [instance_factory(price=p, instance_type=f"i{n}") for n, p in enumerate(prices)]
    filters: list[dict[str, Any]] = [
        {"field": "price", "operator": "spy_gt", "value": "0.75", "tag": "first"},
        {"field": "price", "operator": "spy_gt", "value": 1.5, "tag": "second"},
    ]
    run = run_pipeline(config_yaml(pipeline(filters=filters)), instances)

    assert [r.instance_type for r in run.payload.records] == ["i2", "i3"]
    # Every instance's value, null included; the second filter sees only survivors.
    assert operators.of("operator.__call__") == [
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


def test_transformer_init(stubs: StubPlugin, run_pipeline: Callable[..., PipelineRun]) -> None:
    run_pipeline(config_yaml(SPY_PIPELINE), [])
    # Once, at load (to check the options), before the run, which uses that instance.
    assert events(stubs, "transformer") == [
        ("transformer.__init__", SpyTransformerConfig()),
        ("transformer.transform", SpyTransformerConfig()),
    ]


def test_transformer_transform(
    operators: OperatorSpies,
    stubs: StubPlugin,
    run_pipeline: Callable[..., PipelineRun],
    instance_factory: Factory,
) -> None:
    instances = [instance_factory(instance_type=f"i{n}", price=float(n)) for n in range(4)]
    filters = [{"field": "price", "operator": "spy_gt", "value": 1}]
    info = CollectionInfo(("spy",), 4, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 0.5)
    now = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
    text = config_yaml(
        pipeline("p", filters=filters, transformer={"format": "spy"}, outputs=[{"type": "capture"}])
    )

    run = run_pipeline(text, instances, now=now, collection=info)

    assert events(stubs, "transformer.transform") == [
        ("transformer.transform", SpyTransformerConfig())
    ]
    # The filtered instances went in (the payload's records are what transform was given),
    # with the run's context, and the document is what the transformer rendered.
    assert [r.instance_type for r in run.payload.records] == ["i2", "i3"]
    context = RunContext(started_at=now, pipeline="p", collection=info, dry_run=False)
    assert run.payload.context == context
    assert (run.payload.media_type, run.payload.extension) == ("text/plain", ".txt")
    assert run.payload.text == "i2\ni3\n"


def test_transformer_transform_failure_fails_only_its_pipeline(
    stubs: StubPlugin, run_pipeline: Callable[..., PipelineRun]
) -> None:
    broken = pipeline("broken", transformer={"format": "spy", "fail": True})
    fine = pipeline("fine", transformer={"format": "spy"})

    run = run_pipeline(config_yaml(broken, fine), [make_instance(instance_type="only")])

    first, second = run.results
    assert not first.success
    assert first.error == "transformer 'spy' failed: RuntimeError: spy transformer broke"
    assert second.success and run.payload.text == "only\n"


# -- sink tests ---------------------------------------------------------------------------


def test_sink_init(stubs: StubPlugin, run_pipeline: Callable[..., PipelineRun]) -> None:
    outputs = [{"type": "spy", "name": "a"}, {"type": "spy", "name": "b", "fail": "output"}]
    run_pipeline(config_yaml(pipeline(transformer={"format": "spy"}, outputs=outputs)), [])
    # Each output is built once, when the config loads; the run uses those instances.
    a, b = SpySinkConfig(name="a"), SpySinkConfig(name="b", fail="output")
    assert stubs.configs("sink.__init__") == [a, b]
    assert events(stubs, "sink.write") == [("sink.write", a), ("sink.write", b)]


def test_sink_describe(stubs: StubPlugin, run_pipeline: Callable[..., PipelineRun]) -> None:
    run = run_pipeline(config_yaml(SPY_PIPELINE), [make_instance()], dry_run=True)
    assert events(stubs, "sink.describe") == [("sink.describe", SpySinkConfig(name="a"))]
    assert events(stubs, "sink.write") == []
    (output,) = run.outputs
    assert output.dry_run and output.success and output.destination == "spy:a"


def test_sink_write(stubs: StubPlugin, run_pipeline: Callable[..., PipelineRun]) -> None:
    outputs = [
        {"type": "spy", "name": "refuses", "fail": "output"},
        {"type": "spy", "name": "buggy", "fail": "bug"},
        {"type": "spy", "name": "fine"},
    ]
    text = config_yaml(pipeline("p", transformer={"format": "spy"}, outputs=outputs))

    run = run_pipeline(text, [make_instance(instance_type="a"), make_instance(instance_type="b")])

    # Every output is written, in order, even after one refused and one broke.
    assert [config.name for config in stubs.configs("sink.write")] == ["refuses", "buggy", "fine"]
    assert stubs.written == [(SpySinkConfig(name="fine"), b"a\nb\n")]
    refused, buggy, fine = run.outputs
    assert (refused.success, refused.error) == (False, "spy:refuses: refused")
    assert (buggy.success, buggy.error) == (
        False,
        "output 'spy' failed unexpectedly: RuntimeError: sink bug",
    )
    assert fine.success and fine.bytes_written == 4 and fine.destination == "spy:fine"
    assert not run.result.success and run.result.error == "2 of 3 outputs failed"
