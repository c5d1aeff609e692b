"""pytest fixtures for gpuport plugin authors (registered through the ``pytest11`` entry point)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..config import ExportConfig, parse_export_config
from ..models import GPUInstance
from .factories import generate_instances, make_instance


@pytest.fixture
def instance_factory() -> Callable[..., GPUInstance]:
    """``instance_factory(price=1.0, region="EU-RO-1")``: one instance, defaults for the rest."""
    return make_instance


@pytest.fixture
def sample_instances() -> list[GPUInstance]:
    """A seeded, realistic catalogue of a few hundred instances."""
    return generate_instances()


@pytest.fixture
def export_config(tmp_path: Path) -> Callable[..., ExportConfig]:
    """``export_config(yaml_text, environ=None)``: validate config text written to tmp_path."""

    def build(text: str, environ: dict[str, str] | None = None, **kwargs: Any) -> ExportConfig:
        path = tmp_path / "export.yaml"
        path.write_text(text)
        return parse_export_config(text, source=str(path), environ=environ or {}, **kwargs)

    return build
