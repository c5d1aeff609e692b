"""The skypilot format, read by SkyPilot's own RunPod catalogue code (a test dependency)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from gpuport_collectors import ConfigError, GPUInstance, RunContext
from gpuport_collectors.plugin_api import runpod_gpu_type_id
from gpuport_collectors.testing import DEFAULT_NOW, generate_instances, make_instance, run_pipeline
from gpuport_skypilot.catalog import HEADER, Skipped, catalogue_row
from gpuport_skypilot.config import SkyPilotConfig
from gpuport_skypilot.names import SKYPILOT_NAMES
from gpuport_skypilot.regions import country_of
from gpuport_skypilot.transformer import SkyPilotTransformer

needs_skypilot = pytest.mark.skipif(
    importlib.util.find_spec("sky") is None,
    reason="skypilot is not installed: pip install -e '.[readers]' (.ci/run does)",
)
READER = Path(__file__).with_name("sky_reader.py")
CATALOGUE = Path(".sky/catalogs/v8/runpod/vms.csv")


def transform(instances: Sequence[GPUInstance]) -> bytes:
    payload = SkyPilotTransformer(SkyPilotConfig()).transform(
        instances, RunContext(started_at=DEFAULT_NOW, pipeline="sky")
    )
    assert not payload.splittable
    return payload.to_bytes()


def ask_skypilot(home: Path, queries: list[list[str]]) -> dict[str, Any]:
    """SkyPilot's answers, from a fresh process whose HOME holds our catalogue."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SKY")}
    env["HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, str(READER)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def launchable(rows: Sequence[GPUInstance]) -> list[GPUInstance]:
    return [row for row in rows if runpod_gpu_type_id(row) in SKYPILOT_NAMES]


def sky_name(row: GPUInstance) -> str:
    return f"{row.accelerator_count}x_{SKYPILOT_NAMES[runpod_gpu_type_id(row)]}_SECURE"


def written_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def number(text: str) -> float | None:
    return float(text) if text else None


@needs_skypilot
def test_skypilot_lists_and_prices_every_offer(tmp_path: Path) -> None:
    rows = generate_instances(seed=4)
    rows[0] = attrs.evolve(rows[0], spot_price=None)
    offers = {(sky_name(row), row.region): row for row in launchable(rows)}
    data = transform(rows)
    written = written_rows(data)
    assert 0 < len(written) < len(rows)  # GPU types SkyPilot cannot launch are left out
    target = tmp_path / CATALOGUE
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    queries = [[row["InstanceType"], row["Region"], row["AvailabilityZone"]] for row in written]

    answer = ask_skypilot(tmp_path, queries)

    for line, found in zip(written, answer["offers"], strict=True):
        offer = offers[line["InstanceType"], line["AvailabilityZone"]]
        assert number(line["Price"]) == offer.price  # the file holds our figures...
        assert number(line["SpotPrice"]) == offer.spot_price
        assert found["exists"], line  # ...and SkyPilot reads them back
        assert found["price"] == offer.price, line
        assert found["region_price"] == offer.price, line  # how SkyPilot prices a launch
        assert found["spot_price"] == offer.spot_price, line  # None: no spot market
        assert found["accelerators"] == {line["AcceleratorName"]: offer.accelerator_count}
        assert offer.region in found["zones"]
        assert found["valid_zone"] == [country_of(offer.region), offer.region]
        same_type = [o for (name, _), o in offers.items() if name == line["InstanceType"]]
        assert found["vcpus"] == min(o.v_cpus for o in same_type if o.v_cpus is not None)
        assert found["memory"] == min(o.memory_gib for o in same_type if o.memory_gib)
    listed = {(item["instance_type"], item["region"]) for item in answer["listed"]}
    assert listed == {(query[0], query[1]) for query in queries}
    for item in answer["listed"]:
        offer = next(
            offers[q[0], q[2]]
            for q in queries
            if (q[0], q[1]) == (item["instance_type"], item["region"])
        )
        assert item["price"] == offer.price
        assert item["device_memory"] == offer.accelerator_mem_gib


@needs_skypilot
@pytest.mark.filterwarnings("ignore")  # importing sky warns about its own dependencies
def test_every_name_is_one_skypilot_launches() -> None:
    from sky.provision.runpod.utils import GPU_NAME_MAP

    assert {SKYPILOT_NAMES[gpu]: gpu for gpu in SKYPILOT_NAMES}.items() <= GPU_NAME_MAP.items()


def test_header_is_skypilots() -> None:
    first_line = transform([make_instance()]).split(b"\n")[0].decode()
    assert first_line == (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Region,SpotPrice,"
        "Price,AvailabilityZone,GpuInfo"
    )
    assert tuple(first_line.split(",")) == HEADER


def test_a_row_follows_skypilots_conventions() -> None:
    row = catalogue_row(
        make_instance(
            accelerator_name="RTX 4090",
            accelerator_count=2,
            accelerator_mem_gib=24.0,
            region="EUR-IS-2",
            price=1.38,
            spot_price=None,
            v_cpus=32.0,
            memory_gib=124.0,
            raw_data={"gpu_type": {"id": "NVIDIA GeForce RTX 4090", "manufacturer": "Nvidia"}},
        )
    )
    assert not isinstance(row, Skipped)
    assert row.values() == (
        "2x_RTX4090_SECURE",
        "RTX4090",
        2.0,
        32.0,
        124.0,
        "IS",
        None,
        1.38,
        "EUR-IS-2",
        "{'Gpus': [{'Name': 'RTX 4090', 'Manufacturer': 'Nvidia', 'Count': 2, "
        "'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 49152}",
    )
    line = transform([make_instance(spot_price=None)]).split(b"\n")[1].decode()
    assert ",,0.69," in line  # no spot market: an empty SpotPrice, never 0


@pytest.mark.parametrize(
    ("datacenter", "country"),
    [
        ("US-GA-1", "US"),
        ("EU-RO-1", "RO"),
        ("EUR-IS-2", "IS"),
        ("CA-MTL-1", "CA"),
        ("OC-AU-1", "AU"),
        ("AP-JP-1", "JP"),
        ("SEA-SG-1", "SG"),
    ],
)
def test_region_is_the_datacenters_country(datacenter: str, country: str) -> None:
    assert country_of(datacenter) == country


def test_offers_skypilot_cannot_use_are_counted(caplog: pytest.LogCaptureFixture) -> None:
    rows = [
        make_instance(),
        make_instance(region="US-GA-1", raw_data={"gpu_type_id": "NVIDIA Unknown 9000"}),
        make_instance(region="EU-RO-1", price=None, spot_price=None),
        make_instance(price=0.69),  # the same InstanceType in the same zone again
    ]
    with caplog.at_level(logging.WARNING, logger="gpuport_skypilot"):
        lines = transform(rows).decode().splitlines()
    assert len(lines) == 2
    assert (
        "pipeline sky: skypilot catalogue has 1 offers; skipped 3 (1 GPU type SkyPilot cannot "
        "launch; 1 no price; 1 repeats an InstanceType in its zone); GPU types: NVIDIA Unknown 9000"
    ) in caplog.text


def test_one_shape_per_instance_type_and_one_price_per_region() -> None:
    rows = [
        make_instance(region="US-GA-1", price=0.69, v_cpus=16.0, memory_gib=62.0),
        make_instance(region="US-TX-3", price=0.74, v_cpus=8.0, memory_gib=90.0),
        make_instance(region="US-KS-2", price=0.69, v_cpus=None, memory_gib=None),
        make_instance(region="EU-RO-1", price=0.99, v_cpus=12.0, memory_gib=41.0),
    ]
    lines = written_rows(transform(rows))
    assert [(line["AvailabilityZone"], line["Price"]) for line in lines] == [
        ("EU-RO-1", "0.99"),
        ("US-GA-1", "0.69"),
        ("US-KS-2", "0.69"),
    ]
    assert {(line["vCPUs"], line["MemoryGiB"]) for line in lines} == {("8.0", "41.0")}


def test_offers_of_another_provider_fail_the_pipeline() -> None:
    config = """\
pipelines:
  - name: sky
    transformer: {format: skypilot}
    outputs: [{type: capture}]
"""
    run = run_pipeline(config, [make_instance(), make_instance(provider="AWS")])
    assert not run.result.success
    assert "offers of AWS (1)" in str(run.result.error)
    assert "field: provider" in str(run.result.error)


def test_the_format_takes_no_options() -> None:
    config = """\
pipelines:
  - name: sky
    transformer: {format: skypilot, fields: {price: Price}}
    outputs: [{type: capture}]
"""
    with pytest.raises(ConfigError):
        run_pipeline(config, [make_instance()])


def test_a_local_output_writes_vms_csv(tmp_path: Path) -> None:
    config = f"""\
pipelines:
  - name: skypilot
    filters: [{{field: provider, operator: eq, value: RunPod}}]
    transformer: {{format: skypilot}}
    outputs:
      - type: local
        path: "{tmp_path}/.sky/catalogs/v8/runpod"
        filename_pattern: vms.csv
        overwrite: true
"""
    rows = generate_instances(seed=1)
    run = run_pipeline(config, rows)
    assert run.result.success, run.result.error
    written = (tmp_path / CATALOGUE).read_bytes()
    assert written == transform(rows)
