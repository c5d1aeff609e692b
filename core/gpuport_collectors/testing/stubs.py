"""Stub plugins: the smallest collector, operator, transformer and sink that satisfy the
protocols.

A test of one plugin kind still needs the others to load a config (a pipeline needs a
transformer and an output); the stubs fill those places without pulling in the built-ins.
What a stub does can be told to its :class:`StubPlugin` (the instances to return, the bytes
to render, an error to raise, the options it takes), and everything a stub receives is kept
on that instance, never on a class or module, so two hosts (two tests) never share state.
"""

from __future__ import annotations

import json
import operator as op
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, TypeAlias

import attrs

from ..errors import OptionError
from ..fields import FieldInfo
from ..hookspecs import Register, hookimpl
from ..models import GPUInstance
from ..protocols import OutputResult, Payload, RunContext
from .factories import generate_instances

#: ``render(records)``: the bytes of a complete document for those records.
Render: TypeAlias = Callable[[Sequence[GPUInstance]], Iterable[bytes]]
#: An error to raise, or a function of the stub's config giving one (``None``: no error).
Failure: TypeAlias = BaseException | Callable[[Any], BaseException | None] | None


@attrs.frozen
class StubOptions:
    """The stub transformer and sink take no options."""


@attrs.frozen
class StubOperatorOptions:
    """Options of the stub operator."""

    #: What field values are compared with, coerced to the field's type at load.
    value: Any


@attrs.frozen
class StubCollectorOptions:
    """Options of the stub collector."""

    #: How many generated instances (:func:`generate_instances`) each fetch returns.
    count: int = 3


def _render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
    yield json.dumps([row.instance_type for row in rows]).encode()


def _fixed(body: bytes) -> Render:
    def render(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
        yield body

    return render


def _raise(failure: Failure, config: Any) -> None:
    error = failure(config) if callable(failure) else failure
    if error is not None:
        raise error


class StubCollector:
    """Returns its plugin's ``instances``, or else ``count`` generated ones, per fetch."""

    Config: ClassVar[type] = StubCollectorOptions
    plugin: ClassVar[StubPlugin]

    def __init__(self, config: Any) -> None:
        self.config = config
        self.problems: list[str] = []
        self.plugin.calls.append(("collector.__init__", config))

    async def fetch_instances(self, progress: Any = None) -> list[GPUInstance]:
        plugin = self.plugin
        plugin.fetches += 1
        plugin.calls.append(("collector.fetch_instances", self.config))
        _raise(plugin.collector_error, self.config)
        problems = plugin.problems
        self.problems.extend(problems(self.config) if callable(problems) else problems)
        if plugin.instances is not None:
            return list(plugin.instances)
        return generate_instances(self.config.count)


class StubOperator:
    """Keeps the values ``v`` for which its plugin's ``keep(v, value)`` holds (never ``None``).

    ``value`` (any option of that name) is coerced to the field's type at load; one that does
    not fit is an ``OptionError`` on ``value`` naming the field.
    """

    Config: ClassVar[type] = StubOperatorOptions
    plugin: ClassVar[StubPlugin]

    def __init__(self, field: FieldInfo, config: Any) -> None:
        self.config, self.field = config, field
        self.plugin.calls.append(("operator.__init__", config))
        try:
            self.bound = field.coerce(getattr(config, "value", None))
        except ValueError as error:
            raise OptionError("value", f"{error} for field {field.name!r}") from None

    def __call__(self, value: Any) -> bool:
        return value is not None and bool(self.plugin.keep(value, self.bound))


class StubTransformer:
    """Renders with its plugin's ``render`` (by default a JSON list of ``instance_type``)."""

    Config: ClassVar[type] = StubOptions
    # Set on the per-plugin subclasses; this class registered bare renders the default.
    plugin: ClassVar[StubPlugin | None] = None

    def __init__(self, config: Any) -> None:
        self.config = config
        if self.plugin is not None:
            self.plugin.calls.append(("transformer.__init__", config))

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        plugin = self.plugin
        if plugin is None:
            return Payload(
                media_type="application/json", extension=".json", records=instances, render=_render
            )
        plugin.calls.append(("transformer.transform", self.config))
        _raise(plugin.transformer_error, self.config)
        render = plugin.render if plugin.render_for is None else plugin.render_for(self.config)

        def chunks(rows: Sequence[GPUInstance]) -> Iterator[bytes]:
            return iter(render(rows))

        return Payload(
            media_type=plugin.media_type,
            extension=plugin.extension,
            records=instances,
            render=chunks,
            splittable=plugin.splittable,
        )


class StubSink:
    """Appends each written payload's bytes to its plugin's :attr:`StubPlugin.received`."""

    Config: ClassVar[type] = StubOptions
    plugin: ClassVar[StubPlugin]

    def __init__(self, config: Any) -> None:
        self.config = config
        self.plugin.calls.append(("sink.__init__", config))

    def _result(self, **values: Any) -> OutputResult:
        plugin = self.plugin
        where = plugin.destination
        destination = where(self.config) if callable(where) else where
        return OutputResult(output_type=plugin.sink or "stub", destination=destination, **values)

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        self.plugin.calls.append(("sink.describe", self.config))
        return self._result()

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        plugin = self.plugin
        plugin.calls.append(("sink.write", self.config))
        _raise(plugin.sink_error, self.config)
        body = payload.to_bytes()
        plugin.received.append(body)
        plugin.written.append((self.config, body))
        return self._result(bytes_written=len(body))


class StubPlugin:
    """A plugin object registering the stubs under the given names (``None``: not at all;
    there is no stub operator unless ``operator`` names one).

    What the stubs do:

    - ``instances``: what every fetch of the collector returns (default: ``count``
      generated instances); ``problems``: partial-failure messages each fetch reports (or a
      function of the collector's config giving them);
    - ``render`` (a function of the records), ``render_for`` (a function of the
      transformer's config giving such a function) or ``body`` (fixed bytes): what the
      transformer renders, with ``media_type``, ``extension`` and ``splittable``;
    - ``keep(value, bound)``: which field values the operator keeps (default: equal ones);
    - ``destination``: the sink's destination, a string or a function of its config;
    - ``collector_error``, ``transformer_error``, ``sink_error``: raised by ``fetch_instances``,
      ``transform`` or ``write``; an exception, or a function of the stub's config returning
      one or ``None`` (so one output of several can fail);
    - ``collector_config``, ``operator_config``, ``transformer_config``, ``sink_config``: an
      attrs class of options taking the place of the stub's own (``count`` for the collector,
      ``value`` for the operator, none for the others);
    - ``name``: the name the plugin is reported under (default ``StubPlugin``);
    - ``doc``: the stub classes' docstring (what the schema describes them by; without it,
      their Config's docstring).

    What they received, on this instance only: ``received`` (the bytes of every payload
    written, in order), ``written`` (``(config, bytes)`` pairs, the same writes), ``fetches``
    (the collector's fetch count) and ``calls``: ``(event, config)`` pairs such as
    ``("sink.__init__", config)`` or ``("operator.__init__", config)``, in order.
    """

    def __init__(
        self,
        *,
        collector: str | None = "stub",
        transformer: str | None = "stub",
        sink: str | None = "stub",
        operator: str | None = None,
        name: str | None = None,
        doc: str | None = None,
        instances: Sequence[GPUInstance] | None = None,
        problems: Sequence[str] | Callable[[Any], Sequence[str]] = (),
        render: Render | None = None,
        render_for: Callable[[Any], Render] | None = None,
        body: bytes | None = None,
        media_type: str = "application/json",
        extension: str = ".json",
        splittable: bool = True,
        destination: str | Callable[[Any], str] = "memory",
        collector_error: Failure = None,
        transformer_error: Failure = None,
        sink_error: Failure = None,
        keep: Callable[[Any, Any], Any] = op.eq,
        collector_config: type | None = None,
        operator_config: type | None = None,
        transformer_config: type | None = None,
        sink_config: type | None = None,
    ) -> None:
        if sum(given is not None for given in (render, body, render_for)) > 1:
            raise ValueError("give StubPlugin one of render, render_for or body, not several")
        self.collector, self.transformer, self.sink = collector, transformer, sink
        self.operator, self.keep = operator, keep
        if name is not None:
            self.__name__ = name  # what make_host and pluggy report the plugin as
        self.instances = None if instances is None else tuple(instances)
        self.problems = problems if callable(problems) else tuple(problems)
        self.render_for = render_for
        self.render: Render = render or _render
        if body is not None:
            self.render = _fixed(body)
        self.media_type, self.extension, self.splittable = media_type, extension, splittable
        self.destination = destination
        self.collector_error = collector_error
        self.transformer_error = transformer_error
        self.sink_error = sink_error
        self.received: list[bytes] = []
        self.written: list[tuple[Any, bytes]] = []
        self.calls: list[tuple[str, Any]] = []
        self.fetches = 0
        # Subclasses per instance, so each stub reaches its own plugin's state.
        self.collector_class = _bound(StubCollector, self, collector_config, doc)
        self.operator_class = _bound(StubOperator, self, operator_config, doc)
        self.transformer_class = _bound(StubTransformer, self, transformer_config, doc)
        self.sink_class = _bound(StubSink, self, sink_config, doc)

    def configs(self, event: str) -> list[Any]:
        """The configs of the ``calls`` named ``event``, e.g. ``configs("sink.__init__")``."""
        return [config for name, config in self.calls if name == event]

    @hookimpl
    def gpuport_register_collectors(self, register: Register) -> None:
        if self.collector is not None:
            register(self.collector, self.collector_class)

    @hookimpl
    def gpuport_register_operators(self, register: Register) -> None:
        if self.operator is not None:
            register(self.operator, self.operator_class)

    @hookimpl
    def gpuport_register_transformers(self, register: Register) -> None:
        if self.transformer is not None:
            register(self.transformer, self.transformer_class)

    @hookimpl
    def gpuport_register_sinks(self, register: Register) -> None:
        if self.sink is not None:
            register(self.sink, self.sink_class)


def _bound(base: type, plugin: StubPlugin, config: type | None, doc: str | None) -> type:
    # Without ``doc``, like a plugin's class without a docstring: described by its Config.
    namespace: dict[str, Any] = {"plugin": plugin, "__doc__": doc}
    if config is not None:
        namespace["Config"] = config
    return type(base.__name__, (base,), namespace)
