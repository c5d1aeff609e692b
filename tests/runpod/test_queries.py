"""The GraphQL the collector sends is valid against the (simulated) schema."""

from __future__ import annotations

import re

from graphql import parse, validate

from gpuport_runpod.queries import (
    DATACENTERS_QUERY,
    GPU_TYPES_QUERY,
    datacenter_aliases,
    pricing_query,
)

from .simulator import SCHEMA

NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


def test_aliases_are_valid_unique_graphql_names() -> None:
    ids = ["EU-RO-1", "EU_RO_1", "US-TX-3", "9-LIVES", "ÉU-1", "EU-RO-1-", "a.b c"]
    aliases = datacenter_aliases(ids)
    assert list(aliases.values()) == ids
    assert all(NAME.match(alias) for alias in aliases)
    assert aliases["dc_EU_RO_1"] == "EU-RO-1"
    assert aliases["dc_EU_RO_1_2"] == "EU_RO_1"


def test_queries_validate_against_the_schema() -> None:
    aliases = datacenter_aliases(["EU-RO-1", "US-TX-3", 'odd "quoted" id'])
    for query in (GPU_TYPES_QUERY, DATACENTERS_QUERY, pricing_query(aliases)):
        assert validate(SCHEMA, parse(query)) == []


def test_pricing_query_never_asks_for_node_group_datacenters() -> None:
    query = pricing_query(datacenter_aliases(["EU-RO-1"]))
    assert "nodeGroupDatacenters" not in query + GPU_TYPES_QUERY
    assert 'dataCenterId: "EU-RO-1"' in query
