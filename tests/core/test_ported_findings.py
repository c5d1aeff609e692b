"""What the earlier gpuport project's own test suite, ported to our API, found wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.records import record_to_instance
from gpuport_collectors.snapshots import read_snapshot
from gpuport_collectors.testing import make_host, make_instance, run_pipeline

FILTERED = """\
pipelines:
  - name: p
    filters:
      - field: region
        operator: {operator}
        values: ["${{REGION}}", other]
    transformer: {{format: json}}
    outputs: [{{type: capture}}]
"""


@pytest.mark.parametrize(("operator", "kept"), [("in", ["EU-RO-1"]), ("not_in", ["US-TX-3"])])
def test_env_references_inside_lists_are_substituted(operator: str, kept: list[str]) -> None:
    instances = [make_instance(region="EU-RO-1"), make_instance(region="US-TX-3")]
    run = run_pipeline(FILTERED.format(operator=operator), instances, environ={"REGION": "EU-RO-1"})
    assert [record.region for record in run.payload.records] == kept


def test_an_unset_reference_inside_a_list_is_a_located_error() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_export_config(
            FILTERED.format(operator="in"), source="c.yaml", host=make_host(), environ={}
        )
    assert [str(p) for p in caught.value.problems] == [
        "c.yaml:6:18: environment variable REGION is not set; export it or remove ${REGION}"
    ]


def test_env_references_in_nested_mappings_are_substituted() -> None:
    text = """\
pipelines:
  - name: p
    transformer: {format: json}
    outputs:
      - {type: https, url: "https://h.example.org", headers: {X-Region: "${REGION}"}}
"""
    config = parse_export_config(text, host=make_host(), environ={"REGION": "eu"})
    headers = config.pipelines[0].outputs[0].options.headers
    assert headers["X-Region"].reveal() == "eu"


def record(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "provider": "RunPod",
        "instance_type": "1x H100",
        "accelerator_name": "H100",
        "region": "EU-RO-1",
        "accelerator_count": 1,
        "price": 2.5,
        "collected_at": 1_764_000_000,
    }
    return {**base, **changes}


def test_older_records_spot_price_zero_is_null() -> None:
    assert record_to_instance(record(spot_price=0.0)).spot_price is None
    assert record_to_instance(record(spot_price=0)).spot_price is None
    assert record_to_instance(record(spot_price=1.2)).spot_price == 1.2


def test_quantity_is_the_largest_available_gpu_count() -> None:
    raw = {"pricing": {"availableGpuCounts": [1, 2, 8]}}
    assert record_to_instance(record(quantity=1, raw_data=raw)).quantity == 8
    assert record_to_instance(record(quantity=3)).quantity == 3
    empty: dict[str, object] = {"pricing": {"availableGpuCounts": []}}
    assert record_to_instance(record(quantity=3, raw_data=empty)).quantity == 3


METRICS = """\
pipelines:
  - name: m
    transformer:
      format: metrics
      include_collection_info: true
      metrics:
        - {name: total, type: count}
        - {name: gpu_models, type: unique, field: accelerator_name}
    outputs: [{type: capture}]
"""


def test_collection_info_is_derived_from_instances_when_none_is_passed() -> None:
    instances = [
        make_instance(provider="RunPod", accelerator_name="H100", collected_at=1_764_000_100),
        make_instance(provider="Lambda", accelerator_name="A100", collected_at=1_764_000_000),
        make_instance(provider="Lambda", accelerator_name="A100", collected_at=1_764_000_200),
    ]
    document = run_pipeline(METRICS, instances).payload.json()
    assert document["collection_info"] == {
        "collectors": [],
        "providers": ["Lambda", "RunPod"],
        "instance_count": 3,
        "collected_at": "2025-11-24T16:00:00Z",
        "duration_seconds": 0.0,
    }
    assert document["metrics"]["gpu_models"] == 2  # unique counts, as the docs now say


def test_snapshot_run_reports_the_snapshot_time(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([record(collected_at=1_700_000_000)]))
    instances = read_snapshot(path).instances
    from gpuport_collectors.protocols import CollectionInfo

    info = CollectionInfo.from_instances(instances, collectors=("snapshot",))
    assert info.collected_at == dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    assert info.providers == ("RunPod",)


def test_a_misspelled_key_is_unknown_with_a_suggestion_at_its_own_line() -> None:
    text = """\
pipelines:
  - name: p
    filters:
      - field: price
        operater: lt
        value: 5
    transformer: {format: json}
    outputs: [{type: capture}]
"""
    with pytest.raises(ConfigError) as caught:
        parse_export_config(text, source="FILE", host=make_host(), environ={})
    assert [str(p) for p in caught.value.problems] == [
        "FILE:5:9: unknown key 'operater'; did you mean 'operator'?"
    ]
