"""The gpuhunt format, read back by gpuhunt's own Catalog.query (directory and URL layouts)."""

from __future__ import annotations

import logging
from pathlib import Path

import attrs
import pytest

from gpuport_collectors.testing import DEFAULT_NOW, generate_instances, make_instance, run_pipeline

from .catalogues import CatalogueServer

ONE_PIPELINE = """\
pipelines:
  - name: hunt
    filters: [{{field: provider, operator: eq, value: RunPod}}]
    transformer: {{format: gpuhunt, packaging: {packaging}}}
    outputs:
      - {{type: local, path: "{path}", filename_pattern: "{name}", overwrite: true}}
"""


def offers() -> list:
    rows = generate_instances(seed=9)
    rows[0] = attrs.evolve(rows[0], spot_price=None)
    rows[1] = attrs.evolve(rows[1], price=None)  # spot only
    return [row for row in rows if row.accelerator_model is not None]


def expected(rows: list) -> list[tuple]:
    found = []
    for row in rows:
        for price, spot in ((row.price, False), (row.spot_price, True)):
            if price is not None:
                found.append(
                    (
                        row.raw_data["gpu_type_id"],
                        row.region,
                        price,
                        spot,
                        row.accelerator_count,
                        row.accelerator_model,
                        row.accelerator_mem_gib,
                        round(row.v_cpus),
                        row.memory_gib,
                    )
                )
    return sorted(found)


def summary(items: list) -> list[tuple]:
    return sorted(
        (
            i.instance_name,
            i.location,
            i.price,
            i.spot,
            i.gpu_count,
            i.gpu_name,
            i.gpu_memory,
            i.cpu,
            i.memory,
        )
        for i in items
    )


def gpuhunt_catalog():
    from gpuhunt import Catalog

    return Catalog(balance_resources=False, auto_reload=False)


def test_gpuhunt_reads_the_csv_from_its_catalog_dir(tmp_path: Path, monkeypatch) -> None:
    rows = offers()
    config = ONE_PIPELINE.format(packaging="csv", path=tmp_path, name="runpod.csv")
    run = run_pipeline(config, rows)
    assert run.result.success, run.result.error
    header = (tmp_path / "runpod.csv").read_text().splitlines()[0]
    assert header == (
        "instance_name,location,price,cpu,memory,gpu_count,gpu_name,gpu_memory,spot,"
        "disk_size,gpu_vendor,flags,cpu_arch,provider_data"
    )
    monkeypatch.setenv("GPUHUNT_CATALOG_DIR", str(tmp_path))

    items = gpuhunt_catalog().query(provider="runpod")

    assert summary(items) == expected(rows)
    assert {str(item.gpu_vendor.value) for item in items} <= {"nvidia", "amd"}
    h100 = gpuhunt_catalog().query(provider="runpod", gpu_name="H100", spot=False)
    assert {i.gpu_name for i in h100} == {"H100"} and h100


def test_gpuhunt_reads_the_zip_layout_from_its_catalog_url(
    catalogue_server: CatalogueServer, monkeypatch
) -> None:
    rows = offers()
    root = catalogue_server.root
    config = ONE_PIPELINE.format(
        packaging="zip", path=root, name="runpod/{timestamp}/catalog.zip"
    ) + ONE_PIPELINE.format(packaging="version", path=root, name="runpod/version").split(
        "pipelines:\n"
    )[1].replace("name: hunt", "name: hunt-version")
    run = run_pipeline(config, rows, now=DEFAULT_NOW)
    assert all(result.success for result in run.results), [r.error for r in run.results]
    assert (root / "runpod" / "version").read_text() == "20251123-123045\n"
    monkeypatch.setenv("GPUHUNT_CATALOG_URL", catalogue_server.url)

    catalog = gpuhunt_catalog()
    catalog.load()
    items = catalog.query(provider="runpod")

    assert summary(items) == expected(rows)
    assert "/runpod/20251123-123045/catalog.zip" in catalogue_server.requests


def test_offers_of_another_provider_are_an_error_naming_them() -> None:
    config = """\
pipelines:
  - name: hunt
    transformer: {format: gpuhunt}
    outputs: [{type: capture}]
"""
    run = run_pipeline(config, [make_instance(), make_instance(provider="AWS")])
    assert not run.result.success
    assert "AWS (1), RunPod (1)" in str(run.result.error)
    assert "filter on provider" in str(run.result.error)


def test_offers_gpuhunt_could_not_read_are_counted(caplog: pytest.LogCaptureFixture) -> None:
    config = """\
pipelines:
  - name: hunt
    transformer: {format: gpuhunt}
    outputs: [{type: capture}]
"""
    rows = [
        make_instance(accelerator_model="RTX4090"),
        make_instance(accelerator_model="RTX4090", region="US-GA-1", v_cpus=None),
        make_instance(accelerator_model=None, region="US-TX-3"),
    ]
    with caplog.at_level(logging.WARNING):
        run = run_pipeline(config, rows)
    assert run.result.success
    assert (
        "pipeline hunt: gpuhunt catalogue has 2 rows; skipped 2 offers "
        "(1 no vCPU or memory figure; 1 no accelerator_model)"
    ) in caplog.text
