"""The plugins the core is tested with, in isolation from the built-ins.

Collector, operator, transformer and sinks are the testing kit's stubs, told the options and
the behaviour these tests need; what the ``memory`` sink delivers is kept on the stub plugin
of one :class:`FakePlugins` (one per test, owned by the ``fake_plugins`` fixture), never in
module state.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from gpuport_collectors.errors import OptionError, OutputError
from gpuport_collectors.models import GPUInstance
from gpuport_collectors.secrets import Secret
from gpuport_collectors.testing import StubPlugin
from gpuport_collectors.testing.stubs import Render


@attrs.frozen
class NamesConfig:
    """``format: names``: one accelerator name per line."""

    separator: str = "\n"
    limit: int | None = None
    shout: bool = False


def names(config: NamesConfig) -> Render:
    def render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
        for row in rows[: config.limit]:
            name = row.accelerator_name.upper() if config.shout else row.accelerator_name
            yield (name + config.separator).encode()

    return render


@attrs.frozen
class MemoryConfig:
    """``type: memory``: keeps payloads on the plugin; ``fail: true`` raises OutputError."""

    label: str
    fail: bool = False
    token: Secret | None = None
    tags: dict[str, str] = attrs.Factory(dict)
    mode: str = attrs.field(default="append")

    @mode.validator
    def _check_mode(self, attribute: Any, value: str) -> None:
        if value not in ("append", "replace"):
            raise OptionError("mode", f"mode must be append or replace, got {value!r}")


def refused(config: MemoryConfig) -> OutputError | None:
    return OutputError(f"memory:{config.label}: refused on purpose") if config.fail else None


@attrs.frozen
class StaticConfig:
    """``type: static``: ``count`` generated instances; ``problem`` makes it partial."""

    count: int = 3
    problem: str | None = None
    api_key: Secret | None = None


class FakePlugins:
    """The fakes as plugin objects; ``delivered`` is what its ``memory`` outputs wrote."""

    def __init__(self) -> None:
        self.stubs = StubPlugin(
            collector="static",
            operator="below",  # ``value``: numbers strictly below it
            keep=operator.lt,
            transformer="names",
            sink="memory",
            name="fakes",
            collector_config=StaticConfig,
            problems=lambda config: [config.problem] if config.problem else [],
            transformer_config=NamesConfig,
            render_for=names,
            media_type="text/plain",
            extension=".txt",
            sink_config=MemoryConfig,
            sink_error=refused,
            destination=lambda config: f"memory:{config.label}",
        )
        # ``type: exploding``: a buggy sink raising a non-gpuport exception.
        self.exploding = StubPlugin(
            collector=None,
            transformer=None,
            sink="exploding",
            name="fakes-exploding",
            destination="nowhere",
            sink_error=ZeroDivisionError("bug in plugin"),
        )

    @property
    def delivered(self) -> list[tuple[str, bytes]]:
        """``(label, bytes)`` of every payload a ``memory`` output wrote, in order."""
        return [(config.label, body) for config, body in self.stubs.written]

    def plugins(self) -> list[tuple[object, str]]:
        """Each plugin object with the name to register it under."""
        return [
            (self.stubs, "fakes"),
            (self.exploding, "fakes-exploding"),
        ]
