"""Tests for the glob operator, written with gpuport's test kit (gpuport_collectors.testing)."""

import pytest

from gpuport_collectors import ConfigError
from gpuport_collectors.testing import config_yaml, pipeline

NAMES = [
    "NVIDIA H100 PCIe",
    "NVIDIA H100 80GB HBM3",
    "NVIDIA A100-SXM4-80GB",
    "NVIDIA GeForce RTX 4090",
    "NVIDIA L40S",
]


def kept(run_pipeline, instance_factory, filters, names=NAMES):
    """Run a capture pipeline with ``filters`` and return the accelerator names kept."""
    instances = [instance_factory(accelerator_name=name) for name in names]
    run = run_pipeline(config_yaml(pipeline(filters=filters)), instances)
    assert run.result.success, run.result.error
    return [record["accelerator_name"] for record in run.payload.json()]


def glob(**options):
    return {"field": "accelerator_name", "operator": "glob", **options}


def test_values_match_any_pattern(run_pipeline, instance_factory):
    names = kept(run_pipeline, instance_factory, [glob(values=["*H100*", "*A100*"])])
    assert names == ["NVIDIA H100 PCIe", "NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB"]


def test_single_value(run_pipeline, instance_factory):
    assert kept(run_pipeline, instance_factory, [glob(value="*L40?")]) == ["NVIDIA L40S"]


def test_the_whole_value_must_match(run_pipeline, instance_factory):
    assert kept(run_pipeline, instance_factory, [glob(value="H100*")]) == []


def test_case_sensitive_unless_ignore_case(run_pipeline, instance_factory):
    assert kept(run_pipeline, instance_factory, [glob(value="*h100*")]) == []
    ignoring = kept(run_pipeline, instance_factory, [glob(value="*h100*", ignore_case=True)])
    assert ignoring == ["NVIDIA H100 PCIe", "NVIDIA H100 80GB HBM3"]


def test_character_classes(run_pipeline, instance_factory):
    names = kept(run_pipeline, instance_factory, [glob(value="NVIDIA [!G]*")])
    assert names == [
        "NVIDIA H100 PCIe",
        "NVIDIA H100 80GB HBM3",
        "NVIDIA A100-SXM4-80GB",
        "NVIDIA L40S",
    ]


def test_negate_keeps_what_does_not_match(run_pipeline, instance_factory):
    names = kept(run_pipeline, instance_factory, [glob(values=["*H100*", "*A100*"], negate=True)])
    assert names == ["NVIDIA GeForce RTX 4090", "NVIDIA L40S"]


def test_other_text_fields_and_null(run_pipeline, instance_factory):
    instances = [
        instance_factory(region="EU-RO-1"),
        instance_factory(region="US-TX-3"),
        instance_factory(region="EU-SE-1"),
    ]
    filters = [{"field": "region", "operator": "glob", "value": "eu-*", "ignore_case": True}]
    run = run_pipeline(config_yaml(pipeline(filters=filters)), instances)
    assert [record["region"] for record in run.payload.json()] == ["EU-RO-1", "EU-SE-1"]


def test_agrees_with_substring_search_on_a_realistic_catalogue(run_pipeline, sample_instances):
    run = run_pipeline(config_yaml(pipeline(filters=[glob(value="*RTX*")])), sample_instances)
    expected = [i.instance_type for i in sample_instances if "RTX" in i.accelerator_name]
    assert expected, "the sample catalogue should hold RTX cards"
    assert [record["instance_type"] for record in run.payload.json()] == expected


CONFIG = """\
pipelines:
  - name: gpus
    filters:
      - field: price
        operator: glob
        value: "1.*"
      - field: accelerator_name
        operator: glob
        value: "*H100*"
        values: ["*A100*"]
      - field: accelerator_name
        operator: glob
        values: []
      - field: region
        operator: glob
    transformer: {format: json}
    outputs: [{type: capture}]
"""


def test_config_errors_are_located(export_config):
    with pytest.raises(ConfigError) as caught:
        export_config(CONFIG)
    messages = [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]
    assert messages == [
        "4:16: glob matches text, but price is number; use eq, between or in for it",
        "10:17: give 'value' or 'values', not both",
        "13:17: 'values' is empty; give at least one pattern",
        "14:9: glob needs 'value' (one pattern) or 'values' (a list)",
    ]
