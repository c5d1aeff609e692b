"""The test kit for plugin authors (gpuport_collectors.testing), as docs/testing-plugins.md
describes it."""

from __future__ import annotations

import datetime as dt
import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors import ConfigError, GPUInstance, OutputResult, hookimpl
from gpuport_collectors.hookspecs import Register
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import (
    DEFAULT_NOW,
    CliRun,
    PipelineRun,
    StubPlugin,
    capture_of,
    config_yaml,
    generate_instances,
    invoke_cli,
    make_host,
    make_instance,
    pipeline,
    run_pipeline,
)
from gpuport_collectors.testing.host import installed_entry_points

Factory = Callable[..., GPUInstance]


@attrs.frozen
class NullConfig:
    pass


class NullSink:
    """Accepts everything, writes nothing."""

    Config = NullConfig

    def __init__(self, config: NullConfig) -> None:
        self.config = config

    def describe(self, payload: Any, context: Any) -> OutputResult:
        return OutputResult(output_type="null", destination="nowhere")

    def write(self, payload: Any, context: Any) -> OutputResult:
        return OutputResult(output_type="null", destination="nowhere")


class NullPlugin:
    @hookimpl
    def gpuport_register_sinks(self, register: Register) -> None:
        register("null", NullSink)


def test_make_host_without_installed_plugins_has_only_capture_and_given_plugins() -> None:
    host = make_host(NullPlugin(), installed=False)
    assert host.sinks.names() == ["capture", "null"]
    assert host.transformers.names() == []
    assert [report.name for report in host.reports] == ["gpuport-testing-capture", "NullPlugin"]


def test_make_host_loads_installed_entry_points() -> None:
    host = make_host(capture=False)
    names = sorted(ep.name for ep in installed_entry_points())
    assert [report.name for report in host.reports] == names
    assert "capture" not in host.sinks
    assert capture_of(host) is None


def test_make_host_honours_disabled_plugins() -> None:
    host = make_host(environ={"GPUPORT_DISABLE_PLUGINS": "snapshot"})
    (snapshot,) = [report for report in host.reports if report.name == "snapshot"]
    assert snapshot.disabled and "snapshot" not in host.collectors


def test_hosts_are_independent() -> None:
    first, second = make_host(NullPlugin()), make_host()
    assert "null" in first.sinks and "null" not in second.sinks
    run_pipeline(config_yaml(pipeline(transformer={"format": "json"})), [], host=first)
    assert len(capture_of(first).captured) == 1  # type: ignore[union-attr]
    assert capture_of(second).captured == []  # type: ignore[union-attr]


def test_register_plugin_reports_what_it_registered(
    register_plugin: Callable[..., Any], gpuport_host: PluginHost
) -> None:
    report = register_plugin(NullPlugin(), "nulls")
    assert (report.name, report.loaded, report.registered) == ("nulls", True, {"sinks": ["null"]})
    assert "null" in gpuport_host.sinks


def test_register_plugin_does_not_register_an_installed_plugin_twice(
    register_plugin: Callable[..., Any], gpuport_host: PluginHost
) -> None:
    import gpuport_snapshot.plugin

    report = register_plugin(gpuport_snapshot.plugin)
    assert (report.name, report.loaded) == ("snapshot", True)
    assert [r.name for r in gpuport_host.reports].count("snapshot") == 1


def test_register_plugin_shows_why_a_plugin_did_not_load(
    register_plugin: Callable[..., Any],
) -> None:
    broken = types.ModuleType("broken")

    @hookimpl
    def gpuport_register_sink(register: Register) -> None:  # misspelled hook
        raise AssertionError("never called")

    broken.gpuport_register_sink = gpuport_register_sink  # type: ignore[attr-defined]
    with pytest.warns(UserWarning, match="failed to load"):
        report = register_plugin(broken)
    assert not report.loaded
    assert report.error == (
        "unknown hook gpuport_register_sink; did you mean 'gpuport_register_sinks'?"
    )


def test_run_pipeline_results_and_captures(
    run_pipeline: Callable[..., PipelineRun], instance_factory: Factory
) -> None:
    instances = [instance_factory(price=p, instance_type=f"i{p}") for p in (0.5, 2.0, 3.0)]
    text = config_yaml(
        pipeline(
            "cheap",
            filters=[{"field": "price", "operator": "lt", "value": 2.5}],
            outputs=[{"type": "capture", "name": "a"}, {"type": "capture", "name": "b"}],
        ),
        pipeline("all"),
    )

    run = run_pipeline(text, instances)

    assert [(r.pipeline_name, r.filtered_count, r.success) for r in run.results] == [
        ("cheap", 2, True),
        ("all", 3, True),
    ]
    assert [(o.output_type, o.destination) for o in run.outputs] == [
        ("capture", "memory:a"),
        ("capture", "memory:b"),
        ("capture", "memory:capture"),
    ]
    (a,) = run.captures(pipeline="cheap", name="a")
    assert [r["instance_type"] for r in a.json()] == ["i0.5", "i2.0"]
    assert a.media_type == "application/json" and a.records == instances[:2]
    assert a.context.started_at == DEFAULT_NOW == run.now
    assert len(run.captured) == 3
    with pytest.raises(AssertionError, match="expected one pipeline result, got 2"):
        run.result  # noqa: B018
    with pytest.raises(AssertionError, match="expected one captured payload, got 3"):
        run.payload  # noqa: B018


def test_run_pipeline_defaults_to_the_seeded_catalogue(
    run_pipeline: Callable[..., PipelineRun],
) -> None:
    run = run_pipeline(config_yaml())
    assert run.result.input_count == len(generate_instances())
    assert [r["instance_type"] for r in run.payload.json()] == [
        i.instance_type for i in generate_instances()
    ]


def test_run_pipeline_dry_run_and_clock(run_pipeline: Callable[..., PipelineRun]) -> None:
    now = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    run = run_pipeline(config_yaml(), [make_instance()], dry_run=True, now=now)
    assert run.payload.dry_run and run.outputs[0].dry_run
    assert run.payload.context.started_at == now and run.payload.context.dry_run


def test_capture_can_fail_on_purpose(run_pipeline: Callable[..., PipelineRun]) -> None:
    outputs = [{"type": "capture", "name": "broken", "fail": "disk full"}, {"type": "capture"}]
    run = run_pipeline(config_yaml(pipeline(outputs=outputs)), [make_instance()])
    broken, fine = run.outputs
    assert (broken.success, broken.error) == (False, "memory:broken: disk full")
    assert fine.success and len(run.captured) == 1
    assert not run.result.success


def test_run_pipeline_environ_is_only_what_the_test_gives(
    run_pipeline: Callable[..., PipelineRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABEL", "from-the-shell")
    text = config_yaml(pipeline(outputs=[{"type": "capture", "name": "${LABEL}"}]))
    with pytest.raises(ConfigError, match="environment variable LABEL is not set"):
        run_pipeline(text, [])
    run = run_pipeline(text, [], environ={"LABEL": "given"})
    assert run.payload.name == "given"


def test_config_yaml_is_the_yaml_a_user_writes() -> None:
    text = config_yaml(
        pipeline("p", filters=[{"field": "price", "operator": "lt", "value": 2}], enabled=False),
        collectors=[{"type": "snapshot", "path": "s.json"}],
    )
    assert text == (
        "collectors:\n"
        "- type: snapshot\n"
        "  path: s.json\n"
        "pipelines:\n"
        "- name: p\n"
        "  enabled: false\n"
        "  filters:\n"
        "  - field: price\n"
        "    operator: lt\n"
        "    value: 2\n"
        "  transformer:\n"
        "    format: json\n"
        "  outputs:\n"
        "  - type: capture\n"
    )


def test_export_config_sees_in_test_plugins(
    register_plugin: Callable[..., Any], export_config: Callable[..., Any]
) -> None:
    text = config_yaml(pipeline(outputs=[{"type": "null"}]))
    with pytest.raises(ConfigError, match="unknown output type 'null'"):
        export_config(text)
    register_plugin(NullPlugin())
    assert export_config(text).pipelines[0].outputs[0].kind == "null"


def test_config_file_writes_under_tmp_path(
    config_file: Callable[..., Path], tmp_path: Path
) -> None:
    path = config_file("pipelines: []\n", name="sub/x.yaml")
    assert path == tmp_path / "sub" / "x.yaml" and path.read_text() == "pipelines: []\n"


def test_gpuport_cli_runs_the_real_entry_point(
    gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    bad = config_file("pipelines:\n  - name: p\n")
    run = gpuport_cli("validate", "--config", bad)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        f"{bad}:2:5: missing required key 'transformer' (e.g. {{format: json}})",
        f"{bad}:2:5: missing required key 'outputs' (a list of destinations)",
    ]
    good = config_file(config_yaml(), name="good.yaml")
    assert gpuport_cli("validate", "--config", good).exit_code == 0


def test_sample_instances_and_factory(
    sample_instances: list[GPUInstance], instance_factory: Factory
) -> None:
    assert sample_instances == generate_instances()
    assert instance_factory(price=9.5).price == 9.5
    assert instance_factory() == make_instance()


def test_gpuport_cli_leaves_logging_as_it_found_it(
    gpuport_cli: Callable[..., CliRun], config_file: Callable[..., Path]
) -> None:
    import logging

    root = logging.getLogger()
    before = (root.level, list(root.handlers), logging.getLogger("httpx").level)
    run = gpuport_cli("validate", "--verbose", "--config", config_file(config_yaml()))
    assert run.exit_code == 0, run.stderr
    assert (root.level, list(root.handlers), logging.getLogger("httpx").level) == before


def test_stub_plugins_keep_their_state_on_their_own_instance() -> None:
    first, second = StubPlugin(), StubPlugin(sink="record")
    text = config_yaml(pipeline(transformer={"format": "stub"}, outputs=[{"type": "stub"}]))
    instances = [make_instance(instance_type="1x A"), make_instance(instance_type="2x B")]

    outcome = run_pipeline(text, instances, host=make_host(first, installed=False, capture=False))

    assert outcome.result.success
    assert [o.output_type for o in outcome.outputs] == ["stub"]
    assert first.received == [b'["1x A", "2x B"]']
    assert second.received == []
    host = make_host(second, installed=False, capture=False)
    assert host.registry("sinks").names() == ["record"]
    assert host.registry("collectors").names() == ["stub"]


def test_stub_transformer_renders_what_it_is_told() -> None:
    def lines(rows: Any) -> Any:
        return [f"{row.region}\n".encode() for row in rows]

    stubs = StubPlugin(
        collector=None, transformer="lines", render=lines, media_type="text/plain", extension="txt"
    )
    fixed = StubPlugin(collector=None, transformer="fixed", sink=None, body=b"same\n", name="f")
    host = make_host(stubs, fixed, installed=False)
    text = config_yaml(
        pipeline("a", transformer={"format": "lines"}, outputs=[{"type": "stub"}]),
        pipeline("b", transformer={"format": "fixed"}, outputs=[{"type": "capture"}]),
    )
    instances = [make_instance(region="eu-1"), make_instance(region="us-2")]

    run = run_pipeline(text, instances, host=host)

    assert stubs.received == [b"eu-1\nus-2\n"]
    assert (run.payload.body, run.payload.media_type) == (b"same\n", "application/json")
    assert [report.name for report in host.reports][1:] == ["StubPlugin", "f"]
    with pytest.raises(ValueError, match="not several"):
        StubPlugin(render=lines, body=b"x")


def test_stub_collector_returns_given_instances_or_fails_as_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gpuport_collectors import CollectorError
    from gpuport_collectors.snapshots import read_snapshot

    monkeypatch.chdir(tmp_path)
    given = [make_instance(instance_type="given-1"), make_instance(instance_type="given-2")]
    stubs = StubPlugin(transformer=None, sink=None, instances=given, problems=["page 2 lost"])
    broken = StubPlugin(
        collector="down",
        transformer=None,
        sink=None,
        name="down",
        collector_error=CollectorError("https://api.example.test: connection refused"),
    )
    host = make_host(stubs, broken)

    run = invoke_cli(host, capsys, "collect", "--collector", "stub", "--output", "s.json")
    assert run.exit_code == 1  # partial: a problem was reported
    assert [i.instance_type for i in read_snapshot("s.json").instances] == ["given-1", "given-2"]
    assert run.stderr.splitlines() == ["warning: stub: page 2 lost"]
    assert stubs.fetches == 1 and len(stubs.configs("collector.fetch_instances")) == 1
    assert stubs.configs("collector.__init__")  # how often is the core's business
    run = invoke_cli(host, capsys, "collect", "--collector", "down", "--output", "d.json")
    assert run.exit_code == 1 and "connection refused" in run.stderr
    assert not Path("d.json").exists() and broken.fetches == 1 and stubs.fetches == 1


@attrs.frozen
class LabelConfig:
    """Options of a labelled stub sink."""

    label: str
    fail: bool = False


def test_stub_sink_takes_options_names_its_destination_and_fails_as_told() -> None:
    from gpuport_collectors import OutputError

    def refuse(config: LabelConfig) -> OutputError | None:
        return OutputError(f"memory:{config.label}: refused on purpose") if config.fail else None

    stubs = StubPlugin(
        collector=None,
        sink="memory",
        sink_config=LabelConfig,
        sink_error=refuse,
        destination=lambda config: f"memory:{config.label}",
    )
    outputs = [
        {"type": "memory", "label": "first"},
        {"type": "memory", "label": "broken", "fail": True},
        {"type": "memory", "label": "last"},
    ]
    text = config_yaml(pipeline(transformer={"format": "stub"}, outputs=outputs))
    host = make_host(stubs, installed=False, capture=False)

    run = run_pipeline(text, [make_instance(instance_type="1x A")], host=host)

    assert [o.success for o in run.outputs] == [True, False, True]
    assert [run.outputs[0].destination, run.outputs[2].destination] == [
        "memory:first",
        "memory:last",
    ]
    assert run.outputs[1].error == "memory:broken: refused on purpose"
    assert [(config.label, body) for config, body in stubs.written] == [
        ("first", b'["1x A"]'),
        ("last", b'["1x A"]'),
    ]
    assert stubs.received == [b'["1x A"]', b'["1x A"]']
    assert [config.label for config in stubs.configs("sink.write")] == ["first", "broken", "last"]
    assert {type(c).__name__ for c in stubs.configs("transformer.__init__")} == {"StubOptions"}
    with pytest.raises(ConfigError, match="label"):
        run_pipeline(config_yaml(pipeline(outputs=[{"type": "memory"}])), host=host)


def test_stub_transformer_can_fail_and_take_options() -> None:
    @attrs.frozen
    class Shout:
        loud: bool = False

    stubs = StubPlugin(
        collector=None,
        transformer_config=Shout,
        transformer_error=lambda config: RuntimeError("too loud") if config.loud else None,
    )
    host = make_host(stubs, installed=False, capture=False)
    quiet = config_yaml(pipeline(transformer={"format": "stub"}, outputs=[{"type": "stub"}]))
    loud = config_yaml(
        pipeline(transformer={"format": "stub", "loud": True}, outputs=[{"type": "stub"}])
    )

    assert run_pipeline(quiet, host=host).result.success
    failed = run_pipeline(loud, host=host).result
    assert not failed.success and stubs.received and len(stubs.received) == 1
    assert [c.loud for c in stubs.configs("transformer.transform")] == [False, True]


def test_stub_classes_are_described_by_doc_or_their_config() -> None:
    from gpuport_collectors.schema import config_schema

    with_doc = StubPlugin(doc="Writes nowhere.")
    without = StubPlugin(sink_config=LabelConfig)
    described = config_schema(make_host(with_doc, installed=False))
    plain = config_schema(make_host(without, installed=False))

    assert described["$defs"]["output.stub"]["description"] == "Writes nowhere."
    assert described["$defs"]["format.stub"]["description"] == "Writes nowhere."
    assert plain["$defs"]["output.stub"]["description"] == "Options of a labelled stub sink."
    # a collector of the same name keeps its own options, not the sink's
    assert "label" not in plain["$defs"]["collector.stub"]["properties"]
    assert "label" in plain["$defs"]["output.stub"]["properties"]


def test_stub_rendering_and_problems_can_follow_the_stubs_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    @attrs.frozen
    class Sep:
        separator: str = ","

    @attrs.frozen
    class Problem:
        count: int = 1
        problem: str = ""

    def joined(config: Sep) -> Any:
        return lambda rows: [config.separator.join(row.region for row in rows).encode()]

    stubs = StubPlugin(
        collector_config=Problem,
        problems=lambda config: [config.problem] if config.problem else [],
        transformer_config=Sep,
        render_for=joined,
    )
    host = make_host(stubs, installed=False, capture=False)
    outputs = [{"type": "stub"}]
    text = config_yaml(
        pipeline("a", transformer={"format": "stub"}, outputs=outputs),
        pipeline("b", transformer={"format": "stub", "separator": "|"}, outputs=outputs),
    )
    run_pipeline(text, [make_instance(region="x"), make_instance(region="y")], host=host)
    assert stubs.received == [b"x,y", b"x|y"]

    monkeypatch.chdir(tmp_path)
    args = ["collect", "--collector", "stub", "--output", "s.json"]
    assert invoke_cli(host, capsys, *args).exit_code == 0
    run = invoke_cli(host, capsys, *args, "-o", "problem=page 2 lost")
    assert run.exit_code == 1 and run.stderr.splitlines() == ["warning: stub: page 2 lost"]
    with pytest.raises(ValueError, match="not several"):
        StubPlugin(render_for=joined, body=b"x")


def test_stub_operator_coerces_its_value_and_keeps_what_it_is_told() -> None:
    import operator

    stubs = StubPlugin(collector=None, operator="below", keep=operator.lt)
    host = make_host(stubs, installed=False, capture=False)
    assert "below" not in make_host(StubPlugin(), installed=False).registry("operators")
    instances = [make_instance(instance_type=f"{n}x", price=n) for n in (0.5, 1.0, 2.0, None)]

    def kept(value: object) -> list[str]:
        filters = [{"field": "price", "operator": "below", "value": value}]
        text = config_yaml(
            pipeline(filters=filters, transformer={"format": "stub"}, outputs=[{"type": "stub"}])
        )
        run_pipeline(text, instances, host=host)
        return json.loads(stubs.received.pop())  # type: ignore[no-any-return]

    assert kept(1.0) == ["0.5x"]
    assert kept("2") == ["0.5x", "1.0x"]  # coerced to the field's type at load
    assert [c.value for c in stubs.configs("operator.__init__")] == [1.0, "2"]
    with pytest.raises(ConfigError) as caught:
        kept("cheap")
    assert str(caught.value).endswith("expected a number, got 'cheap' for field 'price'")
