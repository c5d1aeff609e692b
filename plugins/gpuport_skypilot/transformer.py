"""``transformer: {format: skypilot}``: SkyPilot's RunPod catalogue, ``vms.csv``.

Written to ``~/.sky/catalogs/v8/runpod/vms.csv`` it makes SkyPilot list, price and launch
these offers. Offers SkyPilot cannot use (GPU types its RunPod provisioner has no name
for, offers with neither price, and those :mod:`.invariants` leaves out) are counted in
one warning. Offers of another provider are an error: the
file is RunPod's; filter on ``provider`` to choose.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from collections.abc import Sequence

from gpuport_collectors.plugin_api import GPUInstance, Payload, RunContext, UsageError

from .catalog import HEADER, PROVIDER, Row, Skipped, catalogue_row
from .config import SkyPilotConfig
from .invariants import enforce

log = logging.getLogger(__name__)


class SkyPilotTransformer:
    """Renders RunPod offers as SkyPilot's RunPod catalogue CSV."""

    Config = SkyPilotConfig

    def __init__(self, config: SkyPilotConfig) -> None:
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Build every row now, so skipped offers are counted once per run."""
        check_provider(instances)
        rows = catalogue_rows(instances, context.pipeline)
        # A catalogue is one file; SkyPilot reads it whole.
        return Payload.whole(
            render_csv(rows), media_type="text/csv", extension=".csv", records=instances
        )


def check_provider(instances: Sequence[GPUInstance]) -> None:
    others = Counter(i.provider for i in instances if i.provider != PROVIDER)
    if others:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(others.items()))
        raise UsageError(
            f"the skypilot format writes SkyPilot's RunPod catalogue, but the pipeline has "
            f"offers of {listed}; add a filter {{field: provider, operator: eq, value: RunPod}}"
        )


def catalogue_rows(instances: Sequence[GPUInstance], pipeline: str) -> list[Row]:
    """The rows SkyPilot can use; what was left out is logged once."""
    rows: list[Row] = []
    skipped: Counter[str] = Counter()
    unknown: set[str] = set()
    for instance in instances:
        row = catalogue_row(instance)
        if isinstance(row, Skipped):
            skipped[row.reason] += 1
            if row.reason.startswith("GPU type"):
                unknown.add(row.gpu_type_id)
        else:
            rows.append(row)
    kept, dropped = enforce(rows)
    skipped.update(dropped)
    if skipped:
        reasons = "; ".join(f"{count} {reason}" for reason, count in skipped.most_common())
        log.warning(
            "pipeline %s: skypilot catalogue has %d offers; skipped %d (%s)%s",
            pipeline,
            len(kept),
            sum(skipped.values()),
            reasons,
            f"; GPU types: {', '.join(sorted(unknown))}" if unknown else "",
        )
    else:
        log.info("pipeline %s: skypilot catalogue has %d offers", pipeline, len(kept))
    return kept


def render_csv(rows: list[Row]) -> bytes:
    """The file as SkyPilot's fetcher (pandas) writes it: ``\\n`` line ends, empty nulls."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(row.values() for row in rows)
    return buffer.getvalue().encode("utf-8")
