"""Hostile and broken inputs, generated: each case writes its files and names its command.

Every case runs through the real CLI in a subprocess (see ``test_corpus.py``); the harness
kills it after a time limit, so a hang fails the case instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from gpuport_collectors.records import instance_to_record
from gpuport_collectors.testing.factories import generate_instances


@attrs.frozen
class Case:
    """A command line, what it must exit with and what stderr must say."""

    argv: list[str]
    code: int
    stderr: str = ""  # a fragment of the expected error line
    stdin: bytes | None = None


Builder = Callable[[Path], Case]
CASES: dict[str, Builder] = {}

PIPELINE = """\
pipelines:
  - name: all
    transformer: {format: json}
    outputs: [{type: local, path: out}]
"""


def case(function: Builder) -> Builder:
    CASES[function.__name__] = function
    return function


def validate(path: Path | str) -> list[str]:
    return ["validate", "-c", str(path)]


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def records(count: int = 3) -> list[dict[str, Any]]:
    return [
        instance_to_record(instance, include_raw_data=True)
        for instance in generate_instances(count, seed=7)
    ]


# -- 1. nothing hangs or crashes --------------------------------------------------------------


@case
def billion_laughs(tmp: Path) -> Case:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("pipelines: *a9")
    config = write(tmp / "laughs.yaml", "\n".join(lines) + "\n")
    return Case(validate(config), 2, "laughs.yaml:5:10: aliases expand to more than")


@case
def self_referencing_alias(tmp: Path) -> Case:
    config = write(tmp / "loop.yaml", "pipelines: &a [*a]\n")
    return Case(validate(config), 2, "loop.yaml:1:16: alias *a refers to itself")


@case
def deep_lists(tmp: Path) -> Case:
    config = write(tmp / "deep.yaml", "pipelines: " + "[" * 300 + "]" * 300 + "\n")
    return Case(validate(config), 2, "deep.yaml:1:75: nested deeper than 64 levels")


@case
def deep_mapping(tmp: Path) -> Case:
    config = write(tmp / "deep.yaml", "{a: " * 5000 + "1" + "}" * 5000 + "\n")
    return Case(validate(config), 2, "deep.yaml:1:257: nested deeper than 64 levels")


@case
def deep_block_mapping(tmp: Path) -> Case:
    config = write(tmp / "deep.yaml", "".join(" " * i + "k:\n" for i in range(1000)))
    return Case(validate(config), 2, "deep.yaml:65:65: nested deeper than 64 levels")


@case
def huge_config(tmp: Path) -> Case:
    config = write(tmp / "huge.yaml", "# " + "x" * (5 * 1024 * 1024) + "\n" + PIPELINE)
    return Case(validate(config), 2, "huge.yaml: config is larger than 4 MiB")


@case
def fifo_config(tmp: Path) -> Case:
    os.mkfifo(tmp / "fifo")
    return Case(validate(tmp / "fifo"), 2, "fifo: is a FIFO (named pipe), not a config file")


@case
def device_config(tmp: Path) -> Case:
    return Case(validate("/dev/zero"), 2, "/dev/zero: is a device, not a config file")


@case
def directory_config(tmp: Path) -> Case:
    return Case(validate(tmp), 2, "is a directory")


@case
def latin1_config(tmp: Path) -> Case:
    text = PIPELINE.replace("name: all", "name: caf\xe9").encode("latin-1")
    config = write(tmp / "latin1.yaml", text)
    return Case(validate(config), 2, "latin1.yaml:2:14: not UTF-8 text (byte 0xe9)")


@case
def config_from_stdin(tmp: Path) -> Case:
    return Case(["validate", "-c", "-"], 0, stdin=PIPELINE.encode())


@case
def bad_config_from_stdin(tmp: Path) -> Case:
    return Case(
        ["validate", "-c", "-"], 2, "<stdin>:1:12: 'pipelines' is empty", b"pipelines: []\n"
    )


def snapshot(tmp: Path, rows: list[Any], name: str = "snap.json") -> Path:
    return write(tmp / name, json.dumps(rows))
