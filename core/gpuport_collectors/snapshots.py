"""Snapshot files: a JSON array or JSON Lines of instance records, optionally gzipped.

The format is chosen from the suffix on write (``.json``, ``.jsonl``, either plus ``.gz``)
and sniffed from the content on read (gzip magic, then ``[`` for an array). A path may be
an ``s3://bucket/key`` URL (:mod:`.s3objects` moves the bytes; boto3 loads only then).
"""

from __future__ import annotations

import gc
import gzip
import io
import itertools
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from .atomic import atomic_write
from .errors import SnapshotError, SnapshotNotFoundError, SnapshotWriteError
from .models import GPUInstance
from .records import RecordError, instance_to_record, record_to_instance
from .s3 import is_s3_url, parse_s3_url

if TYPE_CHECKING:
    from .s3 import S3Access

SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


@attrs.frozen
class SnapshotProblem:
    """A record that did not load: its 0-based index (or JSONL line) and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def located(self, path: str | os.PathLike[str]) -> str:
        """The problem as one line that names the file once (JSON Lines ``where`` does)."""
        text = str(self)
        return text if self.where.startswith(str(path)) else f"{path}: {text}"


@attrs.frozen
class Snapshot:
    instances: list[GPUInstance]
    problems: list[SnapshotProblem]


def read_snapshot(path: str | os.PathLike[str], *, s3: S3Access | None = None) -> Snapshot:
    """Load a snapshot. Bad records are reported and skipped; the rest load.

    An empty file (or ``[]``) is an empty snapshot; whether an empty collection may be
    published is for the checks to say. A file with records of which none loads is an
    error (:class:`SnapshotError`), as is one that is not JSON / JSON Lines at all.
    JSON Lines are streamed (one record in memory at a time, gzip or not); a JSON array is
    decoded one element at a time from its text, never as one list of a million dicts.
    """
    path, handle = _open(path, s3)
    instances: list[GPUInstance] = []
    problems: list[SnapshotProblem] = []
    with handle:
        binary: IO[bytes] = handle
        if handle.peek(2)[:2] == b"\x1f\x8b":
            binary = gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[assignment]
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        add = instances.append
        collecting = gc.isenabled()
        gc.disable()  # a million new acyclic objects would trigger ever longer full scans
        try:
            lines, records = _records(path, text)
            for position, record in records:
                try:
                    if type(record) is _BadLine:
                        raise RecordError(None, f"invalid JSON: {record.message}")
                    add(record_to_instance(record))
                except RecordError as error:
                    where = f"{path}:{position}" if lines else f"record {position}"
                    problems.append(SnapshotProblem(where, str(error)))
        except UnicodeDecodeError as error:
            raise SnapshotError(f"{path}: not UTF-8 text (byte {error.start})") from None
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            raise SnapshotError(f"{path}: corrupt gzip data ({error})") from error
        except OSError as error:
            raise SnapshotError(f"{path}: cannot read snapshot: {error.strerror}") from error
        finally:
            if collecting:
                gc.enable()
    if problems and not instances:
        raise SnapshotError(_unusable(path, problems))
    return Snapshot(instances, problems)


def _open(
    path: str | os.PathLike[str], s3: S3Access | None
) -> tuple[Path | str, io.BufferedReader | io.BufferedRandom]:
    """The snapshot's name for messages and a binary stream of it (a file or ``s3://``)."""
    if isinstance(path, str) and is_s3_url(path):
        from .s3objects import open_object

        return path, open_object(path, s3)
    file = Path(path)
    try:
        return file, _open_file(file)
    except FileNotFoundError:
        raise SnapshotNotFoundError(f"{file}: snapshot file not found") from None
    except OSError as error:
        raise SnapshotError(f"{file}: cannot read snapshot: {error.strerror}") from error


def _open_file(file: Path) -> io.BufferedReader:
    """``file`` opened for reading; a named pipe that no program writes to is an error.

    Opening a pipe waits for a writer, forever if none comes, so it is opened without
    waiting: with no writer the first read is the end of the file. A pipe with a writer
    (``--snapshot /dev/stdin``, ``<(zcat snap.jsonl.gz)``) then reads as usual.
    """
    if not stat.S_ISFIFO(os.stat(file).st_mode):
        return file.open("rb")
    fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)  # pipes are POSIX, and so is the flag
    try:
        try:
            first = os.read(fd, io.DEFAULT_BUFFER_SIZE)
        except BlockingIOError:  # a writer, nothing written yet
            first = b""
        else:
            if not first:
                raise SnapshotError(
                    f"{file}: a pipe that no program is writing to; start the writer first"
                )
        os.set_blocking(fd, True)
        return io.BufferedReader(_Prefixed(first, io.FileIO(fd, "rb")))
    except BaseException:
        os.close(fd)
        raise


class _Prefixed(io.RawIOBase):
    """``head`` (bytes already read from a pipe), then the rest of ``tail``."""

    def __init__(self, head: bytes, tail: io.FileIO) -> None:
        self._head = head
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        return self._tail.readinto(buffer)

    def close(self) -> None:
        self._tail.close()
        super().close()


def _unusable(path: Path | str, problems: list[SnapshotProblem]) -> str:
    """One line for a file whose every record is bad: the first problem, where it is."""
    return f"{problems[0].located(path)} (no usable record among {len(problems)})"


@attrs.frozen
class _BadLine:
    """A JSON Lines line that is not JSON: reported, and the other lines still load."""

    message: str


Records = Iterator[tuple[int, Any]]  # (index or line number, decoded record or _BadLine)
_SPACE = re.compile(r"[ \t\n\r]*")
# The C scanner behind json.loads, called directly: a million records pay for no wrappers.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _records(path: Path | str, text: IO[str]) -> tuple[bool, Records]:
    """Whether the file is JSON Lines, and its records in file order."""
    first = ""
    for first in text:
        if first.strip():
            break
    else:
        return True, iter(())  # an empty file is an empty snapshot
    if first.lstrip().startswith("["):
        return False, _array_records(path, first + text.read())
    return True, _jsonl_records(itertools.chain([first], text))


def _skip(text: str, at: int) -> int:
    """The index of the first non-blank character at or after ``at``."""
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _array_records(path: Path | str, text: str) -> Records:
    """Elements of a JSON array, decoded one at a time (never one list of every record)."""
    at = _skip(text, _skip(text, 0) + 1)  # past "[" and blanks
    index = 0
    while at < len(text) and text[at] != "]":
        try:
            record, at = _scan(text, at)
        except StopIteration as stop:
            raise _invalid(path, text, stop.value, "Expecting value") from None
        except json.JSONDecodeError as error:
            raise _invalid(path, text, error.pos, error.msg) from None
        yield index, record
        index += 1
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
        elif not text.startswith("]", at):
            raise _invalid(path, text, at, "Expecting ',' delimiter")
    if at >= len(text):
        raise _invalid(path, text, at, "Expecting value")
    if text[at + 1 :].strip():
        raise SnapshotError(f"{path}: expected a JSON array of records")


def _invalid(path: Path | str, text: str, at: int, message: str) -> SnapshotError:
    error = json.JSONDecodeError(message, text, at)
    return SnapshotError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}")


def _jsonl_records(lines: Iterable[str]) -> Records:
    for number, line in enumerate(lines, start=1):
        try:
            record, end = _scan(line, _skip(line, 0))
        except (StopIteration, json.JSONDecodeError):
            if line.strip():
                yield number, _BadLine(_why(line))
            continue
        if line[end:].strip():
            yield number, _BadLine(_why(line))
            continue
        yield number, record


def _why(line: str) -> str:
    """json's own message for a line that does not decode."""
    try:
        json.loads(line)
    except json.JSONDecodeError as error:
        return error.msg
    return "invalid JSON"


def write_snapshot(
    instances: Iterable[GPUInstance],
    path: str | os.PathLike[str],
    *,
    include_raw_data: bool = True,
    s3: S3Access | None = None,
) -> int:
    """Write atomically; the format follows the suffix. Returns the number of records.

    ``path`` may be ``s3://bucket/key``, reached as ``s3`` says (default: boto3's chain
    and the run's endpoint).
    """
    if isinstance(path, str) and is_s3_url(path):
        return _write_s3(list(instances), path, include_raw_data, s3)
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
        raise SnapshotWriteError(f"{path}: cannot write snapshot: {reason}") from error
    return len(records)


def _write_s3(records: list[GPUInstance], url: str, raw: bool, s3: S3Access | None) -> int:
    from .s3objects import write_object

    name = parse_s3_url(url).key.lower()
    if not name.endswith(SUFFIXES):
        raise SnapshotError(f"{url}: snapshot name must end with one of {', '.join(SUFFIXES)}")
    lines = name.endswith((".jsonl", ".jsonl.gz"))
    chunks = _encode(records, lines, raw)
    if name.endswith(".gz"):
        chunks, content_type = _gzipped(chunks), "application/gzip"
    else:
        content_type = "application/x-ndjson" if lines else "application/json"
    write_object(url, chunks, content_type=content_type, access=s3)
    return len(records)


def _gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A gzip stream of ``chunks`` without a timestamp, as local snapshots are written."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    for chunk in chunks:
        yield compressor.compress(chunk)
    yield compressor.flush()


def _encode(instances: list[GPUInstance], lines: bool, raw: bool) -> Iterator[bytes]:
    encode = json.JSONEncoder(allow_nan=False).encode  # strict JSON: NaN is a bug, not data
    if not lines:
        yield b"["
    for count, instance in enumerate(instances, start=1):
        encoded = encode(instance_to_record(instance, include_raw_data=raw)).encode()
        if lines:
            yield encoded + b"\n"
        else:
            yield (b",\n" if count > 1 else b"\n") + encoded
    if not lines:
        yield b"\n]\n"
