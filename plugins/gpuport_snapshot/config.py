"""Options of the ``snapshot`` collector (``collectors: [{type: snapshot, path: ...}]``)."""

from __future__ import annotations

import attrs


@attrs.frozen
class SnapshotConfig:
    path: str = attrs.field(metadata={"description": "the snapshot file"})
