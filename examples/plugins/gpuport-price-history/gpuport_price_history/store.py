"""The SQLite file: one ``runs`` row per pipeline run, one ``prices`` row per instance per run.

Rows are only ever inserted, so the file is a complete history: a later run adds rows
and never changes an earlier one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import attrs

from gpuport_collectors.plugin_api import GPUInstance

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline TEXT NOT NULL,
    started_at TEXT NOT NULL,          -- the run's clock, ISO 8601 UTC
    instance_count INTEGER NOT NULL
);
CREATE TABLE prices (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    provider TEXT NOT NULL,
    instance_type TEXT NOT NULL,
    region TEXT NOT NULL,
    accelerator_name TEXT NOT NULL,
    accelerator_count INTEGER NOT NULL,
    price REAL,                        -- $/hr for the whole instance; NULL when unknown
    spot_price REAL,                   -- NULL when there is no spot market
    availability TEXT NOT NULL,        -- HIGH, MEDIUM, LOW or NOT_AVAILABLE
    collected_at INTEGER NOT NULL      -- Unix seconds
);
CREATE INDEX prices_by_run ON prices (run_id);
"""

#: What identifies "the same offer" in two runs.
Key = tuple[str, str, str]


class HistoryError(Exception):
    """The file is not a price history this version can read."""


@attrs.frozen
class Run:
    """One ``runs`` row."""

    id: int
    pipeline: str
    started_at: str
    instance_count: int


@attrs.frozen
class Price:
    """One ``prices`` row, as much of it as comparisons need."""

    provider: str
    instance_type: str
    region: str
    price: float | None
    spot_price: float | None

    @property
    def key(self) -> Key:
        return (self.provider, self.instance_type, self.region)


def connect(path: Path, *, timeout: float = 10.0, create: bool = True) -> sqlite3.Connection:
    """Open (and with ``create``, initialise) a history file."""
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and create:
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise HistoryError(f"{path} is an SQLite database, but not a price history")
            with connection:
                connection.executescript(SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        elif version != SCHEMA_VERSION:
            raise HistoryError(f"{path} is not a price history (schema version {version})")
    except (sqlite3.DatabaseError, HistoryError):
        connection.close()
        raise
    return connection


def record_run(
    connection: sqlite3.Connection,
    *,
    pipeline: str,
    started_at: dt.datetime,
    instances: Iterable[GPUInstance],
) -> int:
    """Insert one run and its instances in one transaction; return the run's id."""
    rows = list(instances)
    stamp = started_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with connection:
        cursor = connection.execute(
            "INSERT INTO runs (pipeline, started_at, instance_count) VALUES (?, ?, ?)",
            (pipeline, stamp, len(rows)),
        )
        run_id = cursor.lastrowid
        assert run_id is not None
        connection.executemany(
            "INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    row.provider,
                    row.instance_type,
                    row.region,
                    row.accelerator_name,
                    row.accelerator_count,
                    row.price,
                    row.spot_price,
                    row.availability.name,
                    row.collected_at,
                )
                for row in rows
            ],
        )
    return run_id


def latest_runs(
    connection: sqlite3.Connection, pipeline: str | None = None, count: int = 2
) -> list[Run]:
    """The newest ``count`` runs, newest first, of ``pipeline`` (default: the newest run's)."""
    if pipeline is None:
        newest = connection.execute("SELECT pipeline FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if newest is None:
            return []
        pipeline = str(newest[0])
    found = connection.execute(
        "SELECT id, pipeline, started_at, instance_count FROM runs"
        " WHERE pipeline = ? ORDER BY id DESC LIMIT ?",
        (pipeline, count),
    )
    return [Run(*row) for row in found]


def pipelines(connection: sqlite3.Connection) -> list[str]:
    """Every pipeline name that has runs, sorted."""
    found = connection.execute("SELECT DISTINCT pipeline FROM runs ORDER BY pipeline")
    return [str(row[0]) for row in found]


def prices_of(connection: sqlite3.Connection, run: Run) -> dict[Key, Price]:
    """The prices of one run by offer key (a key listed twice keeps its last row)."""
    found = connection.execute(
        "SELECT provider, instance_type, region, price, spot_price FROM prices"
        " WHERE run_id = ? ORDER BY rowid",
        (run.id,),
    )
    prices = (Price(*row) for row in found)
    return {price.key: price for price in prices}
