"""Fixtures for the ecosystem tests: plugin examples taken from the docs."""

from __future__ import annotations

import types
from collections.abc import Callable

import pytest

from .markdown import Document, load_module


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "installs: pip-installs example plugins into a throwaway venv (slow: builds wheels "
        "with setuptools fetched from the package index)",
    )


@pytest.fixture(scope="session")
def plugins_doc() -> Document:
    return Document.read("plugins.md")


@pytest.fixture
def hook_example(plugins_doc: Document) -> Callable[[str], types.ModuleType]:
    """``hook_example("gpuport_register_sinks")``: the first Python block under that hook's
    heading in docs/plugins.md, executed as a plugin module."""

    def load(hook: str) -> types.ModuleType:
        section = next(
            s for s in plugins_doc.sections() if s.level == 3 and s.title.startswith(hook + "(")
        )
        block = section.code("python")[0]
        return load_module(block, f"docs_example_{hook}", "docs/plugins.md")

    return load
