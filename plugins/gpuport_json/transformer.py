"""``transformer: {format: json}``: a JSON array with one object per instance.

Each object holds the chosen fields in order (default :data:`INSTANCE_FIELDS`),
``availability`` as its name, numbers as JSON numbers. The bytes equal
``json.dumps(objects).encode()`` (``indent=2`` with ``pretty_print``): stdlib separators,
non-ASCII escaped. The document is encoded :data:`CHUNK_SIZE` records at a time by the C
encoder, so a million instances never become one giant string.

``include_raw_data`` adds ``"raw_data"`` after the other keys, also when ``fields`` is
given (unless ``fields`` already names ``raw_data``, which then places and names it).
``null_handling`` applies to top-level keys only; YAML's bare ``null`` means ``"null"``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, Literal

import attrs

from gpuport_collectors.errors import OptionError
from gpuport_collectors.fields import check_field_names
from gpuport_collectors.models import INSTANCE_FIELDS, GPUInstance
from gpuport_collectors.protocols import Payload, RunContext

NullHandling = Literal["null", "omit", "empty"]

#: Records encoded per chunk: big enough to amortise the per-chunk cost, small enough to
#: keep the short-lived dicts out of the older GC generations.
CHUNK_SIZE = 2000

Row = tuple[Any, ...]


@attrs.frozen
class JsonConfig:
    """Options of the ``json`` transformer (see the module docstring)."""

    pretty_print: bool = False
    fields: dict[str, str] | None = None
    include_raw_data: bool = False
    null_handling: NullHandling | None = "null"

    def __attrs_post_init__(self) -> None:
        if self.fields is None:
            return
        if not self.fields:
            raise OptionError("fields", "is empty; name at least one field or leave 'fields' out")
        check_field_names(self.fields, key="fields", allow_raw_data=True)
        _check_unique(self.fields.values())


class JsonTransformer:
    """Renders instances as a JSON array; any subset renders as a complete document."""

    Config = JsonConfig

    def __init__(self, config: JsonConfig) -> None:
        self.config = config
        columns = _columns(config)
        self._keys = tuple(key for _, key in columns)
        self._row = _row_getter([attribute for attribute, _ in columns])
        self._objects = _OBJECT_BUILDERS[config.null_handling or "null"]
        indent = 2 if config.pretty_print else None
        self._encode = json.JSONEncoder(indent=indent).encode
        # The array's punctuation as the encoder writes it, so chunks join seamlessly.
        self._separator, self._close = (",", "\n]") if indent else (", ", "]")

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Wrap ``instances`` in a splittable ``application/json`` payload."""
        return Payload(
            media_type="application/json",
            extension=".json",
            records=instances,
            render=self.render,
            splittable=True,
        )

    def render(self, records: Sequence[GPUInstance]) -> Iterator[bytes]:
        """Yield the JSON array document for ``records`` in chunks of bytes."""
        if not records:
            yield b"[]"
            return
        keys, row, objects, encode = self._keys, self._row, self._objects, self._encode
        cut = len(self._close)
        lead = "["
        for start in range(0, len(records), CHUNK_SIZE):
            text = encode(objects(keys, map(row, records[start : start + CHUNK_SIZE])))
            yield (lead + text[1:-cut]).encode()
            lead = self._separator
        yield self._close.encode()


def _columns(config: JsonConfig) -> list[tuple[str, str]]:
    """``(attribute path, output key)`` pairs in output order."""
    chosen = config.fields if config.fields is not None else {n: n for n in INSTANCE_FIELDS}
    columns = [(_attribute(field), key) for field, key in chosen.items()]
    if config.include_raw_data and "raw_data" not in chosen:
        columns.append(("raw_data", "raw_data"))
    return columns


def _attribute(field: str) -> str:
    # attrgetter follows dots, so availability is read as its name with no per-row code.
    return "availability.name" if field == "availability" else field


def _row_getter(attributes: list[str]) -> Callable[[GPUInstance], Row]:
    get = attrgetter(*attributes)
    if len(attributes) == 1:  # attrgetter of one name returns the bare value
        return lambda instance: (get(instance),)
    return get


def _check_unique(keys: Iterable[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise OptionError("fields", f"two fields are written as {key!r}; names must be unique")
        seen.add(key)


def _with_nulls(keys: Row, rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _omitting_nulls(keys: Row, rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [{k: v for k, v in zip(keys, row, strict=True) if v is not None} for row in rows]


def _emptying_nulls(keys: Row, rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [{k: "" if v is None else v for k, v in zip(keys, row, strict=True)} for row in rows]


_OBJECT_BUILDERS: dict[str, Callable[[Row, Iterable[Row]], list[dict[str, Any]]]] = {
    "null": _with_nulls,
    "omit": _omitting_nulls,
    "empty": _emptying_nulls,
}
