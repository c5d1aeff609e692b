"""GraphQLClient on httpx.MockTransport: how each kind of answer is classified."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gpuport_collectors.errors import AuthenticationError
from gpuport_collectors.retry import RetryPolicy
from gpuport_collectors.secrets import Secret
from gpuport_runpod.client import GraphQLClient, QueryError

from .conftest import CANARY

Handler = Callable[[httpx.Request], httpx.Response]


class RecordingSleep:
    """Records delays; the clock moves only after other tasks had a turn, like real time."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = 100.0

    async def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)
        self.now += seconds


def execute_all(
    handler: Handler, *names: str, concurrency: int = 2, attempts: int = 2
) -> tuple[list[Any], RecordingSleep, GraphQLClient]:
    sleep = RecordingSleep()

    async def main() -> tuple[list[Any], GraphQLClient]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = GraphQLClient(
                http,
                "https://api.test/graphql",
                Secret.literal(CANARY),
                policy=RetryPolicy(attempts=attempts, initial=1.0),
                concurrency=concurrency,
                timeout=5.0,
                sleep=sleep,
                rand=lambda: 1.0,
                clock=lambda: sleep.now,
            )
            results = await asyncio.gather(
                *(client.execute(name, "query Q { x }") for name in names),
                return_exceptions=True,
            )
            return list(results), client

    results, client = asyncio.run(main())
    return results, sleep, client


def answer(status: int, document: Any = None, **kwargs: Any) -> httpx.Response:
    if document is None:
        return httpx.Response(status, **kwargs)
    return httpx.Response(status, json=document, **kwargs)


def test_sends_bearer_key_and_json_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(200, {"data": {"x": 1}})

    (result,), _, _ = execute_all(handler, "q")
    assert result == {"x": 1}
    assert seen[0].headers["Authorization"] == f"Bearer {CANARY}"
    assert json.loads(seen[0].content) == {"query": "query Q { x }", "variables": {}}


def test_a_queued_request_waits_out_retry_after() -> None:
    calls = iter([answer(429, headers={"Retry-After": "4"})])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(calls, None) or answer(200, {"data": {}})

    results, sleep, client = execute_all(handler, "first", "second", concurrency=1)
    assert results == [{}, {}]
    # "first" got the 429 and waits 4 s; "second", queued behind it, waits the same 4 s
    # instead of going out right away.
    assert sorted(sleep.sleeps) == [4.0, 4.0]
    assert client.retries == 1


@pytest.mark.parametrize(
    "error",
    [
        {"message": "Unauthorized"},
        {"message": "Invalid API key provided"},
        {"message": "nope", "extensions": {"code": "UNAUTHENTICATED"}},
        {"message": "nope", "extensions": {"code": "FORBIDDEN"}},
    ],
)
def test_auth_errors_in_the_errors_array(error: dict[str, Any]) -> None:
    (result,), sleep, client = execute_all(
        lambda request: answer(200, {"data": None, "errors": [error]}), "q"
    )
    assert isinstance(result, AuthenticationError)
    assert client.requests == 1 and sleep.sleeps == []


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            answer(400, {"errors": [{"message": "Cannot query field 'x'"}]}),
            "GraphQL error: Cannot query field 'x'",
        ),
        (
            answer(200, {"errors": [{"message": f"bad key {CANARY}?"}]}),
            "GraphQL error: bad key ***?",
        ),
        (answer(404, content=b"<html>not here</html>"), "HTTP 404"),
        (answer(200, content=b"<html>"), "the answer is not valid JSON"),
        (answer(200, [1, 2]), "unexpected answer: expected a JSON object"),
        (answer(200, {"data": "x"}), "unexpected answer: no 'data' object"),
        (
            answer(200, {"errors": [{"message": m} for m in "abcde"]}),
            "GraphQL error: a; b; c (and 2 more)",
        ),
    ],
)
def test_answers_that_are_not_retried(response: httpx.Response, reason: str) -> None:
    (result,), sleep, client = execute_all(lambda request: response, "the query")
    assert isinstance(result, QueryError)
    assert result.reason == reason
    assert str(result) == f"RunPod the query: {reason}"
    assert CANARY not in str(result)
    assert client.requests == 1 and sleep.sleeps == []


def test_gives_up_after_the_configured_retries() -> None:
    (result,), sleep, client = execute_all(lambda request: answer(500), "q", attempts=2)
    assert isinstance(result, QueryError)
    assert result.reason == "HTTP 500 (gave up after 3 attempts)"
    assert client.requests == 3
    assert sleep.sleeps == [1.0, 2.0]  # exponential, full jitter at its top (rand = 1.0)


def test_connection_errors_are_retried() -> None:
    calls = iter([httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])

    def handler(request: httpx.Request) -> httpx.Response:
        error = next(calls, None)
        if error is not None:
            raise error
        return answer(200, {"data": {"ok": True}})

    (result,), sleep, client = execute_all(handler, "q", attempts=3)
    assert result == {"ok": True}
    assert client.retries == 2 and len(sleep.sleeps) == 2
