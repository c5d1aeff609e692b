"""Helpers for testing gpuport and gpuport plugins; the pytest fixtures live in
:mod:`gpuport_collectors.testing.pytest_plugin` (loaded automatically by pytest)."""

from .factories import DATACENTERS, GPU_CATALOG, generate_instances, make_instance

__all__ = ["DATACENTERS", "GPU_CATALOG", "generate_instances", "make_instance"]
