"""CatalogItem rows to instances: field by field, spot folding, spot-only, CPU-only."""

from __future__ import annotations

from gpuhunt import AcceleratorVendor, CPUArchitecture

from gpuport_gpuhunt.mapping import map_items
from gpuport_gpuhunt.providers import DISPLAY_NAMES

from .catalogues import item

AT = 1_764_590_400


def test_an_on_demand_row_maps_field_by_field() -> None:
    row = item(flags=["f1"], provider_data={"zone": "use1-az4"}, cpu_arch=CPUArchitecture.X86)
    [instance] = map_items([row], "aws", collected_at=AT)
    assert (
        instance.provider,
        instance.instance_type,
        instance.region,
        instance.accelerator_name,
        instance.accelerator_model,
        instance.accelerator_count,
        instance.accelerator_mem_gib,
        instance.v_cpus,
        instance.memory_gib,
        instance.price,
        instance.spot_price,
        instance.quantity,
        instance.availability,
        instance.collected_at,
    ) == (
        "AWS",
        "p5.48xlarge",
        "us-east-1",
        "H100",
        "H100",
        8,
        80.0,
        192.0,
        2048.0,
        98.32,
        None,
        None,
        None,
        AT,
    )
    assert instance.raw_data == {
        "price": 98.32,
        "flags": ["f1"],
        "disk_size": 30720.0,
        "cpu_arch": "x86",
        "gpu_vendor": "nvidia",
        "provider_data": {"zone": "use1-az4"},
    }


def test_spot_row_folds_into_its_on_demand_twin() -> None:
    rows = [
        item(spot=True, price=40.0, provider_data={"spot": 1}),
        item(),
        item(spot=True, price=35.5),  # the cheapest spot row wins
        item(spot=True, price=20.0, location="us-west-2"),  # another place: not a twin
        item(spot=True, price=10.0, gpu_count=1, instance_name="p5.48xlarge"),  # other count
    ]
    instances = map_items(rows, "aws", collected_at=AT)
    assert [(i.region, i.accelerator_count, i.price, i.spot_price) for i in instances] == [
        ("us-east-1", 8, 98.32, 35.5),
        ("us-west-2", 8, None, 20.0),
        ("us-east-1", 1, None, 10.0),
    ]
    assert instances[0].raw_data["spot"]["price"] == 35.5
    assert "spot" not in instances[1].raw_data


def test_spot_only_offer_has_no_price() -> None:
    [instance] = map_items([item(spot=True, price=12.5)], "gcp", collected_at=AT)
    assert (instance.provider, instance.price, instance.spot_price) == ("GCP", None, 12.5)


def test_cpu_only_rows_are_skipped_unless_asked_for() -> None:
    rows = [item(gpu_count=0, gpu_name=None, gpu_memory=None, instance_name="m7i.large"), item()]
    assert [i.instance_type for i in map_items(rows, "aws", collected_at=AT)] == ["p5.48xlarge"]
    cpu, _gpu = map_items(rows, "aws", collected_at=AT, include_cpu_only=True)
    assert (cpu.instance_type, cpu.accelerator_count, cpu.accelerator_name) == (
        "m7i.large",
        0,
        "",
    )
    assert cpu.accelerator_model is None and cpu.accelerator_mem_gib is None
    assert cpu.raw_data["gpu_vendor"] is None


def test_unknown_or_non_positive_numbers_are_null() -> None:
    row = item(gpu_memory=None, price=0.0, memory=0.0, cpu=0)
    [instance] = map_items([row], "lambdalabs", collected_at=AT)
    assert instance.provider == "Lambda"
    assert (instance.accelerator_mem_gib, instance.price, instance.memory_gib) == (None, None, None)
    assert instance.v_cpus is None


def test_other_vendors_keep_gpuhunts_names() -> None:
    rows = [
        item(gpu_name="MI300X", gpu_vendor=AcceleratorVendor.AMD, gpu_memory=192.0),
        item(gpu_name="v5litepod", gpu_vendor=AcceleratorVendor.GOOGLE, instance_name="v5e-8"),
    ]
    models = [i.accelerator_model for i in map_items(rows, "gcp", collected_at=AT)]
    assert models == ["MI300X", "v5litepod"]


def test_every_provider_has_a_display_name() -> None:
    import gpuhunt._internal.catalog as catalog

    assert set(DISPLAY_NAMES) == set(catalog.OFFLINE_PROVIDERS + catalog.ONLINE_PROVIDERS)
    assert DISPLAY_NAMES["aws"] == "AWS" and DISPLAY_NAMES["runpod"] == "RunPod"
