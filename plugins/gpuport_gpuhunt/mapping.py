"""gpuhunt ``CatalogItem`` rows to :class:`GPUInstance` records. Pure functions, no I/O.

Rules (docs/collectors.md#gpuhunt has the long form): gpuhunt lists a spot offer as its
own row; it is folded into ``spot_price`` of the on-demand row with the same instance,
location and GPU count (the cheapest, when several). A spot row with no on-demand twin
is an offer of its own with ``price: null``. Rows without a GPU are skipped unless asked
for. gpuhunt does not report stock, so ``availability`` and ``quantity`` are null; a
missing or non-positive number is null, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gpuport_collectors.plugin_api import GPUInstance

from .providers import DISPLAY_NAMES

if TYPE_CHECKING:
    from gpuhunt import CatalogItem

#: (instance_name, location, gpu_count): what makes a spot row the twin of an on-demand row.
Key = tuple[str, str, int]


def map_items(
    items: Iterable[CatalogItem],
    provider: str,
    *,
    collected_at: int,
    include_cpu_only: bool = False,
) -> list[GPUInstance]:
    """Instances for one provider's rows, in the order their offers first appear."""
    on_demand: dict[Key, list[CatalogItem]] = {}
    cheapest_spot: dict[Key, CatalogItem] = {}
    for item in items:
        if not item.gpu_count and not include_cpu_only:
            continue
        key = (item.instance_name, item.location, item.gpu_count)
        rows = on_demand.setdefault(key, [])
        if not item.spot:
            rows.append(item)
        elif (best := cheapest_spot.get(key)) is None or item.price < best.price:
            cheapest_spot[key] = item
    display = DISPLAY_NAMES[provider]
    instances: list[GPUInstance] = []
    for key, rows in on_demand.items():
        spot = cheapest_spot.get(key)
        spot_price = None if spot is None else positive(spot.price)
        if not rows and spot is not None:  # a spot-only offer
            instances.append(_instance(spot, display, None, spot_price, None, collected_at))
        for row in rows:
            price = positive(row.price)
            instances.append(_instance(row, display, price, spot_price, spot, collected_at))
    return instances


def _instance(
    row: CatalogItem,
    provider: str,
    price: float | None,
    spot_price: float | None,
    spot: CatalogItem | None,
    collected_at: int,
) -> GPUInstance:
    raw = raw_data(row)
    if spot is not None:
        raw["spot"] = raw_data(spot)
    return GPUInstance(
        provider=provider,
        instance_type=row.instance_name,
        # gpuhunt keeps only its own, normalised GPU name; a CPU-only offer has none.
        accelerator_name=row.gpu_name or "",
        accelerator_model=row.gpu_name or None,
        region=row.location,
        accelerator_count=row.gpu_count,
        collected_at=collected_at,
        accelerator_mem_gib=positive(row.gpu_memory),
        price=price,
        spot_price=spot_price,
        v_cpus=positive(row.cpu),
        memory_gib=positive(row.memory),
        raw_data=raw,
    )


def raw_data(row: CatalogItem) -> dict[str, Any]:
    """What gpuhunt knows beyond our fields, as plain JSON values."""
    return {
        "price": row.price,
        "flags": list(row.flags),
        "disk_size": row.disk_size,
        "cpu_arch": None if row.cpu_arch is None else str(row.cpu_arch.value),
        "gpu_vendor": None if row.gpu_vendor is None else str(row.gpu_vendor.value),
        "provider_data": row.provider_data,
    }


def positive(value: Any) -> float | None:
    """A number if it is one and above 0; ``None`` for null, 0, negatives, text, booleans."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value > 0 else None
