"""The GraphQL side of the simulator: the schema subset, its resolvers over a
:class:`Catalogue`, and which GPU type a query is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    VariableNode,
    build_schema,
)

from .catalogue import Catalogue, SimDataCenter, SimGpuType

SDL = """
type Query {
  gpuTypes(input: GpuTypeFilter): [GpuType]
  dataCenters: [DataCenter]
}
input GpuTypeFilter { id: String }
input GpuLowestPriceInput {
  gpuCount: Int!
  dataCenterId: String
  minMemoryInGb: Int
  minVcpuCount: Int
  secureCloud: Boolean
}
type GpuType {
  id: String!
  displayName: String
  manufacturer: String
  memoryInGb: Int
  maxGpuCount: Int
  secureCloud: Boolean
  communityCloud: Boolean
  nodeGroupDatacenters: [DataCenter]
  lowestPrice(input: GpuLowestPriceInput!): LowestPrice
}
type DataCenter { id: String! name: String listed: Boolean }
type LowestPrice {
  gpuName: String
  gpuTypeId: String
  stockStatus: String
  uninterruptablePrice: Float
  minimumBidPrice: Float
  availableGpuCounts: [Int]
  minVcpu: Float
  minMemory: Float
  maxUnreservedGpuCount: Int
}
"""
SCHEMA = build_schema(SDL)


def query_target(document: DocumentNode, variables: Mapping[str, Any]) -> str:
    """``gpuTypes``/``dataCenters`` for discovery, else the GPU type id a query filters on."""
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for selection in definition.selection_set.selections:
            if not isinstance(selection, FieldNode):
                continue
            for argument in selection.arguments or ():
                if argument.name.value == "input" and isinstance(argument.value, ObjectValueNode):
                    for item in argument.value.fields:
                        if item.name.value != "id":
                            continue
                        if isinstance(item.value, StringValueNode):
                            return item.value.value
                        if isinstance(item.value, VariableNode):
                            return str(variables.get(item.value.name.value))
            return selection.name.value
    return "?"


def root_value(catalogue: Catalogue) -> dict[str, Any]:
    centers = {center.id: center for center in catalogue.datacenters}

    def center_record(center: SimDataCenter) -> dict[str, Any]:
        return {"id": center.id, "name": center.name, "listed": center.listed}

    def lowest_price(gpu: SimGpuType) -> Callable[..., Any]:
        def resolve(_info: Any, input: dict[str, Any]) -> dict[str, Any] | None:
            count = input["gpuCount"]
            place = input.get("dataCenterId")
            if place is None:  # RunPod's global lowest price; the collector never asks
                offers = [
                    o
                    for c in catalogue.datacenters
                    if (o := catalogue.offers[gpu.id, c.id]) is not None and o.stock_status
                ]
                offer = min(offers, key=lambda o: o.price or 1e9) if offers else None
            elif place not in centers:
                return None
            else:
                offer = catalogue.offers[gpu.id, place]
            if offer is None:
                return None
            status = offer.stock_status if count in offer.counts else None
            return {
                "gpuName": gpu.display_name,
                "gpuTypeId": gpu.id,
                "stockStatus": status,
                "uninterruptablePrice": offer.price,
                "minimumBidPrice": offer.bid,
                "availableGpuCounts": list(offer.counts),
                "minVcpu": None if offer.min_vcpu is None else offer.min_vcpu * count,
                "minMemory": None if offer.min_memory is None else offer.min_memory * count,
                "maxUnreservedGpuCount": offer.max_unreserved,
            }

        return resolve

    gpu_records = [
        {
            "id": gpu.id,
            "displayName": gpu.display_name,
            "manufacturer": gpu.manufacturer,
            "memoryInGb": gpu.memory_gb,
            "maxGpuCount": gpu.max_gpu_count,
            "secureCloud": True,
            "communityCloud": True,
            "nodeGroupDatacenters": [
                center_record(centers[c]) for c in catalogue.node_groups[gpu.id]
            ],
            "lowestPrice": lowest_price(gpu),
        }
        for gpu in catalogue.gpu_types
    ]

    def gpu_types(_info: Any, input: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        wanted = (input or {}).get("id")
        return [g for g in gpu_records if wanted is None or g["id"] == wanted]

    def data_centers(_info: Any) -> list[dict[str, Any]]:
        return [center_record(c) for c in catalogue.datacenters]

    return {"gpuTypes": gpu_types, "dataCenters": data_centers}
