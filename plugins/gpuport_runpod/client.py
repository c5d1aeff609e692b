"""One GraphQL request with retries, turned into its ``data`` or a clear error.

Retried (exponential backoff, each wait between half and all of its delay, Retry-After
honoured and capped): HTTP 429 and 5xx, timeouts, connection errors. Not retried: a
rejected key (``AuthenticationError``), a GraphQL ``errors`` array, malformed JSON, an
unexpected shape (``QueryError``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs

from gpuport_collectors.plugin_api import (
    AuthenticationError,
    CollectorError,
    Redactor,
    RetryPolicy,
    Secret,
    parse_retry_after,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

REJECTED_KEY = (
    "RunPod rejected the API key ({why}); check --api-key, RUNPOD_API_KEY "
    "or api_key in the collector config"
)
_AUTH_CODES = {"UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN"}
_AUTH_WORDS = re.compile(r"unauthori[sz]ed|unauthenticated|authenticat|api[ _-]?key", re.I)


class QueryError(CollectorError):
    """A query failed for good. ``query`` names it; ``reason`` says why (never a secret)."""

    def __init__(self, query: str, reason: str) -> None:
        self.query = query
        self.reason = reason
        super().__init__(f"RunPod {query}: {reason}")


@attrs.frozen
class _Retry:
    reason: str
    retry_after: float | None = None


class GraphQLClient:
    """Sends queries through one shared ``httpx.AsyncClient``.

    At most ``concurrency`` requests are in flight; a request waiting to retry holds no
    slot. A Retry-After from the server pauses every request, not only the one that got it.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        api_key: Secret,
        *,
        policy: RetryPolicy,
        concurrency: int,
        timeout: float,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._url = url
        self._key = api_key
        self._redact = Redactor([api_key.reveal()])
        self._policy = policy
        self._semaphore = asyncio.Semaphore(concurrency)
        self._timeout = timeout
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self._resume_at = 0.0
        self.requests = 0
        self.retries = 0

    async def execute(
        self, name: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST ``query``; return its ``data`` object or raise ``QueryError`` naming ``name``."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        retry = 0
        while True:
            async with self._semaphore:
                # Checked with the slot held, so no queued request slips past a Retry-After.
                wait = self._resume_at - self._clock()
                if wait > 0:
                    log.debug("RunPod %s waits %.2f s (server asked to retry later)", name, wait)
                    await self._sleep(wait)
                started = self._clock()
                outcome = await self._send(name, body)
                elapsed = self._clock() - started
                if isinstance(outcome, _Retry):
                    retry += 1
                    if retry > self._policy.attempts:
                        raise QueryError(
                            name,
                            f"{outcome.reason} (gave up after {_attempts(retry)})",
                        )
                    delay = self._policy.delay(retry, outcome.retry_after, self._rand)
                    if outcome.retry_after is not None:
                        self._resume_at = max(self._resume_at, self._clock() + delay)
            if isinstance(outcome, _Retry):
                self.retries += 1
                log.info(
                    "RunPod %s: %s after %.3f s; retry %d of %d in %.2f s",
                    name,
                    outcome.reason,
                    elapsed,
                    retry,
                    self._policy.attempts,
                    delay,
                )
                await self._sleep(delay)
                continue
            # Yield once so a queued request takes the freed slot before we parse this answer.
            await asyncio.sleep(0)
            data = self._decode(name, outcome)
            log.debug("RunPod %s answered in %.3f s", name, elapsed)
            return data

    async def _send(self, name: str, body: bytes) -> httpx.Response | _Retry:
        """One POST: the response, a reason to retry, or ``AuthenticationError``."""
        import httpx

        headers = {
            "Authorization": f"Bearer {self._key.reveal()}",
            "Content-Type": "application/json",
        }
        self.requests += 1
        try:
            response = await self._http.post(self._url, content=body, headers=headers)
        except httpx.TimeoutException:
            return _Retry(f"no answer within {self._timeout:g} s")
        except httpx.TransportError as error:
            detail = self._redact(str(error)) or type(error).__name__
            return _Retry(f"connection failed ({detail})")
        except httpx.DecodingError:
            raise QueryError(name, "the answer could not be decoded") from None
        status = response.status_code
        if status in (401, 403):
            raise AuthenticationError(REJECTED_KEY.format(why=f"HTTP {status}"))
        if status == 429 or status >= 500:
            return _Retry(f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After")))
        return response

    def _decode(self, name: str, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        try:
            document = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise QueryError(
                name, f"HTTP {status}" if status != 200 else "the answer is not valid JSON"
            ) from None
        if not isinstance(document, dict):
            raise QueryError(name, "unexpected answer: expected a JSON object")
        errors = document.get("errors")
        if errors:
            if _is_auth_error(errors):
                raise AuthenticationError(REJECTED_KEY.format(why="GraphQL authentication error"))
            raise QueryError(name, "GraphQL error: " + self._redact(_messages(errors)))
        if status != 200:
            raise QueryError(name, f"HTTP {status}")
        data = document.get("data")
        if not isinstance(data, dict):
            raise QueryError(name, "unexpected answer: no 'data' object")
        return data


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def _messages(errors: Any) -> str:
    items = errors if isinstance(errors, list) else [errors]
    messages = []
    for item in items[:3]:
        message = item.get("message") if isinstance(item, dict) else item
        messages.append(str(message)[:200])
    more = f" (and {len(items) - 3} more)" if len(items) > 3 else ""
    return "; ".join(messages) + more


def _is_auth_error(errors: Any) -> bool:
    for item in errors if isinstance(errors, list) else [errors]:
        if not isinstance(item, dict):
            continue
        extensions = item.get("extensions")
        code = extensions.get("code") if isinstance(extensions, dict) else None
        if isinstance(code, str) and code.upper() in _AUTH_CODES:
            return True
        if _AUTH_WORDS.search(str(item.get("message", ""))):
            return True
    return False
