"""Benchmark: the RunPod collector against the local simulator, and the gpuhunt collector
against gpuhunt's own ``query()`` of the same generated catalogue.

    python benchmarks/collect.py [--gpu-types 41] [--datacenters 39] [--latency 0.05]
                                 [--concurrency 3] [--runs 3] [--in-thread]
                                 [--gpuhunt-rows 100000] [--skip-runpod] [--skip-gpuhunt]

The simulator answers every request ``latency`` seconds after it arrives (its own work
included, like a remote server) and runs in a child process so it does not compete with
the client for the GIL (``--in-thread`` keeps it in this process). The critical path is one
discovery round plus ceil(gpu_types / concurrency) pricing rounds, each one ``latency``
long; the script prints the collector's wall time against that bound, and the TCP
connections it opened. For comparison it runs the earlier collector's style in the same
process: discovery queries one after the other and a new HTTP client (so a new connection)
per query, same concurrency cap.

gpuhunt: ``examples/generate_catalogue.py`` writes a catalogue of ``--gpuhunt-rows`` rows
(on-demand and spot, AWS-like) as ``aws.csv``; the script times gpuhunt's
``Catalog.query(provider="aws")`` reading it through ``GPUHUNT_CATALOG_DIR`` (gpuhunt's
parse and filter, the baseline) against our collector's ``fetch_instances()`` reading it
through ``catalog_dir`` (the same parse, then spot folding and records), medians of
``--runs``, and each one's peak traced memory (tracemalloc, in separate runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gpuport_collectors.collectors.runpod import RunPodCollector
from gpuport_collectors.config import CollectorConfig
from gpuport_collectors.secrets import Secret
from gpuport_runpod.queries import (
    DATACENTERS_QUERY,
    GPU_TYPES_QUERY,
    datacenter_aliases,
    pricing_query,
    pricing_variables,
)
from tests.runpod.simulator import (
    Catalogue,
    RunPodSimulator,
    SimulatorProcess,
    Stats,
)

KEY = "benchmark-key"


async def collect_gpuport(url: str, concurrency: int) -> int:
    config = CollectorConfig(api_key=Secret.literal(KEY), max_concurrency=concurrency)
    collector = RunPodCollector(config=config, environ={"RUNPOD_API_URL": url})
    return len(await collector.fetch_instances())


async def collect_earlier_style(url: str, concurrency: int) -> int:
    """Sequential discovery, a fresh ``httpx.AsyncClient`` per query, a semaphore."""
    import httpx

    semaphore = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {KEY}"}

    async def execute(query: str, variables: dict[str, Any] | None = None) -> Any:
        async with semaphore, httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                url, json={"query": query, "variables": variables or {}}, headers=headers
            )
            response.raise_for_status()
            return response.json()["data"]

    gpus = (await execute(GPU_TYPES_QUERY))["gpuTypes"]
    centers = (await execute(DATACENTERS_QUERY))["dataCenters"]
    aliases = datacenter_aliases(center["id"] for center in centers)
    query = pricing_query(aliases)
    answers = await asyncio.gather(*(execute(query, pricing_variables(gpu["id"])) for gpu in gpus))
    return sum(
        1
        for answer in answers
        for entry in answer["gpuTypes"]
        for alias in aliases
        if (entry.get(alias) or {}).get("stockStatus")
    )


def measure(
    name: str,
    collect: Callable[[str, int], Coroutine[Any, Any, int]],
    url: str,
    stats: Callable[[], Stats],
    args: argparse.Namespace,
    bound: float,
) -> dict[str, Any]:
    started = time.perf_counter()
    asyncio.run(collect(url, args.concurrency))  # warm-up: imports, TLS context, caches
    cold = time.perf_counter() - started
    walls, connections, in_flight = [], [], 0
    for _ in range(args.runs):
        before = stats()
        started = time.perf_counter()
        count = asyncio.run(collect(url, args.concurrency))
        walls.append(time.perf_counter() - started)
        after = stats()
        connections.append(after.connections - before.connections)
        in_flight = max(in_flight, after.max_in_flight)
    wall = statistics.median(walls)
    row = {
        "style": name,
        "wall_s": round(wall, 3),
        "bound_s": round(bound, 3),
        "ratio": round(wall / bound, 3),
        "connections": max(connections),
        "max_in_flight": in_flight,
        "results": count,
        "runs": [round(w, 3) for w in walls],
        "cold_s": round(cold, 3),
    }
    print(
        f"{name:<14} wall {wall:6.3f} s   bound {bound:5.3f} s   ratio {wall / bound:5.3f}   "
        f"TCP connections {max(connections):3d}   max in flight {in_flight}   "
        f"results {count}   runs {row['runs']}   cold first run {cold:.3f} s"
    )
    return row


def gpuhunt_rows(rows: int, runs: int) -> bool:
    """Print our gpuhunt collection against gpuhunt's query() of one catalogue; True if met."""
    import os
    import tempfile
    import tracemalloc

    from gpuhunt import Catalog
    from gpuhunt._internal import storage

    from examples.generate_catalogue import generate_items
    from gpuport_gpuhunt.collector import GpuhuntCollector
    from gpuport_gpuhunt.config import GpuhuntConfig

    with tempfile.TemporaryDirectory() as directory:
        storage.dump(generate_items("aws", count=rows, seed=7), os.path.join(directory, "aws.csv"))

        def theirs() -> int:
            os.environ["GPUHUNT_CATALOG_DIR"] = directory
            try:
                catalog = Catalog(balance_resources=False, auto_reload=False)
                return len(catalog.query(provider="aws"))
            finally:
                del os.environ["GPUHUNT_CATALOG_DIR"]

        def ours() -> int:
            config = GpuhuntConfig(providers=["aws"], catalog_dir=directory)
            return len(asyncio.run(GpuhuntCollector(config, environ={}).fetch_instances()))

        results: dict[str, tuple[float, float, int]] = {}
        for name, run in (("gpuhunt query()", theirs), ("gpuport gpuhunt", ours)):
            run()  # warm-up: imports, page cache
            walls = []
            for _ in range(runs):
                started = time.perf_counter()
                count = run()
                walls.append(time.perf_counter() - started)
            tracemalloc.start()
            run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            results[name] = (statistics.median(walls), peak, count)
            print(
                f"{name:<16} wall {results[name][0]:6.3f} s   peak {peak:7.1f} MiB   "
                f"results {count}   runs {[round(w, 3) for w in walls]}"
            )
    ratio = results["gpuport gpuhunt"][0] / results["gpuhunt query()"][0]
    memory = results["gpuport gpuhunt"][1] / results["gpuhunt query()"][1]
    print(
        f"gpuhunt, {rows} rows: time ratio {ratio:.2f}x, peak memory ratio {memory:.2f}x "
        f"(gpuhunt returns one item per row, spot included; we fold spot into offers)"
    )
    ok = ratio <= 1.5
    print(f"target (time ratio <= 1.5): {'met' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpu-types", type=int, default=41)
    parser.add_argument("--datacenters", type=int, default=39)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-thread", action="store_true", help="simulator in this process")
    parser.add_argument("--skip-earlier", action="store_true")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    parser.add_argument("--gpuhunt-rows", type=int, default=100_000)
    parser.add_argument("--skip-runpod", action="store_true")
    parser.add_argument("--skip-gpuhunt", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_runpod:
        runpod(args)
    if not args.skip_gpuhunt:
        gpuhunt_rows(args.gpuhunt_rows, args.runs)
    return 0


def runpod(args: argparse.Namespace) -> None:

    rounds = 1 + math.ceil(args.gpu_types / args.concurrency)
    bound = rounds * args.latency
    print(
        f"{args.gpu_types} GPU types x {args.datacenters} datacenters, latency "
        f"{args.latency * 1000:g} ms, concurrency {args.concurrency}, "
        f"{2 + args.gpu_types} queries; critical path {rounds} rounds = {bound:.3f} s; "
        f"median of {args.runs} runs after a warm-up; simulator "
        f"{'in this process' if args.in_thread else 'in a child process'}"
    )
    options = {"api_key": KEY, "latency": args.latency}
    styles: list[tuple[str, Callable[[str, int], Coroutine[Any, Any, int]]]] = [
        ("gpuport", collect_gpuport)
    ]
    if not args.skip_earlier:
        styles.append(("earlier style", collect_earlier_style))
    rows = []
    if args.in_thread:
        catalogue = Catalogue.generate(args.seed, args.gpu_types, args.datacenters)
        with RunPodSimulator(catalogue, **options) as simulator:
            for name, collect in styles:
                rows.append(
                    measure(name, collect, simulator.url, lambda: _copy(simulator), args, bound)
                )
    else:
        with SimulatorProcess(
            seed=args.seed, gpu_types=args.gpu_types, datacenters=args.datacenters, **options
        ) as process:
            for name, collect in styles:
                rows.append(measure(name, collect, process.url, process.stats, args, bound))
    if len(rows) == 2:
        print(f"speed-up over the earlier style: {rows[1]['wall_s'] / rows[0]['wall_s']:.2f}x")
    if args.json:
        print(json.dumps(rows))
    ok = rows[0]["ratio"] <= 1.15 and rows[0]["connections"] <= args.concurrency
    print(f"target (ratio <= 1.15, connections <= {args.concurrency}): {'met' if ok else 'MISSED'}")


def _copy(simulator: RunPodSimulator) -> Stats:
    import copy

    return copy.deepcopy(simulator.stats)


if __name__ == "__main__":
    raise SystemExit(main())
