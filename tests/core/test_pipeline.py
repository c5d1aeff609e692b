from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from textwrap import dedent

from gpuport_collectors.config import ExportConfig
from gpuport_collectors.pipeline import apply_filters, execute_pipelines
from gpuport_collectors.testing import generate_instances, make_instance

from . import fakes

Load = Callable[..., ExportConfig]

CONFIG = """\
pipelines:
  - name: cheap
    filters:
      - {field: price, operator: below, value: 1.0}
      - {field: accelerator_count, operator: below, value: 3}
    transformer: {format: names}
    outputs:
      - {type: memory, label: first}
      - {type: memory, label: broken, fail: true}
      - {type: exploding}
      - {type: memory, label: last}
  - name: off
    enabled: false
    transformer: {format: names}
    outputs: [{type: memory, label: never}]
  - name: all
    transformer: {format: names, shout: true}
    outputs: [{type: memory, label: all}]
"""


def test_one_failing_output_never_stops_the_others(
    load: Load, fake_plugins: fakes.FakePlugins
) -> None:
    instances = generate_instances(200, seed=1)
    results = execute_pipelines(instances, load(dedent(CONFIG)))
    assert [r.pipeline_name for r in results] == ["cheap", "all"]  # disabled one skipped
    cheap, everything = results
    expected = [
        i for i in instances if i.price is not None and i.price < 1.0 and i.accelerator_count < 3
    ]
    assert cheap.input_count == 200
    assert cheap.filtered_count == len(expected) > 0
    assert (cheap.output_count, cheap.successful_outputs, cheap.success) == (4, 2, False)
    assert cheap.error == "2 of 4 outputs failed"
    assert [o.error for o in cheap.outputs] == [
        None,
        "memory:broken: refused on purpose",
        "output 'exploding' failed unexpectedly: ZeroDivisionError: bug in plugin",
        None,
    ]
    body = "".join(f"{i.accelerator_name}\n" for i in expected).encode()
    assert fake_plugins.delivered[:2] == [("first", body), ("last", body)]
    assert everything.success and everything.filtered_count == 200
    assert fake_plugins.delivered[2][1].startswith(instances[0].accelerator_name.upper().encode())
    for result in results:
        assert result.duration_seconds >= result.filter_duration + result.transform_duration
        assert result.output_duration >= 0


def test_transformer_options_reach_the_transformer(
    load: Load, fake_plugins: fakes.FakePlugins
) -> None:
    [result] = execute_pipelines(
        [make_instance(accelerator_name="h100")], load(CONFIG), only=["all"]
    )
    assert result.success
    assert fake_plugins.delivered == [("all", b"H100\n")]  # shout: true


def test_only_and_dry_run(load: Load, fake_plugins: fakes.FakePlugins) -> None:
    results = execute_pipelines(
        [make_instance()],
        load(dedent(CONFIG)),
        only=["all"],
        dry_run=True,
        now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )
    [result] = results
    assert result.pipeline_name == "all"
    assert [(o.destination, o.dry_run) for o in result.outputs] == [("memory:all", True)]
    assert fake_plugins.delivered == []


def test_filters_are_anded_and_null_fails_comparisons(load: Load) -> None:
    config = load(dedent(CONFIG))
    rows = [
        make_instance(price=0.5, accelerator_count=1),
        make_instance(price=None, accelerator_count=1),
        make_instance(price=0.5, accelerator_count=4),
        make_instance(price=2.0, accelerator_count=1),
    ]
    assert apply_filters(rows, config.pipelines[0].filters) == [rows[0]]
    assert apply_filters(rows, []) == rows
