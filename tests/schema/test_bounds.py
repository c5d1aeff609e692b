"""Every numeric bound the schema states for a built-in option is the bound validate keeps.

The bounds are declared twice, once for editors (``json_schema`` metadata) and once in the
Config's own checks (with their own wording); this test walks the committed schema, so a
bound added, moved or dropped on one side only fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import make_host
from tests.ecosystem.markdown import DOCS

PIPELINE = (
    "pipelines:\n  - name: p\n    transformer: {format: json}\n    outputs:\n      - OUTPUT\n"
)
LOCAL = "{type: local, path: ./out}"

#: $defs entry -> a config using it, with {OPTION} where the option goes.
USES = {
    "collector.runpod": "collectors: [{type: runpod, OPTION}]\n"
    + PIPELINE.replace("OUTPUT", LOCAL),
    "collector.gpuhunt": "collectors: [{type: gpuhunt, OPTION}]\n"
    + PIPELINE.replace("OUTPUT", LOCAL),
    "output.https": PIPELINE.replace("OUTPUT", "{type: https, url: 'https://h.test/x', OPTION}"),
    "output.s3": PIPELINE.replace("OUTPUT", "{type: s3, bucket: b, OPTION}"),
    "gpuport_collectors.checks.ChecksConfig": "checks: {baseline: b.json, OPTION}\n"
    + PIPELINE.replace("OUTPUT", LOCAL),
}
KEYWORDS = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")


def bounds() -> Iterator[tuple[str, str, str, float]]:
    schema = json.loads((DOCS / "gpuport.schema.json").read_text(encoding="utf-8"))
    for name, definition in schema["$defs"].items():
        for option, spec in definition.get("properties", {}).items():
            for keyword in KEYWORDS:
                if isinstance(spec, dict) and keyword in spec:
                    yield name, option, keyword, spec[keyword]


BOUNDS = list(bounds())


def values(keyword: str, bound: float) -> tuple[float, float]:
    """(a value the bound refuses, one it allows)."""
    return {
        "minimum": (bound - 1, bound),
        "exclusiveMinimum": (bound, bound + 1),
        "maximum": (bound + 1, bound),
        "exclusiveMaximum": (bound, bound - 0.5),
    }[keyword]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return make_host()


def problems(text: str, host: PluginHost) -> list[str]:
    try:
        parse_export_config(text, host=host, environ={})
    except ConfigError as error:
        return [problem.message for problem in error.problems]
    return []


def test_the_built_ins_declare_bounds() -> None:
    assert {name for name, *_ in BOUNDS} == set(USES)
    assert len(BOUNDS) >= 20


@pytest.mark.parametrize(
    ("name", "option", "keyword", "bound"), BOUNDS, ids=[f"{b[0]}.{b[1]}" for b in BOUNDS]
)
def test_validate_keeps_the_schema_s_bound(
    name: str, option: str, keyword: str, bound: Any, host: PluginHost
) -> None:
    refused, allowed = values(keyword, bound)
    use = USES[name]
    assert problems(use.replace("OPTION", f"{option}: {refused}"), host), (option, refused)
    assert problems(use.replace("OPTION", f"{option}: {allowed}"), host) == [], (option, allowed)
