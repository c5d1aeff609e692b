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
    env: dict[str, str] = attrs.Factory(dict)
    stdout: str | None = None  # a fragment stdout must hold ("" : stdout must be empty)


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


# -- 2. numbers are finite and possible -----------------------------------------------------------

EXPORT = """\
pipelines:
  - name: all
    transformer: {format: json, include_raw_data: true}
    outputs: [{type: local, path: out, filename_pattern: all.json}]
  - name: cheap
    filters: [{field: price, operator: lt, value: 10}]
    transformer: {format: csv, fields: {accelerator_name: GPU, region: Region, price: Price}}
    outputs: [{type: local, path: out, filename_pattern: cheap.csv}]
  - name: summary
    transformer:
      format: metrics
      metrics:
        - {name: min_price, type: min, field: price}
        - {name: avg_price, type: avg, field: price}
    outputs: [{type: local, path: out, filename_pattern: summary.json}]
"""

#: (field, JSON text of its value, the problem reported for it)
IMPOSSIBLE = {
    "price_overflow": ("price", "1e400", "price: not a finite number: inf"),
    "price_infinity": ("price", "Infinity", "price: not a finite number: inf"),
    "price_nan": ("price", "NaN", "price: not a finite number: nan"),
    "price_negative": ("price", "-5.0", "price: must not be negative, got -5.0"),
    "count_negative": ("accelerator_count", "-3", "accelerator_count: must be a whole number"),
    "count_huge": ("accelerator_count", "1e30", "accelerator_count: must be a whole number"),
    "count_fraction": ("accelerator_count", "1.5", "accelerator_count: expected a whole number"),
    "collected_before_2000": ("collected_at", "-1", "collected_at: must be Unix seconds between"),
    "collected_after_2100": ("collected_at", "1e20", "collected_at: must be Unix seconds between"),
    "raw_data_nan": ("raw_data", '{"score": [1, NaN]}', "raw_data.score[1]: not a finite number"),
    "raw_data_overflow": ("raw_data", '{"x": -1e999}', "raw_data.x: not a finite number"),
    "extra_key_infinity": ("legacy_score", "-Infinity", "raw_data.legacy_score: not a finite"),
}


def impossible_snapshot(tmp: Path, field: str, value: str, lines: bool) -> Path:
    """Three good records and, second, one whose ``field`` holds the literal ``value``."""
    rows = [json.dumps(row, allow_nan=False) for row in records(3)]
    bad = json.loads(rows[1])
    bad[field] = "@@"
    rows.insert(1, json.dumps(bad).replace('"@@"', value))
    if lines:
        return write(tmp / "snap.jsonl", "\n".join(rows) + "\n")
    return write(tmp / "snap.json", "[\n" + ",\n".join(rows) + "\n]\n")


def _impossible_case(field: str, value: str, message: str, lines: bool) -> Builder:
    def build(tmp: Path) -> Case:
        snap = impossible_snapshot(tmp, field, value, lines)
        config = write(tmp / "export.yaml", EXPORT)
        where = f"{snap}:2" if lines else "record 1"
        return Case(
            ["export", "-c", str(config), "--snapshot", str(snap)], 1, f"{where}: {message}"
        )

    return build


@case
def snapshot_pipe_without_writer(tmp: Path) -> Case:
    """Opening a pipe waits for a writer; with none, that would be forever."""
    os.mkfifo(tmp / "pipe.jsonl")
    config = write(tmp / "export.yaml", EXPORT)
    return Case(
        ["export", "-c", str(config), "--snapshot", str(tmp / "pipe.jsonl")],
        2,
        "pipe.jsonl: a pipe that no program is writing to; start the writer first",
    )


for _name, (_field, _value, _message) in IMPOSSIBLE.items():
    for _lines in (False, True):
        CASES[f"{_name}_{'jsonl' if _lines else 'json'}"] = _impossible_case(
            _field, _value, _message, _lines
        )


# -- 3. validate catches what the run would hit ---------------------------------------------------


def _one_output(name: str, output: str) -> str:
    return (
        f"pipelines:\n  - name: {name}\n    transformer: {{format: json}}\n"
        f"    outputs: [{output}]\n"
    )


#: (pipeline name as YAML, output mapping as YAML, the located error)
UNRUNNABLE = {
    "pattern_dot": (
        "p",
        '{type: local, path: out, filename_pattern: "."}',
        "4:58: filename_pattern '.' names a directory",
    ),
    "pattern_subdir": (
        "p",
        '{type: local, path: out, filename_pattern: "sub/"}',
        "4:58: filename_pattern 'sub/' names a directory",
    ),
    "pattern_nul": (
        "p",
        '{type: local, path: out, filename_pattern: "a\\0b.json"}',
        "4:58: filename_pattern must be printable",
    ),
    "pattern_gz_plain": (
        "p",
        '{type: local, path: out, filename_pattern: "p.json.gz"}',
        "4:58: filename_pattern ends in .gz but compression is 'none'",
    ),
    "name_traversal": (
        '"../../etc"',
        "{type: local, path: out}",
        "2:11: pipeline name '../../etc' must not contain '/'",
    ),
    "name_absolute": (
        '"/abs/olute"',
        "{type: local, path: out}",
        "2:11: pipeline name '/abs/olute' must not contain '/'",
    ),
    "name_dotdot": (
        '".."',
        "{type: local, path: out}",
        "2:11: pipeline name '..' must not start with '.'",
    ),
    "name_newline": (
        '"a\\nb"',
        "{type: local, path: out}",
        "2:11: pipeline name must be printable",
    ),
    "name_spaces": ('"   "', "{type: local, path: out}", "2:11: pipeline name must not be blank"),
    "name_too_long_for_pattern": (
        "x" * 120,
        '{type: local, path: out, filename_pattern: "{pipeline}-{pipeline}-{pipeline}.json"}',
        "2:11: pipelines[0].outputs[0]: file name part",
    ),
}


def _unrunnable_case(name: str, output: str, message: str) -> Builder:
    def build(tmp: Path) -> Case:
        config = write(tmp / "c.yaml", _one_output(name, output))
        return Case(validate(config), 2, f"c.yaml:{message}")

    return build


for _name, (_pipeline, _output, _message) in UNRUNNABLE.items():
    CASES[_name] = _unrunnable_case(_pipeline, _output, _message)


# -- 4. exit codes and messages tell the truth ------------------------------------------------


def _export(tmp: Path, config: str, *extra: str, rows: list[Any] | None = None) -> list[str]:
    path = write(tmp / "export.yaml", config)
    snap = snapshot(tmp, records(5) if rows is None else rows)
    return ["export", "-c", str(path), "--snapshot", str(snap), *extra]


@case
def quiet_still_explains_exit_1(tmp: Path) -> Case:
    rows: list[Any] = records(3)
    rows[1] = dict(rows[1], price="cheap")
    argv = _export(tmp, PIPELINE, "-q", rows=rows)
    return Case(argv, 1, "snap.json: record 1: price: expected a number", stdout="")


@case
def plugin_failure_is_one_line(tmp: Path) -> Case:
    rows = [dict(row, price=1.5e308) for row in records(3)]
    config = """\
pipelines:
  - name: summary
    transformer: {format: metrics, metrics: [{name: total, type: sum, field: price}]}
    outputs: [{type: local, path: out}]
"""
    return Case(_export(tmp, config, rows=rows), 1, "summary: transformer 'metrics' failed: ")


@case
def disabled_pipeline_named(tmp: Path) -> Case:
    config = PIPELINE + "    enabled: false\n"
    return Case(_export(tmp, config, "--pipeline", "all"), 2, "--pipeline 'all' is disabled")


@case
def unknown_pipeline_named(tmp: Path) -> Case:
    return Case(_export(tmp, PIPELINE, "--pipeline", "al"), 2, "did you mean 'all'?")


@case
def no_pipeline_enabled(tmp: Path) -> Case:
    config = PIPELINE + "    enabled: false\n"
    return Case(_export(tmp, config), 0, "warning: ")


@case
def unknown_disabled_plugin(tmp: Path) -> Case:
    env = {"GPUPORT_DISABLE_PLUGINS": "nosuch"}
    return Case(validate(write(tmp / "c.yaml", PIPELINE)), 0, "names no plugin: nosuch", env=env)


@case
def filter_that_empties(tmp: Path) -> Case:
    config = PIPELINE.replace(
        "    transformer:",
        "    filters: [{field: region, operator: regex, value: '^zz'}]\n    transformer:",
    )
    message = "pipeline all: filters[0] (region regex) left none of 5 instances"
    return Case(_export(tmp, config), 0, message)


@case
def every_option_error_at_once(tmp: Path) -> Case:
    config = PIPELINE.replace(
        "{format: json}", '{format: csv, fields: {price: P, region: P}, delimiter: ";;"}'
    )
    path = write(tmp / "c.yaml", config)
    return Case(validate(path), 2, "c.yaml:3:74: delimiter must be exactly one character, got ';;'")
