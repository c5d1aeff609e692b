"""The run report (``--report PATH``): one JSON document saying what a run did.

Schema version :data:`REPORT_VERSION`, documented in docs/cli.md ("Run report"). The
report is built from the run's results, never from config values, and every secret the
run's plugins were configured with is masked again before it is written, as a second
line of defence. It is written atomically, also when the run fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from .atomic import atomic_write
from .collection import Collection
from .config import PluginChoice
from .errors import UsageError
from .matching import key_record, offer_key
from .pipeline import PipelineResult
from .redaction import Redactor
from .run import Publication
from .secrets import Secret

REPORT_VERSION = 1


@attrs.define
class RunRecorder:
    """Collects what a command did; :meth:`finish` turns it into the report document."""

    command: str
    started_at: dt.datetime = attrs.Factory(lambda: dt.datetime.now(dt.UTC))
    began: float = attrs.Factory(time.perf_counter)
    collection: Collection | None = None
    publication: Publication | None = None
    snapshot: dict[str, Any] | None = None
    choices: list[PluginChoice] = attrs.Factory(list)
    secrets: list[str] = attrs.Factory(list)

    def document(self, exit_code: int, error: str | None) -> dict[str, Any]:
        collection, publication = self.collection, self.publication
        return {
            "version": REPORT_VERSION,
            "command": self.command,
            "started_at": self.started_at.isoformat().replace("+00:00", "Z"),
            "duration_seconds": round(time.perf_counter() - self.began, 6),
            "exit_code": exit_code,
            "error": error,
            "collection": None if collection is None else _collection(collection),
            "collectors": [] if collection is None else _collectors(collection),
            "checks": None if publication is None else _checks(publication),
            "pipelines": [] if publication is None else _pipelines(publication.pipelines),
            "snapshot": self.snapshot,
        }

    def render(self, exit_code: int, error: str | None) -> str:
        text = json.dumps(self.document(exit_code, error), indent=2) + "\n"
        return Redactor([*self.secrets, *secrets_of(self.choices)])(text)


def check_report_destination(destination: str) -> None:
    """Refuse, before anything runs, a report path the run could not write at its end.

    A run that publishes and then cannot say so would exit 2 after the fact; found first,
    the usage error costs nothing. (What changes while the run goes on is still caught
    when the report is written.)
    """
    if destination == "-":
        return
    path = Path(destination)
    if path.is_dir():
        raise UsageError(f"{path}: cannot write the run report: is a directory")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # created when writing
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"{path}: cannot write the run report: {folder} is not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: cannot write the run report: {folder} is not writable")


def write_report(destination: str, text: str) -> None:
    """``-`` prints to stdout; anything else is a file, replaced atomically."""
    if destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(destination)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, [text.encode()])
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageError(f"{path}: cannot write the run report: {reason}") from error


def secrets_of(choices: Iterable[PluginChoice]) -> Iterator[str]:
    """Every resolved secret in the options of ``choices`` (nested attrs classes too)."""
    stack: list[Any] = [choice.options for choice in choices]
    while stack:
        value = stack.pop()
        if isinstance(value, Secret):
            yield value.reveal()
        elif attrs.has(type(value)):
            stack.extend(getattr(value, field.name) for field in attrs.fields(type(value)))
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)


def _collection(collection: Collection) -> dict[str, Any]:
    return {
        "instance_count": len(collection.instances),
        "collected_at": collection.info.collected_at.isoformat().replace("+00:00", "Z"),
        "duration_seconds": round(collection.info.duration_seconds, 6),
        "partial": collection.partial,
        "problems": list(collection.problems),
    }


def _collectors(collection: Collection) -> list[dict[str, Any]]:
    return [
        {
            "name": run.name,
            "where": run.where,
            "instance_count": run.instance_count,
            "failed": run.failed,
            "error": run.error,
            "problems": list(run.problems),
            "duration_seconds": round(run.duration_seconds, 6),
        }
        for run in collection.collectors
    ]


def _checks(publication: Publication) -> dict[str, Any]:
    outcome, baseline = publication.checks, publication.baseline
    return {
        "withheld": outcome.is_withheld,
        "withheld_reasons": list(outcome.withheld),
        "published_count": 0 if outcome.is_withheld else len(outcome.published),
        "dropped": [
            {**key_record(offer_key(drop.instance)), "check": drop.check, "reason": drop.reason}
            for drop in outcome.dropped
        ],
        "baseline": None if baseline is None else attrs.asdict(baseline),
    }


def _pipelines(results: Sequence[PipelineResult]) -> list[dict[str, Any]]:
    return [
        {
            "name": result.pipeline_name,
            "success": result.success,
            "error": result.error,
            "input_count": result.input_count,
            "matched_count": result.filtered_count,
            "duration_seconds": round(result.duration_seconds, 6),
            "outputs": [
                {
                    "type": output.output_type,
                    "destination": output.destination,
                    "success": output.success,
                    "error": output.error,
                    "bytes_written": output.bytes_written,
                    "batches_sent": output.batches_sent,
                    "batches_retried": output.batches_retried,
                    "batches_failed": output.batches_failed,
                    "dry_run": output.dry_run,
                    "duration_seconds": round(output.duration_seconds, 6),
                }
                for output in result.outputs
            ],
        }
        for result in results
    ]
