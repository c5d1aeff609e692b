"""Batching and request shape, against the local TLS server."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from gpuport_collectors.testing import generate_instances
from tests.https.https_helpers import (
    CSV_FIELDS,
    context,
    csv_payload,
    https_config,
    json_payload,
    make_sink,
    metrics_payload,
    write,
)


def ca_options(certs, server, **options):
    return {"url": f"{server.url}/hook", "ca_bundle": str(certs.ca_file), **options}


def test_json_array_split_into_batches_of_instances(certs, server):
    srv = server()
    rows = generate_instances(250, seed=3)
    sink, sleep = make_sink(https_config(**ca_options(certs, srv, batch_size=100)))

    result = write(sink, json_payload(rows), context())

    assert result.success and result.error is None
    assert (result.batches_sent, result.batches_failed, result.batches_retried) == (3, 0, 0)
    bodies = [json.loads(request.body) for request in srv.requests]
    assert [len(body) for body in bodies] == [100, 100, 50]
    sent_types = [record["instance_type"] for body in bodies for record in body]
    assert sent_types == [row.instance_type for row in rows]
    assert result.bytes_written == sum(len(request.body) for request in srv.requests)
    assert result.destination == f"{srv.url}/hook"
    assert result.output_type == "https"
    assert sleep.delays == []


def test_all_in_one_request_by_default(certs, server):
    srv = server()
    rows = generate_instances(40, seed=1)
    sink, _ = make_sink(https_config(**ca_options(certs, srv)))

    result = write(sink, json_payload(rows), context())

    assert result.batches_sent == 1
    assert len(srv.requests) == 1
    assert len(json.loads(srv.requests[0].body)) == 40


def test_request_method_path_and_content_type(certs, server):
    srv = server()
    sink, _ = make_sink(https_config(**ca_options(certs, srv, method="PUT")))

    write(sink, json_payload(generate_instances(3)), context())

    (request,) = srv.requests
    assert request.method == "PUT"
    assert request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("gpuport-collectors/")


def test_configured_header_overrides_content_type(certs, server):
    srv = server()
    options = ca_options(certs, srv, headers={"content-type": "application/vnd.gpu+json"})
    sink, _ = make_sink(https_config(**options))

    write(sink, json_payload(generate_instances(3)), context())

    assert srv.requests[0].headers["content-type"] == "application/vnd.gpu+json"


def test_csv_batches_each_repeat_the_header(certs, server):
    srv = server()
    rows = generate_instances(25, seed=2)
    sink, _ = make_sink(https_config(**ca_options(certs, srv, batch_size=10, method="PATCH")))

    result = write(sink, csv_payload(rows), context())

    assert result.batches_sent == 3
    tables = [list(csv.reader(io.StringIO(r.body.decode()))) for r in srv.requests]
    assert [table[0] for table in tables] == [list(CSV_FIELDS)] * 3
    assert [len(table) - 1 for table in tables] == [10, 10, 5]
    assert srv.requests[0].headers["content-type"] == "text/csv"
    assert {r.method for r in srv.requests} == {"PATCH"}


def test_metrics_document_is_one_request_whatever_the_batch_size(certs, server):
    srv = server()
    sink, _ = make_sink(https_config(**ca_options(certs, srv, batch_size=5)))

    result = write(sink, metrics_payload(generate_instances(60)), context())

    assert result.batches_sent == 1
    assert [json.loads(r.body) for r in srv.requests] == [{"total": 60}]


def test_gzip_body_with_content_encoding(certs, server):
    srv = server()
    rows = generate_instances(30)
    sink, _ = make_sink(https_config(**ca_options(certs, srv, compression="gzip", batch_size=20)))

    result = write(sink, json_payload(rows), context())

    assert result.batches_sent == 2
    for request in srv.requests:
        assert request.headers["content-encoding"] == "gzip"
        assert request.headers["content-type"] == "application/json"
    decoded = [json.loads(gzip.decompress(r.body)) for r in srv.requests]
    assert sum(len(batch) for batch in decoded) == 30
    assert result.bytes_written == sum(len(r.body) for r in srv.requests)


def test_batch_delay_waits_between_batches_only(certs, server):
    srv = server()
    sink, sleep = make_sink(https_config(**ca_options(certs, srv, batch_size=10, batch_delay=1.5)))

    write(sink, json_payload(generate_instances(35)), context())

    assert len(srv.requests) == 4
    assert sleep.delays == [1.5, 1.5, 1.5]


def test_each_batch_has_its_own_idempotency_key(certs, server):
    srv = server()
    sink, _ = make_sink(https_config(**ca_options(certs, srv, batch_size=10)))

    write(sink, json_payload(generate_instances(30)), context())

    keys = [request.key for request in srv.requests]
    assert len(set(keys)) == 3
    assert all(len(key) == 36 for key in keys)


def test_idempotency_keys_are_stable_for_a_run_and_differ_between_runs(certs, server):
    srv = server()
    sink, _ = make_sink(https_config(**ca_options(certs, srv, batch_size=10)))
    payload = json_payload(generate_instances(20))

    write(sink, payload, context("daily"))
    write(sink, payload, context("daily"))
    write(sink, payload, context("hourly"))

    keys = [request.key for request in srv.requests]
    assert keys[0:2] == keys[2:4]
    assert not set(keys[4:6]) & set(keys[0:2])


@pytest.mark.parametrize(
    ("count", "batch_size", "expected"), [(250, 100, 3), (0, 100, 1), (10, None, 1), (100, 100, 1)]
)
def test_describe_reports_url_and_batch_count_without_sending(
    certs, server, count, batch_size, expected
):
    srv = server()
    sink, _ = make_sink(https_config(**ca_options(certs, srv, batch_size=batch_size)))

    result = sink.describe(json_payload(generate_instances(count)), context())

    assert result.destination == f"{srv.url}/hook"
    assert result.batches_sent == expected
    assert result.dry_run
    assert srv.requests == []


def test_describe_counts_one_request_for_a_metrics_document(certs, server):
    sink, _ = make_sink(https_config(**ca_options(certs, server(), batch_size=2)))

    result = sink.describe(metrics_payload(generate_instances(9)), context())

    assert result.batches_sent == 1
