"""RunPod GPU type ids to the names SkyPilot launches them by. The one place this lives.

SkyPilot's RunPod provisioner (``GPU_NAME_MAP`` in ``sky/provision/runpod/utils.py``)
maps the NAME of an InstanceType ``{count}x_{NAME}_SECURE`` back to a RunPod GPU type
id; this is that table turned around. A GPU type missing here cannot be launched by
SkyPilot, so its offers are left out of the catalogue. tests/skypilot checks every entry
against the installed SkyPilot's own table.
"""

from __future__ import annotations

from gpuport_collectors.plugin_api import GPUInstance

#: RunPod ``gpuTypes.id`` -> SkyPilot accelerator name (SkyPilot 0.14's GPU_NAME_MAP).
SKYPILOT_NAMES: dict[str, str] = {
    "AMD Instinct MI300X OAM": "MI300X",
    "NVIDIA A100 80GB PCIe": "A100-80GB",
    "NVIDIA A100-SXM4-80GB": "A100-80GB-SXM",
    "NVIDIA A30": "A30",
    "NVIDIA A40": "A40",
    "NVIDIA B200": "B200",
    "NVIDIA GeForce RTX 3070": "RTX3070",
    "NVIDIA GeForce RTX 3080": "RTX3080",
    "NVIDIA GeForce RTX 3080 Ti": "RTX3080Ti",
    "NVIDIA GeForce RTX 3090": "RTX3090",
    "NVIDIA GeForce RTX 3090 Ti": "RTX3090Ti",
    "NVIDIA GeForce RTX 4070 Ti": "RTX4070Ti",
    "NVIDIA GeForce RTX 4080": "RTX4080",
    "NVIDIA GeForce RTX 4080 SUPER": "RTX4080SUPER",
    "NVIDIA GeForce RTX 4090": "RTX4090",
    "NVIDIA GeForce RTX 5080": "RTX5080",
    "NVIDIA GeForce RTX 5090": "RTX5090",
    "NVIDIA H100 80GB HBM3": "H100-SXM",
    "NVIDIA H100 NVL": "H100-NVL",
    "NVIDIA H100 PCIe": "H100",
    "NVIDIA H200": "H200-SXM",
    "NVIDIA L4": "L4",
    "NVIDIA L40": "L40",
    "NVIDIA L40S": "L40S",
    "NVIDIA RTX 2000 Ada Generation": "RTX2000-Ada",
    "NVIDIA RTX 4000 Ada Generation": "RTX4000-Ada",
    "NVIDIA RTX 4000 SFF Ada Generation": "RTX4000-Ada-SFF",
    "NVIDIA RTX 5000 Ada Generation": "RTX5000-Ada",
    "NVIDIA RTX 6000 Ada Generation": "RTX6000-Ada",
    "NVIDIA RTX A2000": "RTXA2000",
    "NVIDIA RTX A4000": "RTXA4000",
    "NVIDIA RTX A4500": "RTXA4500",
    "NVIDIA RTX A5000": "RTXA5000",
    "NVIDIA RTX A6000": "RTXA6000",
    "NVIDIA RTX PRO 4500 Blackwell": "RTXPRO4500",
    "NVIDIA RTX PRO 6000 Blackwell Server Edition": "RTXPRO6000",
    "NVIDIA RTX PRO 6000 Blackwell Workstation Edition": "RTXPRO6000-WK",
    "Tesla V100-FHHL-16GB": "V100-16GB-FHHL",
    "Tesla V100-SXM2-16GB": "V100-16GB-SXM2",
    "Tesla V100-SXM2-32GB": "V100-32GB-SXM2",
    "Tesla V100-PCIE-16GB": "V100-16GB-PCIe",
}


def manufacturer(instance: GPUInstance, gpu_type_id: str) -> str:
    """``manufacturer`` of the RunPod record, else the vendor the id starts with."""
    gpu_type = instance.raw_data.get("gpu_type")
    if isinstance(gpu_type, dict) and isinstance(gpu_type.get("manufacturer"), str):
        return str(gpu_type["manufacturer"])
    return "AMD" if gpu_type_id.startswith("AMD") else "Nvidia"
