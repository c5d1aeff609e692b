"""Helpers for the https tests: payloads, configs, a fake sleep, certificates, a test host."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import ssl
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import trustme

from gpuport_collectors import GPUInstance
from gpuport_collectors.converter import make_converter
from gpuport_collectors.errors import OutputError
from gpuport_collectors.protocols import OutputResult, Payload, RunContext
from gpuport_collectors.records import instance_to_record
from gpuport_collectors.testing import StubPlugin
from gpuport_https.config import HttpsConfig
from gpuport_https.sink import HttpsSink

CSV_FIELDS = ("provider", "instance_type", "region", "price")


@attrs.frozen
class Certs:
    ca: trustme.CA
    ca_file: Path
    other_ca: trustme.CA
    other_ca_file: Path
    client_cert: Path
    client_key: Path
    client_combined: Path

    def server_context(
        self, host: str = "127.0.0.1", *, ca: trustme.CA | None = None, client_auth: bool = False
    ) -> ssl.SSLContext:
        """A server context presenting a certificate for ``host`` issued by ``ca``."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        (ca or self.ca).issue_cert(host).configure_cert(context)
        if client_auth:
            self.ca.configure_trust(context)
            context.verify_mode = ssl.CERT_REQUIRED
        return context


# -- payloads and configs -------------------------------------------------------------------


def render_json(subset: Sequence[GPUInstance]) -> Iterator[bytes]:
    """The records as one JSON list."""
    yield json.dumps([instance_to_record(row) for row in subset]).encode()


def json_payload(records: Sequence[GPUInstance]) -> Payload:
    return Payload(
        media_type="application/json", extension="json", records=records, render=render_json
    )


def csv_payload(records: Sequence[GPUInstance]) -> Payload:
    def render(subset: Sequence[GPUInstance]) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for row in subset:
            writer.writerow([getattr(row, name) for name in CSV_FIELDS])
        yield buffer.getvalue().encode()

    return Payload(media_type="text/csv", extension="csv", records=records, render=render)


def metrics_payload(records: Sequence[GPUInstance]) -> Payload:
    def render(subset: Sequence[GPUInstance]) -> Iterator[bytes]:
        yield json.dumps({"total": len(subset)}).encode()

    return Payload(
        media_type="application/json",
        extension="json",
        records=records,
        render=render,
        splittable=False,
    )


def context(pipeline: str = "daily") -> RunContext:
    return RunContext(started_at=dt.datetime(2025, 11, 23, 12, 0, tzinfo=dt.UTC), pipeline=pipeline)


def https_config(environ: Mapping[str, str] | None = None, **options: Any) -> HttpsConfig:
    """Structure options exactly as the config loader does (``${ENV}`` from ``environ``)."""
    return make_converter(environ or {}).structure(options, HttpsConfig)


@attrs.define
class SleepRecorder:
    """A fake ``time.sleep`` that records delays instead of waiting."""

    delays: list[float] = attrs.Factory(list)

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_sink(config: HttpsConfig, **kwargs: Any) -> tuple[HttpsSink, SleepRecorder]:
    sleep = SleepRecorder()
    kwargs.setdefault("rand", lambda: 1.0)
    return HttpsSink(config, sleep=sleep, **kwargs), sleep


def json_stubs() -> StubPlugin:
    """``format: json`` for config-loading tests, without the real transformer's plugin."""
    return StubPlugin(
        collector=None, transformer="json", sink=None, render=render_json, extension="json"
    )


def write(sink: HttpsSink, payload: Payload, run: RunContext) -> OutputResult:
    """``sink.write``'s result, or on failure the result its ``OutputError`` carries."""
    try:
        return sink.write(payload, run)
    except OutputError as error:
        assert error.result is not None and not error.result.success
        error.result.error = str(error)
        return error.result
