"""Collectors fail alone; an empty or failed collection reaches no output."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors import CollectorError
from gpuport_collectors.collection import choose_collectors, gather
from gpuport_collectors.config import parse_export_config
from gpuport_collectors.run import exit_code, publish
from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import StubPlugin, generate_instances, invoke_cli, make_host


@attrs.frozen
class ExplodingConfig:
    kind: str = "bug"


def explosion(config: ExplodingConfig) -> Exception:
    """``type: exploding``: a collector with a bug (raises a plain exception), or a
    ``kind: unreachable`` one failing as collectors should."""
    if config.kind == "unreachable":
        return CollectorError("https://api.example.test: connection refused")
    return RuntimeError("boom")


def config_text(*collectors: str, overwrite: bool = True) -> str:
    listed = "".join(f"  - {collector}\n" for collector in collectors)
    return (
        ("collectors:\n" + listed if collectors else "")
        + "pipelines:\n  - name: prices\n    transformer: {format: json}\n"
        "    outputs:\n      - {type: local, path: out, filename_pattern: prices.json, "
        f"overwrite: {str(overwrite).lower()}}}\n"
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_snapshot(generate_instances(12, seed=1), "one.json")
    write_snapshot(generate_instances(7, seed=2), "two.jsonl")
    Path("junk.json").write_text("this is not json\n")
    return tmp_path


@pytest.fixture
def host() -> Any:
    exploding = StubPlugin(
        collector="exploding",
        transformer=None,
        sink=None,
        collector_config=ExplodingConfig,
        collector_error=explosion,
    )
    return make_host(exploding)


def published() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(Path("out/prices.json").read_text())
    return records


@pytest.mark.parametrize(
    ("failing", "named"),
    [
        ("{type: snapshot, path: junk.json}", "junk.json:1: invalid JSON"),
        ("{type: snapshot, path: absent.json}", "absent.json: snapshot file not found"),
        ("{type: exploding}", "failed unexpectedly: RuntimeError: boom"),
        ("{type: exploding, kind: unreachable}", "connection refused"),
    ],
)
def test_one_failing_collector_costs_only_its_own_offers(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str], failing: str, named: str
) -> None:
    Path("c.yaml").write_text(
        config_text(
            "{type: snapshot, path: one.json}", failing, "{type: snapshot, path: two.jsonl}"
        )
    )
    run = invoke_cli(host, capsys, "export", "-c", "c.yaml")
    assert run.exit_code == 1
    assert len(published()) == 12 + 7
    failed = [line for line in run.stderr.splitlines() if line.startswith("error: collector")]
    assert len(failed) == 1
    assert failed[0].startswith(f"error: collector {failing.split(',')[0][7:].rstrip('}')} failed")
    assert named in failed[0]
    assert "Traceback" not in run.stdout + run.stderr


def test_collectors_fail_alone_through_the_api(workdir: Path, host: Any) -> None:
    config = parse_export_config(
        config_text("{type: exploding}", "{type: snapshot, path: one.json}"), host=host
    )
    collection = asyncio.run(gather(choose_collectors(config, host)))
    assert len(collection.instances) == 12
    assert [(run.name, run.failed, run.instance_count) for run in collection.collectors] == [
        ("exploding", True, 0),
        ("snapshot", False, 12),
    ]
    assert collection.problems == ["exploding: failed unexpectedly: RuntimeError: boom"]
    publication = publish(collection, config)
    assert not publication.withheld and publication.pipelines[0].filtered_count == 12
    assert exit_code(collection, publication) == 1


@pytest.mark.parametrize("content", ["", "[]\n", "[\n]\n"])
def test_an_empty_collection_is_withheld_and_yesterdays_file_kept(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    Path("c.yaml").write_text(config_text())
    assert (
        invoke_cli(host, capsys, "export", "-c", "c.yaml", "--snapshot", "one.json").exit_code == 0
    )
    before = Path("out/prices.json").read_bytes()
    Path("empty.json").write_text(content)
    run = invoke_cli(host, capsys, "export", "-c", "c.yaml", "--snapshot", "empty.json")
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        "error: collection withheld, nothing published: no instances were collected"
    ]
    assert Path("out/prices.json").read_bytes() == before
    assert "pipeline prices" not in run.stdout


def test_every_collector_failing_withholds_the_collection(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("c.yaml").write_text(config_text("{type: exploding}", "{type: snapshot, path: junk.json}"))
    run = invoke_cli(host, capsys, "export", "-c", "c.yaml")
    assert run.exit_code == 1
    assert "withheld, nothing published: no instances were collected" in run.stderr
    assert not Path("out").exists()


def test_a_lone_unusable_snapshot_collector_is_an_input_error(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("c.yaml").write_text(config_text("{type: snapshot, path: junk.json}"))
    run = invoke_cli(host, capsys, "export", "-c", "c.yaml")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "error: junk.json:1: invalid JSON: Expecting value (no usable record among 1)"
    ]


def test_collect_keeps_the_good_collectors_and_withholds_an_empty_one(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("snap.json").write_text("[]\n")
    Path("previous.jsonl").write_text("kept\n")
    run = invoke_cli(
        host, capsys, "collect", "--collector", "snapshot", "-o", "path=snap.json",
        "--output", "previous.jsonl",
    )  # fmt: skip
    assert run.exit_code == 1
    assert "collection withheld, previous.jsonl not written: no instances" in run.stderr
    assert Path("previous.jsonl").read_text() == "kept\n"
    run = invoke_cli(host, capsys, "collect", "--collector", "exploding", "--output", "x.json")
    assert run.exit_code == 1 and "collector exploding failed" in run.stderr
    assert not Path("x.json").exists()
    run = invoke_cli(
        host, capsys, "collect", "--collector", "snapshot", "-o", "path=one.json",
        "--output", "copy.json",
    )  # fmt: skip
    assert run.exit_code == 0 and len(read_snapshot("copy.json").instances) == 12


def test_run_export_checks_before_publishing(workdir: Path, host: Any) -> None:
    from gpuport_collectors.export import run_export

    config = parse_export_config(config_text(), host=host)
    Path("empty.json").write_text("[]")
    withheld = run_export(config, host=host, snapshot="empty.json")
    assert withheld.exit_code == 1 and withheld.publication is not None
    assert withheld.publication.withheld and withheld.publication.pipelines == []
    assert not Path("out").exists()
    done = run_export(config, host=host, snapshot="one.json")
    assert done.exit_code == 0 and len(published()) == 12
    unusable = run_export(config, host=host, snapshot="junk.json")
    assert unusable.exit_code == 2 and unusable.publication is None


def test_collect_with_a_config_follows_its_collection_wide_checks(
    workdir: Path, host: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("c.yaml").write_text(
        config_text("{type: snapshot, path: one.json}")
        + "checks:\n  min_instances: 50\n  price_range: [100, 200]\n"
    )
    run = invoke_cli(host, capsys, "collect", "--config", "c.yaml", "--output", "s.json")
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        "error: collection withheld, s.json not written: 12 instances left to publish, "
        "fewer than checks.min_instances (50)"
    ]  # price_range is export's business: nothing was dropped here
    assert not Path("s.json").exists()
