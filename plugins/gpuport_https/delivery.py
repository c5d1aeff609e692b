"""Send one batch: a request retried on listed statuses, timeouts and dropped connections.

Delays come from the plugin API's ``RetryPolicy`` (exponential backoff, each wait between
half and all of its delay, a Retry-After header wins, every delay capped). ``sleep`` and
``rand`` are injected so tests run instantly and deterministically. httpx is imported lazily.
"""

from __future__ import annotations

import logging
import random
import ssl
import time
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, TypeVar

import attrs

from gpuport_collectors.plugin_api import RetryPolicy, parse_retry_after

from .tls import TLSSettings, build_ssl_context

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
Scrub = Callable[[str], str]

DEFAULT_RETRY_ON = frozenset({429, 500, 502, 503, 504})
_BODY_EXCERPT = 200
_E = TypeVar("_E", bound=BaseException)


@attrs.frozen
class BatchRequest:
    """One request, fully resolved: what goes on the wire. Never logged or stored."""

    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)


@attrs.frozen
class Outcome:
    """How a batch ended: delivered or not, after how many attempts, and the last error."""

    delivered: bool
    attempts: int
    reason: str | None = None
    status: int | None = None

    @property
    def retried(self) -> bool:
        return self.attempts > 1


@attrs.frozen
class Sender:
    """Sends requests with retries. ``label`` names the destination in log lines."""

    client: httpx.Client
    policy: RetryPolicy
    retry_on: Collection[int] = DEFAULT_RETRY_ON
    sleep: Sleep = time.sleep
    rand: Callable[[], float] = random.random
    scrub: Scrub = str
    label: str = ""

    def send(self, request: BatchRequest) -> Outcome:
        """Try once, then up to ``policy.attempts`` more times while the failure is transient."""
        attempt = 0
        while True:
            attempt += 1
            status, reason, retryable, retry_after = self._try(request)
            if reason is None:
                return Outcome(True, attempt, status=status)
            reason = self.scrub(reason)
            if not retryable or attempt > self.policy.attempts:
                return Outcome(False, attempt, reason, status)
            delay = self.policy.delay(attempt, retry_after, self.rand)
            log.info(
                "%s: %s; retry %d of %d in %.2fs",
                self.label,
                reason,
                attempt,
                self.policy.attempts,
                delay,
            )
            self.sleep(delay)

    def _try(self, request: BatchRequest) -> tuple[int | None, str | None, bool, float | None]:
        """(status, failure reason or None, retryable, Retry-After seconds)."""
        import httpx

        try:
            response = self.client.request(
                request.method, request.url, headers=dict(request.headers), content=request.body
            )
        except httpx.TransportError as error:
            reason, retryable = describe_transport_error(error)
            return None, reason, retryable, None
        except httpx.InvalidURL as error:  # only from a replayed URL resolved to nonsense
            return None, f"invalid URL: {error}", False, None
        status = response.status_code
        if 200 <= status < 300:
            return status, None, False, None
        reason = f"HTTP {status} {response.reason_phrase}".rstrip() + _excerpt(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return status, reason, status in self.retry_on, retry_after


def describe_transport_error(error: BaseException) -> tuple[str, bool]:
    """A one-line reason for a transport failure, and whether retrying may help."""
    import httpx

    verify = _cause(error, ssl.SSLCertVerificationError)
    if verify is not None:
        detail = verify.verify_message or str(verify)
        return f"TLS certificate verification failed: {detail}", False
    alert = _cause(error, ssl.SSLError)
    if alert is not None and "ALERT" in (alert.reason or ""):
        # The server refused the handshake (e.g. no or unknown client certificate):
        # sending again changes nothing.
        detail = (alert.reason or "").lower().replace("_", " ")
        return f"TLS handshake refused by the server: {detail}", False
    name = type(error).__name__
    text = _one_line(str(error))
    reason = f"{name}: {text}" if text else name
    retryable = isinstance(
        error, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
    )
    return reason, retryable


def _cause(error: BaseException, kind: type[_E]) -> _E | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _excerpt(response: httpx.Response) -> str:
    try:
        text = _one_line(response.text)
    except Exception:  # undecodable body: the status says enough
        return ""
    if not text:
        return ""
    if len(text) > _BODY_EXCERPT:
        text = text[:_BODY_EXCERPT] + "…"
    return f": {text}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def open_client(
    tls: TLSSettings, timeout: float, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An httpx client for ``tls``; raise :class:`TLSSetupError` naming a bad file.

    Redirects are not followed: a webhook that moved should be reconfigured, and a
    POST must not silently turn into a GET.
    """
    import httpx

    if transport is not None:  # tests: httpx.MockTransport
        return httpx.Client(transport=transport, timeout=timeout)
    return httpx.Client(verify=build_ssl_context(tls), timeout=timeout)
