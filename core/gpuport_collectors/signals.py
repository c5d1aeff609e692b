"""SIGTERM and SIGHUP stop a run the way Ctrl-C does.

cron, systemd and Kubernetes stop a job with SIGTERM (a closed terminal sends SIGHUP).
Python's default for both is to die at once, skipping every ``finally``: an atomic write
would leave its temp file behind. Inside :func:`stop_on_signals` they raise
:class:`Stopped`, a ``KeyboardInterrupt``, so the same cleanup runs as for SIGINT, and the
CLI prints one line and exits ``128 + signal``, as a shell reports a killed job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import FrameType

#: The signals handled like SIGINT (those that exist on this platform).
NAMES = ("SIGTERM", "SIGHUP")


class Stopped(KeyboardInterrupt):
    """The run was stopped by ``signum``; ``exit_code`` is ``128 + signum``."""

    def __init__(self, signum: int) -> None:
        import signal

        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread.

    ``signal`` and ``threading`` load here, not at import: ``--help`` and a TAB install no
    handlers, and ``signal`` builds three enums at import (2% of ``--help``).
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; embedders keep their own
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signum)

    previous: dict[int, Any] = {}
    for signum in (getattr(signal, name) for name in NAMES if hasattr(signal, name)):
        previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
