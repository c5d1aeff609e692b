"""``gpuport-collectors diff OLD NEW``: exit 0 when equal, 1 when different, 2 on bad input."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from .errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from .diff import SnapshotDiff
    from .models import GPUInstance

FIELD_CHOICES = ("price", "spot_price", "availability", "quantity")


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    type=click.Choice(FIELD_CHOICES),
    help="Compare only this field (repeatable); default: all four.",
)
@click.option(
    "--min-change",
    type=float,
    default=None,
    metavar="X",
    help="Ignore numeric changes smaller than this share of the old value (0.05 = 5%).",
)
def diff(
    old: str, new: str, as_json: bool, fields: Sequence[str], min_change: float | None
) -> None:
    """Offers added, removed and changed between two snapshots."""
    from . import diff as compare
    from .console import Reporter
    from .snapshots import read_snapshot

    if min_change is not None and min_change < 0:
        raise UsageError("--min-change must be 0 or more, e.g. 0.05 for 5%")
    reporter = Reporter()
    before, after = read_snapshot(old), read_snapshot(new)
    for path, snapshot in ((old, before), (new, after)):
        for problem in snapshot.problems:
            reporter.warning(problem.located(path))
    result = compare.diff_instances(
        before.instances,
        after.instances,
        fields=fields or compare.DIFF_FIELDS,
        min_change=min_change,
    )
    if as_json:
        click.echo(json.dumps(compare.as_json(result), indent=2))
    elif reporter.rich and not result.equal:
        _table(reporter.out, result)
    else:
        for line in compare.plain_lines(result):
            click.echo(line)
    if not result.equal:
        raise SystemExit(1)


def _table(console: Console, result: SnapshotDiff) -> None:
    from rich.table import Table

    from . import diff as compare

    table = Table(title="Offers changed", caption=compare.summary(result))
    for column in ("", "Provider", "Instance type", "Region", "What"):
        table.add_column(column, overflow="fold")
    for instance in result.added:
        table.add_row("[green]+[/]", *_key(instance), compare.describe_offer(instance))
    for instance in result.removed:
        table.add_row("[red]-[/]", *_key(instance), compare.describe_offer(instance))
    for offer in result.changed:
        details = "\n".join(compare.describe_change(change) for change in offer.changes)
        table.add_row("[yellow]~[/]", *_key(offer.new), details)
    console.print(table)


def _key(instance: GPUInstance) -> tuple[str, str, str]:
    return instance.provider, instance.instance_type, instance.region
