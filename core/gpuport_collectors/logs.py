"""Logging for the command line: ``--verbose`` levels, and leaving logging as it was.

Kept apart from :mod:`.console` (rich) because every start of the CLI, ``--help`` and each
shell-completion TAB included, runs :func:`preserved_logging`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

NOISY_LOGGERS = ("httpcore", "botocore", "boto3", "urllib3", "s3transfer")


@contextlib.contextmanager
def preserved_logging() -> Iterator[None]:
    """Put every logger's level, and the root's handlers, back as they were.

    When nothing has imported :mod:`logging` yet (the console script), "as it was" is
    logging's pristine state, and the import itself is left to the commands that log:
    ``--help`` and completion never pay for it.
    """
    pristine = "logging" not in sys.modules
    if not pristine:
        import logging

        root = logging.getLogger()
        saved_levels = {name: _level(name) for name in list(logging.Logger.manager.loggerDict)}
        saved_root = (root.level, list(root.handlers))
    try:
        yield
    finally:
        if not pristine or "logging" in sys.modules:
            import logging

            if pristine:
                saved_levels, saved_root = {}, (logging.WARNING, [])
            root = logging.getLogger()
            for name in list(logging.Logger.manager.loggerDict):
                logger = logging.Logger.manager.loggerDict[name]
                if isinstance(logger, logging.Logger):
                    logger.setLevel(saved_levels.get(name, logging.NOTSET))
            root.setLevel(saved_root[0])
            root.handlers[:] = saved_root[1]


def _level(name: str) -> int:
    import logging

    logger = logging.Logger.manager.loggerDict[name]
    return logger.level if isinstance(logger, logging.Logger) else logging.NOTSET


def configure_logging(
    verbose: bool, stderr: Callable[[], Console], packages: Iterable[str] = ()
) -> None:
    """``--verbose``: INFO and up from every library, DEBUG from ``packages`` (gpuport and
    its plugins), to stderr; without it, warnings and errors only.

    ``stderr`` gives the console to log to; only ``--verbose`` asks for it (making one
    imports rich).
    """
    if not verbose and "logging" not in sys.modules:
        # Nothing has imported logging, so nothing has a logger yet: the commands that run
        # collectors and outputs import it first; `validate` saves the import.
        return
    import logging

    if not verbose:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        return
    console = stderr()
    if console.is_terminal:
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(console=console, show_path=False)
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for package in packages:
        logging.getLogger(package).setLevel(logging.DEBUG)
