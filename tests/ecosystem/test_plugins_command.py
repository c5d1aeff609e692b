"""``gpuport-collectors plugins``, run as a user runs it: a separate process.

The expected lists are written out by hand: they are the documented contract
(docs/cli.md#gpuport-collectors-plugins), not whatever the host happens to produce.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

DISTRIBUTION = "gpuport-data-collectors"
VERSION = "0.1.0"
OPERATORS = [
    "eq",
    "ne",
    "lt",
    "lte",
    "gt",
    "gte",
    "between",
    "in",
    "not_in",
    "regex",
    "contains",
    "starts_with",
    "is_null",
    "is_not_null",
]
BUILTINS: list[tuple[str, dict[str, list[str]]]] = [
    ("csv", {"transformers": ["csv"]}),
    ("gpuhunt", {"collectors": ["gpuhunt"], "transformers": ["gpuhunt"]}),
    ("https", {"sinks": ["https"]}),
    ("json", {"transformers": ["json"]}),
    ("local", {"sinks": ["local"]}),
    ("metrics", {"transformers": ["metrics"]}),
    ("openmetrics", {"transformers": ["openmetrics"]}),
    ("operators", {"operators": OPERATORS}),
    ("runpod", {"collectors": ["runpod"]}),
    ("s3", {"sinks": ["s3"]}),
    ("skypilot", {"transformers": ["skypilot"]}),
    ("snapshot", {"collectors": ["snapshot"]}),
]


def entry(name: str, registers: dict[str, list[str]], **changes: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "distribution": DISTRIBUTION,
        "version": VERSION,
        "loaded": True,
        "disabled": False,
        "error": None,
        "registers": registers,
    }
    return {**base, **changes}


def gpuport(*args: str, disable: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or, without one, the same entry point)."""
    script = Path(sys.executable).with_name("gpuport-collectors")
    command = (
        [str(script)]
        if script.exists()
        else [
            sys.executable,
            "-c",
            "from gpuport_collectors.cli import main; main()",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k != "GPUPORT_DISABLE_PLUGINS"}
    if disable is not None:
        env["GPUPORT_DISABLE_PLUGINS"] = disable
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def builtins_of(stdout: str) -> list[dict[str, Any]]:
    """The built-in entries: other installed plugins are none of this test's business."""
    return [item for item in json.loads(stdout) if item["distribution"] == DISTRIBUTION]


def test_plugins_json_lists_every_builtin_exactly() -> None:
    run = gpuport("plugins", "--json")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert builtins_of(run.stdout) == [entry(name, registers) for name, registers in BUILTINS]


def test_plugins_json_shows_disabled_plugins() -> None:
    run = gpuport("plugins", "--json", disable="s3, https")
    assert run.returncode == 0, run.stderr
    expected = [
        entry(name, {}, loaded=False, disabled=True)
        if name in ("s3", "https")
        else entry(name, registers)
        for name, registers in BUILTINS
    ]
    assert builtins_of(run.stdout) == expected


def test_plugins_plain_output() -> None:
    run = gpuport("plugins", disable="s3")
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if f"({DISTRIBUTION} " in line]
    expected = []
    for name, registers in BUILTINS:
        what = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in registers.items())
        if name == "s3":
            what = "disabled by GPUPORT_DISABLE_PLUGINS"
        expected.append(f"{name} ({DISTRIBUTION} {VERSION}): {what}")
    assert lines == expected
