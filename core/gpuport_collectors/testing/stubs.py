"""Stub plugins: the smallest collector, transformer and sink that satisfy the protocols.

A test of one plugin kind still needs the others to load a config (a pipeline needs a
transformer and an output); the stubs fill those places without pulling in the built-ins.
Everything a stub receives is kept on its :class:`StubPlugin` instance, never on a class
or module, so two hosts (two tests) never share state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import attrs

from ..hookspecs import Register, hookimpl
from ..models import GPUInstance
from ..protocols import OutputResult, Payload, RunContext
from .factories import generate_instances


@attrs.frozen
class StubOptions:
    """The stub transformer and sink take no options."""


@attrs.frozen
class StubCollectorOptions:
    """Options of the stub collector."""

    #: How many generated instances (:func:`generate_instances`) each fetch returns.
    count: int = 3


def _render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
    yield json.dumps([row.instance_type for row in rows]).encode()


class StubCollector:
    """Returns ``count`` generated instances; counts its fetches on its plugin."""

    Config = StubCollectorOptions
    plugin: ClassVar[StubPlugin]

    def __init__(self, config: StubCollectorOptions) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
        self.plugin.fetches += 1
        return generate_instances(self.config.count)


class StubTransformer:
    """Renders a JSON list of the instances' ``instance_type``."""

    Config = StubOptions

    def __init__(self, config: StubOptions) -> None:
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        return Payload(
            media_type="application/json", extension=".json", records=instances, render=_render
        )


class StubSink:
    """Appends each written payload's bytes to its plugin's :attr:`StubPlugin.received`."""

    Config = StubOptions
    plugin: ClassVar[StubPlugin]

    def __init__(self, config: StubOptions) -> None:
        self.config = config

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        return OutputResult(output_type=self.plugin.sink or "stub", destination="memory")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        body = payload.to_bytes()
        self.plugin.received.append(body)
        return OutputResult(
            output_type=self.plugin.sink or "stub", destination="memory", bytes_written=len(body)
        )


class StubPlugin:
    """A plugin object registering the stubs under the given names (``None``: not at all).

    ``received`` holds the bytes of every payload the sink wrote, in order; ``fetches``
    counts the collector's fetches. Both belong to this instance only.
    """

    def __init__(
        self,
        *,
        collector: str | None = "stub",
        transformer: str | None = "stub",
        sink: str | None = "stub",
    ) -> None:
        self.collector, self.transformer, self.sink = collector, transformer, sink
        self.received: list[bytes] = []
        self.fetches = 0
        # Subclasses per instance, so each sink or collector reaches its own plugin's state.
        self.collector_class = type("StubCollector", (StubCollector,), {"plugin": self})
        self.sink_class = type("StubSink", (StubSink,), {"plugin": self})

    @hookimpl
    def gpuport_register_collectors(self, register: Register) -> None:
        if self.collector is not None:
            register(self.collector, self.collector_class)

    @hookimpl
    def gpuport_register_transformers(self, register: Register) -> None:
        if self.transformer is not None:
            register(self.transformer, StubTransformer)

    @hookimpl
    def gpuport_register_sinks(self, register: Register) -> None:
        if self.sink is not None:
            register(self.sink, self.sink_class)
