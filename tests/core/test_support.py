"""Atomic writes, filename patterns, retry timing and secrets."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpuport_collectors.atomic import atomic_write
from gpuport_collectors.errors import OptionError
from gpuport_collectors.filenames import check_filename_pattern, render_filename
from gpuport_collectors.retry import RetryOptions, RetryPolicy, parse_retry_after
from gpuport_collectors.secrets import MissingVariableError, Secret, resolve

MOMENT = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"partial"
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "out.json", chunks())
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_without_overwrite_keeps_existing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        atomic_write(target, [b"new"], overwrite=False)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
    assert atomic_write(target, [b"new", b"er"]) == 5
    assert target.read_bytes() == b"newer"


def test_atomic_write_honours_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "out.txt", [b"x"])
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o640


def test_atomic_write_gzip(tmp_path: Path) -> None:
    target = tmp_path / "out.json.gz"
    size = atomic_write(target, [b"abc"] * 100, compress=True)
    assert size == target.stat().st_size
    assert gzip.decompress(target.read_bytes()) == b"abc" * 100


def test_render_every_placeholder_in_utc() -> None:
    pattern = "{pipeline}/{date}_{time}_{timestamp}_{year}{month}{day}{hour}{minute}{second}"
    local = MOMENT.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert render_filename(pattern, local, "daily") == (
        "daily/2026-03-04_05-06-07_20260304-050607_20260304050607"
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("gpus_{dat}.json", "unknown placeholder {dat}; did you mean 'date'?"),
        ("../escape_{date}.json", "must stay inside the output location"),
        ("/abs/{date}.json", "must stay inside the output location"),
        ("a/../../b.json", "must stay inside the output location"),
        ("{date:%Y}.json", "placeholder {date} takes no format spec"),
        ("{date.json", "invalid pattern"),
        ("", "must not be empty"),
    ],
)
def test_bad_patterns(pattern: str, message: str) -> None:
    with pytest.raises(OptionError) as caught:
        check_filename_pattern(pattern)
    assert caught.value.key == "filename_pattern"
    assert message in caught.value.message


def test_retry_delays_grow_and_are_capped() -> None:
    policy = RetryPolicy(initial=1.0, backoff=2.0, max_delay=5.0, jitter=False)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert policy.delay(1, retry_after=120.0) == 5.0
    assert policy.delay(1, retry_after=3.0) == 3.0


@pytest.mark.parametrize(("rand", "expected"), [(0.0, 2.0), (0.5, 3.0), (1.0, 4.0)])
def test_each_wait_is_between_half_and_all_of_the_computed_delay(
    rand: float, expected: float
) -> None:
    # retry 3: 1.0 x 2^2 = 4 s; the injected random source picks within [2, 4]
    assert RetryPolicy(initial=1.0, backoff=2.0, max_delay=60.0).delay(3, rand=lambda: rand) == (
        expected
    )


@pytest.mark.parametrize("rand", [0.0, 1.0])
def test_the_cap_bounds_the_jittered_wait_and_retry_after(rand: float) -> None:
    policy = RetryPolicy(initial=10.0, backoff=2.0, max_delay=8.0)
    assert 4.0 <= policy.delay(2, rand=lambda: rand) <= 8.0
    assert policy.delay(2, retry_after=30.0, rand=lambda: rand) == 8.0
    assert policy.delay(2, retry_after=1.5, rand=lambda: rand) == 1.5  # the server wins


def test_retry_options_make_the_policy_and_blame_the_option() -> None:
    options = RetryOptions(retry_attempts=2, retry_delay=1.0, retry_backoff=3.0, retry_max_delay=7)
    assert options.retry_policy() == RetryPolicy(attempts=2, initial=1.0, backoff=3.0, max_delay=7)
    assert RetryOptions().retry_policy().attempts == 3
    for key, value in [
        ("retry_attempts", -1),
        ("retry_delay", -0.1),
        ("retry_backoff", 0.5),
        ("retry_max_delay", -1.0),
    ]:
        with pytest.raises(OptionError) as caught:
            RetryOptions(**{key: value}).check_retry()
        assert caught.value.key == key


def test_parse_retry_after() -> None:
    now = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_secret_never_shows_its_value() -> None:
    secret = Secret(template="Bearer ${TOKEN}", value="Bearer canary-1")
    literal = Secret.literal("canary-2")
    for shown in (repr(secret), str(secret), repr(literal), str(literal), repr([secret])):
        assert "canary" not in shown
    assert secret.redacted() == "Bearer ${TOKEN}"
    assert literal.redacted() == "***"
    assert resolve("a${X}b${Y}", {"X": "1", "Y": "2"}) == "a1b2"
    with pytest.raises(MissingVariableError, match="Z is not set"):
        resolve("${Z}", {})


def test_redactor_masks_secrets_but_leaves_values_too_short_to_be_one() -> None:
    from gpuport_collectors.redaction import Redactor

    redact = Redactor(["a", "", "canary-secret", "canary-secret-longer"])
    text = "a b canary-secret canary-secret-longer"
    assert redact(text) == "a b *** ***"


@pytest.mark.parametrize(
    ("library", "logger"),
    [
        ("httpx", "httpx"),
        ("httpx", "httpcore.http11"),
        ("boto3", "botocore.auth"),
        ("requests", "requests"),
        ("requests", "urllib3.connectionpool"),
    ],
)
def test_masked_library_logs_masks_each_library_and_yields_its_redactor(
    library: str, logger: str, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from gpuport_collectors.plugin_api import masked_library_logs

    caplog.set_level(logging.DEBUG, logger=logger)
    with masked_library_logs(["canary-library-key"], library) as redact:
        logging.getLogger(logger).debug("sent Authorization: %s", "canary-library-key")
        assert redact("error canary-library-key") == "error ***"
    logging.getLogger(logger).debug("after canary-library-key")  # filter removed on exit
    assert "sent Authorization: ***" in caplog.text
    assert caplog.text.count("canary-library-key") == 1
