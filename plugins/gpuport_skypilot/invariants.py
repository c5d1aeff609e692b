"""What SkyPilot's catalogue code assumes of its file, made true without inventing figures.

SkyPilot asserts (``sky/catalog/common.py``) that an InstanceType has one vCPUs and one
MemoryGiB figure everywhere, one row per zone, and, since it prices on-demand launches
per region, one on-demand Price across the zones of a region. RunPod reports minimum
vCPUs and memory per datacenter and may price datacenters differently, so:

* vCPUs and MemoryGiB become the smallest figure any offer of the InstanceType reports (a
  floor every zone meets); an InstanceType with no figure at all is left out;
* a second row for one InstanceType in one zone is left out;
* where a region's zones disagree on the on-demand price, only the cheapest zones stay
  (what SkyPilot's optimizer would pick), the others are left out.

Every figure written is one RunPod reported; everything left out is counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import attrs

from .catalog import Row


def _smallest(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def enforce(rows: Iterable[Row]) -> tuple[list[Row], Counter[str]]:
    """Rows SkyPilot can read, sorted as SkyPilot sorts its own file; and what was left out."""
    skipped: Counter[str] = Counter()
    by_zone: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (row.instance_type, row.zone)
        if key in by_zone:
            skipped["repeats an InstanceType in its zone"] += 1
        else:
            by_zone[key] = row
    by_type: dict[str, list[Row]] = defaultdict(list)
    for row in by_zone.values():
        by_type[row.instance_type].append(row)
    kept: list[Row] = []
    for group in by_type.values():
        vcpus = _smallest(row.vcpus for row in group)
        memory = _smallest(row.memory_gib for row in group)
        if vcpus is None or memory is None:
            skipped["no vCPU or memory figure"] += len(group)
            continue
        shaped = [attrs.evolve(row, vcpus=vcpus, memory_gib=memory) for row in group]
        kept.extend(_one_price_per_region(shaped, skipped))
    kept.sort(key=lambda row: (row.accelerator_name, row.instance_type, row.zone))
    return kept, skipped


def _one_price_per_region(rows: list[Row], skipped: Counter[str]) -> list[Row]:
    by_region: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_region[row.region].append(row)
    kept: list[Row] = []
    for group in by_region.values():
        cheapest = _smallest(row.price for row in group)
        if cheapest is None:  # spot only in this region: SkyPilot never prices it on-demand
            kept.extend(group)
            continue
        stay = [row for row in group if row.price == cheapest]
        if len(stay) < len(group):
            skipped["dearer than another zone of its region"] += len(group) - len(stay)
        kept.extend(stay)
    return kept
