"""Regenerate examples/gpuhunt-catalogue/, the offline gpuhunt catalogue multi-cloud.yaml reads.

The rows are written by gpuhunt's own ``storage.dump``, so they are gpuhunt's CSV format
(one ``{provider}.csv`` per provider, what ``GPUHUNT_CATALOG_DIR`` and the ``gpuhunt``
collector's ``catalog_dir`` read). Shapes and regions look like AWS, Azure, GCP and Lambda;
the prices are made up by a seeded generator, spot rows on the clouds that sell spot, a few
CPU-only rows. Run from the repository root:

    python examples/generate_catalogue.py

``generate_items(provider, count=...)`` makes catalogues of any size (benchmarks/collect.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from gpuhunt import AcceleratorVendor, CatalogItem, CPUArchitecture
from gpuhunt._internal import storage

CATALOGUE = Path(__file__).with_name("gpuhunt-catalogue")

NVIDIA, AMD = AcceleratorVendor.NVIDIA, AcceleratorVendor.AMD
#: provider -> (regions, sells spot, shapes). A shape: instance name, GPU (None: CPU only),
#: vendor, GPU count, GiB per GPU, vCPUs, GiB RAM, typical $/hr.
Shape = tuple[str, str | None, AcceleratorVendor | None, int, float | None, int, float, float]
PROVIDERS: dict[str, tuple[tuple[str, ...], bool, tuple[Shape, ...]]] = {
    "aws": (
        ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"),
        True,
        (
            ("p5.48xlarge", "H100", NVIDIA, 8, 80.0, 192, 2048.0, 98.32),
            ("p5e.48xlarge", "H200", NVIDIA, 8, 141.0, 192, 2048.0, 113.88),
            ("p4d.24xlarge", "A100", NVIDIA, 8, 40.0, 96, 1152.0, 32.77),
            ("g6e.xlarge", "L40S", NVIDIA, 1, 48.0, 4, 32.0, 1.861),
            ("g6.xlarge", "L4", NVIDIA, 1, 24.0, 4, 16.0, 0.805),
            ("g5.xlarge", "A10G", NVIDIA, 1, 24.0, 4, 16.0, 1.006),
            ("m7i.large", None, None, 0, None, 2, 8.0, 0.1008),
        ),
    ),
    "azure": (
        ("eastus", "westeurope", "southcentralus"),
        True,
        (
            ("Standard_ND96isr_H100_v5", "H100", NVIDIA, 8, 80.0, 96, 1900.0, 98.32),
            ("Standard_ND96isr_MI300X_v5", "MI300X", AMD, 8, 192.0, 96, 1850.0, 48.0),
            ("Standard_NC24ads_A100_v4", "A100", NVIDIA, 1, 80.0, 24, 220.0, 3.673),
            ("Standard_NC4as_T4_v3", "T4", NVIDIA, 1, 16.0, 4, 28.0, 0.526),
            ("Standard_D2s_v5", None, None, 0, None, 2, 8.0, 0.096),
        ),
    ),
    "gcp": (
        ("us-central1", "europe-west4", "asia-east1"),
        True,
        (
            ("a3-highgpu-8g", "H100", NVIDIA, 8, 80.0, 208, 1872.0, 88.25),
            ("a2-ultragpu-1g", "A100", NVIDIA, 1, 80.0, 12, 170.0, 5.07),
            ("g2-standard-4", "L4", NVIDIA, 1, 24.0, 4, 16.0, 0.707),
            ("e2-standard-2", None, None, 0, None, 2, 8.0, 0.067),
        ),
    ),
    "lambdalabs": (
        ("us-east-1", "us-west-1", "us-south-1"),
        False,
        (
            ("gpu_1x_h100_pcie", "H100", NVIDIA, 1, 80.0, 26, 200.0, 2.49),
            ("gpu_8x_h100_sxm5", "H100", NVIDIA, 8, 80.0, 208, 1800.0, 23.92),
            ("gpu_1x_a100_sxm4", "A100", NVIDIA, 1, 40.0, 30, 200.0, 1.29),
            ("gpu_1x_a6000", "A6000", NVIDIA, 1, 48.0, 14, 100.0, 0.80),
        ),
    ),
}


def generate_items(provider: str, *, count: int | None = None, seed: int = 0) -> list[CatalogItem]:
    """A seeded catalogue of ``provider``; with ``count`` it repeats over numbered copies of
    the regions (``us-east-1-2``) until it has exactly that many rows."""
    rng = random.Random(f"{provider}:{seed}")
    if count is None:
        return list(_one_pass(rng, provider, suffix=""))
    rows: list[CatalogItem] = []
    copy = 0
    while len(rows) < count:
        rows.extend(_one_pass(rng, provider, suffix=f"-{copy}" if copy else ""))
        copy += 1
    del rows[count:]
    return rows


def _one_pass(rng: random.Random, provider: str, suffix: str) -> Iterator[CatalogItem]:
    regions, sells_spot, shapes = PROVIDERS[provider]
    for name, gpu, vendor, gpus, gpu_memory, cpu, memory, price in shapes:
        for region in regions:
            on_demand = round(price * rng.uniform(0.95, 1.15), 4)
            common = {
                "provider": provider,
                "instance_name": name,
                "location": region + suffix,
                "cpu": cpu,
                "memory": memory,
                "gpu_count": gpus,
                "gpu_name": gpu,
                "gpu_memory": gpu_memory,
                "gpu_vendor": vendor,
                "disk_size": None,
                "cpu_arch": CPUArchitecture.X86,
            }
            yield CatalogItem(price=on_demand, spot=False, **common)
            if sells_spot and rng.random() < 0.7:
                spot = round(on_demand * rng.uniform(0.3, 0.6), 4)
                yield CatalogItem(price=spot, spot=True, **common)


def main() -> None:
    CATALOGUE.mkdir(exist_ok=True)
    for provider in PROVIDERS:
        items = generate_items(provider, seed=2026)
        storage.dump(items, str(CATALOGUE / f"{provider}.csv"))
        print(f"wrote {len(items)} rows to {CATALOGUE / f'{provider}.csv'}")


if __name__ == "__main__":
    main()
