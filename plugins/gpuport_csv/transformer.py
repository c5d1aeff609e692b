"""``transformer: {format: csv}``: one row per instance, columns chosen by ``fields``.

``fields`` (required) maps instance fields to header names, in column order. Quoting is
RFC 4180 as the stdlib ``csv`` module writes it (``QUOTE_MINIMAL``, ``\\r\\n`` line ends),
UTF-8 without a BOM. ``availability`` is written as its name (the csv module writes
``str(member)``, which is the name, so there is no per-row code), floats as Python's ``repr``
(``0.69``), ints as ints, null as ``null_value``. Every rendered subset starts with the
header (when ``include_headers``), so each batch is a complete file. Rows are written
:data:`CHUNK_SIZE` at a time by the C writer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from gpuport_collectors.plugin_api import GPUInstance

from .config import CsvConfig

if TYPE_CHECKING:
    from gpuport_collectors.plugin_api import Payload, RunContext

#: Rows written per chunk of bytes.
CHUNK_SIZE = 2000

Row = tuple[Any, ...]


class CsvTransformer:
    """Renders instances as CSV; any subset renders as a complete file."""

    Config = CsvConfig

    def __init__(self, config: CsvConfig) -> None:
        self.config = config
        self._header = tuple(config.fields.values())
        self._row = _row_getter(list(config.fields))
        self._null = config.null_value or ""

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Wrap ``instances`` in a splittable ``text/csv`` payload."""
        from gpuport_collectors.plugin_api import Payload  # run-time only: validate never loads it

        return Payload(
            media_type="text/csv",
            extension=".csv",
            records=instances,
            render=self.render,
            splittable=True,
        )

    def render(self, records: Sequence[GPUInstance]) -> Iterator[bytes]:
        """Yield the CSV document for ``records`` in chunks of bytes."""
        import csv  # when a document is rendered, not when a config is validated

        buffer = io.StringIO()
        writer = csv.writer(
            buffer,
            delimiter=self.config.delimiter,
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\r\n",
        )
        if self.config.include_headers:
            writer.writerow(self._header)
        for start in range(0, len(records), CHUNK_SIZE):
            writer.writerows(self._rows(records[start : start + CHUNK_SIZE]))
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # a header with no rows
            yield buffer.getvalue().encode()

    def _rows(self, records: Sequence[GPUInstance]) -> Iterable[Row | list[Any]]:
        rows = map(self._row, records)
        if not self._null:
            return rows  # the csv module already writes None as an empty field
        null = self._null
        return ([null if value is None else value for value in row] for row in rows)


def _row_getter(attributes: list[str]) -> Callable[[GPUInstance], Row]:
    get = attrgetter(*attributes)
    if len(attributes) == 1:  # attrgetter of one name returns the bare value
        return lambda instance: (get(instance),)
    return get
