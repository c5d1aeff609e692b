"""A threaded HTTPS server on 127.0.0.1 whose every answer is scripted by the test.

The server records each request (method, path, headers, body, client certificate) and,
like a well-behaved webhook receiver, keeps the first copy of every Idempotency-Key it
processes and counts the duplicates. A ``plan(request, seen)`` function decides the
answer, where ``seen`` is how many times that key has arrived (1 the first time):

* ``Reply(status, headers, body)``
* ``Drop(process=True)``: close the connection without answering (after processing
  the request when ``process`` is true: the client cannot tell whether it arrived)
* ``Stall(seconds)``: wait, then answer 200 (to make the client time out)
"""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs


@attrs.frozen
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    peer_cert: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return self.headers.get("idempotency-key", "")


@attrs.frozen
class Reply:
    status: int = 200
    headers: dict[str, str] = attrs.Factory(dict)
    body: bytes = b""


@attrs.frozen
class Drop:
    process: bool = True


@attrs.frozen
class Stall:
    seconds: float


Action = Reply | Drop | Stall
Plan = Callable[[Received, int], Action]


def always_ok(request: Received, seen: int) -> Action:
    return Reply(200, body=b'{"ok": true}')


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        peer = self.request.getpeercert() if isinstance(self.request, ssl.SSLSocket) else None
        received = Received(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            peer_cert=peer or None,
        )
        action = self.server.owner.receive(received)
        if isinstance(action, Drop):
            self.close_connection = True
            self.request.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(action, Stall):
            time.sleep(action.seconds)
            action = Reply(200)
        self.send_response(action.status)
        for name, value in action.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(action.body)))
        self.end_headers()
        self.wfile.write(action.body)

    do_PUT = do_PATCH = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: TLSServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Failed handshakes and dropped connections are part of the tests.
        pass


class TLSServer:
    """Start with ``with TLSServer(context, plan) as server:``; ``server.url`` is its base."""

    def __init__(self, context: ssl.SSLContext, plan: Plan = always_ok, host: str = "127.0.0.1"):
        self.context = context
        self.plan = plan
        self.host = host
        self.requests: list[Received] = []
        self.accepted: dict[str, Received] = {}
        self.duplicates: Counter[str] = Counter()
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def receive(self, request: Received) -> Action:
        with self._lock:
            self.requests.append(request)
            self._seen[request.key] += 1
            seen = self._seen[request.key]
        action = self.plan(request, seen)
        processed = (isinstance(action, Reply) and 200 <= action.status < 300) or (
            isinstance(action, Drop) and action.process
        )
        if processed:
            with self._lock:
                if request.key in self.accepted:
                    self.duplicates[request.key] += 1
                else:
                    self.accepted[request.key] = request
        return action

    def __enter__(self) -> TLSServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._server.socket = self.context.wrap_socket(
            self._server.socket, server_side=True, do_handshake_on_connect=False
        )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"
