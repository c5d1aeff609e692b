"""Several collectors share one progress bar: it shows the sums of what each reports."""

from __future__ import annotations

import asyncio
from typing import Any

import attrs

from gpuport_collectors.collection import gather
from gpuport_collectors.config import PluginChoice
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.protocols import ProgressCallback


@attrs.frozen
class _Steps:
    steps: int = 1


class _Stepping:
    """Reports ``steps`` steps, yielding to the other collectors between them."""

    Config = _Steps

    def __init__(self, config: _Steps) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        for done in range(self.config.steps + 1):
            if progress is not None:
                progress(done, self.config.steps)
            await asyncio.sleep(0)
        return []


def test_progress_of_several_collectors_is_summed() -> None:
    seen: list[tuple[int, int]] = []
    choices = [
        PluginChoice(kind=f"c{n}", cls=_Stepping, options=_Steps(n), where=f"collector c{n}")
        for n in (2, 3)
    ]
    asyncio.run(gather(choices, lambda done, total: seen.append((done, total))))
    assert seen[-1] == (5, 5)
    assert all(done <= total for done, total in seen)
    dones = [done for done, _ in seen]
    assert dones == sorted(dones)  # never goes backwards, whichever collector reports


def test_one_collector_reports_as_it_does() -> None:
    seen: list[Any] = []
    choice = PluginChoice(kind="c", cls=_Stepping, options=_Steps(2), where="collector c")
    asyncio.run(gather([choice], lambda done, total: seen.append((done, total))))
    assert seen == [(0, 2), (1, 2), (2, 2)]
