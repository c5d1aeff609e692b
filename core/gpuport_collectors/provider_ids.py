"""Provider ids that collectors keep in ``raw_data``, read back by the formats that need them."""

from __future__ import annotations

from typing import Any

from .models import GPUInstance


def runpod_gpu_type_id(instance: GPUInstance) -> str:
    """The RunPod GPU type id of an offer (``NVIDIA H100 80GB HBM3``).

    The RunPod collector keeps the ``gpuTypes`` record in ``raw_data["gpu_type"]``; records
    without it (older snapshots, generated data) name the id in ``raw_data["gpu_type_id"]``
    or use it as ``accelerator_name``.
    """
    raw: Any = instance.raw_data
    gpu_type = raw.get("gpu_type") if isinstance(raw, dict) else None
    if isinstance(gpu_type, dict) and isinstance(gpu_type.get("id"), str):
        return str(gpu_type["id"])
    if isinstance(raw, dict) and isinstance(raw.get("gpu_type_id"), str):
        return str(raw["gpu_type_id"])
    return instance.accelerator_name
