"""RunPod GPU type ids to ``accelerator_model``, the one GPU spelling shared by every cloud.

The spelling is gpuhunt's (and so dstack's): ``H100``, ``H100NVL``, ``A100``, ``RTX4090``,
``A6000``, ``MI300X``. A model is the chip, not the board: memory size and form factor
(PCIe, SXM, NVL boards aside, which are sold as their own models) stay in
``accelerator_mem_gib`` and ``accelerator_name``. Ids missing here give
``accelerator_model: null`` (unknown), never a guess. docs/collectors.md prints this table.
"""

from __future__ import annotations

#: RunPod ``gpuTypes.id`` -> gpuhunt GPU name. The one place this mapping lives.
GPU_MODELS: dict[str, str] = {
    # NVIDIA data centre
    "NVIDIA B200": "B200",
    "NVIDIA B300 SXM6 AC": "B300",
    "NVIDIA H200": "H200",
    "NVIDIA H200 NVL": "H200NVL",
    "NVIDIA H100 80GB HBM3": "H100",
    "NVIDIA H100 PCIe": "H100",
    "NVIDIA H100 SXM5 94GB": "H100",
    "NVIDIA H100 NVL": "H100NVL",
    "NVIDIA GH200 480GB": "GH200",
    "NVIDIA A100 80GB PCIe": "A100",
    "NVIDIA A100-SXM4-80GB": "A100",
    "NVIDIA A100 80GB SXM": "A100",
    "NVIDIA A40": "A40",
    "NVIDIA A30": "A30",
    "NVIDIA A10": "A10",
    "NVIDIA L40S": "L40S",
    "NVIDIA L40": "L40",
    "NVIDIA L4": "L4",
    "Tesla T4": "T4",
    "Tesla V100-PCIE-16GB": "V100",
    "Tesla V100-FHHL-16GB": "V100",
    "Tesla V100-SXM2-16GB": "V100",
    "Tesla V100-SXM2-32GB": "V100",
    # NVIDIA workstation
    "NVIDIA RTX PRO 6000 Blackwell": "RTXPRO6000",
    "NVIDIA RTX PRO 6000 Blackwell Server Edition": "RTXPRO6000",
    "NVIDIA RTX PRO 6000 Blackwell Workstation Edition": "RTXPRO6000",
    "NVIDIA RTX PRO 4500 Blackwell": "RTXPRO4500",
    "NVIDIA RTX 6000 Ada Generation": "RTX6000Ada",
    "NVIDIA RTX 5000 Ada Generation": "RTX5000Ada",
    "NVIDIA RTX 4000 Ada Generation": "RTX4000Ada",
    "NVIDIA RTX 4000 SFF Ada Generation": "RTX4000Ada",
    "NVIDIA RTX 2000 Ada Generation": "RTX2000Ada",
    "NVIDIA RTX A6000": "A6000",
    "NVIDIA RTX A5000": "A5000",
    "NVIDIA RTX A4500": "A4500",
    "NVIDIA RTX A4000": "A4000",
    "NVIDIA RTX A2000": "A2000",
    # NVIDIA GeForce
    "NVIDIA GeForce RTX 5090": "RTX5090",
    "NVIDIA GeForce RTX 5080": "RTX5080",
    "NVIDIA GeForce RTX 4090": "RTX4090",
    "NVIDIA GeForce RTX 4080 SUPER": "RTX4080SUPER",
    "NVIDIA GeForce RTX 4080": "RTX4080",
    "NVIDIA GeForce RTX 4070 Ti": "RTX4070Ti",
    "NVIDIA GeForce RTX 3090 Ti": "RTX3090Ti",
    "NVIDIA GeForce RTX 3090": "RTX3090",
    "NVIDIA GeForce RTX 3080 Ti": "RTX3080Ti",
    "NVIDIA GeForce RTX 3080": "RTX3080",
    "NVIDIA GeForce RTX 3070": "RTX3070",
    # AMD
    "AMD Instinct MI300X OAM": "MI300X",
    "AMD Instinct MI250X": "MI250X",
    "AMD Radeon PRO W7900": "W7900",
}


def gpu_model(gpu_type_id: str) -> str | None:
    """The shared model name of a RunPod GPU type id, or ``None`` when it is not known."""
    return GPU_MODELS.get(gpu_type_id)
