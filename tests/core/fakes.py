"""Tiny plugins used to test the core in isolation from the built-ins.

What the ``memory`` sink delivers is kept on its :class:`FakePlugins` instance (one per
host, owned by the ``fake_host`` fixture), never in module state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import attrs

from gpuport_collectors import hookimpl
from gpuport_collectors.errors import OptionError, OutputError
from gpuport_collectors.fields import FieldInfo
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.protocols import OutputResult, Payload, RunContext
from gpuport_collectors.secrets import Secret


class Below:
    """``operator: below`` with ``value``: numbers strictly below."""

    @attrs.frozen
    class Config:
        value: Any

    def __init__(self, field: FieldInfo, config: Config) -> None:
        try:
            self.bound = field.coerce(config.value)
        except ValueError as error:
            raise OptionError("value", f"{error} for field {field.name!r}") from None

    def __call__(self, value: Any) -> bool:
        return value is not None and value < self.bound


class Names:
    """``format: names``: one accelerator name per line."""

    @attrs.frozen
    class Config:
        separator: str = "\n"
        limit: int | None = None
        shout: bool = False

    def __init__(self, config: Config) -> None:
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        def render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
            for row in rows[: self.config.limit]:
                name = row.accelerator_name.upper() if self.config.shout else row.accelerator_name
                yield (name + self.config.separator).encode()

        return Payload(media_type="text/plain", extension=".txt", records=instances, render=render)


class Memory:
    """``type: memory``: appends payloads to its plugin's ``delivered``; ``fail: true`` raises
    OutputError."""

    delivered: ClassVar[list[tuple[str, bytes]]]

    @attrs.frozen
    class Config:
        label: str
        fail: bool = False
        token: Secret | None = None
        tags: dict[str, str] = attrs.Factory(dict)
        mode: str = attrs.field(default="append")

        @mode.validator
        def _check_mode(self, attribute: Any, value: str) -> None:
            if value not in ("append", "replace"):
                raise OptionError("mode", f"mode must be append or replace, got {value!r}")

    def __init__(self, config: Config) -> None:
        self.config = config

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        return OutputResult(output_type="memory", destination=f"memory:{self.config.label}")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        if self.config.fail:
            raise OutputError(f"memory:{self.config.label}: refused on purpose")
        body = payload.to_bytes()
        self.delivered.append((self.config.label, body))
        return OutputResult(
            output_type="memory",
            destination=f"memory:{self.config.label}",
            bytes_written=len(body),
        )


class Exploding:
    """``type: exploding``: a buggy sink raising a non-gpuport exception."""

    @attrs.frozen
    class Config:
        pass

    def __init__(self, config: Config) -> None:
        pass

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        return OutputResult(output_type="exploding", destination="nowhere")

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        raise ZeroDivisionError("bug in plugin")


class Static:
    """``type: static``: returns ``count`` generated instances; ``problem`` makes it partial."""

    @attrs.frozen
    class Config:
        count: int = 3
        problem: str | None = None
        api_key: Secret | None = None

    def __init__(self, config: Config) -> None:
        self.config = config
        self.problems: list[str] = []

    async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
        from gpuport_collectors.testing import generate_instances

        if self.config.problem:
            self.problems.append(self.config.problem)
        return generate_instances(self.config.count)


class FakePlugins:
    """The fakes as one plugin object; ``delivered`` is what its ``memory`` outputs wrote."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, bytes]] = []
        self.memory_class = type("Memory", (Memory,), {"delivered": self.delivered})

    @hookimpl
    def gpuport_register_operators(self, register: Any) -> None:
        register("below", Below)

    @hookimpl
    def gpuport_register_transformers(self, register: Any) -> None:
        register("names", Names)

    @hookimpl
    def gpuport_register_sinks(self, register: Any) -> None:
        register("memory", self.memory_class)
        register("exploding", Exploding)

    @hookimpl
    def gpuport_register_collectors(self, register: Any) -> None:
        register("static", Static)
