"""Realistic generated instances for tests, benchmarks and the bundled example snapshot.

The catalogue mirrors the shape of RunPod's offer list (GPU names and memory, dashed
datacenter ids, multi-GPU counts, spot prices only on some offers); the numbers are made
up by a seeded generator, so the same seed always gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from ..models import Availability, GPUInstance

#: (display name, memory GiB, typical on-demand $/hr per GPU, max GPUs per pod)
GPU_CATALOG: tuple[tuple[str, int, float, int], ...] = (
    ("NVIDIA H200", 141, 3.99, 8),
    ("NVIDIA H100 80GB HBM3", 80, 2.99, 8),
    ("NVIDIA H100 PCIe", 80, 2.39, 8),
    ("NVIDIA H100 NVL", 94, 2.79, 8),
    ("NVIDIA B200", 180, 5.99, 8),
    ("NVIDIA A100 80GB PCIe", 80, 1.64, 8),
    ("NVIDIA A100-SXM4-80GB", 80, 1.89, 8),
    ("NVIDIA A40", 48, 0.40, 10),
    ("NVIDIA L40S", 48, 0.86, 8),
    ("NVIDIA L40", 48, 0.99, 8),
    ("NVIDIA L4", 24, 0.43, 8),
    ("NVIDIA RTX 6000 Ada Generation", 48, 0.77, 8),
    ("NVIDIA RTX A6000", 48, 0.49, 8),
    ("NVIDIA RTX A5000", 24, 0.27, 8),
    ("NVIDIA RTX A4500", 20, 0.25, 8),
    ("NVIDIA RTX A4000", 16, 0.20, 8),
    ("NVIDIA RTX 4000 Ada Generation", 20, 0.26, 8),
    ("NVIDIA RTX 2000 Ada Generation", 16, 0.24, 8),
    ("NVIDIA GeForce RTX 5090", 32, 0.94, 8),
    ("NVIDIA GeForce RTX 4090", 24, 0.69, 8),
    ("NVIDIA GeForce RTX 3090", 24, 0.46, 8),
    ("NVIDIA GeForce RTX 3090 Ti", 24, 0.27, 4),
    ("NVIDIA GeForce RTX 3080", 10, 0.17, 4),
    ("NVIDIA GeForce RTX 4080 SUPER", 16, 0.39, 4),
    ("NVIDIA RTX PRO 6000 Blackwell", 96, 1.84, 8),
    ("AMD Instinct MI300X OAM", 192, 2.49, 8),
    ("Tesla V100-SXM2-32GB", 32, 0.27, 8),
)

#: The shared model name of each GPU above (gpuhunt's spelling), as RunPod's collector
#: maps it; a RunPod test keeps the two in agreement.
GPU_MODELS: dict[str, str] = {
    "NVIDIA H200": "H200",
    "NVIDIA H100 80GB HBM3": "H100",
    "NVIDIA H100 PCIe": "H100",
    "NVIDIA H100 NVL": "H100NVL",
    "NVIDIA B200": "B200",
    "NVIDIA A100 80GB PCIe": "A100",
    "NVIDIA A100-SXM4-80GB": "A100",
    "NVIDIA A40": "A40",
    "NVIDIA L40S": "L40S",
    "NVIDIA L40": "L40",
    "NVIDIA L4": "L4",
    "NVIDIA RTX 6000 Ada Generation": "RTX6000Ada",
    "NVIDIA RTX A6000": "A6000",
    "NVIDIA RTX A5000": "A5000",
    "NVIDIA RTX A4500": "A4500",
    "NVIDIA RTX A4000": "A4000",
    "NVIDIA RTX 4000 Ada Generation": "RTX4000Ada",
    "NVIDIA RTX 2000 Ada Generation": "RTX2000Ada",
    "NVIDIA GeForce RTX 5090": "RTX5090",
    "NVIDIA GeForce RTX 4090": "RTX4090",
    "NVIDIA GeForce RTX 3090": "RTX3090",
    "NVIDIA GeForce RTX 3090 Ti": "RTX3090Ti",
    "NVIDIA GeForce RTX 3080": "RTX3080",
    "NVIDIA GeForce RTX 4080 SUPER": "RTX4080SUPER",
    "NVIDIA RTX PRO 6000 Blackwell": "RTXPRO6000",
    "AMD Instinct MI300X OAM": "MI300X",
    "Tesla V100-SXM2-32GB": "V100",
}

DATACENTERS: tuple[str, ...] = (
    "US-CA-2",
    "US-GA-1",
    "US-GA-2",
    "US-IL-1",
    "US-KS-2",
    "US-KS-3",
    "US-NC-1",
    "US-TX-1",
    "US-TX-3",
    "US-TX-4",
    "US-WA-1",
    "US-DE-1",
    "CA-MTL-1",
    "CA-MTL-2",
    "CA-MTL-3",
    "EU-CZ-1",
    "EU-FR-1",
    "EU-NL-1",
    "EU-RO-1",
    "EU-SE-1",
    "EU-SE-2",
    "EUR-IS-1",
    "EUR-IS-2",
    "EUR-NO-1",
    "AP-JP-1",
    "AP-IN-1",
    "OC-AU-1",
    "SEA-SG-1",
)

_AVAILABILITY = (
    Availability.HIGH,
    Availability.MEDIUM,
    Availability.LOW,
    Availability.NOT_AVAILABLE,
)


def instance_type_for(name: str, count: int) -> str:
    """RunPod-style instance type: ``<count>x <display name>``."""
    return f"{count}x {name}"


def make_instance(**overrides: Any) -> GPUInstance:
    """One instance with plausible defaults; pass any field to override it."""
    values: dict[str, Any] = {
        "provider": "RunPod",
        "instance_type": "1x NVIDIA GeForce RTX 4090",
        "accelerator_name": "NVIDIA GeForce RTX 4090",
        "accelerator_model": "RTX4090",
        "region": "EU-RO-1",
        "accelerator_count": 1,
        "accelerator_mem_gib": 24.0,
        "quantity": 8,
        "price": 0.69,
        "spot_price": 0.35,
        "v_cpus": 16.0,
        "memory_gib": 62.0,
        "availability": Availability.HIGH,
        "collected_at": 1_763_900_000,
    }
    values.update(overrides)
    return GPUInstance(**values)


def generate_instances(
    count: int | None = None, *, seed: int = 0, collected_at: int = 1_763_900_000
) -> list[GPUInstance]:
    """A seeded catalogue of offers: every GPU in a random subset of datacenters, each
    rentable GPU count its own offer. With ``count`` the catalogue repeats (with fresh
    prices) until it has exactly that many instances.
    """
    rng = random.Random(seed)
    if count is None:
        return list(_catalogue_pass(rng, collected_at))
    rows: list[GPUInstance] = []
    while len(rows) < count:
        rows.extend(_catalogue_pass(rng, collected_at))
    del rows[count:]
    return rows


def _catalogue_pass(rng: random.Random, collected_at: int) -> Iterator[GPUInstance]:
    for name, memory, base_price, max_count in GPU_CATALOG:
        regions = rng.sample(DATACENTERS, k=rng.randint(2, 10))
        for region in sorted(regions):
            availability = rng.choices(_AVAILABILITY, weights=(4, 3, 3, 1))[0]
            counts = [n for n in (1, 2, 4, 8, 10) if n <= max_count]
            top = rng.randint(1, len(counts))
            per_gpu = round(base_price * rng.uniform(0.9, 1.15), 2)
            spot = round(per_gpu * rng.uniform(0.45, 0.7), 2) if rng.random() < 0.6 else None
            vcpu_per_gpu = rng.choice((4, 6, 8, 9, 12, 16))
            ram_per_gpu = rng.choice((15, 24, 31, 41, 62, 125))
            for n in counts[:top]:
                yield GPUInstance(
                    provider="RunPod",
                    instance_type=instance_type_for(name, n),
                    accelerator_name=name,
                    accelerator_model=GPU_MODELS[name],
                    region=region,
                    accelerator_count=n,
                    accelerator_mem_gib=float(memory),
                    quantity=counts[top - 1],
                    price=round(per_gpu * n, 2),
                    spot_price=round(spot * n, 2) if spot is not None else None,
                    v_cpus=float(vcpu_per_gpu * n),
                    memory_gib=float(ram_per_gpu * n),
                    availability=availability,
                    collected_at=collected_at,
                    raw_data={"gpu_type_id": name, "datacenter_id": region},
                )
