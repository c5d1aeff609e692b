"""A local RunPod GraphQL API: a graphql-core schema of the subset the collector uses,
served by a real HTTP/1.1 server on a loopback port in a background thread.

It reproduces RunPod's quirks (``nodeGroupDatacenters`` empty for GPUs that are in stock,
``stockStatus: null`` next to a price, ``minimumBidPrice: null``, dashed datacenter ids,
``availableGpuCounts`` in no particular order) and can be told to misbehave: latency,
failures per GPU type, bursts of 429 with Retry-After, a rejected key. It counts accepted
TCP connections and requests. The catalogue is generated from a seed.

    catalogue = Catalogue.generate(seed=1, gpu_types=40, datacenters=40)
    with RunPodSimulator(catalogue, api_key="key", latency=0.01) as sim:
        ...  # point the collector at sim.url
"""

from __future__ import annotations

import collections
import copy
import json
import multiprocessing
import random
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from gpuport_collectors.testing.factories import DATACENTERS, GPU_CATALOG
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    VariableNode,
    build_schema,
    execute_sync,
    parse,
    validate,
)

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

#: More GPUs than the core's test catalogue, so a catalogue can reach ~45 real names.
EXTRA_GPUS: tuple[tuple[str, int, float, int], ...] = (
    ("NVIDIA A30", 24, 0.34, 8),
    ("NVIDIA A10", 24, 0.31, 8),
    ("NVIDIA RTX A2000", 12, 0.14, 8),
    ("NVIDIA RTX 5000 Ada Generation", 32, 0.79, 8),
    ("NVIDIA GeForce RTX 3070", 8, 0.13, 8),
    ("NVIDIA GeForce RTX 3080 Ti", 12, 0.18, 8),
    ("NVIDIA GeForce RTX 4070 Ti", 12, 0.22, 8),
    ("NVIDIA GeForce RTX 4080", 16, 0.35, 8),
    ("NVIDIA GeForce RTX 5080", 16, 0.48, 8),
    ("Tesla T4", 16, 0.16, 8),
    ("Tesla V100-PCIE-16GB", 16, 0.19, 8),
    ("Tesla V100-SXM2-16GB", 16, 0.21, 8),
    ("AMD Instinct MI250X", 128, 1.49, 8),
    ("AMD Radeon PRO W7900", 48, 0.69, 4),
    ("NVIDIA GH200 480GB", 96, 3.19, 1),
    ("NVIDIA A100 80GB SXM", 80, 1.99, 8),
    ("NVIDIA H100 SXM5 94GB", 94, 3.09, 8),
    ("NVIDIA RTX PRO 4500 Blackwell", 32, 0.59, 8),
)
EXTRA_DATACENTERS: tuple[str, ...] = (
    "US-NY-1",
    "US-OR-1",
    "US-CA-1",
    "US-MO-1",
    "US-MO-2",
    "US-AZ-1",
    "EU-DE-1",
    "EU-IT-1",
    "EU-PL-1",
    "EUR-NL-2",
    "AP-KR-1",
    "AP-SG-2",
    "SA-BR-1",
    "ME-AE-1",
)
STOCK_LEVELS = ("High", "Medium", "Low")


@dataclass(frozen=True)
class SimGpuType:
    id: str
    display_name: str
    manufacturer: str
    memory_gb: int
    max_gpu_count: int


@dataclass(frozen=True)
class SimDataCenter:
    id: str
    name: str
    listed: bool


@dataclass(frozen=True)
class Offer:
    """What ``lowestPrice(gpuCount: 1, dataCenterId)`` answers for one GPU type and place.

    Prices, vCPUs and memory are per GPU; ``counts`` is served in this (unsorted) order.
    """

    stock_status: str | None
    price: float | None
    bid: float | None
    counts: tuple[int, ...]
    min_vcpu: int | None
    min_memory: int | None
    max_unreserved: int | None


@dataclass(frozen=True)
class Catalogue:
    """GPU types, datacenters and an offer per pair (``None``: ``lowestPrice`` is null)."""

    gpu_types: tuple[SimGpuType, ...]
    datacenters: tuple[SimDataCenter, ...]
    offers: Mapping[tuple[str, str], Offer | None]
    node_groups: Mapping[str, tuple[str, ...]]

    @classmethod
    def generate(cls, seed: int = 0, gpu_types: int = 40, datacenters: int = 40) -> Catalogue:
        """A seeded catalogue: same seed and sizes, same catalogue."""
        rng = random.Random(seed)
        specs = list(GPU_CATALOG + EXTRA_GPUS)
        specs += [(f"NVIDIA Simulated GPU {i}", 24, 0.5, 8) for i in range(len(specs), gpu_types)]
        gpus = tuple(
            SimGpuType(
                id=name,
                display_name=_display_name(name),
                manufacturer="AMD" if name.startswith("AMD") else "Nvidia",
                memory_gb=memory,
                max_gpu_count=max_count,
            )
            for name, memory, _price, max_count in specs[:gpu_types]
        )
        ids = list(DATACENTERS + EXTRA_DATACENTERS)
        ids += [f"XX-SIM-{i}" for i in range(len(ids), datacenters)]
        centers = tuple(
            SimDataCenter(id=dc, name=f"Datacenter {dc}", listed=rng.random() > 0.1)
            for dc in ids[:datacenters]
        )
        prices = {name: price for name, _memory, price, _count in specs}
        offers: dict[tuple[str, str], Offer | None] = {}
        for gpu in gpus:
            for center in centers:
                offers[gpu.id, center.id] = _offer(rng, prices[gpu.id], gpu.max_gpu_count)
        node_groups: dict[str, tuple[str, ...]] = {}
        for gpu in gpus:
            in_stock = any(
                (offer := offers[gpu.id, center.id]) is not None and offer.stock_status
                for center in centers
            )
            # The quirk: empty exactly where the GPU is in stock, misleading elsewhere.
            node_groups[gpu.id] = (
                () if in_stock else tuple(c.id for c in rng.sample(centers, k=min(2, len(centers))))
            )
        return cls(gpus, centers, offers, node_groups)


def _display_name(name: str) -> str:
    for prefix in ("NVIDIA GeForce ", "NVIDIA ", "AMD Instinct ", "AMD "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _offer(rng: random.Random, base_price: float, max_count: int) -> Offer | None:
    roll = rng.random()
    price = round(base_price * rng.uniform(0.85, 1.2), 2)
    if roll < 0.3:
        options = [n for n in (1, 2, 4, 8, 10) if n <= max_count]
        counts = options[: rng.randint(1, len(options))]
        if rng.random() < 0.25:
            rng.shuffle(counts)
        return Offer(
            stock_status=rng.choices(STOCK_LEVELS, weights=(4, 3, 3))[0],
            price=price if rng.random() > 0.02 else None,
            bid=round(price * rng.uniform(0.4, 0.7), 2) if rng.random() < 0.6 else None,
            counts=tuple(counts),
            min_vcpu=rng.choice((4, 6, 8, 9, 12, 16)),
            min_memory=rng.choice((15, 24, 31, 41, 62, 125)),
            max_unreserved=rng.randint(0, 16),
        )
    if roll < 0.55:  # out of stock, yet priced: a collector must look at stockStatus
        return Offer(None, price, None, (), rng.choice((4, 8)), rng.choice((24, 62)), 0)
    if roll < 0.75:
        return Offer(None, None, None, (), None, None, None)
    return None


FailureKind = Literal["status", "graphql", "malformed", "shape", "hang", "drop"]


@dataclass
class Failure:
    """How requests for one target fail: ``times`` requests (``None``: all of them)."""

    kind: FailureKind
    times: int | None = None
    status: int = 500
    retry_after: str | None = None
    seconds: float = 1.0


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False
    delay: float = 0.0

    @classmethod
    def json(cls, status: int, document: Any, *headers: tuple[str, str]) -> Reply:
        return cls(
            status, json.dumps(document).encode(), (("Content-Type", "application/json"), *headers)
        )


@dataclass
class Stats:
    connections: int = 0
    requests: int = 0
    #: target ("gpuTypes", "dataCenters" or a GPU type id) -> requests received
    by_target: collections.Counter[str] = field(default_factory=collections.Counter)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    max_in_flight: int = 0


class RunPodSimulator:
    """The RunPod API on ``http://127.0.0.1:PORT/graphql``. Use as a context manager."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        api_key: str = "simulator-key",
        latency: float = 0.0,
        auth_style: Literal["http", "graphql"] = "http",
    ) -> None:
        self.catalogue = catalogue
        self.api_key = api_key
        self.latency = latency
        self.auth_style = auth_style
        self.stats = Stats()
        self._failures: dict[str, Failure] = {}
        self._throttle_left = 0
        self._throttle_retry_after: str | None = None
        self._lock = threading.Lock()
        self._parse_lock = threading.Lock()
        self._in_flight = 0
        self._documents: dict[str, tuple[DocumentNode | None, list[GraphQLError]]] = {}
        self._root = _root_value(catalogue)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------------

    def fail(self, target: str, kind: FailureKind = "status", **options: Any) -> None:
        """Make requests for ``target`` (a GPU type id, ``gpuTypes`` or ``dataCenters``) fail."""
        with self._lock:
            self._failures[target] = Failure(kind, **options)

    def throttle(self, count: int, retry_after: str | None = "1") -> None:
        """Answer the next ``count`` requests with 429 (and this Retry-After, if any)."""
        with self._lock:
            self._throttle_left = count
            self._throttle_retry_after = retry_after

    @property
    def url(self) -> str:
        assert self._server is not None, "simulator not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/graphql"

    def start(self) -> RunPodSimulator:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.simulator = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> RunPodSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving -------------------------------------------------------------------

    def _connected(self) -> None:
        with self._lock:
            self.stats.connections += 1

    def handle(
        self, path: str, authorization: str | None, body: bytes, received: float | None = None
    ) -> Reply:
        """Answer one request (called from the server's handler threads); ``received`` is
        when it arrived (``time.monotonic()``)."""
        received = time.monotonic() if received is None else received
        with self._lock:
            self._in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self._in_flight)
        try:
            reply, target = self._answer(path, authorization, body)
            with self._lock:
                self.stats.requests += 1
                self.stats.by_target[target] += 1
                self.stats.statuses[reply.status] += 1
            # Like a remote server: the answer leaves `latency` after the request came in,
            # the simulator's own work included (so it does not add to the client's time).
            remaining = max(self.latency - (time.monotonic() - received), reply.delay)
            if remaining > 0:
                time.sleep(remaining)
        finally:
            with self._lock:
                self._in_flight -= 1
        return reply

    def _answer(self, path: str, authorization: str | None, body: bytes) -> tuple[Reply, str]:
        if path.split("?")[0] != "/graphql":
            return Reply.json(404, {"errors": [{"message": "not found"}]}), "?"
        if authorization != f"Bearer {self.api_key}":
            if self.auth_style == "graphql":
                error = {"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}
                return Reply.json(200, {"data": None, "errors": [error]}), "?"
            return Reply.json(401, {"errors": [{"message": "Unauthorized"}]}), "?"
        with self._lock:
            throttled = self._throttle_left > 0
            if throttled:
                self._throttle_left -= 1
        if throttled:
            headers = (
                (("Retry-After", self._throttle_retry_after),) if self._throttle_retry_after else ()
            )
            return Reply.json(429, {"errors": [{"message": "Too Many Requests"}]}, *headers), "?"
        try:
            request = json.loads(body)
            query = request["query"]
            variables = request.get("variables") or {}
            assert isinstance(query, str) and isinstance(variables, dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            return Reply.json(400, {"errors": [{"message": "expected JSON with a query"}]}), "?"
        document, errors = self._document(query)
        if document is None:
            return Reply.json(400, {"errors": [e.formatted for e in errors]}), "?"
        target = _target(document, variables)
        failure = self._take_failure(target)
        if failure is not None:
            return _failure_reply(failure, target), target
        result = execute_sync(SCHEMA, document, root_value=self._root, variable_values=variables)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [error.formatted for error in result.errors]
        return Reply.json(200, answer), target

    def _document(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        cached = self._documents.get(query)
        if cached is not None:
            return cached
        with self._parse_lock:  # concurrent first requests parse a text once, not N times
            cached = self._documents.get(query)
            if cached is not None:
                return cached
            try:
                document = parse(query)
            except GraphQLError as error:
                cached = (None, [error])
            else:
                errors = validate(SCHEMA, document)
                cached = (None, list(errors)) if errors else (document, [])
            self._documents[query] = cached
        return cached

    def _take_failure(self, target: str) -> Failure | None:
        with self._lock:
            failure = self._failures.get(target)
            if failure is None:
                return None
            if failure.times is not None:
                if failure.times <= 0:
                    return None
                failure.times -= 1
            return failure


def _failure_reply(failure: Failure, target: str) -> Reply:
    if failure.kind == "status":
        headers = (("Retry-After", failure.retry_after),) if failure.retry_after else ()
        return Reply(failure.status, b"upstream trouble", headers)
    if failure.kind == "graphql":
        error = {"message": f"Something went wrong while pricing {target}"}
        return Reply.json(200, {"data": None, "errors": [error]})
    if failure.kind == "malformed":
        return Reply(200, b'{"data": {"gpuTypes": [', (("Content-Type", "application/json"),))
    if failure.kind == "shape":
        return Reply.json(200, {"data": {"gpuTypes": "not a list", "dataCenters": 42}})
    if failure.kind == "hang":
        return Reply(
            200, b'{"data": null}', (("Content-Type", "application/json"),), delay=failure.seconds
        )
    return Reply(0, drop=True)


def _target(document: DocumentNode, variables: Mapping[str, Any]) -> str:
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


def _root_value(catalogue: Catalogue) -> dict[str, Any]:
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    simulator: RunPodSimulator

    def process_request(self, request: Any, client_address: Any) -> None:
        self.simulator._connected()  # one call per accepted TCP connection
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        received = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        reply = self.server.simulator.handle(
            self.path, self.headers.get("Authorization"), body, received
        )
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)


class SimulatorProcess:
    """The simulator in a child process, so its CPU does not compete with the client's
    event loop for the GIL (what benchmarks want: a server that behaves like a remote one).

    ``stats()`` asks the child for its counters; use as a context manager.
    """

    def __init__(
        self, *, seed: int = 0, gpu_types: int = 40, datacenters: int = 40, **options: Any
    ) -> None:
        self._arguments = (seed, gpu_types, datacenters, options)
        self._process: multiprocessing.process.BaseProcess | None = None
        self.url = ""

    def __enter__(self) -> SimulatorProcess:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, *self._arguments), daemon=True)
        self._process.start()
        self.url = self._conn.recv()
        return self

    def stats(self) -> Stats:
        self._conn.send("stats")
        stats: Stats = self._conn.recv()
        return stats

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._conn.send("stop")
            self._process.join(timeout=10)
            self._process = None


def _serve(conn: Any, seed: int, gpu_types: int, datacenters: int, options: dict[str, Any]) -> None:
    # This process only serves: hand the GIL between handler threads quickly, so a reply
    # whose latency is up does not wait up to 5 ms behind another thread's work.
    sys.setswitchinterval(0.0005)
    catalogue = Catalogue.generate(seed=seed, gpu_types=gpu_types, datacenters=datacenters)
    with RunPodSimulator(catalogue, **options) as simulator:
        conn.send(simulator.url)
        while conn.recv() == "stats":
            with simulator._lock:
                conn.send(copy.deepcopy(simulator.stats))
