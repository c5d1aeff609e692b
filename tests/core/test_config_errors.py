"""Every class of bad config input: one located line each, all reported at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from gpuport_collectors.config import ExportConfig, load_export_config
from gpuport_collectors.errors import ConfigError

Load = Callable[..., ExportConfig]

GOOD = """\
pipelines:
  - name: cheap
    filters:
      - field: price
        operator: below
        value: 2.5
    transformer:
      format: names
    outputs:
      - type: memory
        label: one
"""


def problems(load: Load, text: str, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(dedent(text), environ=environ)
    return [str(problem) for problem in caught.value.problems]


def test_good_config_loads_with_defaults(load: Load) -> None:
    config = load(GOOD)
    [pipeline] = config.pipelines
    assert pipeline.name == "cheap"
    assert pipeline.enabled is True
    assert pipeline.filters[0].field == "price"
    assert pipeline.filters[0].test(2.0) and not pipeline.filters[0].test(3.0)
    assert not pipeline.filters[0].test(2.5)  # strictly below
    assert pipeline.transformer.kind == "names"
    assert pipeline.transformer.options.separator == "\n"
    assert pipeline.outputs[0].options.label == "one"
    assert config.collectors is None


def test_yaml_syntax_error_is_located(load: Load) -> None:
    text = "pipelines:\n  - name: a\n    transformer: {format: names\n"
    [message] = problems(load, text)
    assert message.startswith("cfg.yaml:4:")
    assert "YAML syntax error" in message


def test_empty_file(load: Load) -> None:
    assert problems(load, "") == [
        "cfg.yaml: the file is empty; expected a mapping with a 'pipelines' list"
    ]


def test_not_a_mapping(load: Load) -> None:
    [message] = problems(load, "- just\n- a list\n")
    assert message == "cfg.yaml:1:1: expected a mapping with a 'pipelines' list, got a list"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_export_config(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: config file not found"


def test_all_errors_reported_at_once_in_file_order(load: Load) -> None:
    text = """\
    pipelines:
      - name: a
        filters:
          - field: prise
            operator: below
            value: 1
          - field: price
            operator: bellow
            value: 1
          - field: price
            operator: below
            value: abc
        transformer:
          format: nams
        outputs:
          - type: memory
            lable: x
      - name: a
        enabled: maybe
        transformer: {format: names}
        outputs: []
    colectors: []
    """
    assert problems(load, text) == [
        "cfg.yaml:4:16: unknown field 'prise'; did you mean 'price'? (fields: provider, "
        "instance_type, accelerator_name, accelerator_model, region, accelerator_count, "
        "accelerator_mem_gib, quantity, price, spot_price, v_cpus, memory_gib, availability, "
        "collected_at)",
        "cfg.yaml:8:19: unknown operator 'bellow'; did you mean 'below'? (available: below)",
        "cfg.yaml:12:16: expected a number, got 'abc' for field 'price'",
        "cfg.yaml:14:15: unknown format 'nams'; did you mean 'names'? (available: names)",
        "cfg.yaml:16:9: missing required option 'label'",
        "cfg.yaml:17:9: unknown option 'lable'; did you mean 'label'? "
        "(options: label, fail, token, tags, mode)",
        "cfg.yaml:18:11: duplicate pipeline name 'a' (first used by pipeline 1); "
        "names must be unique",
        "cfg.yaml:19:14: expected true or false, got 'maybe'",
        "cfg.yaml:21:14: 'outputs' is empty; add at least one output",
        "cfg.yaml:22:1: unknown top-level key 'colectors'; did you mean 'collectors'? "
        "(allowed: pipelines, collectors, checks)",
    ]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("separator: [1]", "cfg.yaml:5:18: expected text, got a list"),
        ("limit: 2.5", "cfg.yaml:5:14: expected a whole number, got 2.5"),
        ("limit: many", "cfg.yaml:5:14: expected a number, got 'many'"),
        ("shout: 'yes'", "cfg.yaml:5:14: expected true or false, got 'yes'"),
    ],
)
def test_wrong_value_types(load: Load, snippet: str, expected: str) -> None:
    text = f"""\
    pipelines:
      - name: a
        transformer:
          format: names
          {snippet}
        outputs: [{{type: memory, label: x}}]
    """
    assert problems(load, text) == [expected]


def test_missing_required_pipeline_keys(load: Load) -> None:
    assert problems(load, "pipelines:\n  - enabled: true\n") == [
        "cfg.yaml:2:5: missing required key 'name'",
        "cfg.yaml:2:5: missing required key 'transformer' (e.g. {format: json})",
        "cfg.yaml:2:5: missing required key 'outputs' (a list of destinations)",
    ]


def test_plugin_validator_error_points_at_its_option(load: Load) -> None:
    text = """\
    pipelines:
      - name: a
        transformer: {format: names}
        outputs:
          - type: memory
            label: x
            mode: sideways
    """
    assert problems(load, text) == ["cfg.yaml:7:15: mode must be append or replace, got 'sideways'"]


def test_missing_env_variable_is_named(load: Load) -> None:
    text = """\
    pipelines:
      - name: a
        transformer: {format: names}
        outputs:
          - type: memory
            label: ${LABEL}
    """
    assert problems(load, text) == [
        "cfg.yaml:6:16: environment variable LABEL is not set; export it or remove ${LABEL}"
    ]
    config = load(dedent(text), environ={"LABEL": "from-env"})
    assert config.pipelines[0].outputs[0].options.label == "from-env"


def test_env_values_never_echoed_in_errors(load: Load) -> None:
    canary = "canary-7f3e9a1c"
    text = """\
    pipelines:
      - name: a
        transformer:
          format: names
          limit: ${LIMIT}
        outputs: [{type: memory, label: x, token: "Bearer ${TOKEN}"}]
    """
    with pytest.raises(ConfigError) as caught:
        load(dedent(text), environ={"LIMIT": canary, "TOKEN": canary})
    assert canary not in str(caught.value)
    assert str(caught.value) == "cfg.yaml:5:14: expected a number, got a value from '${LIMIT}'"


def test_secret_options_keep_the_template_and_hide_the_value(load: Load) -> None:
    canary = "canary-secret-55"
    text = """\
    pipelines:
      - name: a
        transformer: {format: names}
        outputs: [{type: memory, label: x, token: "Bearer ${TOKEN}"}]
    """
    config = load(dedent(text), environ={"TOKEN": canary})
    token = config.pipelines[0].outputs[0].options.token
    assert token.reveal() == f"Bearer {canary}"
    assert canary not in repr(config)
    assert canary not in str(token)
    assert token.template == "Bearer ${TOKEN}"


def test_unknown_option_for_operator(load: Load) -> None:
    text = """\
    pipelines:
      - name: a
        filters:
          - {field: price, operator: below, value: 1, vlaue: 2}
        transformer: {format: names}
        outputs: [{type: memory, label: x}]
    """
    [message] = problems(load, text)
    assert message.startswith("cfg.yaml:4:51: unknown option 'vlaue'; did you mean 'value'?")


def test_wrong_shapes(load: Load) -> None:
    text = """\
    pipelines:
      - name: a
        filters: {field: price}
        transformer: names
        outputs: local
    """
    assert problems(load, text) == [
        "cfg.yaml:3:14: expected a list of filters, got a mapping",
        "cfg.yaml:4:18: expected a mapping, got text",
        "cfg.yaml:5:14: expected a list, got text",
    ]


def test_collectors_are_validated(load: Load) -> None:
    text = """\
    collectors:
      - type: static
        count: lots
      - type: statik
    pipelines:
      - name: a
        transformer: {format: names}
        outputs: [{type: memory, label: x}]
    """
    assert problems(load, text) == [
        "cfg.yaml:3:12: expected a number, got 'lots'",
        "cfg.yaml:4:11: unknown collector type 'statik'; did you mean 'static'? "
        "(available: static)",
    ]


def test_plugin_messages_quoting_an_env_value_show_the_reference(load: Load) -> None:
    # The fake `below` operator echoes the bad value in its message, as plugins may.
    canary = "canary-from-env-991"
    text = """\
    pipelines:
      - name: a
        filters:
          - {field: price, operator: below, value: "${LIMIT}"}
        transformer: {format: names}
        outputs: [{type: memory, label: x}]
    """
    [message] = problems(load, text, environ={"LIMIT": canary})
    assert canary not in message
    assert message == "cfg.yaml:4:48: expected a number, got '${LIMIT}' for field 'price'"
