"""The local sink: file names, overwrite guard, gzip, atomicity and located config errors."""

from __future__ import annotations

import datetime as dt
import gzip
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from gpuport_collectors.config import ExportConfig
from gpuport_collectors.errors import ConfigError, OutputError
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.pipeline import execute_pipelines
from gpuport_collectors.protocols import Payload, RunContext
from gpuport_collectors.testing import make_instance
from gpuport_local.sink import LocalConfig, LocalSink

Load = Callable[[str], ExportConfig]

MOMENT = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
CONTEXT = RunContext(started_at=MOMENT, pipeline="daily")


def payload(*chunks: bytes) -> Payload:
    def render(records: Sequence[GPUInstance]) -> Iterator[bytes]:
        yield from chunks

    return Payload(media_type="text/plain", extension=".txt", records=[], render=render)


def broken_payload() -> Payload:
    def render(records: Sequence[GPUInstance]) -> Iterator[bytes]:
        yield b"the first half"
        raise RuntimeError("renderer broke")

    return Payload(media_type="text/plain", extension=".txt", records=[], render=render)


def sink(path: Path, pattern: str, **options: Any) -> LocalSink:
    return LocalSink(LocalConfig(path=str(path), filename_pattern=pattern, **options))


def listing(directory: Path) -> list[str]:
    """Every file under ``directory`` (temp files included), relative and sorted."""
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def test_placeholders_come_from_the_run_clock(tmp_path: Path) -> None:
    result = sink(tmp_path, "{pipeline}_{date}_{time}.json").write(payload(b"ab", b"c"), CONTEXT)
    target = tmp_path / "daily_2025-01-02_03-04-05.json"
    assert target.read_bytes() == b"abc"
    assert (result.output_type, result.destination, result.bytes_written, result.success) == (
        "local",
        str(target),
        3,
        True,
    )
    assert listing(tmp_path) == ["daily_2025-01-02_03-04-05.json"]


def test_without_a_pattern_the_name_is_pipeline_timestamp_and_extension(tmp_path: Path) -> None:
    local = LocalSink(LocalConfig(path=str(tmp_path), compression="gzip"))
    local.write(payload(b"x"), CONTEXT)
    assert listing(tmp_path) == ["daily_20250102-030405.txt.gz"]


def test_every_placeholder_in_utc(tmp_path: Path) -> None:
    local_time = dt.datetime(2025, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    context = RunContext(started_at=local_time, pipeline="p")
    pattern = "{timestamp} {year}.{month}.{day} {hour}.{minute}.{second}.csv"
    sink(tmp_path, pattern).write(payload(b"x"), context)
    assert listing(tmp_path) == ["20250102-030405 2025.01.02 03.04.05.csv"]


def test_pattern_subdirectories_are_created(tmp_path: Path) -> None:
    base = tmp_path / "exports"
    result = sink(base, "{date}/{hour}/gpus.json").write(payload(b"[]"), CONTEXT)
    assert result.destination == str(base / "2025-01-02" / "03" / "gpus.json")
    assert listing(tmp_path) == ["exports/2025-01-02/03/gpus.json"]


def test_missing_directory_without_create_dirs_fails(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(OutputError) as caught:
        sink(missing, "gpus.json", create_dirs=False).write(payload(b"x"), CONTEXT)
    assert str(caught.value) == (
        f"directory {missing} does not exist; create it or set create_dirs: true"
    )
    assert not missing.exists()


def test_existing_file_is_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "gpus.json"
    target.write_bytes(b"yesterday")
    with pytest.raises(OutputError) as caught:
        sink(tmp_path, "gpus.json").write(payload(b"today"), CONTEXT)
    assert str(caught.value) == (
        f"{target} exists; set overwrite: true or add {{timestamp}} to filename_pattern"
    )
    assert target.read_bytes() == b"yesterday"
    assert listing(tmp_path) == ["gpus.json"]


def test_existing_file_fails_before_rendering(tmp_path: Path) -> None:
    (tmp_path / "gpus.json").write_bytes(b"yesterday")
    with pytest.raises(OutputError, match="exists"):  # not the renderer's RuntimeError
        sink(tmp_path, "gpus.json").write(broken_payload(), CONTEXT)


def test_overwrite_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "gpus.json"
    target.write_bytes(b"yesterday, a longer text")
    result = sink(tmp_path, "gpus.json", overwrite=True).write(payload(b"today"), CONTEXT)
    assert target.read_bytes() == b"today"
    assert result.bytes_written == 5
    assert listing(tmp_path) == ["gpus.json"]


def test_gzip_round_trip_appends_the_suffix(tmp_path: Path) -> None:
    body = [b'[{"a": 1}', b', {"a": 2}]']
    result = sink(tmp_path, "gpus.json", compression="gzip").write(payload(*body), CONTEXT)
    target = tmp_path / "gpus.json.gz"
    assert result.destination == str(target)
    assert gzip.decompress(target.read_bytes()) == b'[{"a": 1}, {"a": 2}]'
    assert result.bytes_written == target.stat().st_size


def test_gzip_suffix_is_not_doubled(tmp_path: Path) -> None:
    sink(tmp_path, "gpus.json.gz", compression="gzip").write(payload(b"x"), CONTEXT)
    assert listing(tmp_path) == ["gpus.json.gz"]
    assert gzip.decompress((tmp_path / "gpus.json.gz").read_bytes()) == b"x"


def test_failing_renderer_leaves_no_file_and_no_temp_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="renderer broke"):
        sink(tmp_path, "gpus.json").write(broken_payload(), CONTEXT)
    assert listing(tmp_path) == []


def test_failing_renderer_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "gpus.json"
    target.write_bytes(b"previous run")
    with pytest.raises(RuntimeError):
        sink(tmp_path, "gpus.json", overwrite=True).write(broken_payload(), CONTEXT)
    assert target.read_bytes() == b"previous run"
    assert listing(tmp_path) == ["gpus.json"]


def test_os_errors_become_one_line_output_errors(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_bytes(b"")
    with pytest.raises(OutputError) as caught:
        sink(not_a_directory, "gpus.json").write(payload(b"x"), CONTEXT)
    assert str(caught.value) == f"cannot create directory {not_a_directory}: File exists"
    assert isinstance(caught.value.__cause__, OSError)


def test_writing_over_a_directory_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "gpus.json").mkdir()
    with pytest.raises(OutputError) as caught:
        sink(tmp_path, "gpus.json", overwrite=True).write(payload(b"x"), CONTEXT)
    assert str(caught.value) == f"cannot write {tmp_path / 'gpus.json'}: Is a directory"
    assert listing(tmp_path) == []


def test_pipeline_name_cannot_leave_the_directory(tmp_path: Path) -> None:
    context = RunContext(started_at=MOMENT, pipeline="../escape")
    with pytest.raises(OutputError, match="leaves"):
        sink(tmp_path / "out", "{pipeline}.json").write(payload(b"x"), context)
    assert listing(tmp_path) == []


def test_describe_touches_nothing(tmp_path: Path) -> None:
    base = tmp_path / "not-yet"
    result = sink(base, "{pipeline}/{date}.csv", compression="gzip").describe(
        payload(b"x"), CONTEXT
    )
    assert (result.output_type, result.destination) == (
        "local",
        str(base / "daily" / "2025-01-02.csv.gz"),
    )
    assert not base.exists()


def test_file_permissions_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        sink(tmp_path, "gpus.json").write(payload(b"x"), CONTEXT)
    finally:
        os.umask(previous)
    assert (tmp_path / "gpus.json").stat().st_mode & 0o777 == 0o640


def config(path: Path, output_lines: str) -> str:
    return dedent(
        """\
        pipelines:
          - name: daily
            transformer:
              format: regions
            outputs:
              - type: local
                path: '{path}'
        """
    ).format(path=path) + "".join(f"        {line}\n" for line in output_lines.splitlines())


def test_runs_inside_a_pipeline(load: Load, tmp_path: Path) -> None:
    loaded = load(config(tmp_path, "filename_pattern: '{pipeline}-{date}.txt'"))
    instances = [make_instance(region="EU-RO-1"), make_instance(region="US-TX-3")]
    [first] = execute_pipelines(instances, loaded, now=MOMENT)
    assert first.success
    assert (tmp_path / "daily-2025-01-02.txt").read_bytes() == b"EU-RO-1\nUS-TX-3\n"
    [second] = execute_pipelines(instances[:1], loaded, now=MOMENT)
    assert not second.success
    assert second.outputs[0].error == (
        f"{tmp_path / 'daily-2025-01-02.txt'} exists; "
        "set overwrite: true or add {timestamp} to filename_pattern"
    )
    assert (tmp_path / "daily-2025-01-02.txt").read_bytes() == b"EU-RO-1\nUS-TX-3\n"


def test_dry_run_names_the_file_and_writes_nothing(load: Load, tmp_path: Path) -> None:
    loaded = load(config(tmp_path / "out", "filename_pattern: 'gpus_{date}.txt'"))
    [result] = execute_pipelines([make_instance()], loaded, now=MOMENT, dry_run=True)
    assert result.outputs[0].destination == str(tmp_path / "out" / "gpus_2025-01-02.txt")
    assert result.outputs[0].dry_run
    assert not (tmp_path / "out").exists()


def problems(load: Load, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(text)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "filename_pattern: '../gpus.json'",
            "cfg.yaml:8:27: must stay inside the output location (no leading / and no ..)",
        ),
        (
            "filename_pattern: '{date}/../../gpus.json'",
            "cfg.yaml:8:27: must stay inside the output location (no leading / and no ..)",
        ),
        (
            "filename_pattern: '{dte}.json'",
            "cfg.yaml:8:27: unknown placeholder {dte}; did you mean 'date'? (placeholders: "
            "{date}, {time}, {timestamp}, {year}, {month}, {day}, {hour}, {minute}, "
            "{second}, {pipeline})",
        ),
        (
            "filename_pattern: gpus.json\ncompression: zip",
            "cfg.yaml:9:22: expected one of 'none', 'gzip', got 'zip'; did you mean 'gzip'?",
        ),
        (
            "filename_pattern: gpus.json\noverwrite: sometimes",
            "cfg.yaml:9:20: expected true or false, got 'sometimes'",
        ),
    ],
)
def test_bad_options_are_located(load: Load, tmp_path: Path, option: str, message: str) -> None:
    assert problems(load, config(tmp_path, option)) == [message]


def test_path_is_required_and_not_empty(load: Load) -> None:
    text = dedent(
        """\
        pipelines:
          - name: daily
            transformer: {format: regions}
            outputs:
              - type: local
                filename_pattern: a.txt
              - type: local
                path: ' '
                filename_pattern: a.txt
        """
    )
    assert problems(load, text) == [
        "cfg.yaml:5:9: missing required option 'path'",
        "cfg.yaml:8:15: must not be empty; give the directory to write into",
    ]
