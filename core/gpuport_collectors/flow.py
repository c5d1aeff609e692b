"""What ``export`` and ``collect`` do once their arguments are parsed, and what they print.

Each returns the exit code; the run's pieces go to a :class:`~.report.RunRecorder` so
``--report`` can say what happened however the run ended (:func:`recording`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence

from .built import BuiltPlugins
from .checks import ChecksConfig
from .collection import Collection, gather
from .config import ExportConfig, PluginChoice
from .console import Reporter
from .errors import GpuportError
from .gate import Dropped
from .report import RunRecorder, check_report_destination, write_report
from .run import Publication, check, exit_code, is_input_error, publish, withheld_line


@contextlib.contextmanager
def recording(recorder: RunRecorder, destination: str | None) -> Iterator[None]:
    """Write the report to ``destination`` when the block ends, however it ends."""
    if destination is None:
        yield
        return
    check_report_destination(destination)
    code, error = 1, None
    try:
        yield
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
        raise
    except GpuportError as caught:
        code, error = caught.exit_code, str(caught)
        raise
    except KeyboardInterrupt as caught:  # Ctrl-C, or SIGTERM/SIGHUP (signals.Stopped)
        code, error = getattr(caught, "exit_code", 130), str(caught) or "interrupted"
        raise
    finally:
        write_report(destination, recorder.render(code, error))


#: Problems printed per collector; the run report (``--report``) lists all of them.
SHOWN_PROBLEMS = 10


def collect(
    reporter: Reporter, choices: Sequence[PluginChoice], built: BuiltPlugins | None = None
) -> Collection:
    """Run the collectors with a progress bar; each problem is one warning line."""
    with reporter.progress("collecting from " + ", ".join(c.kind for c in choices)) as progress:
        collection = asyncio.run(gather(choices, progress, built=built))
    if is_input_error(collection):  # nothing could start: the errors are the whole story
        for run in collection.collectors:
            reporter.error(run.error or "")
        return collection
    for run in collection.collectors:
        if run.failed:
            reporter.error(f"collector {run.name} failed: {run.error}")
        for problem in run.problems[:SHOWN_PROBLEMS]:
            reporter.warning(f"{run.name}: {problem}", explains_failure=True)  # exit 1
        hidden = len(run.problems) - SHOWN_PROBLEMS
        if hidden > 0:  # a million bad records must not mean a million lines
            reporter.warning(
                f"{run.name}: {hidden} more problem{'s' * (hidden > 1)} not shown "
                "(--report FILE lists every one)",
                explains_failure=True,
            )
    return collection


def export(
    reporter: Reporter,
    recorder: RunRecorder,
    config: ExportConfig,
    choices: list[PluginChoice],
    *,
    only: Sequence[str] | None,
    dry_run: bool,
) -> int:
    recorder.choices = choices
    collection = recorder.collection = collect(reporter, choices, config.built)
    if is_input_error(collection):
        return 2
    reporter.info(
        f"collected {len(collection.instances)} instances from "
        f"{', '.join(collection.info.collectors)} in {collection.info.duration_seconds:.2f}s"
        + (" (partial)" if collection.partial else "")
    )
    publication = recorder.publication = publish(collection, config, only=only, dry_run=dry_run)
    show_checks(reporter, publication)
    if not publication.withheld:
        reporter.results(publication.pipelines)
        show_baseline_after(reporter, publication)
    return exit_code(collection, publication)


def collect_snapshot(
    reporter: Reporter,
    recorder: RunRecorder,
    choices: list[PluginChoice],
    output: str,
    checks: ChecksConfig | None = None,
    built: BuiltPlugins | None = None,
) -> int:
    """``collect``: write the snapshot unless the collection is withheld.

    Only the collection-wide checks apply here (``min_instances``, ``on_partial``): price
    and baseline checks belong to ``export``, where data is published.
    """
    from .snapshots import write_snapshot

    recorder.choices = choices
    collection = recorder.collection = collect(reporter, choices, built)
    if is_input_error(collection):
        return 2
    wide = ChecksConfig() if checks is None else _collection_wide(checks)
    outcome, _ = check(collection, wide)
    recorder.publication = Publication(checks=outcome)
    if outcome.is_withheld:
        reporter.error(withheld_line(outcome, f"{output} not written"))
        return 1
    count = write_snapshot(outcome.published, output)
    recorder.snapshot = {"path": output, "instance_count": count}
    reporter.info(f"wrote {count} instances to {output}")
    return 1 if collection.partial else 0


def _collection_wide(checks: ChecksConfig) -> ChecksConfig:
    return ChecksConfig(min_instances=checks.min_instances, on_partial=checks.on_partial)


def show_checks(reporter: Reporter, publication: Publication) -> None:
    baseline = publication.baseline
    if baseline is not None and baseline.status == "missing":
        reporter.info(f"checks: {baseline.message}")
    if publication.checks.dropped:
        reporter.warning(dropped_line(publication.checks.dropped))
    if publication.withheld:
        reporter.error(withheld_line(publication.checks))


def show_baseline_after(reporter: Reporter, publication: Publication) -> None:
    baseline = publication.baseline
    if baseline is None:
        return
    if baseline.update == "failed":
        reporter.error(baseline.update_message)
    elif baseline.update is not None:
        reporter.info(f"checks: {baseline.update_message}")


def dropped_line(dropped: Sequence[Dropped]) -> str:
    counts = Counter(drop.check for drop in dropped)
    first = dropped[0]
    offer = first.instance
    where = f"{offer.provider} {offer.instance_type} in {offer.region}"
    tally = ", ".join(f"{check}: {count}" for check, count in sorted(counts.items()))
    noun = "offer" if len(dropped) == 1 else "offers"
    return f"checks dropped {len(dropped)} {noun} ({tally}); first: {where}: {first.reason}"
