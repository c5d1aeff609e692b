"""``gpuport-collectors diff OLD NEW`` over generated snapshots with known changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors.diff import Change, diff_instances
from gpuport_collectors.models import Availability, GPUInstance
from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances, make_instance
from tests.run_cli import run as run_cli


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return run_cli(capsys, "diff", *args)


@attrs.frozen
class Known:
    """Two collections and the differences made between them on purpose."""

    old: list[GPUInstance]
    new: list[GPUInstance]
    added: GPUInstance
    removed: GPUInstance
    pricier: GPUInstance
    unknown_stock: GPUInstance
    nudged: GPUInstance


@pytest.fixture
def known() -> Known:
    old = generate_instances(40, seed=11)
    old = [attrs.evolve(row, region=f"R{index}") for index, row in enumerate(old)]  # unique keys
    new = list(old)
    removed = new.pop(5)
    assert old[0].price is not None and old[1].availability is not None
    new[0] = attrs.evolve(new[0], price=old[0].price * 2)
    new[1] = attrs.evolve(new[1], availability=None, quantity=None)
    nudged_price = (new[2].price or 1.0) * 1.01
    new[2] = attrs.evolve(new[2], price=nudged_price)
    added = make_instance(region="NEW-1", price=0.5)
    new.append(added)
    return Known(old, new, added, removed, new[0], new[1], new[2])


@pytest.fixture
def files(known: Known, tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.jsonl.gz"
    write_snapshot(known.old, old)
    write_snapshot(known.new, new)
    return old, new


def test_api_finds_the_known_changes(known: Known) -> None:
    result = diff_instances(known.old, known.new)
    assert result.added == [known.added] and result.removed == [known.removed]
    changes = {offer.new.region: offer.changes for offer in result.changed}
    assert changes[known.pricier.region] == (
        Change("price", known.old[0].price, known.pricier.price),
    )
    assert changes[known.unknown_stock.region] == (
        Change("availability", known.old[1].availability, None),
        Change("quantity", known.old[1].quantity, None),
    )
    assert known.nudged.region in changes
    assert result.unchanged == 40 - 1 - 3


def test_api_narrows_by_field_and_min_change(known: Known) -> None:
    result = diff_instances(known.old, known.new, fields=["price"], min_change=0.05)
    assert [offer.new for offer in result.changed] == [known.pricier]
    with pytest.raises(ValueError, match="cannot compare 'region'"):
        diff_instances(known.old, known.new, fields=["region"])


def test_plain_lines_when_piped(
    files: tuple[Path, Path], known: Known, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *files)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"+ RunPod {known.added.instance_type} NEW-1: price 0.5, ")
    assert lines[1].startswith(f"- RunPod {known.removed.instance_type} {known.removed.region}: ")
    assert f"~ RunPod {known.pricier.instance_type} {known.pricier.region}: price " in out
    assert "(+100.0%)" in out
    assert f"{known.unknown_stock.region}: availability " in out and "-> null" in out
    assert lines[-1] == "1 added, 1 removed, 3 changed, 36 unchanged"


def test_json_for_scripts(
    files: tuple[Path, Path], known: Known, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *files, "--json", "--field", "availability")
    assert code == 1
    document: dict[str, Any] = json.loads(out)
    assert document["summary"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 38}
    assert document["added"][0]["region"] == "NEW-1"
    [changed] = document["changed"]
    old_availability = known.old[1].availability
    assert isinstance(old_availability, Availability)
    assert changed == {
        "provider": "RunPod",
        "instance_type": known.unknown_stock.instance_type,
        "region": known.unknown_stock.region,
        "accelerator_count": known.unknown_stock.accelerator_count,
        "changes": {"availability": {"old": old_availability.name, "new": None}},
    }


def test_min_change_hides_small_moves(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, *files, "--field", "price", "--min-change", "0.05")
    assert out.splitlines()[-1] == "1 added, 1 removed, 1 changed, 38 unchanged"


def test_equal_snapshots_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = generate_instances(20, seed=12)
    write_snapshot(rows, tmp_path / "a.json")
    write_snapshot(list(reversed(rows)), tmp_path / "b.jsonl")
    code, out, _ = run(capsys, tmp_path / "a.json", tmp_path / "b.jsonl")
    assert code == 0
    assert out.splitlines() == ["0 added, 0 removed, 0 changed, 20 unchanged"]


def test_only_narrowed_changes_count_for_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = generate_instances(10, seed=13)
    moved = [attrs.evolve(row, quantity=(row.quantity or 0) + 1) for row in rows]
    write_snapshot(rows, tmp_path / "a.json")
    write_snapshot(moved, tmp_path / "b.json")
    assert run(capsys, tmp_path / "a.json", tmp_path / "b.json", "--field", "price")[0] == 0
    assert run(capsys, tmp_path / "a.json", tmp_path / "b.json")[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["absent.json", "b.json"], "absent.json: snapshot file not found"),
        (["junk.json", "b.json"], "junk.json:1: invalid JSON"),
        (["b.json", "b.json", "--field", "region"], "Invalid value for '--field'"),
        (["b.json", "b.json", "--min-change", "-1"], "--min-change must be 0 or more"),
    ],
)
def test_bad_input_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_snapshot(generate_instances(3), "b.json")
    Path("junk.json").write_text("not json\n")
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err


def test_bad_records_are_warnings_and_the_rest_is_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = generate_instances(4, seed=14)
    write_snapshot(rows, tmp_path / "a.jsonl")
    broken = tmp_path / "b.jsonl"
    broken.write_text((tmp_path / "a.jsonl").read_text() + "{oops\n")
    code, out, err = run(capsys, tmp_path / "a.jsonl", broken)
    assert code == 0
    assert err.startswith(f"warning: {broken}:5: invalid JSON")
    assert out.splitlines() == ["0 added, 0 removed, 0 changed, 4 unchanged"]


def test_a_table_on_a_terminal(
    files: tuple[Path, Path],
    known: Known,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then treats the output as a terminal
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, *files)
    assert code == 1
    assert "Offers changed" in out and "┃" in out
    assert known.pricier.region in out and "+100.0%" in out
    assert "1 added, 1 removed, 3 changed, 36 unchanged" in out
