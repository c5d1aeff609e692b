"""Shared test configuration. Nothing here reaches the network."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

# Loggers the CLI's --verbose retunes; tests that call the CLI in-process must not leave
# them changed for the tests that run after them in the same worker.
TUNED_LOGGERS = ("", "httpx", "httpcore", "botocore", "boto3", "urllib3", "s3transfer")


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real keys must never leak into, or change the outcome of, a test.
    for name in ("RUNPOD_API_KEY", "RUNPOD_API_URL", "AWS_PROFILE", "GPUPORT_DISABLE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in TUNED_LOGGERS]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, level, handlers in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers
