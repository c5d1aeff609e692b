"""One export run after collection: check, publish through the pipelines, move the baseline.

:func:`publish` is what ``export`` does with a collection; :func:`exit_code` turns a run
into the CLI's exit code. Nothing here prints: the CLI and the run report read the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Literal

import attrs

from .checks import ChecksConfig
from .collection import Collection
from .config import ExportConfig
from .errors import SnapshotError, SnapshotNotFoundError
from .gate import CheckOutcome, check_collection
from .models import GPUInstance
from .pipeline import PipelineResult, execute_pipelines
from .plugins import PluginHost


@attrs.define
class BaselineState:
    """The ``checks.baseline`` snapshot: what was found (``status``: missing, loaded or
    unusable) and, with ``update_baseline``, what became of it (``update``: updated,
    kept or failed, with ``update_message`` saying why)."""

    path: str
    status: Literal["missing", "loaded", "unusable"]
    instance_count: int | None = None
    message: str = ""
    update: Literal["updated", "kept", "failed"] | None = None
    update_message: str = ""


@attrs.define
class Publication:
    """What the checks decided and what the pipelines did (none ran when withheld)."""

    checks: CheckOutcome
    pipelines: list[PipelineResult] = attrs.Factory(list)
    baseline: BaselineState | None = None

    @property
    def withheld(self) -> bool:
        return self.checks.is_withheld


def is_input_error(collection: Collection) -> bool:
    """Every collector failed, each for a usage reason (rejected key, unusable file)."""
    runs = collection.collectors
    return bool(runs) and all(run.failed and run.exit_code == 2 for run in runs)


def load_baseline(path: str) -> tuple[list[GPUInstance] | None, BaselineState]:
    """The baseline's instances, or None when it is missing (first run) or unusable."""
    from .snapshots import read_snapshot

    try:
        snapshot = read_snapshot(path)
    except SnapshotNotFoundError:
        message = f"baseline {path} does not exist yet (first run?): nothing to compare with"
        return None, BaselineState(path, "missing", message=message)
    except SnapshotError as error:
        return None, BaselineState(path, "unusable", message=str(error))
    count = len(snapshot.instances)
    return snapshot.instances, BaselineState(path, "loaded", instance_count=count)


def check(
    collection: Collection, checks: ChecksConfig
) -> tuple[CheckOutcome, BaselineState | None]:
    """Run the checks, reading the baseline if one is configured."""
    baseline: list[GPUInstance] | None = None
    state: BaselineState | None = None
    if checks.baseline is not None:
        baseline, state = load_baseline(checks.baseline)
    outcome = check_collection(
        collection.instances, checks, problems=collection.problems, baseline=baseline
    )
    if state is not None and state.status == "unusable":  # cannot vouch for drift
        reason = f"the baseline cannot be read: {state.message}"
        outcome = attrs.evolve(outcome, withheld=[*outcome.withheld, reason])
    return outcome, state


def publish(
    collection: Collection,
    config: ExportConfig,
    *,
    only: Iterable[str] | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    on_result: Callable[[PipelineResult], None] | None = None,
) -> Publication:
    """Check ``collection``; unless withheld, run the pipelines on what passed.

    After a clean run (complete collection, every output delivered, not a dry run) with
    ``checks.update_baseline``, the published instances replace the baseline atomically.
    """
    outcome, baseline = check(collection, config.checks)
    publication = Publication(checks=outcome, baseline=baseline)
    if outcome.is_withheld:
        return publication
    publication.pipelines = execute_pipelines(
        outcome.published,
        config,
        only=only,
        dry_run=dry_run,
        collection=collection.info,
        now=now,
        on_result=on_result,
    )
    if baseline is not None and config.checks.update_baseline:
        _update_baseline(baseline, publication, collection, dry_run)
    return publication


def _update_baseline(
    state: BaselineState, publication: Publication, collection: Collection, dry_run: bool
) -> None:
    from .snapshots import write_snapshot

    why_not = _why_baseline_kept(publication, collection, dry_run)
    if why_not:
        state.update, state.update_message = "kept", f"baseline {state.path} kept: {why_not}"
        return
    try:
        count = write_snapshot(publication.checks.published, state.path)
    except SnapshotError as error:
        state.update, state.update_message = "failed", f"baseline not updated: {error}"
        return
    state.update = "updated"
    state.update_message = f"baseline {state.path} updated with {count} instances"


def _why_baseline_kept(
    publication: Publication, collection: Collection, dry_run: bool
) -> str | None:
    if dry_run:
        return "dry run"
    if collection.partial:
        return "the collection is partial"
    if not publication.pipelines:
        return "no pipeline ran"
    if not all(result.success for result in publication.pipelines):
        return "an output failed"
    return None


def exit_code(collection: Collection, publication: Publication | None) -> int:
    """2 when no collector could start for a usage reason; 1 when anything failed or
    was withheld; else 0 (dropped offers alone do not change it)."""
    if is_input_error(collection):
        return 2
    if publication is None or collection.partial or publication.withheld:
        return 1
    if not all(result.success for result in publication.pipelines):
        return 1
    if publication.baseline is not None and publication.baseline.update == "failed":
        return 1
    return 0


def withheld_line(outcome: CheckOutcome, what: str = "nothing published") -> str:
    return f"collection withheld, {what}: " + "; ".join(outcome.withheld)


@attrs.frozen
class ExportRun:
    """A whole export: the collection, what the checks and pipelines did, the exit code."""

    collection: Collection
    publication: Publication | None
    exit_code: int


def run_export(
    config: ExportConfig,
    *,
    host: PluginHost | None = None,
    snapshot: str | None = None,
    api_key: str | None = None,
    only: Iterable[str] | None = None,
    dry_run: bool = False,
) -> ExportRun:
    """Collect (the config's collectors, or ``snapshot``), check, and publish, as
    ``gpuport-collectors export`` does. ``publication`` is None when no collector could
    start (exit code 2); a withheld collection ran no pipeline."""
    import asyncio

    from .collection import choose_collectors, gather
    from .plugins import default_host

    host = default_host() if host is None else host
    choices = choose_collectors(config, host, snapshot=snapshot, api_key=api_key)
    collection = asyncio.run(gather(choices, built=config.built))
    if is_input_error(collection):
        return ExportRun(collection, None, 2)
    publication = publish(collection, config, only=only, dry_run=dry_run)
    return ExportRun(collection, publication, exit_code(collection, publication))
