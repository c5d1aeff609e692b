"""One SkyPilot RunPod catalogue row per offer, or the reason SkyPilot could not use it."""

from __future__ import annotations

from typing import Any

import attrs

from gpuport_collectors.plugin_api import GPUInstance, runpod_gpu_type_id

from .names import SKYPILOT_NAMES, manufacturer
from .regions import country_of

#: SkyPilot's RunPod catalogue header (``sky/catalog/data_fetchers/fetch_runpod.py``).
HEADER = (
    "InstanceType",
    "AcceleratorName",
    "AcceleratorCount",
    "vCPUs",
    "MemoryGiB",
    "Region",
    "SpotPrice",
    "Price",
    "AvailabilityZone",
    "GpuInfo",
)

#: ``provider`` of the offers this catalogue can hold.
PROVIDER = "RunPod"


@attrs.frozen
class Row:
    """One catalogue line, fields in :data:`HEADER` order."""

    instance_type: str
    accelerator_name: str
    accelerator_count: float
    vcpus: float | None
    memory_gib: float | None
    region: str
    spot_price: float | None
    price: float | None
    zone: str
    gpu_info: str | None

    def values(self) -> tuple[Any, ...]:
        return attrs.astuple(self)


@attrs.frozen
class Skipped:
    """An offer left out, and which GPU type it was (for the log line)."""

    reason: str
    gpu_type_id: str


def instance_type(name: str, count: int) -> str:
    """SkyPilot's RunPod InstanceType: ``{count}x_{NAME}_SECURE`` (secure cloud)."""
    return f"{count}x_{name}_SECURE"


def gpu_info(instance: GPUInstance, gpu_type_id: str) -> str | None:
    """GpuInfo as SkyPilot writes it: a Python literal SkyPilot reads with ast.literal_eval.

    SkyPilot divides ``SizeInMiB`` by 1024 to show device memory, so it holds MiB.
    """
    memory = instance.accelerator_mem_gib
    if memory is None:
        return None
    mib = round(memory * 1024)
    info = {
        "Gpus": [
            {
                "Name": instance.accelerator_name,
                "Manufacturer": manufacturer(instance, gpu_type_id),
                "Count": instance.accelerator_count,
                "MemoryInfo": {"SizeInMiB": mib},
            }
        ],
        "TotalGpuMemoryInMiB": mib * instance.accelerator_count,
    }
    return repr(info)


def catalogue_row(instance: GPUInstance) -> Row | Skipped:
    """The row for one RunPod offer, or why SkyPilot could not launch it."""
    gpu_type_id = runpod_gpu_type_id(instance)
    name = SKYPILOT_NAMES.get(gpu_type_id)
    if name is None:
        return Skipped("GPU type SkyPilot cannot launch", gpu_type_id)
    if instance.price is None and instance.spot_price is None:
        return Skipped("no price", gpu_type_id)
    count = instance.accelerator_count
    return Row(
        instance_type=instance_type(name, count),
        accelerator_name=name,
        accelerator_count=float(count),
        vcpus=instance.v_cpus,
        memory_gib=instance.memory_gib,
        region=country_of(instance.region),
        spot_price=instance.spot_price,
        price=instance.price,
        zone=instance.region,
        gpu_info=gpu_info(instance, gpu_type_id),
    )
