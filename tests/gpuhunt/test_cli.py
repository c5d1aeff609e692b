"""The command line with the gpuhunt collector: `collect` with -o lists and with --config,
a RunPod (simulator) + gpuhunt export filtered by accelerator_model, the multi-cloud example."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import pytest

from examples.generate_catalogue import CATALOGUE, PROVIDERS, generate_items
from gpuport_collectors.snapshots import read_snapshot
from gpuport_gpuhunt.collector import GpuhuntCollector
from gpuport_gpuhunt.config import GpuhuntConfig
from tests.run_cli import run

from ..runpod.simulator import Catalogue, RunPodSimulator
from .catalogues import csv_text, item, write_dir

ROOT = Path(__file__).resolve().parents[2]
RUNPOD_KEY = "rpa_CANARY_gpuhunt_mix_0b9c_do_not_leak"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    directory = tmp_path / "catalogue"
    write_dir(directory, "aws", [item(), item(spot=True, price=39.33)])
    write_dir(
        directory,
        "lambdalabs",
        [item(provider="lambdalabs", instance_name="gpu_1x_h100_pcie", gpu_count=1, price=2.49)],
    )
    write_dir(directory, "gcp", [item(provider="gcp", instance_name="a3-highgpu-8g")])
    return directory


def test_collect_one_collector_with_a_list_option(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "clouds.jsonl.gz"
    code, out, err = run(
        capsys,
        "collect",
        "--collector",
        "gpuhunt",
        "-o",
        "providers=aws,lambdalabs",
        "-o",
        f"catalog_dir={catalogue}",
        "--output",
        target,
    )
    assert code == 0, err
    assert "wrote 2 instances" in out
    records = [json.loads(line) for line in gzip.decompress(target.read_bytes()).splitlines()]
    assert [(r["provider"], r["price"], r["spot_price"]) for r in records] == [
        ("AWS", 98.32, 39.33),
        ("Lambda", 2.49, None),
    ]
    assert {r["availability"] for r in records} == {None}
    assert {r["accelerator_model"] for r in records} == {"H100"}
    # The snapshot round trip keeps unknown availability unknown.
    config = GpuhuntConfig(providers=["aws", "lambdalabs"], catalog_dir=str(catalogue))
    at = loaded_at = read_snapshot(target).instances[0].collected_at
    fresh = asyncio.run(GpuhuntCollector(config, environ={}, now=lambda: at).fetch_instances())
    loaded = read_snapshot(target).instances
    assert [i.availability for i in loaded] == [None, None]
    assert loaded == fresh and {i.collected_at for i in loaded} == {loaded_at}
    assert [i.raw_data for i in loaded] == [i.raw_data for i in fresh]


def test_a_secret_from_the_environment_never_shows_in_an_option_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = "canary-options-4d1e-do-not-leak"
    monkeypatch.setenv("GPUPORT_TEST_PROVIDER", canary)
    out = tmp_path / "s.json"
    code, stdout, err = run(
        capsys,
        "collect",
        "--collector",
        "gpuhunt",
        "-o",
        "providers=aws,${GPUPORT_TEST_PROVIDER}",
        "--output",
        out,
    )
    assert code == 2
    # the plugin quotes the bad provider; the line shows where it came from instead
    assert "--option providers: providers[1]: unknown provider '${GPUPORT_TEST_PROVIDER}'" in err
    assert canary not in stdout + err
    assert not out.exists()


def test_bad_list_values_are_usage_errors(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.json"
    code, _, err = run(
        capsys, "collect", "--collector", "gpuhunt", "-o", "providers=aws,azrue", "--output", out
    )
    assert code == 2
    assert "providers[1]: unknown provider 'azrue'; did you mean 'azure'?" in err
    config = tmp_path / "c.yaml"
    config.write_text(
        "pipelines: [{name: p, transformer: {format: json}, outputs: [{type: local, path: o}]}]\n"
    )
    code, _, err = run(capsys, "collect", "-c", config, "-o", "providers=aws", "--output", out)
    assert code == 2 and "with --config, set them in the config" in err
    code, _, err = run(capsys, "collect", "-o", "providers=aws", "--output", out)
    # the default collector is RunPod: its options are the ones listed
    assert code == 2
    assert "--option providers: unknown option 'providers' (options: api_key," in err
    assert not out.exists()


def test_collect_with_a_config_runs_its_collectors(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "collectors:\n"
        f"  - {{type: gpuhunt, providers: [gcp, aws], catalog_dir: '{catalogue}'}}\n"
        "pipelines:\n  - name: p\n    transformer: {format: json}\n"
        f"    outputs: [{{type: local, path: '{tmp_path}'}}]\n"
    )
    target = tmp_path / "s.json"
    code, _, err = run(capsys, "collect", "--config", config, "--output", target)
    assert code == 0, err
    assert [i.provider for i in read_snapshot(target).instances] == ["GCP", "AWS"]


def test_one_failing_provider_makes_a_partial_collection(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "s.json"
    code, _, err = run(
        capsys,
        "collect",
        "--collector",
        "gpuhunt",
        "-o",
        "providers=aws,oci",
        "-o",
        f"catalog_dir={catalogue}",
        "--output",
        target,
    )
    assert code == 1
    assert f"gpuhunt: oci: no catalogue file {catalogue / 'oci.csv'}" in err
    assert [i.provider for i in read_snapshot(target).instances] == ["AWS"]


def test_runpod_and_gpuhunt_in_one_export_filtered_by_model(
    catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with RunPodSimulator(
        Catalogue.generate(seed=3, gpu_types=8, datacenters=8), api_key=RUNPOD_KEY
    ) as simulator:
        monkeypatch.setenv("RUNPOD_API_URL", simulator.url)
        monkeypatch.setenv("RUNPOD_API_KEY", RUNPOD_KEY)
        config = tmp_path / "mixed.yaml"
        config.write_text(
            "collectors:\n"
            "  - type: runpod\n"
            "  - type: gpuhunt\n"
            "    providers: [aws, lambdalabs, gcp]\n"
            f"    catalog_dir: '{catalogue}'\n"
            "pipelines:\n"
            "  - name: h100\n"
            "    filters: [{field: accelerator_model, operator: eq, value: H100}]\n"
            "    transformer: {format: json}\n"
            f"    outputs: [{{type: local, path: '{tmp_path}', filename_pattern: h100.json}}]\n"
        )
        code, out, err = run(capsys, "export", "--config", config)
    assert code == 0, err
    records = json.loads((tmp_path / "h100.json").read_text())
    assert {r["accelerator_model"] for r in records} == {"H100"}
    assert {r["provider"] for r in records} == {"RunPod", "AWS", "Lambda", "GCP"}
    runpod = [r for r in records if r["provider"] == "RunPod"]
    assert {r["accelerator_name"] for r in runpod} <= {"H100 80GB HBM3", "H100 PCIe"}
    assert all(r["availability"] is not None for r in runpod)
    assert all(r["availability"] is None for r in records if r["provider"] != "RunPod")
    assert RUNPOD_KEY not in out + err


def test_the_multi_cloud_example_runs_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "export", "--config", "examples/multi-cloud.yaml")
    assert code == 0, err
    rows = (tmp_path / "out" / "h100-everywhere.csv").read_text().splitlines()
    providers = {row.split(",")[0] for row in rows[1:]}
    assert providers == {"RunPod", "AWS", "Azure", "GCP", "Lambda"}
    comparison = json.loads((tmp_path / "out" / "cloud-comparison.json").read_text())
    assert set(comparison["metrics"]["offers_by_provider"]) == providers


def test_the_example_catalogue_is_what_its_generator_writes(tmp_path: Path) -> None:
    for provider in PROVIDERS:
        expected = csv_text(generate_items(provider, seed=2026), tmp_path)
        assert (CATALOGUE / f"{provider}.csv").read_text() == expected, (
            "run python examples/generate_catalogue.py"
        )


def test_generated_catalogues_have_the_size_asked_for() -> None:
    rows = generate_items("aws", count=1000, seed=1)
    assert len(rows) == 1000
    assert len({(r.instance_name, r.location, r.spot) for r in rows}) == 1000
