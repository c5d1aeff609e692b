"""The document around the metrics: timestamp, collection_info, payload, end to end."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from gpuport_collectors.models import GPUInstance
from gpuport_collectors.pipeline import execute_pipelines
from gpuport_collectors.protocols import CollectionInfo, Payload, RunContext
from gpuport_metrics.config import MetricsConfig, MetricSpec
from gpuport_metrics.transformer import MetricsTransformer

Document = Callable[..., dict[str, Any]]
TOTAL = MetricSpec(name="total", type="count")
STARTED = dt.datetime(2026, 11, 23, 14, 0, 0, 250_000, tzinfo=dt.UTC)


def payload_for(instances: list[GPUInstance], **options: Any) -> Payload:
    transformer = MetricsTransformer(MetricsConfig(metrics=[TOTAL], **options))
    return transformer.transform(instances, RunContext(STARTED, "m"))


def test_defaults_add_nothing_but_metrics(document: Document, instance_factory: Any) -> None:
    assert document([instance_factory()], TOTAL) == {"metrics": {"total": 1}}


def test_timestamp_is_iso_utc_whole_seconds(document: Document) -> None:
    result = document([], TOTAL, include_timestamp=True)
    assert result["timestamp"] == "2026-11-23T14:00:00Z"


def test_timestamp_converts_other_zones_to_utc(document: Document) -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    context = RunContext(dt.datetime(2026, 11, 23, 16, 30, 5, tzinfo=plus_two), "m")
    result = document([], TOTAL, context=context, include_timestamp=True)
    assert result["timestamp"] == "2026-11-23T14:30:05Z"


def test_collection_info(document: Document) -> None:
    info = CollectionInfo(
        collectors=("runpod", "snapshot"),
        instance_count=412,
        collected_at=dt.datetime(2026, 11, 23, 13, 59, 58, tzinfo=dt.UTC),
        duration_seconds=1.75,
    )
    context = RunContext(STARTED, "m", collection=info)
    result = document([], TOTAL, context=context, include_collection_info=True)
    assert result["collection_info"] == {
        "collectors": ["runpod", "snapshot"],
        "providers": [],
        "instance_count": 412,
        "collected_at": "2026-11-23T13:59:58Z",
        "duration_seconds": 1.75,
    }


def test_collection_info_is_null_without_a_collection(document: Document) -> None:
    result = document([], TOTAL, include_collection_info=True, include_timestamp=True)
    assert result == {
        "timestamp": "2026-11-23T14:00:00Z",
        "collection_info": None,
        "metrics": {"total": 0},
    }


def test_payload_is_one_unsplittable_json_document(sample_instances: list[GPUInstance]) -> None:
    payload = payload_for(sample_instances)
    assert (payload.media_type, payload.extension, payload.splittable) == (
        "application/json",
        ".json",
        False,
    )
    whole = payload.to_bytes()
    assert json.loads(whole) == {"metrics": {"total": len(sample_instances)}}
    # A subset renders the same document: metrics describe every instance.
    assert b"".join(payload.render(sample_instances[:3])) == whole
    assert [len(batch) for batch in payload.batches(10)] == [len(sample_instances)]


def test_pretty_print_indents(sample_instances: list[GPUInstance]) -> None:
    compact = payload_for(sample_instances).to_bytes()
    pretty = payload_for(sample_instances, pretty_print=True).to_bytes()
    assert b"\n" not in compact.rstrip(b"\n")
    assert b'\n  "metrics": {\n    "total": ' in pretty
    assert json.loads(pretty) == json.loads(compact)


def test_non_ascii_metric_names_stay_readable() -> None:
    transformer = MetricsTransformer(
        MetricsConfig(metrics=[MetricSpec(name="prix_moyen_€", type="count")])
    )
    data = transformer.transform([], RunContext(STARTED, "m")).to_bytes()
    assert "prix_moyen_€".encode() in data


def test_spec_example_end_to_end(
    metrics_loader: Any, received: list[bytes], sample_instances: list[GPUInstance]
) -> None:
    config = metrics_loader.config(
        [
            "{name: total_instances, type: count}",
            "{name: avg_price, type: avg, field: price}",
            "{name: providers, type: unique, field: provider}",
            "{name: by_provider, type: count, group_by: provider}",
        ],
        "include_timestamp: true",
    )
    (result,) = execute_pipelines(sample_instances, config, now=STARTED)
    assert result.success, result.error
    (sent,) = received
    prices = [row.price for row in sample_instances if row.price is not None]
    document = json.loads(sent)
    assert document["timestamp"] == "2026-11-23T14:00:00Z"
    assert document["metrics"]["total_instances"] == len(sample_instances)
    assert abs(document["metrics"]["avg_price"] - sum(prices) / len(prices)) < 1e-9
    assert document["metrics"]["providers"] == 1
    assert document["metrics"]["by_provider"] == {"RunPod": len(sample_instances)}
