"""Shared test configuration. Nothing here reaches the network."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real keys must never leak into, or change the outcome of, a test.
    for name in ("RUNPOD_API_KEY", "RUNPOD_API_URL", "AWS_PROFILE", "GPUPORT_DISABLE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
