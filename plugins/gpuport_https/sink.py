"""The ``https`` output: a payload POSTed (or PUT / PATCHed) to a webhook in batches."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import logging
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from gpuport_collectors.plugin_api import (
    GPUInstance,
    OutputError,
    OutputResult,
    Payload,
    RunContext,
    Secret,
    masked_library_logs,
)

from .config import PLAIN_HEADERS, HttpsConfig
from .deadletter import DeadLetter, write_dead_letter
from .delivery import BatchRequest, Outcome, Sender, open_client
from .headers import (
    IDEMPOTENCY_HEADER,
    header_value,
    idempotency_key,
    request_headers,
    stored_form,
)
from .redact import Scrubber
from .tls import TLSSettings, TLSSetupError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


def batch_count(payload: Payload, size: int | None) -> int:
    """How many requests ``payload`` takes with batches of ``size`` (as Payload.batches)."""
    if not payload.splittable or not size:
        return 1
    return max(1, math.ceil(len(payload.records) / size))


@attrs.define
class _Tally:
    total: int
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bytes_sent: int = 0
    saved: int = 0
    unsaved: int = 0
    last_reason: str | None = None
    save_error: str | None = None


class HttpsSink:
    """Sends a payload to an HTTPS endpoint in batches, with retries and a dead-letter dir.

    ``sleep``, ``rand`` and ``transport`` (an ``httpx.MockTransport``) are for tests.
    """

    Config = HttpsConfig

    def __init__(
        self,
        config: HttpsConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.rand = rand
        self.transport = transport

    def __repr__(self) -> str:
        return f"HttpsSink({self.config.method} {self.config.destination})"

    @property
    def tls(self) -> TLSSettings:
        config = self.config
        return TLSSettings(
            verify_ssl=config.verify_ssl,
            ca_bundle=config.ca_bundle,
            client_cert=config.client_cert,
            client_key=config.client_key,
        )

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """The URL and, as ``batches_sent``, how many requests a real run would make."""
        return OutputResult(
            output_type="https",
            destination=self.config.destination,
            batches_sent=batch_count(payload, self.config.batch_size),
            dry_run=True,
        )

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Send every batch; failed batches go to ``dead_letter_dir`` when it is set."""
        config = self.config
        headers = request_headers(
            config.headers, payload.media_type, gzip=config.compression == "gzip"
        )
        scrub = Scrubber.for_request(config.url, headers, PLAIN_HEADERS)
        tally = _Tally(total=batch_count(payload, config.batch_size))
        with masked_library_logs(scrub, "httpx"), contextlib.ExitStack() as stack:
            sender: Sender | None = None
            setup_error = None
            try:
                client = stack.enter_context(open_client(self.tls, config.timeout, self.transport))
            except TLSSetupError as error:
                setup_error = scrub(str(error))
            else:
                sender = Sender(
                    client=client,
                    policy=config.retry_policy(),
                    retry_on=frozenset(config.retry_on_status),
                    sleep=self.sleep,
                    rand=self.rand,
                    scrub=scrub,
                    label=f"{config.method} {config.destination}",
                )
            for index, records in enumerate(payload.batches(config.batch_size)):
                if index and config.batch_delay and sender is not None:
                    self.sleep(config.batch_delay)
                body = self._body(payload, records)
                key = idempotency_key(context, config.url.template, index, body)
                if sender is None:
                    outcome = Outcome(False, 0, setup_error)
                else:
                    request = BatchRequest(
                        method=config.method,
                        url=config.url.reveal(),
                        headers={
                            **{name: value.reveal() for name, value in headers.items()},
                            IDEMPOTENCY_HEADER: key,
                        },
                        body=body,
                    )
                    outcome = sender.send(request)
                self._count(tally, outcome, body)
                if not outcome.delivered:
                    log.warning(
                        "%s %s: batch %d of %d (%s %s) failed after %d attempt(s): %s",
                        config.method,
                        config.destination,
                        index + 1,
                        tally.total,
                        IDEMPOTENCY_HEADER,
                        key,
                        outcome.attempts,
                        outcome.reason,
                    )
                    self._dead_letter(tally, context, headers, body, key, index, records, outcome)
        result = self._result(tally)
        if not result.success:
            raise OutputError(result.error or "delivery failed", result=result)
        return result

    def _body(self, payload: Payload, records: Sequence[GPUInstance]) -> bytes:
        body = b"".join(payload.render(records))
        if self.config.compression == "gzip":
            body = gzip.compress(body, mtime=0)
        return body

    @staticmethod
    def _count(tally: _Tally, outcome: Outcome, body: bytes) -> None:
        if outcome.retried:
            tally.retried += 1
        if outcome.delivered:
            tally.sent += 1
            tally.bytes_sent += len(body)
        else:
            tally.failed += 1
            tally.last_reason = outcome.reason

    def _dead_letter(
        self,
        tally: _Tally,
        context: RunContext,
        headers: Mapping[str, Secret],
        body: bytes,
        key: str,
        index: int,
        records: Sequence[GPUInstance],
        outcome: Outcome,
    ) -> None:
        config = self.config
        if config.dead_letter_dir is None:
            return
        letter = DeadLetter(
            url=config.url.template,
            method=config.method,
            idempotency_key=key,
            headers={name: stored_form(name, value) for name, value in headers.items()},
            content_type=header_value(headers, "Content-Type") or "application/octet-stream",
            content_encoding="gzip" if config.compression == "gzip" else None,
            body=body,
            error=outcome.reason or "not delivered",
            pipeline=context.pipeline,
            batch=index + 1,
            batches=tally.total,
            records=len(records),
            attempts=outcome.attempts,
            failed_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            tls=self.tls.absolute(),
            timeout=config.timeout,
        )
        try:
            path = write_dead_letter(config.dead_letter_dir, letter)
        except OSError as error:
            tally.unsaved += 1
            tally.save_error = error.strerror or type(error).__name__
            log.error(
                "cannot write dead-letter file in %s: %s", config.dead_letter_dir, tally.save_error
            )
        else:
            tally.saved += 1
            log.info("batch %d of %d saved to %s", index + 1, tally.total, path)

    def _result(self, tally: _Tally) -> OutputResult:
        config = self.config
        result = OutputResult(
            output_type="https",
            destination=config.destination,
            success=tally.failed == 0,
            bytes_written=tally.bytes_sent,
            batches_sent=tally.sent,
            batches_retried=tally.retried,
            batches_failed=tally.failed,
        )
        if tally.failed:
            parts = [
                f"{tally.failed} of {tally.total} batches failed to reach {config.destination}"
                f" (last error: {tally.last_reason})"
            ]
            if tally.saved:
                parts.append(
                    f"{tally.saved} saved to {config.dead_letter_dir}; "
                    f"send them with: gpuport-collectors replay {config.dead_letter_dir}"
                )
            if tally.unsaved:
                parts.append(
                    f"{tally.unsaved} could not be saved to {config.dead_letter_dir} "
                    f"({tally.save_error}) and are lost"
                )
            result.error = "; ".join(parts)
        return result
