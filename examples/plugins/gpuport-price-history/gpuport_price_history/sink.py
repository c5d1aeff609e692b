"""The ``price_history`` sink: appends each run's instances to an SQLite file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from gpuport_collectors.plugin_api import (
    OutputError,
    OutputResult,
    Payload,
    RunContext,
)

from .config import PriceHistoryConfig
from .store import HistoryError, connect, record_run


class PriceHistorySink:
    """Records the pipeline's filtered instances, whatever the transformer's format.

    The rendered payload is not used: the sink stores ``payload.records``, one row per
    instance, under a new run row. Each write is one transaction, so a failed run leaves
    no partial rows behind.
    """

    Config = PriceHistoryConfig

    def __init__(self, config: PriceHistoryConfig) -> None:
        self.config = config
        self.path = Path(config.path)

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """Where the rows would go; the file is not opened."""
        return OutputResult(output_type="price_history", destination=str(self.path))

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Append one run and one row per instance."""
        try:
            if self.config.create_dirs:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(connect(self.path, timeout=self.config.timeout)) as connection:
                record_run(
                    connection,
                    pipeline=context.pipeline,
                    started_at=context.started_at,
                    instances=payload.records,
                )
        except (sqlite3.Error, HistoryError, OSError) as error:
            raise OutputError(f"{self.path}: cannot record prices: {error}") from error
        return OutputResult(output_type="price_history", destination=str(self.path))
