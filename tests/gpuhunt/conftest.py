"""Fixtures for the gpuhunt collector: generated catalogues and a loopback catalogue host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .catalogues import CatalogueServer

#: Looks like a credential; must never show up in output, logs, problems or files.
CANARY = "dop_v1_CANARY_5e1f0c9a7b3d_do_not_leak"


@pytest.fixture(autouse=True)
def _no_gpuhunt_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own gpuhunt settings never reach a test."""
    for name in ("GPUHUNT_CATALOG_URL", "GPUHUNT_CATALOG_DIR", "DIGITAL_OCEAN_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def catalogue_server(tmp_path: Path) -> Iterator[CatalogueServer]:
    root = tmp_path / "bucket"
    root.mkdir()
    with CatalogueServer(root).running() as server:
        yield server
