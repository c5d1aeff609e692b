"""One test per hookspec, each loading that hook's example plugin from docs/plugins.md and
using it the way a user would: through a config, a pipeline run or the command line.

test_docs.py fails when a hookspec has no test named ``test_<hookspec>`` here or elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gpuport_collectors import ConfigError, GPUInstance
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import (
    CliRun,
    PipelineRun,
    capture_of,
    config_yaml,
    generate_instances,
    pipeline,
)

Factory = Callable[..., GPUInstance]


def test_gpuport_register_collectors(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    gpuport_host: PluginHost,
    gpuport_cli: Callable[..., CliRun],
    config_file: Callable[..., Path],
) -> None:
    report = register_plugin(hook_example("gpuport_register_collectors"))
    assert report.loaded and report.registered == {"collectors": ["fixed_prices"]}  # type: ignore[attr-defined]
    config = config_file(
        """\
collectors:
  - type: fixed_prices
    region: basement
    prices: {"NVIDIA RTX A6000": 0.35, "NVIDIA L4": 0.20}
pipelines:
  - name: mine
    transformer: {format: json}
    outputs: [{type: capture}]
"""
    )

    run = gpuport_cli("export", "--config", config)

    assert run.exit_code == 0, run.stderr
    assert "collected 2 instances from fixed_prices" in run.stdout
    capture = capture_of(gpuport_host)
    assert capture is not None
    records = json.loads(capture.captured[0].body)
    assert [(r["accelerator_name"], r["region"], r["price"], r["provider"]) for r in records] == [
        ("NVIDIA RTX A6000", "basement", 0.35, "on-prem"),
        ("NVIDIA L4", "basement", 0.20, "on-prem"),
    ]


def test_gpuport_register_collectors_options_are_checked(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    export_config: Callable[..., object],
) -> None:
    register_plugin(hook_example("gpuport_register_collectors"))
    text = """\
collectors:
  - type: fixed_prices
    prices: {"NVIDIA L4": cheap}
    zone: eu
pipelines:
  - {name: p, transformer: {format: json}, outputs: [{type: capture}]}
"""
    with pytest.raises(ConfigError) as caught:
        export_config(text)
    messages = [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]
    assert messages == [
        "3:27: expected a number, got 'cheap'",
        "4:5: unknown option 'zone' (options: prices, region)",
    ]


def test_gpuport_register_operators(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    run_pipeline: Callable[..., PipelineRun],
    instance_factory: Factory,
) -> None:
    report = register_plugin(hook_example("gpuport_register_operators"))
    assert report.registered == {"operators": ["has_word"]}  # type: ignore[attr-defined]
    types = ["1x NVIDIA H100 PCIe", "1x Hypothetical H1000", "8x nvidia h100 nvl", None]
    instances = [instance_factory(instance_type=t or "", accelerator_name=t or "x") for t in types]
    filters = [{"field": "instance_type", "operator": "has_word", "value": "H100"}]

    run = run_pipeline(config_yaml(pipeline(filters=filters)), instances)

    assert [r["instance_type"] for r in run.payload.json()] == [
        "1x NVIDIA H100 PCIe",
        "8x nvidia h100 nvl",
    ]


def test_gpuport_register_operators_refuses_a_number_field(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    run_pipeline: Callable[..., PipelineRun],
) -> None:
    register_plugin(hook_example("gpuport_register_operators"))
    filters = [{"field": "price", "operator": "has_word", "value": "1"}]
    with pytest.raises(ConfigError) as caught:
        run_pipeline(config_yaml(pipeline(filters=filters)), [])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 12)
    assert problem.message == "has_word needs a text field; price is not text"


def test_gpuport_register_transformers(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    run_pipeline: Callable[..., PipelineRun],
    instance_factory: Factory,
) -> None:
    report = register_plugin(hook_example("gpuport_register_transformers"))
    assert report.registered == {"transformers": ["markdown"]}  # type: ignore[attr-defined]
    instances = [
        instance_factory(accelerator_name="NVIDIA L4", price=0.43, spot_price=None),
        instance_factory(accelerator_name="NVIDIA A40", price=0.4, spot_price=0.2),
    ]
    transformer = {"format": "markdown", "fields": ["accelerator_name", "price", "spot_price"]}

    run = run_pipeline(config_yaml(pipeline(transformer=transformer)), instances)

    assert run.payload.media_type == "text/markdown"
    assert run.payload.text == (
        "| accelerator_name | price | spot_price |\n"
        "| --- | --- | --- |\n"
        "| NVIDIA L4 | 0.43 |  |\n"
        "| NVIDIA A40 | 0.4 | 0.2 |\n"
    )


def test_gpuport_register_transformers_checks_field_names(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    run_pipeline: Callable[..., PipelineRun],
) -> None:
    register_plugin(hook_example("gpuport_register_transformers"))
    transformer = {"format": "markdown", "fields": ["accelerator_name", "prise"]}
    with pytest.raises(ConfigError) as caught:
        run_pipeline(config_yaml(pipeline(transformer=transformer)), [])
    (problem,) = caught.value.problems
    assert problem.message == "unknown field 'prise'; did you mean 'price'?"


def test_gpuport_register_sinks(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    gpuport_cli: Callable[..., CliRun],
    config_file: Callable[..., Path],
    tmp_path: Path,
) -> None:
    report = register_plugin(hook_example("gpuport_register_sinks"))
    assert report.registered == {"sinks": ["stdout"]}  # type: ignore[attr-defined]
    snapshot = tmp_path / "snapshot.json"
    instances = generate_instances(3, seed=7)
    write_snapshot(instances, snapshot)
    config = config_file(config_yaml(pipeline("show", outputs=[{"type": "stdout"}])))

    run = gpuport_cli("export", "--config", config, "--snapshot", snapshot)

    assert run.exit_code == 0, run.stderr
    printed = json.loads(run.stdout[run.stdout.index("[") : run.stdout.rindex("]") + 1])
    assert [r["instance_type"] for r in printed] == [i.instance_type for i in instances]
    assert "pipeline show: ok" in run.stdout
    dry = gpuport_cli("export", "--config", config, "--snapshot", snapshot, "--dry-run")
    assert dry.exit_code == 0 and "[" not in dry.stdout
    assert "stdout stdout: would write" in dry.stdout


def test_gpuport_register_commands(
    hook_example: Callable[[str], object],
    register_plugin: Callable[..., object],
    gpuport_cli: Callable[..., CliRun],
    tmp_path: Path,
) -> None:
    register_plugin(hook_example("gpuport_register_commands"))
    snapshot = tmp_path / "snapshot.json.gz"
    instances = generate_instances(seed=3)
    write_snapshot(instances, snapshot)

    listed = gpuport_cli("--help")
    run = gpuport_cli("cheapest", snapshot, "--gpu", "h100", "--limit", "3")

    assert "cheapest" in listed.stdout
    assert run.exit_code == 0, run.stderr
    h100 = [i for i in instances if "H100" in i.accelerator_name and i.price is not None]
    expected = sorted(h100, key=lambda i: i.price or 0)[:3]
    assert run.stdout.splitlines() == [
        f"${i.price:.2f}/hr  {i.instance_type}  {i.region}" for i in expected
    ]


def test_gpuport_register_commands_do_not_leak_between_tests(
    gpuport_cli: Callable[..., CliRun],
) -> None:
    from gpuport_collectors.cli import cli

    assert "cheapest" not in cli.commands
    assert gpuport_cli("cheapest").exit_code == 2
