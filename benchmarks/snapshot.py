"""A million offers: snapshot write/read time and the whole export's time and peak memory.

    python benchmarks/snapshot.py                   # 1,000,000 records, every format
    python benchmarks/snapshot.py --count 100000 --formats .jsonl

For each format (``.json``, ``.jsonl``, either gzipped) the generated instances are written
with ``write_snapshot`` and read back with ``read_snapshot``, against a hand-written
``json.load`` + ``GPUInstance(...)`` loop reading the same file (no validation at all):
the ratio is what checking every record costs (target <= 2).

Then the three-pipeline export of benchmarks/pipeline.py runs over the loaded instances
against that benchmark's hand loop, and the whole export (``gpuport-collectors export
--snapshot FILE.jsonl`` in a child process: read, filter, transform, write) is timed and its
peak memory taken from ``ru_maxrss`` (target < 2048 MiB).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from pipeline import CONFIG, run_by_hand, run_gpuport

from gpuport_collectors.models import Availability, GPUInstance
from gpuport_collectors.snapshots import read_snapshot, write_snapshot
from gpuport_collectors.testing import generate_instances

T = TypeVar("T")
FORMATS = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


def read_by_hand(path: Path) -> list[GPUInstance]:
    """What a user would write: load the JSON, build each instance, trust every value."""
    opener: Callable[..., Any] = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        if ".jsonl" in path.name:
            rows = (json.loads(line) for line in handle)
        else:
            rows = iter(json.load(handle))
        return [
            GPUInstance(
                provider=r["provider"],
                instance_type=r["instance_type"],
                accelerator_name=r["accelerator_name"],
                accelerator_model=r.get("accelerator_model"),
                region=r["region"],
                accelerator_count=r["accelerator_count"],
                accelerator_mem_gib=r["accelerator_mem_gib"],
                quantity=r["quantity"],
                price=r["price"],
                spot_price=r["spot_price"],
                v_cpus=r["v_cpus"],
                memory_gib=r["memory_gib"],
                availability=Availability[r["availability"]] if r["availability"] else None,
                collected_at=r["collected_at"],
                raw_data=r.get("raw_data") or {},
            )
            for r in rows
        ]


def timed(work: Callable[..., T], *args: Any) -> tuple[float, T]:
    gc.collect()
    began = time.perf_counter()
    result = work(*args)
    return time.perf_counter() - began, result


#: Runs the CLI and, at exit, writes the process's own peak RSS (VmHWM, kB) to the file named
#: by GPUPORT_BENCH_PEAK. Not getrusage(RUSAGE_CHILDREN): Linux carries a forked child's
#: high-water mark across exec, so it would report this (large) benchmark process's memory.
PEAK_WRAPPER = """
import atexit, os, re
def _peak():
    status = open("/proc/self/status").read()
    with open(os.environ["GPUPORT_BENCH_PEAK"], "w") as out:
        out.write(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
atexit.register(_peak)
from gpuport_collectors.cli import main
main()
"""


def export_child(config: Path, snapshot: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one CLI export in a fresh process (Linux: reads VmHWM)."""
    peak_file = config.with_name("peak.kb")
    environ = {**os.environ, "GPUPORT_BENCH_PEAK": str(peak_file)}
    command = [sys.executable, "-c", PEAK_WRAPPER, "export", "-q", "-c", str(config)]
    began = time.perf_counter()
    subprocess.run([*command, "--snapshot", str(snapshot)], check=True, env=environ)
    seconds = time.perf_counter() - began
    return seconds, int(peak_file.read_text()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    args = parser.parse_args()

    instances = generate_instances(args.count, seed=1)
    print(f"records:                 {args.count:,}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        loaded: list[GPUInstance] = []
        for suffix in args.formats:
            path = root / f"snapshot{suffix}"
            written, _ = timed(write_snapshot, instances, path)
            hand, expected = timed(read_by_hand, path)
            del expected
            ours, snapshot = timed(read_snapshot, path)
            assert not snapshot.problems and len(snapshot.instances) == args.count
            loaded = snapshot.instances
            del snapshot
            size = path.stat().st_size / 2**20
            print(
                f"{suffix:<9} {size:6.0f} MiB  write {written:6.2f} s  read {ours:6.2f} s  "
                f"hand loop {hand:6.2f} s  ratio {ours / hand:.2f} (target <= 2)"
            )
        del instances
        out_hand, out_ours = root / "hand", root / "ours"
        out_hand.mkdir()
        out_ours.mkdir()
        hand, _ = timed(run_by_hand, loaded, out_hand)
        ours, _ = timed(run_gpuport, loaded, out_ours)
        print(
            f"three pipelines:         gpuport {ours:.2f} s  hand loop {hand:.2f} s  "
            f"ratio {ours / hand:.2f}"
        )
        del loaded
        jsonl = root / "snapshot.jsonl"
        if not jsonl.exists():
            write_snapshot(generate_instances(args.count, seed=1), jsonl)
        config = root / "export.yaml"
        config.write_text(CONFIG.format(out=root / "cli"))
        seconds, peak = export_child(config, jsonl)
        print(
            f"CLI export from .jsonl:  {seconds:.2f} s  peak memory {peak:,.0f} MiB (target < 2048)"
        )


if __name__ == "__main__":
    main()
