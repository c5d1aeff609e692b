"""The collector reading generated catalogues through real gpuhunt code: from a directory,
from a loopback catalogue host, one provider failing alone, and off the event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from gpuhunt import Catalog

from gpuport_collectors.errors import CollectorError
from gpuport_collectors.models import GPUInstance
from gpuport_gpuhunt.collector import GpuhuntCollector
from gpuport_gpuhunt.config import GpuhuntConfig

from .catalogues import VERSION, CatalogueServer, item, publish, write_dir

AT = 1_764_590_400

AWS = [
    item(),
    item(spot=True, price=39.33),
    item(instance_name="g6e.xlarge", gpu_count=1, gpu_name="L40S", gpu_memory=48.0, price=1.86),
    item(instance_name="m7i.large", gpu_count=0, gpu_name=None, gpu_memory=None, price=0.1),
]
LAMBDA = [
    item(
        provider="lambdalabs",
        instance_name="gpu_1x_h100_pcie",
        location="us-west-1",
        price=2.49,
        cpu=26,
        memory=200.0,
        gpu_count=1,
        gpu_memory=80.0,
        disk_size=1024.0,
    )
]


def collect(**options: Any) -> tuple[list[GPUInstance], list[str]]:
    collector = GpuhuntCollector(GpuhuntConfig(**options), environ={}, now=lambda: AT)
    instances = asyncio.run(collector.fetch_instances())
    return instances, collector.problems


def summary(instances: list[GPUInstance]) -> list[tuple[Any, ...]]:
    return [(i.provider, i.instance_type, i.region, i.price, i.spot_price) for i in instances]


EXPECTED = [
    ("AWS", "p5.48xlarge", "us-east-1", 98.32, 39.33),
    ("AWS", "g6e.xlarge", "us-east-1", 1.86, None),
    ("Lambda", "gpu_1x_h100_pcie", "us-west-1", 2.49, None),
]


def test_reads_a_catalogue_directory(tmp_path: Path) -> None:
    write_dir(tmp_path, "aws", AWS)
    write_dir(tmp_path, "lambdalabs", LAMBDA)
    instances, problems = collect(providers=["aws", "lambdalabs"], catalog_dir=str(tmp_path))
    assert problems == []
    assert summary(instances) == EXPECTED
    assert {i.availability for i in instances} == {None}
    assert {i.collected_at for i in instances} == {AT}


def test_reads_the_published_catalogue_over_http(catalogue_server: CatalogueServer) -> None:
    publish(catalogue_server.root, "aws", AWS)
    publish(catalogue_server.root, "lambdalabs", LAMBDA)
    instances, problems = collect(providers=["aws", "lambdalabs"], catalog_url=catalogue_server.url)
    assert problems == []
    assert summary(instances) == EXPECTED
    assert sorted(catalogue_server.requests) == sorted(
        [
            "/aws/version",
            f"/aws/{VERSION}/catalog.zip",
            "/lambdalabs/version",
            f"/lambdalabs/{VERSION}/catalog.zip",
        ]
    )


def test_environment_variables_locate_the_catalogue(
    tmp_path: Path, catalogue_server: CatalogueServer
) -> None:
    write_dir(tmp_path, "aws", AWS[:1])
    publish(catalogue_server.root, "aws", AWS[2:3])
    config = GpuhuntConfig(providers=["aws"])
    by_dir = GpuhuntCollector(config, environ={"GPUHUNT_CATALOG_DIR": str(tmp_path)})
    by_url = GpuhuntCollector(config, environ={"GPUHUNT_CATALOG_URL": catalogue_server.url})
    assert [i.instance_type for i in asyncio.run(by_dir.fetch_instances())] == ["p5.48xlarge"]
    assert [i.instance_type for i in asyncio.run(by_url.fetch_instances())] == ["g6e.xlarge"]


def test_agrees_with_gpuhunts_own_query(
    catalogue_server: CatalogueServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(catalogue_server.root, "aws", AWS)
    monkeypatch.setenv("GPUHUNT_CATALOG_URL", catalogue_server.url)
    catalog = Catalog(balance_resources=False, auto_reload=False)
    catalog.load()  # gpuhunt downloads every offline provider; only aws is published
    theirs = [row for row in catalog.query(provider="aws") if row.gpu_count]
    instances, problems = collect(providers=["aws"], catalog_url=catalogue_server.url)
    assert problems == []
    on_demand = {(r.instance_name, r.location, r.gpu_count): r for r in theirs if not r.spot}
    spot = {(r.instance_name, r.location, r.gpu_count): r for r in theirs if r.spot}
    assert len(instances) == len(on_demand)
    for instance in instances:
        key = (instance.instance_type, instance.region, instance.accelerator_count)
        row = on_demand[key]
        assert instance.price == row.price
        assert instance.spot_price == (spot[key].price if key in spot else None)
        assert (instance.v_cpus, instance.memory_gib) == (row.cpu, row.memory)
        assert instance.accelerator_model == row.gpu_name


def test_cpu_only_offers_when_asked(tmp_path: Path) -> None:
    write_dir(tmp_path, "aws", AWS)
    instances, _ = collect(providers=["aws"], catalog_dir=str(tmp_path), include_cpu_only=True)
    assert [i.instance_type for i in instances] == ["p5.48xlarge", "g6e.xlarge", "m7i.large"]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("missing", "azure: cannot download {url}/azure/version: HTTP 404"),
        ("zip-500", "azure: cannot download {url}/azure/{version}/catalog.zip: HTTP 500"),
        ("not-zip", "azure: {url}/azure/{version}/catalog.zip is not a zip archive"),
        ("bad-csv", "azure: {url}/azure/{version}/catalog.zip: no row could be read"),
    ],
)
def test_one_provider_failing_is_a_problem_naming_it(
    catalogue_server: CatalogueServer, breakage: str, message: str
) -> None:
    publish(catalogue_server.root, "aws", AWS)
    publish(catalogue_server.root, "lambdalabs", LAMBDA)
    zip_path = publish(catalogue_server.root, "azure", [item(provider="azure")])
    if breakage == "missing":
        catalogue_server.fail["/azure/version"] = 404
    elif breakage == "zip-500":
        catalogue_server.fail[f"/azure/{VERSION}/catalog.zip"] = 500
    elif breakage == "not-zip":
        zip_path.write_text("<html>AccessDenied</html>")
    else:
        zip_path.write_bytes(_zip_of("azure.csv", "instance_name,price\nx,not-a-number\n"))
    instances, problems = collect(
        providers=["aws", "azure", "lambdalabs"], catalog_url=catalogue_server.url
    )
    assert summary(instances) == EXPECTED
    [problem] = problems
    assert problem.startswith(message.format(url=catalogue_server.url, version=VERSION))


def test_malformed_rows_are_counted_and_the_rest_kept(tmp_path: Path) -> None:
    path = write_dir(tmp_path, "aws", AWS[:3])
    lines = path.read_text().splitlines(keepends=True)
    broken = lines[2].replace("39.33", "")  # the spot row loses its price
    path.write_text("".join([lines[0], lines[1], broken, lines[3]]))
    instances, problems = collect(providers=["aws"], catalog_dir=str(tmp_path))
    assert summary(instances) == [
        ("AWS", "p5.48xlarge", "us-east-1", 98.32, None),
        ("AWS", "g6e.xlarge", "us-east-1", 1.86, None),
    ]
    assert problems == [
        "aws: skipped 1 malformed catalogue rows (first: line 3: Required field 'price' is empty)"
    ]


def test_a_missing_catalogue_file_is_a_problem(tmp_path: Path) -> None:
    write_dir(tmp_path, "aws", AWS)
    _, problems = collect(providers=["aws", "gcp"], catalog_dir=str(tmp_path))
    assert problems == [f"gcp: no catalogue file {tmp_path / 'gcp.csv'}"]


def test_every_provider_failing_raises(tmp_path: Path) -> None:
    with pytest.raises(CollectorError, match=r"no gpuhunt provider could be collected: aws: no"):
        collect(providers=["aws"], catalog_dir=str(tmp_path))


def test_progress_counts_providers(tmp_path: Path) -> None:
    for provider in ("aws", "gcp", "oci"):
        write_dir(tmp_path, provider, [item(provider=provider)])
    seen: list[tuple[int, int]] = []
    collector = GpuhuntCollector(
        GpuhuntConfig(providers=["aws", "gcp", "oci"], catalog_dir=str(tmp_path)), environ={}
    )
    asyncio.run(collector.fetch_instances(progress=lambda done, total: seen.append((done, total))))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_downloads_run_off_the_event_loop(catalogue_server: CatalogueServer) -> None:
    """A stalled download leaves the loop free: another coroutine runs and releases it."""
    publish(catalogue_server.root, "aws", AWS)
    release = threading.Event()
    catalogue_server.stall["/aws/version"] = release
    collector = GpuhuntCollector(
        GpuhuntConfig(providers=["aws"], catalog_url=catalogue_server.url), environ={}
    )

    async def other_collector() -> str:
        await asyncio.sleep(0.05)  # the download has started and is stalled
        release.set()
        return "ran while gpuhunt was waiting"

    async def both() -> tuple[list[GPUInstance], str]:
        return await asyncio.gather(collector.fetch_instances(), other_collector())

    instances, other = asyncio.run(both())
    assert other == "ran while gpuhunt was waiting"
    # Had the loop been blocked, the stalled request would have answered 503: a problem.
    assert collector.problems == []
    assert len(instances) == 2


def _zip_of(name: str, text: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()
