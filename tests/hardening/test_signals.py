"""SIGTERM and SIGHUP stop a run like Ctrl-C: temp files removed, one line, exit 128+signal."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpuport_collectors.atomic import atomic_write, remove_stale_temps
from gpuport_collectors.signals import Stopped, stop_on_signals
from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances

from .test_corpus import CLI, TIME_LIMIT


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_mid_write_removes_the_temp_file(tmp_path: Path, signum: int) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"half"
        assert list(tmp_path.glob(".*.tmp"))  # the temp file exists while writing
        os.kill(os.getpid(), signum)
        yield b"never"

    with pytest.raises(Stopped) as stopped, stop_on_signals():
        atomic_write(tmp_path / "out.json", chunks())
    assert stopped.value.exit_code == 128 + signum
    assert list(tmp_path.iterdir()) == []


def test_handlers_are_restored(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    gone_pid = finished.pid  # a process that has exited
    stale = tmp_path / f".big.json.gpuport-{gone_pid}-abcd1234.tmp"
    live = tmp_path / f".big.json.gpuport-{os.getppid()}-abcd1234.tmp"
    other = tmp_path / ".someone-elses.tmp"
    for path in (stale, live, other):
        path.write_text("x")
    assert remove_stale_temps(tmp_path) == [stale]
    assert sorted(tmp_path.iterdir()) == sorted([live, other])


def test_sigterm_during_an_export(tmp_path: Path) -> None:
    snap = tmp_path / "snap.jsonl"
    write_snapshot(generate_instances(100_000, seed=3), snap)
    config = tmp_path / "export.yaml"
    config.write_text(
        "pipelines:\n"
        + "".join(
            f"  - name: p{n}\n    transformer: {{format: json, pretty_print: true}}\n"
            f"    outputs: [{{type: local, path: out, filename_pattern: big{n}.json}}]\n"
            for n in range(6)
        )
    )
    process = subprocess.Popen(
        [str(CLI), "export", "-c", str(config), "--snapshot", str(snap)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("collected 100000 instances")
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the export did not stop")
    assert process.returncode == 128 + signal.SIGTERM, err
    assert err.strip().splitlines() == [
        "error: stopped by SIGTERM; nothing half-written was left behind"
    ]
    assert not [path for path in (tmp_path / "out").rglob("*") if path.name.endswith(".tmp")]
