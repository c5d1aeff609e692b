"""Refuse YAML that would take unbounded time or memory before it is composed.

A YAML document can be small on disk and enormous once aliases are expanded (the
"billion laughs"), or nested deeper than any config needs, which makes ruamel's
recursive composer (and anything walking the result) blow the stack. The event stream
is read first, lazily, and stopped at the first event past a bound, so a hostile file
costs at most a few hundred events; the error points at that event.
"""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)

from .errors import ConfigError, Problem

#: Nesting of mappings and lists. A real config is about six levels deep.
MAX_DEPTH = 64
#: Nodes that aliases may add to the document in total, counting nested aliases expanded.
MAX_ALIAS_NODES = 10_000


def check_bounds(text: str, source: str) -> None:
    """Raise :class:`ConfigError` when ``text`` nests too deep or its aliases expand too far.

    YAML syntax errors propagate as ruamel's ``MarkedYAMLError`` for the caller to locate.
    """
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for, expanded
    stack: list[tuple[str | None, list[int]]] = []  # open collections: anchor, node count
    added = 0
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionStartEvent):
            stack.append((event.anchor, [1]))
            if len(stack) > MAX_DEPTH:
                raise _problem(source, event, f"nested deeper than {MAX_DEPTH} levels")
            continue
        if isinstance(event, CollectionEndEvent):
            anchor, (count,) = stack.pop()
        elif isinstance(event, AliasEvent):
            if any(open_anchor == event.anchor for open_anchor, _ in stack):
                raise _problem(source, event, f"alias *{event.anchor} refers to itself")
            count = sizes.get(event.anchor or "", 1)
            added += count
            if added > MAX_ALIAS_NODES:
                raise _problem(
                    source,
                    event,
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes; "
                    "write the repeated parts out or use fewer nested aliases",
                )
            anchor = None
        elif isinstance(event, NodeEvent):  # a scalar
            anchor, count = event.anchor, 1
        else:
            continue
        if anchor:
            sizes[anchor] = count
        if stack:
            stack[-1][1][0] += count


def _problem(source: str, event: NodeEvent, message: str) -> ConfigError:
    mark = event.start_mark
    return ConfigError([Problem(source, mark.line + 1, mark.column + 1, message)])
