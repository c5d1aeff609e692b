"""The simulator reproduces RunPod's quirks and is deterministic."""

from __future__ import annotations

import json

import httpx

from .simulator import Catalogue, RunPodSimulator


def test_catalogue_is_seeded_and_sized() -> None:
    one = Catalogue.generate(seed=5, gpu_types=41, datacenters=39)
    assert one == Catalogue.generate(seed=5, gpu_types=41, datacenters=39)
    assert one != Catalogue.generate(seed=6, gpu_types=41, datacenters=39)
    assert (len(one.gpu_types), len(one.datacenters)) == (41, 39)
    assert len({g.id for g in one.gpu_types}) == 41


def test_catalogue_has_the_real_quirks(catalogue: Catalogue) -> None:
    offers = [o for o in catalogue.offers.values() if o is not None]
    in_stock = [o for o in offers if o.stock_status]
    assert any(o.bid is None for o in in_stock)  # no spot market
    assert any(o.stock_status is None and o.price is not None for o in offers)
    assert any(list(o.counts) != sorted(o.counts) for o in in_stock)
    assert all("-" in center.id for center in catalogue.datacenters)
    stocked = {gpu for (gpu, _), o in catalogue.offers.items() if o is not None and o.stock_status}
    assert stocked and all(catalogue.node_groups[gpu] == () for gpu in stocked)


def test_serves_graphql_and_counts_connections(small_catalogue: Catalogue) -> None:
    with RunPodSimulator(small_catalogue, api_key="k") as sim:
        with httpx.Client(headers={"Authorization": "Bearer k"}) as client:
            first = client.post(sim.url, json={"query": "{ dataCenters { id } }"})
            second = client.post(
                sim.url,
                json={
                    "query": "query($id: String!) { gpuTypes(input: {id: $id}) { id "
                    "nodeGroupDatacenters { id } } }",
                    "variables": {"id": small_catalogue.gpu_types[0].id},
                },
            )
        wrong = httpx.post(sim.url, json={"query": "{ dataCenters { id } }"})
    assert [c["id"] for c in first.json()["data"]["dataCenters"]] == [
        c.id for c in small_catalogue.datacenters
    ]
    assert [g["id"] for g in second.json()["data"]["gpuTypes"]] == [small_catalogue.gpu_types[0].id]
    assert wrong.status_code == 401
    assert sim.stats.connections == 2  # keep-alive: one for the client, one for the last call
    assert sim.stats.by_target[small_catalogue.gpu_types[0].id] == 1


def test_throttle_and_failures(small_catalogue: Catalogue) -> None:
    target = small_catalogue.gpu_types[0].id
    query = {
        "query": "query($id: String!) { gpuTypes(input: {id: $id}) { id } }",
        "variables": {"id": target},
    }
    with RunPodSimulator(small_catalogue, api_key="k") as sim:
        sim.throttle(1, retry_after="2")
        sim.fail(target, "status", status=502, times=1)
        with httpx.Client(headers={"Authorization": "Bearer k"}) as client:
            replies = [client.post(sim.url, json=query) for _ in range(3)]
    assert [r.status_code for r in replies] == [429, 502, 200]
    assert replies[0].headers["Retry-After"] == "2"
    assert json.loads(replies[2].content)["data"]["gpuTypes"][0]["id"] == target
