"""Offers as rows of gpuhunt's catalogue CSV (v2 columns, as ``gpuhunt._internal.storage``
writes them). Pure functions; gpuhunt itself is not imported."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from gpuport_collectors.plugin_api import GPUInstance, runpod_gpu_type_id

from .providers import DISPLAY_NAMES

#: gpuhunt's v2 catalogue columns, in order (``CATALOG_V2_FIELDS``).
COLUMNS = (
    "instance_name",
    "location",
    "price",
    "cpu",
    "memory",
    "gpu_count",
    "gpu_name",
    "gpu_memory",
    "spot",
    "disk_size",
    "gpu_vendor",
    "flags",
    "cpu_arch",
    "provider_data",
)

#: Our ``provider`` display names -> gpuhunt's provider names.
GPUHUNT_NAMES = {display: name for name, display in DISPLAY_NAMES.items()}

Row = tuple[str, ...]


def gpuhunt_provider(instances: Sequence[GPUInstance]) -> str | None:
    """The one gpuhunt provider of ``instances``; ``ValueError`` naming the others."""
    found = Counter(instance.provider for instance in instances)
    if not found:
        return None
    known = [name for name in found if name in GPUHUNT_NAMES]
    if len(found) > 1 or not known:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(found.items()))
        raise ValueError(
            f"a gpuhunt catalogue holds one provider, but the pipeline has offers of {listed}; "
            "filter on provider, e.g. {field: provider, operator: eq, value: RunPod}"
            + ("" if known else f" (gpuhunt knows {', '.join(sorted(GPUHUNT_NAMES))})")
        )
    return GPUHUNT_NAMES[known[0]]


def instance_name(instance: GPUInstance) -> str:
    """gpuhunt's instance_name: for RunPod the GPU type id, elsewhere the instance type."""
    if instance.provider != "RunPod":
        return instance.instance_type
    return runpod_gpu_type_id(instance)


def _number(value: float) -> str:
    return str(float(value))


def rows(instance: GPUInstance) -> Iterator[Row] | str:
    """The on-demand row and the spot row of an offer, or why it has none."""
    if instance.accelerator_model is None:
        return "no accelerator_model"
    if instance.v_cpus is None or instance.memory_gib is None:
        return "no vCPU or memory figure"
    raw: Any = instance.raw_data
    vendor = raw.get("gpu_vendor") or (
        "amd" if instance.accelerator_model.startswith("MI") else "nvidia"
    )
    disk = raw.get("disk_size")
    common = {
        "instance_name": instance_name(instance),
        "location": instance.region,
        "cpu": str(round(instance.v_cpus)),
        "memory": _number(instance.memory_gib),
        "gpu_count": str(instance.accelerator_count),
        "gpu_name": instance.accelerator_model,
        "gpu_memory": ""
        if instance.accelerator_mem_gib is None
        else _number(instance.accelerator_mem_gib),
        "disk_size": "" if disk is None else _number(disk),
        "gpu_vendor": str(vendor),
        "flags": " ".join(raw.get("flags") or ()),
        "cpu_arch": str(raw.get("cpu_arch") or "x86"),
        "provider_data": json.dumps(raw.get("provider_data") or {}),
    }
    return _rows(common, instance.price, instance.spot_price)


def _vendor(model: str) -> str:
    """gpuhunt's vendor for a model name of its own spelling (AMD's are MI... and W...)."""
    return "amd" if model.startswith(("MI", "W7")) else "nvidia"


def _rows(common: dict[str, str], price: float | None, spot: float | None) -> Iterator[Row]:
    for value, is_spot in ((price, False), (spot, True)):
        if value is not None:
            row = {**common, "price": str(value), "spot": str(is_spot)}
            yield tuple(row[column] for column in COLUMNS)
