"""Regenerate examples/runpod-snapshot.json, the offline snapshot the README exports.

The data is made up by gpuport's seeded generator (27 GPU types over 28 RunPod-style
datacenters, every availability level, multi-GPU offers, spot prices only on some), so it
looks like a RunPod collection without touching the API. Run from the repository root:

    python examples/generate_snapshot.py
"""

from __future__ import annotations

from pathlib import Path

from gpuport_collectors.snapshots import write_snapshot
from gpuport_collectors.testing import generate_instances

SNAPSHOT = Path(__file__).with_name("runpod-snapshot.json")
COLLECTED_AT = 1_763_900_000  # 2025-11-23T12:13:20Z, fixed so the file is reproducible


def main() -> None:
    instances = generate_instances(seed=2026, collected_at=COLLECTED_AT)
    count = write_snapshot(instances, SNAPSHOT)
    print(f"wrote {count} instances to {SNAPSHOT}")


if __name__ == "__main__":
    main()
