"""Refuse YAML that would take unbounded time or memory before it is composed.

A YAML document can be small on disk and enormous once aliases are expanded (the
"billion laughs"), or nested deeper than any config needs, which makes ruamel's
recursive composer (and anything walking the result) blow the stack. The event stream
is checked as the composer reads it and stopped at the first event past a bound, so a
hostile file costs at most a few hundred events; the error points at that event.
"""

from __future__ import annotations

from typing import Any

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


def bounded_yaml(source: str) -> YAML:
    """A round-trip loader whose parser refuses, as it goes, what :class:`Bounds` refuses.

    The composer pulls each event through the parser once, so the file is parsed once
    and composition stops at the first event past a bound (before it can recurse deeper
    or expand anything).
    """
    yaml = YAML(typ="rt")
    bounds = Bounds(source)

    class BoundedParser(RoundTripParser):  # type: ignore[misc]
        def get_event(self) -> Any:
            event = super().get_event()
            bounds.see(event)
            return event

    yaml.Parser = BoundedParser
    return yaml


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
