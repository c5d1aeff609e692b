"""The ``capture`` sink: keeps every payload in memory so a test can look at it.

Each :class:`CapturePlugin` owns its own list, so two hosts (two tests) never share
captures. ``make_host()`` registers one unless told not to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ..errors import OutputError
from ..hookspecs import Register, hookimpl
from ..models import GPUInstance
from ..protocols import OutputResult, Payload, RunContext


@attrs.frozen
class CaptureConfig:
    """Options of the ``capture`` sink."""

    #: A label, so a test can tell two capture outputs of one pipeline apart.
    name: str = "capture"
    #: Fail every write with this message, to test how a pipeline handles a broken output.
    fail: str | None = None


@attrs.frozen
class Captured:
    """One payload a ``capture`` output received (or, in a dry run, was shown)."""

    pipeline: str
    name: str
    media_type: str
    extension: str
    body: bytes
    records: Sequence[GPUInstance]
    context: RunContext
    dry_run: bool = False

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class CaptureSink:
    """Renders the payload and appends a :class:`Captured` to its plugin's list."""

    Config = CaptureConfig
    store: ClassVar[list[Captured]]

    def __init__(self, config: CaptureConfig) -> None:
        self.config = config

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """Record the payload as a dry run; nothing else to touch."""
        self._keep(payload, context, dry_run=True)
        return OutputResult(output_type="capture", destination=f"memory:{self.config.name}")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Keep the rendered payload, or fail as configured."""
        if self.config.fail is not None:
            raise OutputError(f"memory:{self.config.name}: {self.config.fail}")
        body = self._keep(payload, context, dry_run=False)
        return OutputResult(
            output_type="capture",
            destination=f"memory:{self.config.name}",
            bytes_written=len(body),
        )

    def _keep(self, payload: Payload, context: RunContext, *, dry_run: bool) -> bytes:
        body = payload.to_bytes()
        self.store.append(
            Captured(
                pipeline=context.pipeline,
                name=self.config.name,
                media_type=payload.media_type,
                extension=payload.extension,
                body=body,
                records=list(payload.records),
                context=context,
                dry_run=dry_run,
            )
        )
        return body


class CapturePlugin:
    """A plugin object registering ``capture``; its payloads land in :attr:`captured`."""

    def __init__(self) -> None:
        self.captured: list[Captured] = []
        self.sink_class: type[CaptureSink] = type(
            "CaptureSink", (CaptureSink,), {"store": self.captured}
        )

    @hookimpl
    def gpuport_register_sinks(self, register: Register) -> None:
        register("capture", self.sink_class)
