"""Run in a fresh process with HOME set: ask SkyPilot's own RunPod catalogue about offers.

Reads a JSON list of ``[instance_type, region, zone]`` on stdin; prints what SkyPilot's
``sky.catalog.runpod_catalog`` answers for each, and its accelerator listing, as JSON.
"""

import json
import math
import sys

from sky.catalog import runpod_catalog


def price(instance_type: str, spot: bool, region: str, zone: str) -> float | None:
    try:
        return runpod_catalog.get_hourly_cost(instance_type, spot, region, zone)
    except ValueError:  # SkyPilot's answer for "no such price"
        return None


def nan_to_none(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


queries = json.load(sys.stdin)
offers = []
for instance_type, region, zone in queries:
    vcpus, memory = runpod_catalog.get_vcpus_mem_from_instance_type(instance_type)
    offers.append(
        {
            "exists": runpod_catalog.instance_type_exists(instance_type),
            "price": price(instance_type, False, region, zone),
            "region_price": price(instance_type, False, region, None),
            "vcpus": vcpus,
            "memory": memory,
            "spot_price": price(instance_type, True, region, zone),
            "accelerators": runpod_catalog.get_accelerators_from_instance_type(instance_type),
            "zones": [
                zone.name
                for found in runpod_catalog.get_region_zones_for_instance_type(instance_type, False)
                if found.name == region
                for zone in found.zones
            ],
            "valid_zone": list(runpod_catalog.validate_region_zone(region, zone)),
        }
    )
listing = runpod_catalog.list_accelerators(
    gpus_only=True, name_filter=None, region_filter=None, quantity_filter=None, all_regions=True
)
listed = [
    {
        "instance_type": info.instance_type,
        "accelerator_name": info.accelerator_name,
        "accelerator_count": info.accelerator_count,
        "device_memory": nan_to_none(info.device_memory),
        "price": nan_to_none(info.price),
        "region": info.region,
    }
    for infos in listing.values()
    for info in infos
]
json.dump({"offers": offers, "listed": listed}, sys.stdout)
