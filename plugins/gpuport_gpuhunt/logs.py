"""gpuhunt's log records, re-emitted through our ``gpuport_gpuhunt`` logger, secrets masked.

gpuhunt logs under ``gpuhunt.*`` (requests at DEBUG, skipped offers at WARNING). While a
collection runs, those records are handed to this module's logger, so the CLI's
logging decides what shows (``--verbose`` shows gpuhunt's DEBUG like ours), and every
known credential is masked before any handler sees the text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from gpuport_collectors.plugin_api import Redactor, masked_library_logs

#: gpuhunt's own logger tree (a child of the root, so no name is hard-wired twice).
SOURCE = "gpuhunt"
#: Libraries gpuhunt's online providers talk through (keys of the core's table of library
#: loggers); their records are masked in place.
HTTP_LIBRARIES = ("requests", "httpx")


class _Forward(logging.Handler):
    """One handler for every active collection; masks with each one's secrets."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.redactors: list[Redactor] = []

    def _redact(self, text: str) -> str:
        for redact in self.redactors:
            text = redact(text)
        return text

    def emit(self, record: logging.LogRecord) -> None:
        target = log
        if not target.isEnabledFor(record.levelno):
            return
        record.msg, record.args = self._redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        target.handle(record)


log = logging.getLogger(__name__)
_lock = threading.Lock()
_handler = _Forward()
_saved: tuple[int, bool] = (logging.NOTSET, True)


@contextmanager
def gpuhunt_logs(redact: Redactor) -> Iterator[None]:
    """While active, gpuhunt's records go through our logger, masked by ``redact``."""
    global _saved
    source = logging.root.getChild(SOURCE)
    with _lock:
        if not _handler.redactors:
            _saved = (source.level, source.propagate)
            source.setLevel(logging.DEBUG)
            source.propagate = False
            source.addHandler(_handler)
        _handler.redactors.append(redact)
    try:
        with masked_library_logs(redact, *HTTP_LIBRARIES):
            yield
    finally:
        with _lock:
            _handler.redactors.remove(redact)
            if not _handler.redactors:
                source.removeHandler(_handler)
                source.setLevel(_saved[0])
                source.propagate = _saved[1]
