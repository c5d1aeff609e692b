"""The simulator's catalogue: GPU types, datacenters and an offer for every pair, generated
from a seed with RunPod's quirks (see :class:`Catalogue`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from gpuport_collectors.testing.factories import DATACENTERS, GPU_CATALOG

#: More GPUs than the core's test catalogue, so a catalogue can reach ~45 real names.
EXTRA_GPUS: tuple[tuple[str, int, float, int], ...] = (
    ("NVIDIA A30", 24, 0.34, 8),
    ("NVIDIA A10", 24, 0.31, 8),
    ("NVIDIA RTX A2000", 12, 0.14, 8),
    ("NVIDIA RTX 5000 Ada Generation", 32, 0.79, 8),
    ("NVIDIA GeForce RTX 3070", 8, 0.13, 8),
    ("NVIDIA GeForce RTX 3080 Ti", 12, 0.18, 8),
    ("NVIDIA GeForce RTX 4070 Ti", 12, 0.22, 8),
    ("NVIDIA GeForce RTX 4080", 16, 0.35, 8),
    ("NVIDIA GeForce RTX 5080", 16, 0.48, 8),
    ("Tesla T4", 16, 0.16, 8),
    ("Tesla V100-PCIE-16GB", 16, 0.19, 8),
    ("Tesla V100-SXM2-16GB", 16, 0.21, 8),
    ("AMD Instinct MI250X", 128, 1.49, 8),
    ("AMD Radeon PRO W7900", 48, 0.69, 4),
    ("NVIDIA GH200 480GB", 96, 3.19, 1),
    ("NVIDIA A100 80GB SXM", 80, 1.99, 8),
    ("NVIDIA H100 SXM5 94GB", 94, 3.09, 8),
    ("NVIDIA RTX PRO 4500 Blackwell", 32, 0.59, 8),
)
EXTRA_DATACENTERS: tuple[str, ...] = (
    "US-NY-1",
    "US-OR-1",
    "US-CA-1",
    "US-MO-1",
    "US-MO-2",
    "US-AZ-1",
    "EU-DE-1",
    "EU-IT-1",
    "EU-PL-1",
    "EUR-NL-2",
    "AP-KR-1",
    "AP-SG-2",
    "SA-BR-1",
    "ME-AE-1",
)
STOCK_LEVELS = ("High", "Medium", "Low")


@dataclass(frozen=True)
class SimGpuType:
    id: str
    display_name: str
    manufacturer: str
    memory_gb: int
    max_gpu_count: int


@dataclass(frozen=True)
class SimDataCenter:
    id: str
    name: str
    listed: bool


@dataclass(frozen=True)
class Offer:
    """What ``lowestPrice(gpuCount: 1, dataCenterId)`` answers for one GPU type and place.

    Prices, vCPUs and memory are per GPU; ``counts`` is served in this (unsorted) order.
    """

    stock_status: str | None
    price: float | None
    bid: float | None
    counts: tuple[int, ...]
    min_vcpu: int | None
    min_memory: int | None
    max_unreserved: int | None


@dataclass(frozen=True)
class Catalogue:
    """GPU types, datacenters and an offer per pair (``None``: ``lowestPrice`` is null)."""

    gpu_types: tuple[SimGpuType, ...]
    datacenters: tuple[SimDataCenter, ...]
    offers: Mapping[tuple[str, str], Offer | None]
    node_groups: Mapping[str, tuple[str, ...]]

    @classmethod
    def generate(cls, seed: int = 0, gpu_types: int = 40, datacenters: int = 40) -> Catalogue:
        """A seeded catalogue: same seed and sizes, same catalogue."""
        rng = random.Random(seed)
        specs = list(GPU_CATALOG + EXTRA_GPUS)
        specs += [(f"NVIDIA Simulated GPU {i}", 24, 0.5, 8) for i in range(len(specs), gpu_types)]
        gpus = tuple(
            SimGpuType(
                id=name,
                display_name=_display_name(name),
                manufacturer="AMD" if name.startswith("AMD") else "Nvidia",
                memory_gb=memory,
                max_gpu_count=max_count,
            )
            for name, memory, _price, max_count in specs[:gpu_types]
        )
        ids = list(DATACENTERS + EXTRA_DATACENTERS)
        ids += [f"XX-SIM-{i}" for i in range(len(ids), datacenters)]
        centers = tuple(
            SimDataCenter(id=dc, name=f"Datacenter {dc}", listed=rng.random() > 0.1)
            for dc in ids[:datacenters]
        )
        prices = {name: price for name, _memory, price, _count in specs}
        offers: dict[tuple[str, str], Offer | None] = {}
        for gpu in gpus:
            for center in centers:
                offers[gpu.id, center.id] = _offer(rng, prices[gpu.id], gpu.max_gpu_count)
        node_groups: dict[str, tuple[str, ...]] = {}
        for gpu in gpus:
            in_stock = any(
                (offer := offers[gpu.id, center.id]) is not None and offer.stock_status
                for center in centers
            )
            # The quirk: empty exactly where the GPU is in stock, misleading elsewhere.
            node_groups[gpu.id] = (
                () if in_stock else tuple(c.id for c in rng.sample(centers, k=min(2, len(centers))))
            )
        return cls(gpus, centers, offers, node_groups)


def _display_name(name: str) -> str:
    for prefix in ("NVIDIA GeForce ", "NVIDIA ", "AMD Instinct ", "AMD "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _offer(rng: random.Random, base_price: float, max_count: int) -> Offer | None:
    roll = rng.random()
    price = round(base_price * rng.uniform(0.85, 1.2), 2)
    if roll < 0.3:
        options = [n for n in (1, 2, 4, 8, 10) if n <= max_count]
        counts = options[: rng.randint(1, len(options))]
        if rng.random() < 0.25:
            rng.shuffle(counts)
        return Offer(
            stock_status=rng.choices(STOCK_LEVELS, weights=(4, 3, 3))[0],
            price=price if rng.random() > 0.02 else None,
            bid=round(price * rng.uniform(0.4, 0.7), 2) if rng.random() < 0.6 else None,
            counts=tuple(counts),
            min_vcpu=rng.choice((4, 6, 8, 9, 12, 16)),
            min_memory=rng.choice((15, 24, 31, 41, 62, 125)),
            max_unreserved=rng.randint(0, 16),
        )
    if roll < 0.55:  # out of stock, yet priced: a collector must look at stockStatus
        return Offer(None, price, None, (), rng.choice((4, 8)), rng.choice((24, 62)), 0)
    if roll < 0.75:
        return Offer(None, None, None, (), None, None, None)
    return None
