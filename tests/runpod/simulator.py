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
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from graphql import DocumentNode, GraphQLError, execute_sync, parse, validate

from .catalogue import Catalogue
from .schema import SCHEMA, query_target, root_value

__all__ = ["SCHEMA", "Catalogue", "RunPodSimulator", "SimulatorProcess", "Stats"]

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
        self._root = root_value(catalogue)
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
        target = query_target(document, variables)
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
