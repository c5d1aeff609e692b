"""Expected instances, computed from the source data by the spec, not by the collector.

Two sources: a simulator :class:`Catalogue` (what the server knows) and a recorded
cassette (what the server answered). Records are compared as plain dicts, as
:func:`gpuport_collectors.records.instance_to_record` writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from graphql import FieldNode, ObjectValueNode, OperationDefinitionNode, StringValueNode, parse

from gpuport_collectors.models import GPUInstance
from gpuport_collectors.records import instance_to_record
from gpuport_runpod.gpu_models import GPU_MODELS

from .simulator import Catalogue

Key = tuple[str, str, int]


def records_by_key(instances: Iterable[GPUInstance]) -> dict[Key, dict[str, Any]]:
    """Instance records keyed by (accelerator_name, region, accelerator_count); no repeats."""
    records: dict[Key, dict[str, Any]] = {}
    for instance in instances:
        record = instance_to_record(instance)
        key = (record["accelerator_name"], record["region"], record["accelerator_count"])
        assert key not in records, f"duplicate instance {key}"
        records[key] = record
    return records


def _times(count: int, value: float | None) -> float | None:
    return None if value is None else count * value


def _record(
    gpu_id: str,
    name: str,
    memory: float | None,
    region: str,
    count: int,
    top: int | None,
    status: str,
    price: float | None,
    bid: float | None,
    vcpu: float | None,
    ram: float | None,
    collected_at: int,
) -> dict[str, Any]:
    return {
        "provider": "RunPod",
        "instance_type": f"{count}x {name}",
        "accelerator_name": name,
        # The table is the spec of this field; test_gpu_models checks the table itself.
        "accelerator_model": GPU_MODELS.get(gpu_id),
        "region": region,
        "accelerator_count": count,
        "accelerator_mem_gib": memory,
        "quantity": top,
        "price": _times(count, price),
        "spot_price": _times(count, bid),
        "v_cpus": _times(count, vcpu),
        "memory_gib": _times(count, ram),
        "availability": status.upper(),
        "collected_at": collected_at,
    }


def expected_from_catalogue(
    catalogue: Catalogue, collected_at: int, *, expand: bool = True, skip: Iterable[str] = ()
) -> dict[Key, dict[str, Any]]:
    """Every in-stock offer of the catalogue, except GPU types in ``skip``."""
    skipped = set(skip)
    expected: dict[Key, dict[str, Any]] = {}
    for gpu in catalogue.gpu_types:
        if gpu.id in skipped:
            continue
        for center in catalogue.datacenters:
            offer = catalogue.offers[gpu.id, center.id]
            if offer is None or offer.stock_status is None:
                continue
            counts = sorted(set(offer.counts))
            for count in counts if expand else [1]:
                expected[gpu.display_name, center.id, count] = _record(
                    gpu.id,
                    gpu.display_name,
                    float(gpu.memory_gb),
                    center.id,
                    count,
                    max(counts),
                    offer.stock_status,
                    offer.price,
                    offer.bid,
                    offer.min_vcpu,
                    offer.min_memory,
                    collected_at,
                )
    return expected


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return float(value) if ok else None


def expected_from_cassette(
    path: Path, collected_at: int, *, expand: bool = True
) -> tuple[dict[Key, dict[str, Any]], set[str]]:
    """Expected instances from a cassette's answers, and the GPU type ids never priced."""
    gpus: list[dict[str, Any]] = []
    centers: dict[str, dict[str, Any]] = {}
    priced: dict[str, tuple[dict[str, str], dict[str, Any]]] = {}
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        request = json.loads(interaction["request"]["body"])
        response = interaction["response"]
        try:
            answer = json.loads(response["body"]["string"])
        except ValueError:
            answer = None
        ok = (
            response["status"]["code"] == 200
            and isinstance(answer, dict)
            and not answer.get("errors")
            and isinstance(answer.get("data"), dict)
        )
        operation = parse(request["query"]).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        field = operation.selection_set.selections[0]
        assert isinstance(field, FieldNode)
        if not ok:
            continue
        assert isinstance(answer, dict)
        data = answer["data"]
        if field.name.value == "dataCenters":
            centers = {c["id"]: c for c in data["dataCenters"]}
        elif not field.arguments:
            gpus = data["gpuTypes"]
        else:
            aliases = {
                sel.alias.value: _data_center_id(sel)
                for sel in field.selection_set.selections  # type: ignore[union-attr]
                if isinstance(sel, FieldNode) and sel.alias is not None
            }
            priced[request["variables"]["gpuTypeId"]] = (aliases, data["gpuTypes"][0])
    expected: dict[Key, dict[str, Any]] = {}
    for gpu in gpus:
        if gpu["id"] not in priced:
            continue
        aliases, entry = priced[gpu["id"]]
        for alias, center_id in aliases.items():
            answer = entry.get(alias)
            if not answer or answer.get("stockStatus") is None:
                continue
            assert center_id in centers
            counts = sorted({n for n in answer.get("availableGpuCounts") or [] if n > 0})
            name = gpu["displayName"]
            for count in counts if expand and counts else [1]:
                expected[name, center_id, count] = _record(
                    gpu["id"],
                    name,
                    _number(gpu.get("memoryInGb")),
                    center_id,
                    count,
                    max(counts) if counts else None,
                    answer["stockStatus"],
                    _number(answer.get("uninterruptablePrice")),
                    _number(answer.get("minimumBidPrice")),
                    _number(answer.get("minVcpu")),
                    _number(answer.get("minMemory")),
                    collected_at,
                )
    never_priced = {gpu["id"] for gpu in gpus} - set(priced)
    return expected, never_priced


def _data_center_id(selection: FieldNode) -> str:
    for argument in selection.arguments or ():
        if isinstance(argument.value, ObjectValueNode):
            for item in argument.value.fields:
                if item.name.value == "dataCenterId" and isinstance(item.value, StringValueNode):
                    return item.value.value
    raise AssertionError(f"no dataCenterId in {selection.alias}")
