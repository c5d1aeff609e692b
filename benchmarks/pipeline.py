"""Pipeline throughput and memory against a hand-written loop doing the same work.

    python benchmarks/pipeline.py            # 100,000 instances, plus a 1,000,000 memory run
    python benchmarks/pipeline.py --count 20000 --no-memory

Three pipelines, three filters each (json, csv, metrics, each to a local file), run by
gpuport and by a plain Python loop with the json and csv modules. Both runs must write the
same bytes (checked), so the ratio compares equal work. Peak memory of a 1,000,000-instance
run is measured in a child process (ru_maxrss), so the parent's data does not count.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.models import INSTANCE_FIELDS, Availability, GPUInstance
from gpuport_collectors.pipeline import execute_pipelines
from gpuport_collectors.testing import generate_instances

CONFIG = """\
pipelines:
  - name: available
    filters:
      - {{field: availability, operator: ne, value: NOT_AVAILABLE}}
      - {{field: price, operator: lt, value: 10.0}}
      - {{field: accelerator_count, operator: gte, value: 1}}
    transformer: {{format: json}}
    outputs: [{{type: local, path: "{out}", filename_pattern: available.json, overwrite: true}}]
  - name: spot-report
    filters:
      - {{field: region, operator: regex, value: "^(US|EU)-"}}
      - {{field: spot_price, operator: is_not_null}}
      - {{field: price, operator: between, min: 0.2, max: 50}}
    transformer:
      format: csv
      fields: {{accelerator_name: GPU, accelerator_count: GPUs, region: Region, price: Price,
               spot_price: Spot, availability: Availability}}
    outputs: [{{type: local, path: "{out}", filename_pattern: spot.csv, overwrite: true}}]
  - name: summary
    filters:
      - {{field: availability, operator: in, values: [HIGH, MEDIUM]}}
      - {{field: accelerator_mem_gib, operator: gte, value: 24}}
      - {{field: price, operator: lte, value: 100}}
    transformer:
      format: metrics
      metrics:
        - {{name: offers, type: count}}
        - {{name: avg_price, type: avg, field: price}}
        - {{name: by_region, type: count, group_by: region}}
        - {{name: models, type: unique, field: accelerator_name}}
    outputs: [{{type: local, path: "{out}", filename_pattern: summary.json, overwrite: true}}]
"""

CSV_FIELDS = (
    "accelerator_name",
    "accelerator_count",
    "region",
    "price",
    "spot_price",
    "availability",
)
CSV_HEADERS = ("GPU", "GPUs", "Region", "Price", "Spot", "Availability")


def run_gpuport(instances: Sequence[GPUInstance], out: Path) -> None:
    config = parse_export_config(CONFIG.format(out=out), source="bench.yaml", environ={})
    results = execute_pipelines(instances, config)
    assert all(result.success for result in results), [r.error for r in results]


def run_by_hand(instances: Sequence[GPUInstance], out: Path) -> None:
    """What a user would write without gpuport: the same filters, the same bytes."""
    rows = [
        i
        for i in instances
        if i.availability is not Availability.NOT_AVAILABLE
        and i.price is not None
        and i.price < 10.0
        and i.accelerator_count >= 1
    ]
    records = []
    for i in rows:
        record = {name: getattr(i, name) for name in INSTANCE_FIELDS}
        record["availability"] = i.availability.name
        records.append(record)
    (out / "available.json").write_text(json.dumps(records))

    pattern = re.compile("^(US|EU)-")
    rows = [
        i
        for i in instances
        if pattern.search(i.region)
        and i.spot_price is not None
        and i.price is not None
        and 0.2 <= i.price <= 50
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for i in rows:
        writer.writerow(
            [
                i.accelerator_name,
                i.accelerator_count,
                i.region,
                i.price,
                i.spot_price,
                i.availability.name,
            ]
        )
    (out / "spot.csv").write_text(buffer.getvalue(), newline="")

    wanted = {Availability.HIGH, Availability.MEDIUM}
    rows = [
        i
        for i in instances
        if i.availability in wanted
        and i.accelerator_mem_gib is not None
        and i.accelerator_mem_gib >= 24
        and i.price is not None
        and i.price <= 100
    ]
    prices = [i.price for i in rows if i.price is not None]
    by_region: dict[str, int] = {}
    for i in rows:
        by_region[i.region] = by_region.get(i.region, 0) + 1
    document = {
        "metrics": {
            "offers": len(rows),
            "avg_price": statistics.fmean(prices) if prices else None,
            "by_region": by_region,
            "models": len({i.accelerator_name for i in rows}),
        }
    }
    (out / "summary.json").write_text(json.dumps(document))


def best_of(runs: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def same_output(ours: Path, theirs: Path) -> list[str]:
    differ = []
    for name in ("available.json", "spot.csv"):
        if (ours / name).read_bytes() != (theirs / name).read_bytes():
            differ.append(name)
    if (
        json.loads((ours / "summary.json").read_text())["metrics"]
        != json.loads((theirs / "summary.json").read_text())["metrics"]
    ):
        differ.append("summary.json")
    return differ


def memory_child(count: int) -> None:
    instances = generate_instances(count, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        run_gpuport(instances, Path(folder))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(peak_kib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-count", type=int, default=1_000_000)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    instances = generate_instances(args.count, seed=1)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        ours, theirs = Path(a), Path(b)
        hand = best_of(args.runs, lambda: run_by_hand(instances, theirs))
        gpuport = best_of(args.runs, lambda: run_gpuport(instances, ours))
        differ = same_output(ours, theirs)
    print(f"instances:          {args.count:,}")
    print(f"hand-written loop:  {hand:.3f} s (best of {args.runs})")
    print(f"gpuport pipelines:  {gpuport:.3f} s (best of {args.runs})")
    print(f"ratio:              {gpuport / hand:.2f} (target <= 1.5)")
    print(f"same bytes out:     {'yes' if not differ else 'NO: ' + ', '.join(differ)}")
    if not args.no_memory:
        child = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(args.memory_count)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak_mib = int(child.stdout.strip()) / 1024
        print(f"peak memory, {args.memory_count:,} instances: {peak_mib:,.0f} MiB (target < 2048)")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
