"""Retries: listed statuses, timeouts, dropped connections, Retry-After, backoff with jitter."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import socket

import httpx
import pytest
from https_helpers import context, https_config, json_payload, make_sink
from https_testserver import Drop, Reply, Stall

from gpuport_collectors.testing import generate_instances


def options(certs, srv, **extra):
    return {"url": f"{srv.url}/hook", "ca_bundle": str(certs.ca_file), **extra}


def test_flaky_endpoint_gets_every_batch_exactly_once_by_key(certs, server):
    """503 + Retry-After, then a connection dropped after processing: the retry reuses
    the key, so the receiver keeps one copy of every batch."""

    def plan(request, seen):
        if seen == 1:
            return Reply(503, {"Retry-After": "2"})
        if seen == 2:
            return Drop(process=True)
        return Reply(200)

    srv = server(plan)
    rows = generate_instances(95, seed=5)
    sink, sleep = make_sink(https_config(**options(certs, srv, batch_size=20)))

    result = sink.write(json_payload(rows), context())

    assert result.success
    assert (result.batches_sent, result.batches_retried, result.batches_failed) == (5, 5, 0)
    assert len(srv.requests) == 15  # three tries per batch, every try with the same key
    assert len(srv.accepted) == 5
    assert set(srv.duplicates.values()) == {1}  # the retry after the drop, dropped by key
    received = [
        record["instance_type"]
        for key in dict.fromkeys(r.key for r in srv.requests)
        for record in json.loads(srv.accepted[key].body)
    ]
    assert received == [row.instance_type for row in rows]
    # Retry-After (2s) before the second try; backoff (5s * 2 ** 1, rand 1.0) before the third.
    assert sleep.delays == [2.0, 10.0] * 5


def test_dropped_connection_before_processing_is_retried(certs, server):
    srv = server(lambda request, seen: Drop(process=False) if seen == 1 else Reply(201))
    sink, sleep = make_sink(https_config(**options(certs, srv, retry_delay=0.5)))

    result = sink.write(json_payload(generate_instances(4)), context())

    assert result.success and result.batches_retried == 1
    assert len(srv.requests) == 2 and len(srv.accepted) == 1
    assert sleep.delays == [0.5]


def test_timeout_is_retried(certs, server):
    # Wide margins: a loaded CI machine must not time out the healthy second try.
    srv = server(lambda request, seen: Stall(4.0) if seen == 1 else Reply(200))
    sink, _ = make_sink(https_config(**options(certs, srv, timeout=1.5, retry_delay=0)))

    result = sink.write(json_payload(generate_instances(4)), context())

    assert result.success
    assert (result.batches_sent, result.batches_retried) == (1, 1)
    first, second = (r.key for r in srv.requests)
    assert first == second


def test_gives_up_after_retry_attempts(certs, server):
    srv = server(lambda request, seen: Reply(502, body=b"upstream down"))
    sink, sleep = make_sink(
        https_config(**options(certs, srv, retry_attempts=2, retry_delay=1, retry_backoff=3))
    )

    result = sink.write(json_payload(generate_instances(4)), context())

    assert not result.success
    assert (result.batches_sent, result.batches_retried, result.batches_failed) == (0, 1, 1)
    assert len(srv.requests) == 3
    assert sleep.delays == [1.0, 3.0]
    assert result.error is not None and "\n" not in result.error
    assert "1 of 1 batches failed" in result.error
    assert "HTTP 502 Bad Gateway: upstream down" in result.error
    assert f"{srv.url}/hook" in result.error


def test_status_not_listed_is_not_retried(certs, server):
    srv = server(lambda request, seen: Reply(400, body=b'{"error": "bad field price"}'))
    sink, sleep = make_sink(https_config(**options(certs, srv)))

    result = sink.write(json_payload(generate_instances(4)), context())

    assert result.batches_failed == 1 and result.batches_retried == 0
    assert len(srv.requests) == 1
    assert sleep.delays == []
    assert 'HTTP 400 Bad Request: {"error": "bad field price"}' in (result.error or "")


def test_retry_on_status_is_configurable(certs, server):
    srv = server(lambda request, seen: Reply(409) if seen == 1 else Reply(200))
    sink, _ = make_sink(https_config(**options(certs, srv, retry_on_status=[409])))

    result = sink.write(json_payload(generate_instances(4)), context())

    assert result.success and result.batches_retried == 1


def test_default_statuses_no_longer_retried_when_list_replaced(certs, server):
    srv = server(lambda request, seen: Reply(503))
    sink, _ = make_sink(https_config(**options(certs, srv, retry_on_status=[429])))

    result = sink.write(json_payload(generate_instances(4)), context())

    assert result.batches_failed == 1 and len(srv.requests) == 1


def test_connection_refused_is_retried_then_reported(certs):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = https_config(url=f"https://127.0.0.1:{port}/hook", ca_bundle=str(certs.ca_file))
    sink, sleep = make_sink(config)

    result = sink.write(json_payload(generate_instances(2)), context())

    assert result.batches_failed == 1
    assert len(sleep.delays) == 3  # retry_attempts default
    assert "ConnectError" in (result.error or "")


# -- delays, checked through httpx.MockTransport ------------------------------------------


def mock_sink(handler, **extra):
    config = https_config(url="https://hooks.example.org/gpu", **extra)
    return make_sink(config, transport=httpx.MockTransport(handler))


def test_retry_after_http_date_is_honoured():
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    date = email.utils.format_datetime(moment, usegmt=True)
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(429 if len(calls) == 1 else 200, headers={"Retry-After": date})

    sink, sleep = mock_sink(handler)
    sink.write(json_payload(generate_instances(2)), context())

    (delay,) = sleep.delays
    assert 20 < delay <= 30


def test_retry_after_is_capped_by_retry_max_delay():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503 if len(calls) == 1 else 200, headers={"Retry-After": "3600"})

    sink, sleep = mock_sink(handler, retry_max_delay=7)
    sink.write(json_payload(generate_instances(2)), context())

    assert sleep.delays == [7.0]


def test_unusable_retry_after_falls_back_to_backoff():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503 if len(calls) == 1 else 200, headers={"Retry-After": "soon"})

    sink, sleep = mock_sink(handler, retry_delay=2)
    sink.write(json_payload(generate_instances(2)), context())

    assert sleep.delays == [2.0]


@pytest.mark.parametrize(
    ("rand", "expected"),
    [(1.0, [1.5, 3.0, 6.0, 12.0]), (0.5, [1.125, 2.25, 4.5, 9.0]), (0.0, [0.75, 1.5, 3.0, 6.0])],
)
def test_exponential_backoff_waits_half_to_all_of_each_delay(rand, expected):
    sink, sleep = mock_sink(
        lambda request: httpx.Response(500),
        retry_attempts=4,
        retry_delay=1.5,
        retry_backoff=2.0,
    )
    sink.rand = lambda: rand

    result = sink.write(json_payload(generate_instances(2)), context())

    assert sleep.delays == expected
    assert result.batches_failed == 1


def test_backoff_delays_are_capped_by_retry_max_delay():
    sink, sleep = mock_sink(
        lambda request: httpx.Response(500),
        retry_attempts=4,
        retry_delay=10,
        retry_backoff=3,
        retry_max_delay=25,
    )

    sink.write(json_payload(generate_instances(2)), context())

    assert sleep.delays == [10.0, 25.0, 25.0, 25.0]


def test_zero_retry_attempts_means_one_try():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503)

    sink, sleep = mock_sink(handler, retry_attempts=0)
    result = sink.write(json_payload(generate_instances(2)), context())

    assert len(calls) == 1 and sleep.delays == [] and result.batches_failed == 1


def test_some_batches_fail_others_still_sent():
    keys = []

    def handler(request):
        keys.append(request.headers["Idempotency-Key"])
        second_batch = list(dict.fromkeys(keys))[1:2]
        return httpx.Response(422 if keys[-1] in second_batch else 200)

    sink, _ = mock_sink(handler, batch_size=10)

    result = sink.write(json_payload(generate_instances(30, seed=9)), context())

    assert not result.success
    assert (result.batches_sent, result.batches_failed) == (2, 1)
    assert len(keys) == 3
    assert (result.error or "").startswith("1 of 3 batches failed to reach")
