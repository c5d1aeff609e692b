"""``transformer: {format: json}``: a JSON array with one object per instance.

Each object holds the chosen fields in order (default :data:`INSTANCE_FIELDS`),
``availability`` as its name (null when unknown), numbers as JSON numbers. The bytes equal
``json.dumps(objects).encode()`` (``indent=2`` with ``pretty_print``): stdlib separators,
non-ASCII escaped. The document is encoded :data:`CHUNK_SIZE` records at a time by the C
encoder, so a million instances never become one giant string.

``include_raw_data`` adds ``"raw_data"`` after the other keys, also when ``fields`` is
given (unless ``fields`` already names ``raw_data``, which then places and names it).
``null_handling`` applies to top-level keys only; YAML's bare ``null`` means ``"null"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gpuport_collectors.plugin_api import INSTANCE_FIELDS, GPUInstance

from .config import JsonConfig
from .objects import object_builder

if TYPE_CHECKING:
    from gpuport_collectors.plugin_api import Payload, RunContext

#: Records encoded per chunk: big enough to amortise the per-chunk cost, small enough to
#: keep the short-lived dicts out of the older GC generations.
CHUNK_SIZE = 2000


class JsonTransformer:
    """Renders instances as a JSON array; any subset renders as a complete document."""

    Config = JsonConfig

    def __init__(self, config: JsonConfig) -> None:
        self.config = config
        self._object = object_builder(_columns(config), config.null_handling or "null")
        self._indent = 2 if config.pretty_print else None
        # The array's punctuation as the encoder writes it, so chunks join seamlessly.
        self._separator, self._close = (",", "\n]") if self._indent else (", ", "]")

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Wrap ``instances`` in a splittable ``application/json`` payload."""
        from gpuport_collectors.plugin_api import Payload  # run-time only: validate never loads it

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
        import json  # when a document is rendered, not when a config is validated

        build = self._object
        encode = json.JSONEncoder(indent=self._indent, allow_nan=False).encode  # strict JSON
        cut = len(self._close)
        lead = "["
        for start in range(0, len(records), CHUNK_SIZE):
            text = encode(list(map(build, records[start : start + CHUNK_SIZE])))
            yield (lead + text[1:-cut]).encode()
            lead = self._separator
        yield self._close.encode()


def _columns(config: JsonConfig) -> list[tuple[str, str]]:
    """``(attribute path, output key)`` pairs in output order."""
    chosen = config.fields if config.fields is not None else {n: n for n in INSTANCE_FIELDS}
    columns = list(chosen.items())
    if config.include_raw_data and "raw_data" not in chosen:
        columns.append(("raw_data", "raw_data"))
    return columns
