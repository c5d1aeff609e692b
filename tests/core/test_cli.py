"""The CLI end to end over the built-in plugins: files written, exit codes, messages."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances
from tests.run_cli import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "export.yaml"
SNAPSHOT = ROOT / "examples" / "runpod-snapshot.json"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_example_export_writes_all_three_files(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    code, out, err = run(capsys, "export", "-c", EXAMPLE, "--snapshot", SNAPSHOT)
    assert code == 0, err
    files = sorted(p.name for p in (workdir / "out").iterdir())
    assert [name.split("_")[0] for name in files] == [
        "available-gpus",
        "datacenter-spot-report",
        "market-metrics",
    ]
    instances = read_snapshot(SNAPSHOT).instances
    records = json.loads((workdir / "out" / files[0]).read_text())
    expected = [
        i for i in instances if i.availability.value >= 1 and i.price is not None and i.price < 10.0
    ]
    assert len(records) == len(expected) > 0
    assert {r["availability"] for r in records} <= {"LOW", "MEDIUM", "HIGH"}
    csv_lines = (workdir / "out" / files[1]).read_text().splitlines()
    assert csv_lines[0] == "GPU,GPUs,Region,On-demand $/hr,Spot $/hr,Availability"
    metrics = json.loads(gzip.decompress((workdir / "out" / files[2]).read_bytes()))
    assert metrics["metrics"]["offers"] == len(instances)
    assert f"collected {len(instances)} instances from snapshot" in out
    assert "pipeline available-gpus: ok" in out


def test_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, _ = run(capsys, "export", "-c", EXAMPLE, "--snapshot", SNAPSHOT, "--dry-run")
    assert code == 0
    assert not (workdir / "out").exists()
    assert "would write" in out and "out/available-gpus_" in out


def test_quiet_prints_nothing_on_success(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, err = run(capsys, "export", "-c", EXAMPLE, "--snapshot", SNAPSHOT, "-q")
    assert (code, out, err) == (0, "", "")


def test_validate(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, _ = run(capsys, "validate", "-c", EXAMPLE)
    assert code == 0
    assert out.strip() == f"{EXAMPLE}: OK, 3 pipelines (3 enabled), 3 outputs"
    code, out, _ = run(capsys, "export", "-c", EXAMPLE, "--validate-only")
    assert code == 0 and "OK, 3 pipelines" in out
    assert not (workdir / "out").exists()


def test_bad_config_exits_2_with_located_lines(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    config = workdir / "bad.yaml"
    config.write_text(
        dedent("""\
        pipelines:
          - name: x
            filters:
              - {field: price, operator: between, min: 5, max: 1}
              - {field: region, operator: regex, value: "([unclosed"}
              - {field: availability, operator: in, values: HIGH}
            transformer: {format: jsonn}
            outputs: [{type: local, path: ., filename_pattern: "{nope}.json"}]
    """)
    )
    code, out, err = run(capsys, "validate", "-c", config)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 5
    assert all(line.startswith(f"{config}:") for line in lines)
    assert [line.split(":")[1] for line in lines] == ["4", "5", "6", "7", "8"]
    assert "did you mean 'json'" in lines[3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "-c", "missing.yaml", "--snapshot", SNAPSHOT], "config file not found"),
        (["export", "-c", EXAMPLE, "--snapshot", "nope.json"], "snapshot file not found"),
        (
            ["export", "-c", EXAMPLE, "--snapshot", SNAPSHOT, "--pipeline", "available-gpu"],
            "did you mean 'available-gpus'",
        ),
        (["collect", "--output", "snap.txt"], "--output must end with one of"),
        (["collect", "--collector", "nosuch", "--output", "s.json"], "unknown collector type"),
        (
            ["collect", "--collector", "snapshot", "-o", "pathx", "--output", "s.json"],
            "must look like KEY=VALUE",
        ),
        (["export", "--snapshot", SNAPSHOT], "Missing option '--config'"),
    ],
)
def test_usage_errors_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], workdir: Path, args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err


def test_failed_output_exits_1_and_the_others_still_run(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    (workdir / "taken.json").write_text("keep me")
    config = workdir / "c.yaml"
    config.write_text(
        dedent("""\
        pipelines:
          - name: p
            transformer: {format: json}
            outputs:
              - {type: local, path: ., filename_pattern: taken.json}
              - {type: local, path: ., filename_pattern: fresh.json}
    """)
    )
    code, out, err = run(capsys, "export", "-c", config, "--snapshot", SNAPSHOT)
    assert code == 1
    assert (workdir / "taken.json").read_text() == "keep me"
    assert len(json.loads((workdir / "fresh.json").read_text())) > 0
    assert "taken.json" in err and "pipeline p: FAILED" in out


def test_partial_snapshot_is_reported_and_exits_1(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    snap = workdir / "s.jsonl"
    good = json.dumps(
        {
            "provider": "RunPod",
            "instance_type": "1x A40",
            "accelerator_name": "A40",
            "region": "EU-SE-1",
            "accelerator_count": 1,
            "availability": "High",
            "collected_at": 1_763_900_000,
        }
    )
    snap.write_text(good + "\n" + good.replace('"High"', '"Plenty"') + "\n")
    config = workdir / "c.yaml"
    config.write_text(
        "pipelines:\n  - name: p\n    transformer: {format: json}\n"
        "    outputs: [{type: local, path: ., filename_pattern: o.json}]\n"
    )
    code, _, err = run(capsys, "export", "-c", config, "--snapshot", snap)
    assert code == 1
    assert f"{snap}:2: availability: unknown availability 'Plenty'" in err
    assert len(json.loads((workdir / "o.json").read_text())) == 1


def test_collect_from_any_registered_collector(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    source = workdir / "in.json"
    instances = generate_instances(30, seed=9)
    write_snapshot(instances, source)
    code, out, _ = run(
        capsys,
        "collect",
        "--collector",
        "snapshot",
        "-o",
        f"path={source}",
        "--output",
        workdir / "copy.jsonl.gz",
    )
    assert code == 0 and "wrote 30 instances" in out
    assert read_snapshot(workdir / "copy.jsonl.gz").instances == instances


def test_plugins_json_lists_every_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plugins", "--json")
    assert code == 0
    reports = {report["name"]: report for report in json.loads(out)}
    assert set(reports) >= {
        "runpod",
        "snapshot",
        "operators",
        "json",
        "csv",
        "metrics",
        "local",
        "s3",
        "https",
    }
    assert all(report["loaded"] for report in reports.values())
    assert reports["json"]["registers"] == {"transformers": ["json"]}
    assert reports["snapshot"]["distribution"] == "gpuport-data-collectors"


def test_runpod_without_key_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    code, _, err = run(capsys, "export", "-c", EXAMPLE)
    assert code == 2
    assert "RUNPOD_API_KEY" in err


LIGHT_IMPORTS = """
import sys
from gpuport_collectors.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(
    m for m in ("boto3", "botocore", "httpx", "httpcore", "gpuhunt", "requests") if m in sys.modules
)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["validate", "-c", "CONFIG"], ["plugins"], ["schema"]]
)
def test_help_validate_and_plugins_import_no_boto3_httpx_or_gpuhunt(
    tmp_path: Path, args: list[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        dedent("""\
        collectors:
          - {type: gpuhunt, providers: [aws, vastai]}
        pipelines:
          - name: p
            transformer: {format: json}
            outputs:
              - {type: s3, bucket: b}
              - {type: https, url: "https://example.invalid/hook"}
    """)
    )
    argv = [str(config) if arg == "CONFIG" else arg for arg in args]
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_IMPORTS, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "GPUPORT_DISABLE_PLUGINS": ""},
        check=False,
    )
    assert "HEAVY:\n" in done.stderr, done.stderr
    if args[0] == "validate":
        assert "OK, 1 pipelines" in done.stdout


def test_main_leaves_no_trace_in_the_process(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    import logging

    from gpuport_collectors.cli import cli

    commands_before = set(cli.commands)
    levels_before = {name: logging.getLogger(name).level for name in ("", "botocore", "httpcore")}
    handlers_before = list(logging.getLogger().handlers)
    run(capsys, "export", "-c", EXAMPLE, "--snapshot", SNAPSHOT, "--verbose", "--dry-run")
    assert set(cli.commands) == commands_before  # plugin commands went to a per-run group
    assert {name: logging.getLogger(name).level for name in levels_before} == levels_before
    assert logging.getLogger().handlers == handlers_before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("max_concurrency", "abc", "expected a number, got 'abc'"),
        ("max_concurrency", "0", "max_concurrency must be at least 1"),
        ("max_retrys", "1", "unknown option 'max_retrys'; did you mean 'max_retries'?"),
    ],
)
def test_an_option_reads_the_same_from_yaml_and_from_the_command_line(
    capsys: pytest.CaptureFixture[str], workdir: Path, option: str, value: str, message: str
) -> None:
    config = workdir / "c.yaml"
    config.write_text(
        "pipelines: [{name: p, transformer: {format: json}, outputs: [{type: local, path: o}]}]\n"
        f"collectors: [{{type: runpod, {option}: {value}}}]\n"
    )
    code, _, err = run(capsys, "validate", "-c", config)
    [yaml_line] = err.splitlines()
    assert code == 2 and yaml_line.startswith(f"{config}:2:")
    yaml_message = yaml_line.split(": ", 1)[1]
    assert message in yaml_message
    code, _, err = run(capsys, "collect", "-o", f"{option}={value}", "--output", "s.json")
    assert code == 2
    assert err.splitlines() == [f"--option {option}: {yaml_message}"]
    assert not (workdir / "s.json").exists()


def test_an_empty_snapshot_path_names_the_flag(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    code, _, err = run(capsys, "export", "-c", EXAMPLE, "--snapshot", "")
    assert code == 2
    assert err.splitlines() == [
        "--snapshot path: must not be empty; give a snapshot file or s3:// URL"
    ]


def test_each_lazy_command_lists_the_help_its_own_module_gives() -> None:
    from gpuport_collectors.cli import command_group
    from gpuport_collectors.lazy import LazyCommand
    from gpuport_collectors.plugins import PluginHost

    group = command_group(PluginHost(environ={}).discover())
    lazy = {name: cmd for name, cmd in group.commands.items() if isinstance(cmd, LazyCommand)}
    assert {"schema", "diff", "replay"} <= set(lazy)
    for name, command in lazy.items():
        real = command.load()
        assert real.name == name
        assert command.get_short_help_str(200) == real.get_short_help_str(200), name


def test_only_the_console_script_tunes_the_garbage_collector() -> None:
    probe = (
        "import gc, sys\n"
        "import gpuport_collectors.cli\n"
        "print(gc.get_threshold()[0])\n"
        "sys.argv = ['gpuport-collectors', '--version']\n"
        "from gpuport_collectors.console_script import GC_THRESHOLD, main\n"
        "try:\n    main()\nexcept SystemExit:\n    print(gc.get_threshold()[0] == GC_THRESHOLD)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    default, _version, tuned = run.stdout.splitlines()
    assert int(default) == 700
    assert tuned == "True"
