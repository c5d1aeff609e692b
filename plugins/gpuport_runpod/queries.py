"""The GraphQL documents the collector sends.

The pricing query's text is the same for every GPU type (the id travels in
``variables``), so a server can reuse its parsed document. Datacenter ids are inlined as
JSON string literals (valid GraphQL strings) so no input type name of RunPod's schema is
assumed; they contain dashes, which GraphQL names may not, hence :func:`datacenter_aliases`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

GPU_TYPES_QUERY = (
    "query GpuTypes { gpuTypes { id displayName manufacturer memoryInGb maxGpuCount } }"
)
DATACENTERS_QUERY = "query DataCenters { dataCenters { id name listed } }"

PRICE_FIELDS = (
    "stockStatus",
    "uninterruptablePrice",
    "minimumBidPrice",
    "availableGpuCounts",
    "minVcpu",
    "minMemory",
    "maxUnreservedGpuCount",
)

_NOT_NAME = re.compile(r"[^0-9A-Za-z_]")


def datacenter_aliases(ids: Iterable[str]) -> dict[str, str]:
    """Map a valid, unique GraphQL alias to each datacenter id, in the given order.

    ``EU-RO-1`` becomes ``dc_EU_RO_1``: the prefix makes any id start with a letter and
    keeps aliases clear of the type's own fields; ids that clean up to the same alias
    (``EU-RO-1`` and ``EU_RO_1``) get ``_2``, ``_3``... suffixes.
    """
    aliases: dict[str, str] = {}
    for datacenter_id in ids:
        base = "dc_" + _NOT_NAME.sub("_", datacenter_id)
        alias, number = base, 1
        while alias in aliases:
            number += 1
            alias = f"{base}_{number}"
        aliases[alias] = datacenter_id
    return aliases


def pricing_query(aliases: dict[str, str]) -> str:
    """The pricing query: for the GPU type ``$gpuTypeId``, one aliased ``lowestPrice``
    (1 GPU) per datacenter. Send it with :func:`pricing_variables`."""
    fields = " ".join(PRICE_FIELDS)
    lines = [
        "query GpuTypePricing($gpuTypeId: String!) {",
        "  gpuTypes(input: {id: $gpuTypeId}) {",
        "    id",
    ]
    for alias, datacenter_id in aliases.items():
        lines.append(
            f"    {alias}: lowestPrice(input: {{gpuCount: 1, "
            f"dataCenterId: {json.dumps(datacenter_id)}}}) {{ {fields} }}"
        )
    lines += ["  }", "}"]
    return "\n".join(lines)


def pricing_variables(gpu_type_id: str) -> dict[str, str]:
    """The variables of :func:`pricing_query` for one GPU type."""
    return {"gpuTypeId": gpu_type_id}
