from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gpuport_collectors import Availability, SnapshotError
from gpuport_collectors.snapshots import Snapshot, read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances, make_instance

OLD_RECORD = {
    "provider": "RunPod",
    "instance_type": "NVIDIA A40",
    "accelerator_name": "A40",
    "region": "EU-SE-1",
    "accelerator_count": 1.0,
    "accelerator_mem_gib": 48,
    "price": 0.39,
    "spot_price": None,
    "availability": "Not Available",
    "collected_at": 1736812800,
    "arch": "ampere",
    "gpu_info": {"manufacturer": "Nvidia"},
    "availability_zone": "EU-SE-1a",
}


@pytest.mark.parametrize("name", ["s.json", "s.jsonl", "s.json.gz", "s.jsonl.gz"])
def test_round_trip_every_format(tmp_path: Path, name: str) -> None:
    instances = generate_instances(50, seed=3)
    assert write_snapshot(instances, tmp_path / name) == 50
    loaded = read_snapshot(tmp_path / name)
    assert loaded.problems == []
    assert loaded.instances == instances
    assert [i.raw_data for i in loaded.instances] == [i.raw_data for i in instances]
    raw = (tmp_path / name).read_bytes()
    assert (raw[:2] == b"\x1f\x8b") == name.endswith(".gz")


def test_records_from_older_exporters_load(tmp_path: Path) -> None:
    path = tmp_path / "old.json.gz"
    path.write_bytes(gzip.compress(json.dumps([OLD_RECORD]).encode()))
    [instance] = read_snapshot(path).instances
    assert instance.accelerator_count == 1 and isinstance(instance.accelerator_count, int)
    assert instance.availability is Availability.NOT_AVAILABLE
    assert instance.spot_price is None
    assert instance.raw_data == {
        "arch": "ampere",
        "gpu_info": {"manufacturer": "Nvidia"},
        "availability_zone": "EU-SE-1a",
    }


def test_old_records_have_no_model_and_no_record_needs_availability(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    no_availability = {k: v for k, v in OLD_RECORD.items() if k != "availability"}
    path.write_text(json.dumps([OLD_RECORD, no_availability, dict(OLD_RECORD, availability=None)]))
    snapshot = read_snapshot(path)
    assert snapshot.problems == []
    assert [i.availability for i in snapshot.instances] == [Availability.NOT_AVAILABLE, None, None]
    assert {i.accelerator_model for i in snapshot.instances} == {None}


@pytest.mark.parametrize("name", ["s.json", "s.jsonl.gz"])
def test_unknown_availability_round_trips_as_null(tmp_path: Path, name: str) -> None:
    instances = [
        make_instance(availability=None, accelerator_model="H100", provider="AWS"),
        make_instance(availability=Availability.LOW, accelerator_model=None),
    ]
    write_snapshot(instances, tmp_path / name)
    raw = (tmp_path / name).read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode()
    assert '"availability": null' in text and '"accelerator_model": "H100"' in text
    loaded = read_snapshot(tmp_path / name)
    assert loaded.problems == []
    assert loaded.instances == instances


def test_malformed_records_are_reported_with_index_and_field(tmp_path: Path) -> None:
    bad_price = dict(OLD_RECORD, price="cheap")
    no_region = {k: v for k, v in OLD_RECORD.items() if k != "region"}
    bad_count = dict(OLD_RECORD, accelerator_count=1.5)
    records = [OLD_RECORD, bad_price, no_region, "nope", bad_count, OLD_RECORD]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(records))
    snapshot = read_snapshot(path)
    assert len(snapshot.instances) == 2
    assert [str(p) for p in snapshot.problems] == [
        "record 1: price: expected a number, got 'cheap'",
        "record 2: region: missing (required: provider, instance_type, accelerator_name, region, "
        "accelerator_count, collected_at)",
        "record 3: expected an object, got str",
        "record 4: accelerator_count: expected a whole number, got 1.5",
    ]


def test_jsonl_bad_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(OLD_RECORD) + "\n{not json\n\n" + json.dumps(OLD_RECORD) + "\n")
    snapshot = read_snapshot(path)
    assert len(snapshot.instances) == 2
    assert [str(p) for p in snapshot.problems] == [
        f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2", "invalid JSON"),
        (b'{"a": 1}', r"1: provider: missing .* \(no usable record among 1\)"),
        (b"\x1f\x8bnot really gzip", "corrupt gzip data"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b"hello, world\n", "1: invalid JSON: Expecting value"),
        (b"[1, 2, 3]", r"record 0: expected an object, got int \(no usable record among 3\)"),
        (b"42", "expected an object, got int"),
        (b'{"provider": "runpod",\n "region": "x"}\n', "1: invalid JSON"),
        (gzip.compress(json.dumps([OLD_RECORD] * 50).encode(), mtime=0)[:-9], "corrupt gzip data"),
    ],
)
def test_unreadable_snapshots_are_one_line_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SnapshotError, match=message) as caught:
        read_snapshot(path)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize("content", [b"", b"  \n", b"[]", b"[\n]\n", gzip.compress(b"", mtime=0)])
def test_an_empty_snapshot_has_no_instances_and_no_problems(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    assert read_snapshot(path) == Snapshot([], [])


def test_a_directory_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="cannot read snapshot: Is a directory") as caught:
        read_snapshot(tmp_path)
    assert str(caught.value).startswith(str(tmp_path))


def test_missing_snapshot(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="snapshot file not found"):
        read_snapshot(tmp_path / "absent.json")


def test_snapshot_suffix_is_checked(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match=r"must end with one of \.json"):
        write_snapshot([], tmp_path / "snap.txt")


def test_unwritable_snapshot_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(SnapshotError) as caught:
        write_snapshot(generate_instances(3), blocker / "snap.json")
    assert str(caught.value).startswith(f"{blocker / 'snap.json'}: cannot write snapshot: ")


@pytest.mark.parametrize("name", ["snap.jsonl", "snap.json.gz"])
def test_a_pipe_with_a_writer_reads_like_a_file(tmp_path: Path, name: str) -> None:
    """``--snapshot /dev/stdin`` (or ``<(zcat ...)``): the pipe has a writer, so it is read,
    however slowly the writer starts; only a pipe nobody writes to is refused."""
    instances = generate_instances(5, seed=4)
    write_snapshot(instances, tmp_path / name)
    script = (
        "import sys; from gpuport_collectors.snapshots import read_snapshot; "
        "print(len(read_snapshot('/dev/stdin').instances))"
    )
    slow_writer = f"sleep 0.3; cat {tmp_path / name}"
    done = subprocess.run(
        f'{slow_writer} | {sys.executable} -c "{script}"',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "5"), done.stderr
