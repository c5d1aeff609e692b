"""An offer no snapshot could hold is never published, whoever collected it; and a million
bad records print ten warning lines and a count, not a million lines."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors.flow import SHOWN_PROBLEMS
from gpuport_collectors.models import Availability
from gpuport_collectors.records import instance_problem, instance_to_record
from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import StubPlugin, generate_instances, invoke_cli, make_host

GOOD = generate_instances(4, seed=3)
BAD: list[tuple[Any, str]] = [
    (attrs.evolve(GOOD[0], price=math.nan), "price: not a finite number"),
    (attrs.evolve(GOOD[0], spot_price=math.inf), "spot_price: not a finite number"),
    (attrs.evolve(GOOD[0], price=-1.0), "price: must not be negative"),
    (attrs.evolve(GOOD[0], region=None), "region: missing"),
    (attrs.evolve(GOOD[0], accelerator_count=-2), "accelerator_count: must be a whole number"),
    (attrs.evolve(GOOD[0], raw_data={"gpu": {"price": math.nan}}), "raw_data.gpu.price"),
    (attrs.evolve(GOOD[0], accelerator_count=2.5), "accelerator_count: expected a whole number"),
    (attrs.evolve(GOOD[0], price="5"), "price: expected number, got '5'"),  # JSON would say "5"
    (attrs.evolve(GOOD[0], region=5), "region: expected text, got 5"),
    (attrs.evolve(GOOD[0], quantity=True), "quantity: expected a number, got bool"),
    ({"provider": "not an instance"}, "expected a GPUInstance, got a mapping"),
]


@pytest.mark.parametrize(("instance", "reason"), BAD)
def test_instance_problem_names_the_field(instance: Any, reason: str) -> None:
    problem = instance_problem(instance)
    assert problem is not None and reason in problem


def test_good_instances_have_no_problem() -> None:
    assert [instance_problem(instance) for instance in GOOD] == [None] * len(GOOD)
    odd = attrs.evolve(GOOD[1], availability=Availability.LOW, quantity=0, price=0.0)
    assert instance_problem(odd) is None  # a zero is a value; only null is unknown
    whole = attrs.evolve(GOOD[1], price=3, accelerator_count=2.0)  # what reading makes of it
    assert instance_problem(whole) is None


def _config(directory: Path, collectors: str = "collectors: [{type: stub}]\n") -> Path:
    path = directory / "export.yaml"
    path.write_text(
        collectors + "pipelines:\n"
        "  - name: csv\n"
        "    transformer:\n"
        "      format: csv\n"
        "      fields: {instance_type: instance_type, price: price, spot_price: spot_price}\n"
        f"    outputs: [{{type: local, path: {directory / 'out'}, filename_pattern: o.csv}}]\n"
        "  - name: json\n"
        "    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: {directory / 'out'}, filename_pattern: o.json}}]\n"
    )
    return path


def test_a_collector_s_bad_offers_are_left_out_and_the_run_is_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = [*GOOD[:2], *(instance for instance, _ in BAD), *GOOD[2:]]
    host = make_host(StubPlugin(instances=returned))
    report = tmp_path / "report.json"
    run = invoke_cli(host, capsys, "export", "-c", _config(tmp_path), "--report", report)

    assert run.exit_code == 1  # partial: some offers could not be published
    rows = list(csv.DictReader((tmp_path / "out" / "o.csv").open()))
    assert [row["instance_type"] for row in rows] == [i.instance_type for i in GOOD]
    assert "nan" not in (tmp_path / "out" / "o.csv").read_text().lower()
    published = json.loads((tmp_path / "out" / "o.json").read_text())
    assert published == [instance_to_record(instance) for instance in GOOD]
    problems = json.loads(report.read_text())["collectors"][0]["problems"]
    assert len(problems) == len(BAD)
    for number, ((_, reason), problem) in enumerate(zip(BAD, problems, strict=True), start=3):
        assert problem.startswith(f"offer {number} left out: ") and reason in problem
        if number - 3 < SHOWN_PROBLEMS:
            assert f"warning: stub: {problem}" in run.stderr
    assert "Traceback" not in run.stderr


def test_warnings_stop_at_ten_and_the_report_keeps_every_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "snap.jsonl"
    write_snapshot(GOOD, snapshot)
    bad_lines = SHOWN_PROBLEMS + 25
    with snapshot.open("a") as file:
        file.write('{"provider": "x"}\n' * bad_lines)
    report = tmp_path / "report.json"
    run = invoke_cli(
        make_host(),
        capsys,
        "export",
        "-c",
        _config(tmp_path, collectors=""),
        "--snapshot",
        snapshot,
        "--report",
        report,
    )

    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning: snapshot")]
    assert len(warnings) == SHOWN_PROBLEMS + 1
    assert warnings[-1] == (
        "warning: snapshot: 25 more problems not shown (--report FILE lists every one)"
    )
    problems = json.loads(report.read_text())["collectors"][0]["problems"]
    assert len(problems) == bad_lines
    assert len(list(csv.DictReader((tmp_path / "out" / "o.csv").open()))) == len(GOOD)
