"""The price_history sink, driven through real pipelines with gpuport's test kit."""

import datetime as dt
import sqlite3

import pytest

from gpuport_collectors import ConfigError
from gpuport_collectors.testing import config_yaml, pipeline

DAY1 = dt.datetime(2025, 11, 23, 12, 0, tzinfo=dt.UTC)
DAY2 = dt.datetime(2025, 11, 24, 12, 0, tzinfo=dt.UTC)


def history_config(db, name="daily", **options):
    output = {"type": "price_history", "path": str(db), **options}
    return config_yaml(pipeline(name, outputs=[output]))


def rows(db, sql, *args):
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, args).fetchall()


def test_one_row_per_instance_per_run(run_pipeline, tmp_path, instance_factory):
    db = tmp_path / "history.sqlite"
    first = [
        instance_factory(instance_type="1x NVIDIA H100 PCIe", region="EU-RO-1", price=2.39),
        instance_factory(
            instance_type="2x NVIDIA H100 PCIe", region="EU-RO-1", price=4.78, spot_price=None
        ),
    ]
    run = run_pipeline(history_config(db), first, now=DAY1)

    assert run.result.success, run.result.error
    assert run.outputs[0].destination == str(db)
    assert rows(db, "SELECT id, pipeline, started_at, instance_count FROM runs") == [
        (1, "daily", "2025-11-23T12:00:00Z", 2)
    ]
    assert rows(
        db, "SELECT run_id, instance_type, price, spot_price, availability FROM prices"
    ) == [
        (1, "1x NVIDIA H100 PCIe", 2.39, 0.35, "HIGH"),
        (1, "2x NVIDIA H100 PCIe", 4.78, None, "HIGH"),
    ]


def test_a_second_run_adds_rows_and_keeps_the_first(run_pipeline, tmp_path, sample_instances):
    db = tmp_path / "history.sqlite"
    run_pipeline(history_config(db), sample_instances, now=DAY1)
    first_run_rows = rows(db, "SELECT * FROM prices ORDER BY rowid")
    cheaper = [attrs_evolve(i, price=round(i.price * 0.9, 2)) for i in sample_instances]

    run = run_pipeline(history_config(db), cheaper, now=DAY2)

    assert run.result.success, run.result.error
    assert rows(db, "SELECT id, started_at, instance_count FROM runs") == [
        (1, "2025-11-23T12:00:00Z", len(sample_instances)),
        (2, "2025-11-24T12:00:00Z", len(sample_instances)),
    ]
    assert rows(db, "SELECT * FROM prices WHERE run_id = 1 ORDER BY rowid") == first_run_rows
    second = rows(db, "SELECT price FROM prices WHERE run_id = 2 ORDER BY rowid")
    assert [price for (price,) in second] == [i.price for i in cheaper]


def attrs_evolve(instance, **changes):
    import attrs

    return attrs.evolve(instance, **changes)


def test_only_filtered_instances_are_recorded(run_pipeline, tmp_path, sample_instances):
    db = tmp_path / "history.sqlite"
    filters = [{"field": "price", "operator": "lt", "value": 1.0}]
    output = {"type": "price_history", "path": str(db)}
    run_pipeline(config_yaml(pipeline(filters=filters, outputs=[output])), sample_instances)
    expected = sorted(i.instance_type + i.region for i in sample_instances if i.price < 1.0)
    recorded = rows(db, "SELECT instance_type || region FROM prices")
    assert sorted(value for (value,) in recorded) == expected


def test_dry_run_does_not_create_the_file(run_pipeline, tmp_path, sample_instances):
    db = tmp_path / "history.sqlite"
    run = run_pipeline(history_config(db), sample_instances, dry_run=True)
    assert run.outputs[0].dry_run and run.outputs[0].destination == str(db)
    assert not db.exists()


def test_creates_missing_directories(run_pipeline, tmp_path, sample_instances):
    db = tmp_path / "nested" / "dir" / "history.sqlite"
    assert run_pipeline(history_config(db), sample_instances).result.success
    assert rows(db, "SELECT count(*) FROM runs") == [(1,)]


def test_failure_names_the_file_and_spares_other_outputs(run_pipeline, tmp_path, sample_instances):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    db = blocker / "history.sqlite"
    outputs = [{"type": "price_history", "path": str(db)}, {"type": "capture"}]
    run = run_pipeline(config_yaml(pipeline(outputs=outputs)), sample_instances)

    history, capture = run.outputs
    assert not history.success
    assert history.error.startswith(f"{db}: cannot record prices:")
    assert capture.success and len(run.captured) == 1
    assert not run.result.success


def test_refuses_a_database_that_is_not_a_history(run_pipeline, tmp_path, sample_instances):
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE customers (name TEXT)")
    run = run_pipeline(history_config(db), sample_instances)
    assert run.outputs[0].error == (
        f"{db}: cannot record prices: {db} is an SQLite database, but not a price history"
    )
    assert rows(db, "SELECT name FROM sqlite_master") == [("customers",)]


def test_config_errors_are_located(export_config):
    text = """\
pipelines:
  - name: daily
    transformer: {format: json}
    outputs:
      - type: price_history
        create_dirs: false
      - type: price_history
        path: history.sqlite
        timeout: 0
      - type: price_history
        path: "  "
      - type: price_history
        path: history.sqlite
        keep: 3
"""
    with pytest.raises(ConfigError) as caught:
        export_config(text)
    assert [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems] == [
        "5:9: missing required option 'path'",
        "9:18: timeout must be above 0, got 0.0",
        "11:15: path is empty; give the SQLite file to write",
        "14:9: unknown option 'keep' (options: path, create_dirs, timeout)",
    ]
