"""The sink failure convention: ``write`` raises ``OutputError`` (optionally carrying what
it did so far); a third-party sink that returns ``success=False`` is tolerated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gpuport_collectors.errors import OutputError
from gpuport_collectors.pipeline import _deliver
from gpuport_collectors.protocols import OutputResult, Payload, RunContext


class _Sink:
    def __init__(self, outcome: OutputResult | OutputError) -> None:
        self.outcome = outcome

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        return OutputResult(output_type="stub", destination="dry")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        if isinstance(self.outcome, OutputError):
            raise self.outcome
        return self.outcome


def _run(outcome: OutputResult | OutputError) -> OutputResult:
    payload: Any = None  # the stub never reads it
    return _deliver(
        "stub",
        lambda: _Sink(outcome),
        payload,
        RunContext(started_at=dt.datetime.now(dt.UTC), pipeline="p"),
    )


def test_raised_output_error_keeps_the_figures_it_carries() -> None:
    partial = OutputResult(output_type="stub", destination="there", batches_sent=2)
    result = _run(OutputError("1 of 3 batches failed to reach there", result=partial))
    assert (result.success, result.destination, result.batches_sent) == (False, "there", 2)
    assert result.error == "1 of 3 batches failed to reach there"


def test_raised_output_error_without_figures_is_a_failed_result() -> None:
    result = _run(OutputError("cannot write /x: disk full"))
    assert (result.success, result.output_type, result.error) == (
        False,
        "stub",
        "cannot write /x: disk full",
    )


@pytest.mark.parametrize("error", [None, "refused"])
def test_a_returned_failure_from_a_third_party_sink_is_tolerated(error: str | None) -> None:
    returned = OutputResult(output_type="stub", destination="d", success=False, error=error)
    result = _run(returned)
    assert not result.success and result.error == error
