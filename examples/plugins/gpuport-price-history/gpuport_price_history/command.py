"""``gpuport-collectors price-changes --db FILE``: what moved between the last two runs."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import attrs
import click

from .changes import Change, Comparison, compare
from .store import HistoryError, Run, connect, latest_runs, pipelines, prices_of


@click.command("price-changes")
@click.option(
    "--db",
    "db",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The SQLite file a price_history output writes.",
)
@click.option(
    "--pipeline",
    help="Compare runs of this pipeline (default: the pipeline of the latest run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def price_changes(db: Path, pipeline: str | None, as_json: bool) -> None:
    """Show price changes between the last two runs recorded in a price history."""
    try:
        with closing(connect(db, create=False)) as connection:
            runs = latest_runs(connection, pipeline)
            if not runs and pipeline is not None:
                known = ", ".join(pipelines(connection)) or "none"
                raise click.UsageError(f"{db} has no runs of pipeline {pipeline!r} (has: {known})")
            if len(runs) < 2:
                raise click.ClickException(
                    f"{db} has {len(runs)} run(s) to compare; price-changes needs two"
                )
            new, old = runs
            comparison = compare(prices_of(connection, old), prices_of(connection, new))
    except (sqlite3.DatabaseError, HistoryError) as error:
        raise click.ClickException(f"{db}: cannot read price history: {error}") from error
    if as_json:
        click.echo(json.dumps(as_document(old, new, comparison), indent=2))
    else:
        for line in as_lines(db, old, new, comparison):
            click.echo(line)


def as_document(old: Run, new: Run, comparison: Comparison) -> dict[str, Any]:
    """The ``--json`` output."""
    return {
        "pipeline": new.pipeline,
        "old_run": attrs.asdict(old),
        "new_run": attrs.asdict(new),
        "changes": [attrs.asdict(change) for change in comparison.changes],
        "unchanged": comparison.unchanged,
    }


def as_lines(db: Path, old: Run, new: Run, comparison: Comparison) -> list[str]:
    """The table output: one line per change, then totals."""
    lines = [
        f"{db}: pipeline {new.pipeline!r}, run {new.id} ({new.started_at}) "
        f"vs run {old.id} ({old.started_at})"
    ]
    width = max((len(change.instance_type) for change in comparison.changes), default=0)
    for change in comparison.changes:
        lines.append(
            f"{change.kind:<8} {change.provider}  {change.instance_type:<{width}}  "
            f"{change.region:<10} {_prices(change)}"
        )
    lines.append(
        f"{comparison.count('changed')} changed, {comparison.count('new')} new, "
        f"{comparison.count('gone')} gone, {comparison.unchanged} unchanged"
    )
    return lines


def _prices(change: Change) -> str:
    if change.kind == "new":
        return f"price {_money(change.new_price)}  spot {_money(change.new_spot_price)}"
    if change.kind == "gone":
        return f"price {_money(change.old_price)}  spot {_money(change.old_spot_price)}"
    parts = []
    if change.old_price != change.new_price:
        parts.append(
            f"price {_money(change.old_price)} -> {_money(change.new_price)}"
            f"{_percent(change.old_price, change.new_price)}"
        )
    if change.old_spot_price != change.new_spot_price:
        parts.append(f"spot {_money(change.old_spot_price)} -> {_money(change.new_spot_price)}")
    return "  ".join(parts)


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:.2f}"


def _percent(old: float | None, new: float | None) -> str:
    if old is None or new is None or old == 0:
        return ""
    return f" ({(new - old) / old:+.1%})"
