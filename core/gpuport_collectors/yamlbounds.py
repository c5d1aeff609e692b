"""Refuse YAML that would take unbounded time or memory before it is composed.

A YAML document can be small on disk and enormous once aliases are expanded (the
"billion laughs"), or nested deeper than any config needs, which makes ruamel's
recursive composer (and anything walking the result) blow the stack. The event stream
is checked as the composer reads it and stopped at the first event past a bound, so a
hostile file costs at most a few hundred events; the error points at that event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)
from ruamel.yaml.parser import RoundTripParser

from .errors import ConfigError, Problem

#: Nesting of mappings and lists. A real config is about six levels deep.
MAX_DEPTH = 64
#: Nodes that aliases may add to the document in total, counting nested aliases expanded.
MAX_ALIAS_NODES = 10_000


def load_document(text: str, source: str) -> Any:
    """The round-trip document (ruamel's CommentedMap and friends, with positions) of ``text``.

    Parsing is what a config load spends most on, and ruamel's own parser is pure Python,
    so events come from ruamel's C parser (``ruamel.yaml.clib``) when it is installed;
    ruamel's composer and round-trip constructor build the document either way. Any
    problem is reported by a second pass with the pure parser, so errors read (and
    point) exactly as they always have. Text with a ``!`` or ``%`` (tags, directives,
    which the two parsers hand over differently) takes the pure parser too.
    """
    events = _c_events()
    if events is not None and "!" not in text and "%" not in text:
        try:
            return _load(text, source, lambda: events(text))
        except Exception:  # the pure pass below words the problem
            pass
    return _load(text, source, None)


def _c_events() -> Callable[[str], Any] | None:
    try:
        from _ruamel_yaml import CParser
    except ImportError:
        return None
    return cast("Callable[[str], Any]", CParser)


def _load(text: str, source: str, events: Callable[[], Any] | None) -> Any:
    """Compose and construct with :class:`Bounds` checking each event as it is read.

    The composer pulls each event through ``get_event`` once, so composition stops at
    the first event past a bound (before it can recurse deeper or expand anything).
    """
    yaml = YAML(typ="rt")
    bounds = Bounds(source)

    if events is None:

        class Parser(RoundTripParser):
            def get_event(self) -> Any:
                event = super().get_event()
                bounds.see(event)
                return event

    else:
        start: Callable[[], Any] = events

        class Parser:  # type: ignore[no-redef]
            """The C parser's events, in the shape ruamel's composer pulls them."""

            def __init__(self, loader: Any) -> None:
                self._events = start()

            def check_event(self, *choices: Any) -> bool:
                return bool(self._events.check_event(*choices))

            def peek_event(self) -> Any:
                return self._events.peek_event()

            def get_event(self) -> Any:
                event = self._events.get_event()
                bounds.see(event)
                return event

            def dispose(self) -> None:
                self._events = None

    yaml.Parser = Parser
    return yaml.load(text)


class Bounds:
    """Follows one document's events; :meth:`see` raises at the first one past a bound."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sizes: dict[str, int] = {}  # anchor -> nodes it stands for, expanded
        self.stack: list[tuple[str | None, list[int]]] = []  # open collections: anchor, nodes
        self.added = 0  # nodes added by aliases so far

    def see(self, event: Any) -> None:
        stack = self.stack
        if isinstance(event, CollectionStartEvent):
            stack.append((event.anchor, [1]))
            if len(stack) > MAX_DEPTH:
                raise _problem(self.source, event, f"nested deeper than {MAX_DEPTH} levels")
            return
        if isinstance(event, CollectionEndEvent):
            anchor, (count,) = stack.pop()
        elif isinstance(event, AliasEvent):
            if any(open_anchor == event.anchor for open_anchor, _ in stack):
                raise _problem(self.source, event, f"alias *{event.anchor} refers to itself")
            count = self.sizes.get(event.anchor or "", 1)
            self.added += count
            if self.added > MAX_ALIAS_NODES:
                raise _problem(
                    self.source,
                    event,
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes; "
                    "write the repeated parts out or use fewer nested aliases",
                )
            anchor = None
        elif isinstance(event, NodeEvent):  # a scalar
            anchor, count = event.anchor, 1
        else:
            return
        if anchor:
            self.sizes[anchor] = count
        if stack:
            stack[-1][1][0] += count


def _problem(source: str, event: NodeEvent, message: str) -> ConfigError:
    mark = event.start_mark
    return ConfigError([Problem(source, mark.line + 1, mark.column + 1, message)])
