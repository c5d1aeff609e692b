"""``transformer: {format: gpuhunt}``: one provider's offers as gpuhunt's own catalogue.

``packaging: csv`` is ``{provider}.csv`` for ``GPUHUNT_CATALOG_DIR``; ``zip`` and ``version``
are the two files a ``GPUHUNT_CATALOG_URL`` host serves (``{provider}/{version}/catalog.zip``
holding ``{provider}.csv``, and ``{provider}/version``). The version is the run's
``{timestamp}`` (``20251123-123045``), so two pipelines of one run agree on it. A spot
price is a second row with ``spot: True``, as gpuhunt writes them. Offers gpuhunt could not
read (no ``accelerator_model``, no vCPU or memory figure) are counted in one warning.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Sequence

from gpuport_collectors.plugin_api import GPUInstance, Payload, RunContext, UsageError

from .catalogue_rows import COLUMNS, Row, gpuhunt_provider, rows
from .config import GpuhuntCatalogueConfig

log = logging.getLogger(__name__)


def version_of(context: RunContext) -> str:
    """The catalogue version of a run: its ``{timestamp}``."""
    return context.started_at.strftime("%Y%m%d-%H%M%S")


class GpuhuntCatalogueTransformer:
    """Renders one provider's offers as gpuhunt's catalogue (CSV, zip or version file)."""

    Config = GpuhuntCatalogueConfig

    def __init__(self, config: GpuhuntCatalogueConfig) -> None:
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Build the whole document now, so problems belong to the transform step."""
        try:
            provider = gpuhunt_provider(instances)
        except ValueError as error:
            raise UsageError(str(error)) from None
        table = catalogue_csv(instances, context.pipeline)
        packaging = self.config.packaging
        if packaging == "version":
            data, media_type, extension = f"{version_of(context)}\n".encode(), "text/plain", ""
        elif packaging == "zip":
            data, media_type, extension = _zip(f"{provider}.csv", table), "application/zip", ".zip"
        else:
            data, media_type, extension = table, "text/csv", ".csv"
        # a catalogue is one file; gpuhunt reads it whole
        return Payload.whole(data, media_type=media_type, extension=extension, records=instances)


def catalogue_csv(instances: Sequence[GPUInstance], pipeline: str) -> bytes:
    """The CSV as gpuhunt's ``storage.dump`` writes it (csv.DictWriter, ``\\r\\n``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    skipped: Counter[str] = Counter()
    written = 0
    for instance in instances:
        made = rows(instance)
        if isinstance(made, str):
            skipped[made] += 1
            continue
        batch: list[Row] = list(made)
        writer.writerows(batch)
        written += len(batch)
    if skipped:
        reasons = "; ".join(f"{count} {reason}" for reason, count in skipped.most_common())
        log.warning(
            "pipeline %s: gpuhunt catalogue has %d rows; skipped %d offers (%s)",
            pipeline,
            written,
            sum(skipped.values()),
            reasons,
        )
    return buffer.getvalue().encode("utf-8")


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()
