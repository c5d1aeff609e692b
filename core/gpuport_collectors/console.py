"""Terminal output: a rich table on a TTY, plain lines when piped, errors only with --quiet."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import attrs

from .logs import configure_logging as configure_logging
from .logs import preserved_logging as preserved_logging

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from .pipeline import PipelineResult
    from .protocols import OutputResult, ProgressCallback


@attrs.define
class Reporter:
    """Where a command's human-readable output goes.

    The rich consoles are made when first needed: a command whose output is one plain line
    on a pipe (``validate`` in a script, CI) never imports rich's console.
    """

    quiet: bool = False
    _out: Console | None = attrs.field(default=None, alias="out")
    _err: Console | None = attrs.field(default=None, alias="err")

    @property
    def out(self) -> Console:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=True)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._err

    @property
    def rich(self) -> bool:
        return self.out.is_terminal

    def info(self, message: str) -> None:
        """One unstyled line: written as is when stdout is not a terminal (what rich would
        print there), through rich otherwise."""
        if self.quiet:
            return
        if self._out is None and not _is_terminal(sys.stdout):
            sys.stdout.write(message + "\n")
            sys.stdout.flush()
            return
        self.out.print(message, markup=False, emoji=False)

    def warning(self, message: str, *, explains_failure: bool = False) -> None:
        """A warning line; ``--quiet`` hides it unless it explains a non-zero exit."""
        if explains_failure or not self.quiet:
            self.err.print(f"warning: {message}", markup=False, style="yellow")

    def error(self, message: str) -> None:
        for line in message.splitlines() or [""]:
            self.err.print(f"error: {line}", markup=False, style="red")

    @contextlib.contextmanager
    def progress(self, description: str) -> Iterator[ProgressCallback | None]:
        """A progress bar on a TTY; nothing when piped or quiet."""
        if self.quiet or not self.err.is_terminal:
            yield None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=self.err, transient=True) as bar:
            task = bar.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield update

    def results(self, results: Sequence[PipelineResult]) -> None:
        for result in results:
            if result.emptied_by and result.input_count:
                self.warning(
                    f"pipeline {result.pipeline_name}: {result.emptied_by} left none of "
                    f"{result.input_count} instances"
                )
            for output in result.outputs:
                if not output.success:
                    self.error(f"{result.pipeline_name}: {output.output_type}: {output.error}")
            if result.error and not result.outputs:
                self.error(f"{result.pipeline_name}: {result.error}")
        if self.quiet:
            return
        if self.rich and _fits(results, self.out.width):
            self.out.print(_table(results))
        else:
            for line in plain_lines(results):
                self.out.print(line, markup=False)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _fits(results: Sequence[PipelineResult], width: int) -> bool:
    """Whether the table can show every destination on one line (paths are copied whole);
    when not, the plain lines are printed instead, one destination each."""
    longest = max(
        (len(output.destination) for result in results for output in result.outputs), default=0
    )
    return longest + 70 <= width


def plain_lines(results: Sequence[PipelineResult]) -> Iterator[str]:
    for result in results:
        status = "ok" if result.success else "FAILED"
        yield (
            f"pipeline {result.pipeline_name}: {status}, {result.input_count} in, "
            f"{result.filtered_count} matched, {result.successful_outputs}/{result.output_count} "
            f"outputs, {result.duration_seconds:.2f}s"
        )
        for output in result.outputs:
            where = f" {output.destination}" if output.destination else ""
            yield f"  {output.output_type}{where}: {describe_output(output)}"


def describe_output(output: OutputResult) -> str:
    if not output.success:
        return f"FAILED: {output.error}"
    parts = []
    if output.dry_run:
        parts.append("would write")
    if output.bytes_written:
        parts.append(f"{output.bytes_written} bytes")
    if output.batches_sent or output.batches_failed:
        parts.append(_count(output.batches_sent, "batch", "batches"))
    if output.batches_retried:
        parts.append(f"{output.batches_retried} retried")
    if output.batches_failed:
        parts.append(f"{output.batches_failed} failed")
    return ", ".join(parts) or "ok"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _table(results: Sequence[PipelineResult]) -> Table:
    from rich.table import Table

    table = Table(title="Export summary")
    for column in ("Pipeline", "Status", "In", "Matched", "Output", "Destination", "Result"):
        table.add_column(
            column,
            justify="right" if column in ("In", "Matched") else "left",
            no_wrap=column == "Destination",  # a destination is only useful whole
        )
    for result in results:
        status = "[green]ok[/]" if result.success else "[red]failed[/]"
        first = True
        rows: list[OutputResult | None] = [*result.outputs] or [None]
        for output in rows:
            row = (
                [result.pipeline_name, status, str(result.input_count), str(result.filtered_count)]
                if first
                else ["", "", "", ""]
            )
            if output is None:
                row += ["", "", result.error or ""]
            else:
                row += [output.output_type, output.destination, describe_output(output)]
            table.add_row(*row)
            first = False
    return table


#: Libraries whose request-by-request chatter ``--verbose`` keeps at WARNING.
