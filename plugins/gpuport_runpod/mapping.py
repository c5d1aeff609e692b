"""RunPod answers to :class:`GPUInstance` records. Pure functions, no I/O.

Rules (docs/runpod.md has the long form): an instance only where ``stockStatus`` is set;
one per count in ``availableGpuCounts`` (or one 1-GPU instance); prices, vCPUs and memory
scale with the count; ``quantity`` is the largest rentable count; a missing, malformed or
non-positive number is ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from gpuport_collectors.plugin_api import Availability, GPUInstance

from .gpu_models import gpu_model

PROVIDER = "RunPod"


class ShapeError(ValueError):
    """An answer does not have the shape the query asked for."""


@attrs.frozen
class GpuType:
    """One entry of ``gpuTypes`` discovery; ``raw`` is the record as received."""

    id: str
    display_name: str
    memory_gib: float | None
    raw: dict[str, Any] = attrs.field(eq=False, repr=False)


@attrs.frozen
class DataCenter:
    """One entry of ``dataCenters`` discovery; ``raw`` is the record as received."""

    id: str
    raw: dict[str, Any] = attrs.field(eq=False, repr=False)


def instance_type(display_name: str, count: int) -> str:
    """``"<count>x <displayName>"``, e.g. ``"2x RTX 4090"`` (testing.factories' convention)."""
    return f"{count}x {display_name}"


def parse_gpu_types(data: Mapping[str, Any]) -> tuple[list[GpuType], list[str]]:
    """GPU types from a ``gpuTypes`` answer, in order, first of each id; and problems."""
    problems: list[str] = []
    found: dict[str, GpuType] = {}
    for index, item in enumerate(_list(data, "gpuTypes")):
        identifier = item.get("id") if isinstance(item, dict) else None
        if not isinstance(identifier, str) or not identifier:
            problems.append(f"gpuTypes[{index}] has no id; skipped")
            continue
        name = item.get("displayName")
        found.setdefault(
            identifier,
            GpuType(
                id=identifier,
                display_name=name if isinstance(name, str) and name.strip() else identifier,
                memory_gib=positive(item.get("memoryInGb")),
                raw=item,
            ),
        )
    return list(found.values()), problems


def parse_datacenters(data: Mapping[str, Any]) -> tuple[list[DataCenter], list[str]]:
    """Datacenters from a ``dataCenters`` answer, in order, first of each id; and problems.

    ``listed`` is kept in raw data but not used to skip anything: like
    ``nodeGroupDatacenters``, metadata never decides where to look.
    """
    problems: list[str] = []
    found: dict[str, DataCenter] = {}
    for index, item in enumerate(_list(data, "dataCenters")):
        identifier = item.get("id") if isinstance(item, dict) else None
        if not isinstance(identifier, str) or not identifier:
            problems.append(f"dataCenters[{index}] has no id; skipped")
            continue
        found.setdefault(identifier, DataCenter(id=identifier, raw=item))
    return list(found.values()), problems


def pricing_entry(data: Mapping[str, Any], gpu: GpuType) -> dict[str, Any]:
    """The one GPU type object of a pricing answer (``gpuTypes`` filtered by id)."""
    entries = [item for item in _list(data, "gpuTypes") if isinstance(item, dict)]
    matching = [item for item in entries if item.get("id") == gpu.id] or entries
    if not matching:
        raise ShapeError("the answer lists no GPU type")
    return matching[0]


def map_offers(
    gpu: GpuType,
    entry: Mapping[str, Any],
    aliases: Mapping[str, str],
    datacenters: Mapping[str, DataCenter],
    *,
    collected_at: int,
    expand_gpu_counts: bool = True,
) -> tuple[list[GPUInstance], list[str]]:
    """Instances for one GPU type from its pricing entry, in datacenter order; and problems."""
    instances: list[GPUInstance] = []
    problems: list[str] = []
    for alias, datacenter_id in aliases.items():
        answer = entry.get(alias)
        if answer is None:
            continue
        where = f"GPU type {gpu.id!r} in {datacenter_id}"
        if not isinstance(answer, dict):
            problems.append(f"{where}: lowestPrice is not an object; skipped")
            continue
        status = answer.get("stockStatus")
        if status is None:
            continue
        try:
            availability = Availability.parse(status)
        except ValueError:
            problems.append(f"{where}: unknown stockStatus {str(status)[:40]!r}; skipped")
            continue
        instances.extend(
            _offer_instances(
                gpu,
                datacenters[datacenter_id],
                answer,
                availability,
                collected_at,
                expand_gpu_counts,
            )
        )
    return instances, problems


def _offer_instances(
    gpu: GpuType,
    datacenter: DataCenter,
    answer: dict[str, Any],
    availability: Availability,
    collected_at: int,
    expand: bool,
) -> list[GPUInstance]:
    counts = gpu_counts(answer.get("availableGpuCounts"))
    per_gpu = positive(answer.get("uninterruptablePrice"))
    spot_per_gpu = positive(answer.get("minimumBidPrice"))
    vcpus_per_gpu = positive(answer.get("minVcpu"))
    memory_per_gpu = positive(answer.get("minMemory"))
    raw = {"gpu_type": gpu.raw, "datacenter": datacenter.raw, "pricing": answer}
    return [
        GPUInstance(
            provider=PROVIDER,
            instance_type=instance_type(gpu.display_name, n),
            accelerator_name=gpu.display_name,
            accelerator_model=gpu_model(gpu.id),
            region=datacenter.id,
            accelerator_count=n,
            availability=availability,
            collected_at=collected_at,
            accelerator_mem_gib=gpu.memory_gib,
            quantity=max(counts) if counts else None,
            price=scaled(per_gpu, n),
            spot_price=scaled(spot_per_gpu, n),
            v_cpus=scaled(vcpus_per_gpu, n),
            memory_gib=scaled(memory_per_gpu, n),
            raw_data=raw,
        )
        for n in (counts if expand and counts else [1])
    ]


def gpu_counts(value: Any) -> list[int]:
    """Positive whole counts from ``availableGpuCounts``, sorted, without repeats."""
    if not isinstance(value, list):
        return []
    return sorted({item for item in value if type(item) is int and item > 0})


def positive(value: Any) -> float | None:
    """A number if it is one and above 0; ``None`` for null, 0, negatives, text, booleans."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value > 0 else None


def scaled(per_gpu: float | None, count: int) -> float | None:
    """``count × per_gpu`` without float noise (``3 × 0.69`` is 2.07, not 2.0699999999999998)."""
    return None if per_gpu is None else round(per_gpu * count, 6)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ShapeError(f"expected '{key}' to be a list, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
