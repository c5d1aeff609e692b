"""Retries of the s3 output and of s3:// snapshots, against moto behind a loopback proxy
that injects failures: which failures are retried, how many tries, how long each wait
(the one rule of RetryPolicy), and that a failed upload leaves no object behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING

import pytest

from gpuport_collectors import s3calls
from gpuport_collectors.errors import (
    CollectorError,
    OutputError,
    SnapshotError,
    SnapshotNotFoundError,
)
from gpuport_collectors.protocols import Payload, RunContext
from gpuport_collectors.s3 import S3Access
from gpuport_collectors.s3objects import open_object, write_object
from gpuport_collectors.testing import generate_instances
from gpuport_s3.sink import S3Sink

from . import fakes
from .conftest import SECRET_CANARY
from .faulty_proxy import Answer, Drop, FaultyProxy, Plan, Seen, faulty_proxy

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MakeSink = Callable[[str], S3Sink]
KEY = "/exports/gpus.jsonl"


class Sleeps:
    """A fake ``time.sleep`` that records each wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def proxied(endpoint: str) -> Iterator[Callable[[Plan], FaultyProxy]]:
    """``proxied(plan)``: a faulty proxy in front of the (reset) moto server."""
    with ExitStack() as stack:
        yield lambda plan: stack.enter_context(faulty_proxy(endpoint, plan))


def sink_for(
    make_sink: MakeSink, proxy: FaultyProxy, extra: str = "", rand: float = 1.0
) -> tuple[S3Sink, Sleeps]:
    built = make_sink(
        f"bucket: exports\nendpoint_url: {proxy.url}\nfilename_pattern: gpus.jsonl\n"
        "credentials:\n  access_key_env: TEST_S3_ACCESS_KEY\n  secret_key_env: TEST_S3_SECRET_KEY\n"
        + extra
    )
    sleeps = Sleeps()
    return S3Sink(built.config, sleep=sleeps, rand=lambda: rand), sleeps


def first(count: int, fault: Answer | Drop, method: str = "PUT", path: str = KEY) -> Plan:
    """The first ``count`` requests of ``method`` to ``path`` fail with ``fault``."""

    def plan(seen: Seen, number: int) -> Answer | Drop | None:
        return fault if (seen.method, seen.path) == (method, path) and number <= count else None

    return plan


def stored_keys(admin: S3Client) -> list[str]:
    return [item["Key"] for item in admin.list_objects_v2(Bucket="exports").get("Contents", [])]


@pytest.mark.parametrize(
    ("rand", "expected"),
    [(1.0, [2.0, 6.0]), (0.0, [1.0, 3.0])],  # all, then half, of delay x backoff^(n-1)
)
def test_throttling_is_retried_with_the_policys_waits(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    rand: float,
    expected: list[float],
) -> None:
    proxy = proxied(first(2, Answer(503, "SlowDown")))
    sink, sleeps = sink_for(
        make_sink, proxy, "retry_attempts: 3\nretry_delay: 2\nretry_backoff: 3\n", rand
    )

    result = sink.write(payload, context)

    assert proxy.count("PUT", KEY) == 3  # botocore itself never retried
    assert sleeps.delays == expected
    assert admin.get_object(Bucket=bucket, Key="gpus.jsonl")["Body"].read() == payload.to_bytes()
    assert result.bytes_written == len(payload.to_bytes())


@pytest.mark.parametrize(
    "fault",
    [
        Answer(500, "InternalError"),
        Answer(503, "ServiceUnavailable"),
        Answer(429, "TooManyRequests"),
        Answer(400, "RequestTimeout"),
        Answer(502, "BadGateway"),
        Drop(),
    ],
    ids=lambda fault: getattr(fault, "code", "dropped"),
)
def test_transient_failures_are_retried(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    fault: Answer | Drop,
) -> None:
    proxy = proxied(first(1, fault))
    sink, sleeps = sink_for(make_sink, proxy, "retry_delay: 0.5\n")

    sink.write(payload, context)

    assert proxy.count("PUT", KEY) == 2
    assert sleeps.delays == [0.5]
    assert stored_keys(admin) == ["gpus.jsonl"]


@pytest.mark.parametrize(
    ("sent", "expected"), [("3", 3.0), ("120", 10.0)], ids=["honoured", "capped"]
)
def test_retry_after_replaces_the_backoff_capped_by_retry_max_delay(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    payload: Payload,
    context: RunContext,
    sent: str,
    expected: float,
) -> None:
    proxy = proxied(first(1, Answer(503, "SlowDown", {"Retry-After": sent})))
    sink, sleeps = sink_for(make_sink, proxy, "retry_delay: 1\nretry_max_delay: 10\n")

    sink.write(payload, context)

    assert sleeps.delays == [expected]


def test_gives_up_after_retry_attempts_and_leaves_no_object(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    admin: S3Client,
    payload: Payload,
    context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")  # botocore's own retries stay off
    proxy = proxied(first(99, Answer(500, "InternalError")))
    sink, sleeps = sink_for(make_sink, proxy, "retry_attempts: 2\nretry_delay: 1\n")

    with pytest.raises(OutputError) as caught:
        sink.write(payload, context)

    assert str(caught.value) == (
        "s3://exports/gpus.jsonl: S3 error (HTTP 500, InternalError: injected InternalError); "
        "gave up after 3 attempts"
    )
    assert SECRET_CANARY not in str(caught.value)
    assert proxy.count("PUT", KEY) == 3
    assert sleeps.delays == [1.0, 2.0]
    assert stored_keys(admin) == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Answer(403, "AccessDenied"), "access denied"),
        (Answer(404, "NoSuchBucket"), "the bucket does not exist"),
        (Answer(403, "InvalidAccessKeyId"), "the credentials were rejected"),
        (Answer(400, "InvalidArgument"), "S3 error (HTTP 400, InvalidArgument"),
        (Answer(501, "NotImplemented"), "the store does not support an option"),
    ],
    ids=lambda value: getattr(value, "code", ""),
)
def test_errors_a_retry_cannot_fix_fail_at_once(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    payload: Payload,
    context: RunContext,
    fault: Answer,
    message: str,
) -> None:
    proxy = proxied(first(99, fault))
    sink, sleeps = sink_for(make_sink, proxy)

    with pytest.raises(OutputError) as caught:
        sink.write(payload, context)

    assert str(caught.value).startswith(f"s3://exports/gpus.jsonl: {message}")
    assert "gave up" not in str(caught.value)
    assert proxy.count("PUT", KEY) == 1
    assert sleeps.delays == []


@pytest.fixture
def big_payload(monkeypatch: pytest.MonkeyPatch) -> Payload:
    """A payload of two 5 MiB parts (S3's smallest part size)."""
    monkeypatch.setattr(s3calls, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(s3calls, "MULTIPART_CHUNKSIZE", 5 * 1024 * 1024)
    payload = fakes.lines_payload(generate_instances(400) * 200)
    assert 5 * 1024 * 1024 < len(payload.to_bytes()) < 10 * 1024 * 1024
    return payload


def second_part_fails(times: int) -> Plan:
    failures = 0

    def plan(seen: Seen, number: int) -> Answer | None:
        nonlocal failures
        if seen.method == "PUT" and "partNumber=2" in seen.query and failures < times:
            failures += 1
            return Answer(500, "InternalError")
        return None

    return plan


def test_a_failed_part_retries_the_whole_upload(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    admin: S3Client,
    big_payload: Payload,
    context: RunContext,
) -> None:
    proxy = proxied(second_part_fails(1))
    sink, sleeps = sink_for(make_sink, proxy)

    sink.write(big_payload, context)

    stored = admin.get_object(Bucket=bucket, Key="gpus.jsonl")
    assert stored["Body"].read() == big_payload.to_bytes()
    assert stored["ETag"].strip('"').endswith("-2")
    starts = [r for r in proxy.requests if r.method == "POST" and r.query == "uploads"]
    aborts = [r for r in proxy.requests if r.method == "DELETE"]
    assert (len(starts), len(aborts)) == (2, 1)  # the failed upload aborted, then sent again
    assert sleeps.delays == [5.0]
    assert admin.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_a_multipart_upload_that_keeps_failing_leaves_nothing(
    make_sink: MakeSink,
    proxied: Callable[[Plan], FaultyProxy],
    bucket: str,
    admin: S3Client,
    big_payload: Payload,
    context: RunContext,
) -> None:
    proxy = proxied(second_part_fails(99))
    sink, sleeps = sink_for(make_sink, proxy, "retry_attempts: 1\n")

    with pytest.raises(OutputError, match="gave up after 2 attempts"):
        sink.write(big_payload, context)

    assert stored_keys(admin) == []
    assert admin.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert len([r for r in proxy.requests if r.method == "DELETE"]) == 2
    assert sleeps.delays == [5.0]


# -- s3:// snapshots: the same rule, with the defaults (no options there) --------------------


@pytest.fixture
def proxied_keys(
    proxied: Callable[[Plan], FaultyProxy], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Plan], FaultyProxy]:
    """``proxied``, with keys in the default chain's variables (moto accepts any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDGPUPORTTEST0001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_CANARY)
    return proxied


def test_a_snapshot_write_is_retried_with_the_default_policy(
    proxied_keys: Callable[[Plan], FaultyProxy], bucket: str, admin: S3Client
) -> None:
    proxy = proxied_keys(first(2, Answer(503, "SlowDown"), path="/exports/snap.json"))
    sleeps = Sleeps()

    size = write_object(
        "s3://exports/snap.json",
        [b"[", b"]"],
        content_type="application/json",
        access=S3Access(endpoint_url=proxy.url),
        sleep=sleeps,
        rand=lambda: 1.0,
    )

    assert size == 2
    assert sleeps.delays == [5.0, 10.0]  # RetryOptions' defaults: 5 s, backoff 2
    assert admin.get_object(Bucket=bucket, Key="snap.json")["Body"].read() == b"[]"


def test_a_snapshot_write_that_keeps_failing_is_worth_retrying_later(
    proxied_keys: Callable[[Plan], FaultyProxy], bucket: str, admin: S3Client
) -> None:
    proxy = proxied_keys(first(99, Answer(503, "ServiceUnavailable"), path="/exports/snap.json"))
    sleeps = Sleeps()

    with pytest.raises(OutputError, match="gave up after 4 attempts") as caught:
        write_object(
            "s3://exports/snap.json",
            [b"[]"],
            content_type="application/json",
            access=S3Access(endpoint_url=proxy.url),
            sleep=sleeps,
            rand=lambda: 0.0,
        )

    assert not isinstance(caught.value, SnapshotError)  # exit 1, not 2
    assert sleeps.delays == [2.5, 5.0, 10.0]
    assert stored_keys(admin) == []


def test_a_snapshot_read_is_retried(
    proxied_keys: Callable[[Plan], FaultyProxy], bucket: str, admin: S3Client
) -> None:
    admin.put_object(Bucket=bucket, Key="snap.json", Body=b'{"instances": []}')
    proxy = proxied_keys(first(1, Drop(), method="GET", path="/exports/snap.json"))
    sleeps = Sleeps()

    with open_object(
        "s3://exports/snap.json", S3Access(endpoint_url=proxy.url), sleep=sleeps, rand=lambda: 1.0
    ) as stream:
        assert stream.read() == b'{"instances": []}'

    assert proxy.count("GET", "/exports/snap.json") == 2
    assert sleeps.delays == [5.0]


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Answer(404, "NoSuchKey"), SnapshotNotFoundError),
        (Answer(403, "AccessDenied"), SnapshotError),
    ],
)
def test_a_snapshot_read_a_retry_cannot_fix_fails_at_once(
    proxied_keys: Callable[[Plan], FaultyProxy], bucket: str, fault: Answer, kind: type[Exception]
) -> None:
    proxy = proxied_keys(first(99, fault, method="GET", path="/exports/snap.json"))
    sleeps = Sleeps()

    with pytest.raises(kind):
        open_object("s3://exports/snap.json", S3Access(endpoint_url=proxy.url), sleep=sleeps)

    assert proxy.count("GET", "/exports/snap.json") == 1
    assert sleeps.delays == []


def test_a_snapshot_read_that_keeps_failing_is_a_collector_error(
    proxied_keys: Callable[[Plan], FaultyProxy], bucket: str
) -> None:
    proxy = proxied_keys(
        first(99, Answer(500, "InternalError"), method="GET", path="/exports/s.json")
    )
    sleeps = Sleeps()

    with pytest.raises(CollectorError, match=r"cannot read snapshot: .*gave up after 4 attempts"):
        open_object("s3://exports/s.json", S3Access(endpoint_url=proxy.url), sleep=sleeps)

    assert proxy.count("GET", "/exports/s.json") == 4
    assert len(sleeps.delays) == 3
