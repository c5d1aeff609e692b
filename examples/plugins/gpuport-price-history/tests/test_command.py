"""``gpuport-collectors price-changes``, run through the real command line."""

import datetime as dt
import json
import sqlite3

import pytest

from gpuport_collectors.testing import config_yaml, pipeline


@pytest.fixture
def db(tmp_path):
    return tmp_path / "history.sqlite"


@pytest.fixture
def record(run_pipeline, db):
    """``record(instances, day, pipeline="daily")``: one export run into the history."""

    def run(instances, day, name="daily"):
        output = {"type": "price_history", "path": str(db)}
        now = dt.datetime(2025, 11, day, 12, 0, tzinfo=dt.UTC)
        result = run_pipeline(config_yaml(pipeline(name, outputs=[output])), instances, now=now)
        assert result.result.success, result.result.error

    return run


def offer(factory, gpu, region, price, spot=None):
    return factory(
        instance_type=f"1x {gpu}", accelerator_name=gpu, region=region, price=price, spot_price=spot
    )


@pytest.fixture
def two_days(record, instance_factory):
    record(
        [
            offer(instance_factory, "NVIDIA H100 PCIe", "EU-RO-1", 2.39, 1.20),
            offer(instance_factory, "NVIDIA A40", "US-TX-3", 0.40),
            offer(instance_factory, "NVIDIA L4", "EU-SE-1", 0.43),
            offer(instance_factory, "NVIDIA L40S", "EU-SE-1", 0.86),
        ],
        day=23,
    )
    record(
        [
            offer(instance_factory, "NVIDIA H100 PCIe", "EU-RO-1", 2.49, None),
            offer(instance_factory, "NVIDIA A40", "US-TX-3", 0.40),
            offer(instance_factory, "NVIDIA L40S", "EU-SE-1", 0.79),
            offer(instance_factory, "NVIDIA B200", "US-KS-2", 5.99),
        ],
        day=24,
    )


def test_shows_changes_between_the_last_two_runs(gpuport_cli, db, two_days):
    run = gpuport_cli("price-changes", "--db", db)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"{db}: pipeline 'daily', run 2 (2025-11-24T12:00:00Z) vs run 1 (2025-11-23T12:00:00Z)",
        "new      RunPod  1x NVIDIA B200       US-KS-2    price $5.99  spot -",
        "changed  RunPod  1x NVIDIA H100 PCIe  EU-RO-1    price $2.39 -> $2.49 (+4.2%)  "
        "spot $1.20 -> -",
        "gone     RunPod  1x NVIDIA L4         EU-SE-1    price $0.43  spot -",
        "changed  RunPod  1x NVIDIA L40S       EU-SE-1    price $0.86 -> $0.79 (-8.1%)",
        "2 changed, 1 new, 1 gone, 1 unchanged",
    ]


def test_json_output(gpuport_cli, db, two_days):
    run = gpuport_cli("price-changes", "--db", db, "--json")
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["pipeline"] == "daily"
    assert document["old_run"] == {
        "id": 1,
        "pipeline": "daily",
        "started_at": "2025-11-23T12:00:00Z",
        "instance_count": 4,
    }
    assert document["new_run"]["id"] == 2
    assert document["unchanged"] == 1
    assert [(c["kind"], c["instance_type"]) for c in document["changes"]] == [
        ("new", "1x NVIDIA B200"),
        ("changed", "1x NVIDIA H100 PCIe"),
        ("gone", "1x NVIDIA L4"),
        ("changed", "1x NVIDIA L40S"),
    ]
    h100 = document["changes"][1]
    assert (h100["old_price"], h100["new_price"]) == (2.39, 2.49)
    assert (h100["old_spot_price"], h100["new_spot_price"]) == (1.20, None)


def test_compares_runs_of_one_pipeline(gpuport_cli, db, record, instance_factory):
    cheap = [offer(instance_factory, "NVIDIA A40", "US-TX-3", 0.40)]
    record(cheap, day=21, name="daily")
    record([offer(instance_factory, "NVIDIA A40", "US-TX-3", 9.99)], day=22, name="other")
    record([offer(instance_factory, "NVIDIA A40", "US-TX-3", 0.35)], day=23, name="daily")

    latest = gpuport_cli("price-changes", "--db", db, "--json")
    assert json.loads(latest.stdout)["changes"][0]["old_price"] == 0.40

    other = gpuport_cli("price-changes", "--db", db, "--pipeline", "other")
    assert other.exit_code == 1
    assert other.stderr.strip() == f"Error: {db} has 1 run(s) to compare; price-changes needs two"


def test_unknown_pipeline_is_a_usage_error(gpuport_cli, db, two_days):
    run = gpuport_cli("price-changes", "--db", db, "--pipeline", "weekly")
    assert run.exit_code == 2
    assert f"{db} has no runs of pipeline 'weekly' (has: daily)" in run.stderr


def test_missing_or_foreign_database(gpuport_cli, tmp_path):
    missing = gpuport_cli("price-changes", "--db", tmp_path / "nope.sqlite")
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr

    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE customers (name TEXT)")
    run = gpuport_cli("price-changes", "--db", foreign)
    assert run.exit_code == 1
    assert "cannot read price history" in run.stderr
    assert "Traceback" not in run.stderr


def test_listed_in_help(gpuport_cli):
    run = gpuport_cli("--help")
    assert run.exit_code == 0
    assert "price-changes" in run.stdout
