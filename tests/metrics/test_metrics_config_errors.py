"""Bad metrics configs through the real loader: located, one line, saying what to do."""

from __future__ import annotations

from typing import Any

import pytest

FIELD_LIST = (
    "provider, instance_type, accelerator_name, accelerator_model, region, accelerator_count, "
    "accelerator_mem_gib, quantity, price, spot_price, v_cpus, memory_gib, availability, "
    "collected_at"
)

# (metric, key blamed (None: the metric mapping), blame the key itself?, message)
CASES: list[tuple[str, str | None, bool, str]] = [
    (
        "{name: total, type: cnt}",
        "type",
        False,
        "expected one of 'count', 'avg', 'min', 'max', 'sum', 'unique', got 'cnt'; "
        "did you mean 'count'?",
    ),
    (
        "{name: avg_price, type: avg, field: prise}",
        "field",
        False,
        f"unknown field 'prise'; did you mean 'price'? (fields: {FIELD_LIST})",
    ),
    (
        "{name: by_region, type: count, group_by: regoin}",
        "group_by",
        False,
        f"unknown field 'regoin'; did you mean 'region'? (fields: {FIELD_LIST})",
    ),
    (
        "{name: avg_region, type: avg, field: region}",
        "field",
        False,
        "avg needs a numeric field; field 'region' is text (use count or unique instead)",
    ),
    (
        "{name: total_level, type: sum, field: availability}",
        "field",
        False,
        "sum needs a numeric field; field 'availability' is an availability level "
        "(use count or unique instead)",
    ),
    (
        "{name: max_level, type: max, field: availability}",
        "field",
        False,
        "max needs a numeric field or collected_at; field 'availability' is an availability "
        "level (use count or unique instead)",
    ),
    (
        "{name: avg_time, type: avg, field: collected_at}",
        "field",
        False,
        "avg needs a numeric field; field 'collected_at' is a timestamp "
        "(use count or unique instead)",
    ),
    (
        "{name: avg_price, type: avg}",
        None,
        False,
        "metric 'avg_price': avg needs a 'field' (e.g. field: price)",
    ),
    (
        "{name: distinct, type: unique}",
        None,
        False,
        "metric 'distinct': unique needs a 'field' (e.g. field: price)",
    ),
    ("{type: count}", None, False, "missing required option 'name'"),
    ("{name: total}", None, False, "missing required option 'type'"),
    ("{name: '', type: count}", "name", False, "metric name must not be empty"),
    (
        "{name: total, type: count, groupby: region}",
        "groupby",
        True,
        "unknown option 'groupby'; did you mean 'group_by'? (options: name, type, field, group_by)",
    ),
    ("{name: total, type: count, field: [price]}", "field", False, "expected text, got a list"),
]


@pytest.mark.parametrize(("metric", "key", "on_key", "message"), CASES, ids=lambda v: str(v)[:40])
def test_bad_metric_is_one_located_line(
    metrics_loader: Any, metric: str, key: str | None, on_key: bool, message: str
) -> None:
    metrics = ["{name: fine, type: count}", metric]
    text = metrics_loader.text(metrics)
    where = metrics_loader.at(text, metric, key, on_key=on_key)
    assert metrics_loader.errors(metrics) == [f"{where}: {message}"]
    assert where.split(":")[-2] == "8"  # the second metric's line


def test_every_bad_metric_at_once(metrics_loader: Any) -> None:
    metrics = [metric for metric, *_ in CASES]
    text = metrics_loader.text(metrics)
    errors = metrics_loader.errors(metrics)
    assert errors == [
        f"{metrics_loader.at(text, metric, key, on_key=on_key)}: {message}"
        for metric, key, on_key, message in CASES
    ]


def test_duplicate_metric_names(metrics_loader: Any) -> None:
    metrics = [
        "{name: total, type: count}",
        "{name: avg_price, type: avg, field: price}",
        "{name: total, type: unique, field: region}",
    ]
    text = metrics_loader.text(metrics)
    # Blamed on the 'metrics' list itself: line 7, where its first "- " is (column 9).
    assert text.splitlines()[6].index("- ") == 8
    assert metrics_loader.errors(metrics) == [
        f"{metrics_loader.path}:7:9: "
        "metric name 'total' is used by metrics 1 and 3; names must be unique"
    ]


def test_empty_metrics(metrics_loader: Any) -> None:
    text = metrics_loader.text([]).replace("metrics:", "metrics: []")
    assert metrics_loader.errors_in(text) == [
        f"{metrics_loader.at(text, 'metrics: []', 'metrics')}: "
        "'metrics' is empty; add at least one, e.g. {name: total, type: count}"
    ]


def test_missing_metrics(metrics_loader: Any) -> None:
    text = metrics_loader.text([]).replace("      metrics:\n", "")
    # Blamed on the transformer mapping, which starts at "format: metrics".
    assert metrics_loader.errors_in(text) == [
        f"{metrics_loader.at(text, 'format: metrics')}: missing required option 'metrics'"
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("include_timestamp: yes", "expected true or false, got 'yes'"),
        ("include_collection_info: 1", "expected true or false, got 1"),
        (
            "pretty: true",
            "unknown option 'pretty'; did you mean 'pretty_print'? "
            "(options: metrics, include_timestamp, include_collection_info, pretty_print)",
        ),
    ],
)
def test_bad_transformer_options(metrics_loader: Any, option: str, message: str) -> None:
    metrics = ["{name: total, type: count}"]
    text = metrics_loader.text(metrics, option)
    key = option.split(":")[0]
    on_key = key == "pretty"
    where = metrics_loader.at(text, option, key, on_key=on_key)
    assert metrics_loader.errors(metrics, option) == [f"{where}: {message}"]


def test_good_config_loads(metrics_loader: Any) -> None:
    pipeline = metrics_loader.load(
        [
            "{name: total, type: count}",
            "{name: spot_offers, type: count, field: spot_price}",
            "{name: cheapest, type: min, field: price, group_by: accelerator_name}",
            "{name: newest, type: max, field: collected_at}",
            "{name: levels, type: unique, field: availability}",
        ],
        "include_timestamp: true",
        "include_collection_info: true",
        "pretty_print: true",
    )
    options = pipeline.transformer.options
    assert [m.name for m in options.metrics] == [
        "total",
        "spot_offers",
        "cheapest",
        "newest",
        "levels",
    ]
    assert options.include_timestamp and options.include_collection_info and options.pretty_print
