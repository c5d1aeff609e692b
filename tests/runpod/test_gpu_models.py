"""The RunPod GPU-model table: every GPU the simulator serves has a model, spelt gpuhunt's way."""

from __future__ import annotations

import re

from gpuport_runpod.gpu_models import GPU_MODELS, gpu_model
from gpuport_runpod.mapping import DataCenter, GpuType, map_offers

from .catalogue import EXTRA_GPUS, GPU_CATALOG, Catalogue

#: Every real GPU the simulator knows (beyond these it invents "Simulated GPU n").
REAL_GPUS = len(GPU_CATALOG + EXTRA_GPUS)


def test_every_gpu_id_of_the_simulator_catalogue_has_a_model() -> None:
    catalogue = Catalogue.generate(seed=0, gpu_types=REAL_GPUS, datacenters=1)
    assert len(catalogue.gpu_types) == REAL_GPUS
    missing = [gpu.id for gpu in catalogue.gpu_types if gpu_model(gpu.id) is None]
    assert missing == [], f"add these RunPod ids to gpuport_runpod.gpu_models: {missing}"


def test_models_are_written_in_gpuhunt_spelling() -> None:
    # Upper-case chip names without spaces or vendor prefixes: H100NVL, RTX4090, A6000.
    for gpu_id, model in GPU_MODELS.items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", model), (gpu_id, model)
        assert not model.startswith(("NVIDIA", "AMD", "Tesla")), (gpu_id, model)


def test_board_variants_share_one_model() -> None:
    assert {gpu_model(i) for i in ("NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe")} == {"H100"}
    assert gpu_model("NVIDIA H100 NVL") == "H100NVL"
    assert gpu_model("NVIDIA RTX A6000") == "A6000"
    assert gpu_model("NVIDIA RTX 6000 Ada Generation") == "RTX6000Ada"
    assert gpu_model("AMD Instinct MI300X OAM") == "MI300X"


def test_an_unknown_id_has_no_model() -> None:
    assert gpu_model("NVIDIA Simulated GPU 99") is None


def test_mapped_instances_carry_the_model_and_keep_runpods_name() -> None:
    gpu = GpuType(id="NVIDIA H100 80GB HBM3", display_name="H100 80GB HBM3", memory_gib=80, raw={})
    instances, problems = map_offers(
        gpu,
        {"dc": {"stockStatus": "High", "uninterruptablePrice": 2.99, "availableGpuCounts": [1]}},
        {"dc": "EU-RO-1"},
        {"EU-RO-1": DataCenter("EU-RO-1", {})},
        collected_at=1,
    )
    assert problems == []
    assert [(i.accelerator_name, i.accelerator_model) for i in instances] == [
        ("H100 80GB HBM3", "H100")
    ]


def test_the_test_kits_catalogue_agrees_with_the_table() -> None:
    from gpuport_collectors.testing.factories import GPU_MODELS as KIT_MODELS

    assert set(KIT_MODELS) == {name for name, *_ in GPU_CATALOG}
    assert {name: GPU_MODELS.get(name) for name in KIT_MODELS} == KIT_MODELS
