"""Snapshot files: a JSON array or JSON Lines of instance records, optionally gzipped.

The format is chosen from the suffix on write (``.json``, ``.jsonl``, either plus ``.gz``)
and sniffed from the content on read (gzip magic, then ``[`` for an array).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from .atomic import atomic_write
from .errors import SnapshotError, SnapshotNotFoundError
from .models import GPUInstance
from .records import RecordError, instance_to_record, record_to_instance

SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


@attrs.frozen
class SnapshotProblem:
    """A record that did not load: its 0-based index (or JSONL line) and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@attrs.frozen
class Snapshot:
    instances: list[GPUInstance]
    problems: list[SnapshotProblem]


def read_snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """Load a snapshot. Bad records are reported and skipped; the rest load.

    An empty file (or ``[]``) is an empty snapshot; whether an empty collection may be
    published is for the checks to say. A file with records of which none loads is an
    error (:class:`SnapshotError`), as is one that is not JSON / JSON Lines at all.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SnapshotNotFoundError(f"{path}: snapshot file not found") from None
    except OSError as error:
        raise SnapshotError(f"{path}: cannot read snapshot: {error.strerror}") from error
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise SnapshotError(f"{path}: corrupt gzip data ({error})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SnapshotError(f"{path}: not UTF-8 text (byte {error.start})") from None
    is_array = text.lstrip().startswith("[")
    records = _array_records(path, text) if is_array else _jsonl_records(path, text)
    instances: list[GPUInstance] = []
    problems: list[SnapshotProblem] = []
    for where, record in records:
        if isinstance(record, SnapshotProblem):
            problems.append(record)
            continue
        try:
            instances.append(record_to_instance(record))
        except RecordError as error:
            problems.append(SnapshotProblem(where, str(error)))
    if problems and not instances:
        raise SnapshotError(_unusable(path, problems))
    return Snapshot(instances, problems)


def _unusable(path: Path, problems: list[SnapshotProblem]) -> str:
    """One line for a file whose every record is bad: the first problem, where it is."""
    first = problems[0]
    where = first.where if first.where.startswith(str(path)) else f"{path}: {first.where}"
    return f"{where}: {first.message} (no usable record among {len(problems)})"


def _array_records(path: Path, text: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotError(
            f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}"
        ) from None
    if not isinstance(data, list):
        raise SnapshotError(f"{path}: expected a JSON array of records")
    for index, record in enumerate(data):
        yield f"record {index}", record


def _jsonl_records(path: Path, text: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as error:
            yield where, SnapshotProblem(where, f"invalid JSON: {error.msg}")


def write_snapshot(
    instances: Iterable[GPUInstance],
    path: str | os.PathLike[str],
    *,
    include_raw_data: bool = True,
) -> int:
    """Write atomically; the format follows the suffix. Returns the number of records."""
    path = Path(path)
    name = path.name.lower()
    if not name.endswith(SUFFIXES):
        raise SnapshotError(f"{path}: snapshot name must end with one of {', '.join(SUFFIXES)}")
    lines = name.endswith((".jsonl", ".jsonl.gz"))
    records = list(instances)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, _encode(records, lines, include_raw_data), compress=name.endswith(".gz"))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SnapshotError(f"{path}: cannot write snapshot: {reason}") from error
    return len(records)


def _encode(instances: list[GPUInstance], lines: bool, raw: bool) -> Iterator[bytes]:
    if not lines:
        yield b"["
    for count, instance in enumerate(instances, start=1):
        encoded = json.dumps(instance_to_record(instance, include_raw_data=raw)).encode()
        if lines:
            yield encoded + b"\n"
        else:
            yield (b",\n" if count > 1 else b"\n") + encoded
    if not lines:
        yield b"\n]\n"
