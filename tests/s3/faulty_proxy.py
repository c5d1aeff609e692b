"""A loopback HTTP proxy in front of the moto server that fails the requests a plan names.

Each request is passed to ``plan(request, number)`` (``number``: 1-based, per method and
path without the query): ``None`` forwards it to moto unchanged, an :class:`Answer`
replies with an S3 error document instead, a :class:`Drop` closes the connection without
a reply. Real HTTP on both sides, so botocore sees what it would see from a failing store.
"""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import attrs

#: Hop-by-hop headers, and those the proxy recomputes.
_SKIPPED = frozenset({"connection", "keep-alive", "transfer-encoding", "expect", "content-length"})


@attrs.frozen
class Seen:
    """One request as the proxy received it."""

    method: str
    path: str  # without the query
    query: str


@attrs.frozen
class Answer:
    """Reply with ``status`` and an S3 error document of ``code``."""

    status: int
    code: str
    headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Drop:
    """Close the connection without replying (botocore: connection closed)."""


Fault = Answer | Drop
Plan = Callable[[Seen, int], Fault | None]


@attrs.define
class FaultyProxy:
    url: str
    requests: list[Seen] = attrs.field(factory=list)
    failed: list[Seen] = attrs.field(factory=list)

    def count(self, method: str, path: str | None = None) -> int:
        return sum(
            1 for r in self.requests if r.method == method and (path is None or r.path == path)
        )


@contextmanager
def faulty_proxy(upstream: str, plan: Plan) -> Iterator[FaultyProxy]:
    """A proxy to ``upstream`` (moto's base URL) on a free loopback port."""
    target = urlsplit(upstream)
    numbers: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()
    proxy = FaultyProxy(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue as botocore expects

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _handle(self) -> None:
            path, _, query = self.path.partition("?")
            seen = Seen(self.command, path, query)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                proxy.requests.append(seen)
                numbers[(seen.method, seen.path)] += 1
                fault = plan(seen, numbers[(seen.method, seen.path)])
                if fault is not None:
                    proxy.failed.append(seen)
            if isinstance(fault, Drop):
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if isinstance(fault, Answer):
                document = (
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{fault.code}</Code>'
                    f"<Message>injected {fault.code}</Message></Error>"
                ).encode()
                self._reply(fault.status, {**fault.headers, "Content-Type": "application/xml"},
                            document)  # fmt: skip
                return
            self._forward(body)

        def _forward(self, body: bytes) -> None:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _SKIPPED}
                headers["Content-Length"] = str(len(body))
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                answer = {k: v for k, v in response.getheaders() if k.lower() not in _SKIPPED}
            finally:
                connection.close()
            self._reply(response.status, answer, data)

        def _reply(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
