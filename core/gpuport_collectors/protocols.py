"""What a plugin's classes look like: collectors, operators, transformers and sinks.

Every registered class has a nested ``Config`` attrs class. The config loader structures
the YAML mapping for it with cattrs (unknown keys rejected, types checked), then builds
the class with that config. A ``Config`` may raise :class:`~gpuport_collectors.errors.OptionError`
from a validator or ``__attrs_post_init__`` to blame one option with a located error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs

from .fields import FieldInfo
from .models import GPUInstance

#: ``progress(done, total)``: a collector reports how many of its requests have finished.
ProgressCallback = Callable[[int, int], None]


@runtime_checkable
class Collector(Protocol):
    """Produces instances from a cloud API, a file, anything.

    ``__init__(config)`` must do no I/O. After ``fetch_instances`` returns, ``problems``
    lists what could not be collected (empty when the collection is complete).
    """

    Config: ClassVar[type[Any]]
    problems: list[str]

    def __init__(self, config: Any) -> None: ...

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        """Collect and return instances. Raise ``CollectorError`` when nothing can be collected."""
        ...


@runtime_checkable
class Operator(Protocol):
    """A filter test on one field's value.

    ``__init__(field, config)`` runs at config load: coerce configured values with
    ``field.coerce`` (raise ``OptionError`` naming the option on a bad one) and precompute
    everything, so ``__call__`` is cheap. ``__call__(value)`` receives the instance's
    value for the field, which may be ``None``.
    """

    Config: ClassVar[type[Any]]

    def __init__(self, field: FieldInfo, config: Any) -> None: ...

    def __call__(self, value: Any) -> bool:
        """True when an instance whose field holds ``value`` passes the filter."""
        ...


@attrs.frozen
class CollectionInfo:
    """Where a run's instances came from; metrics may include it.

    ``collected_at`` is when the offers were collected: the earliest instance's
    ``collected_at`` (for a snapshot, the snapshot's time, not when it was read).
    """

    collectors: tuple[str, ...]
    instance_count: int
    collected_at: dt.datetime
    duration_seconds: float
    providers: tuple[str, ...] = ()

    @classmethod
    def from_instances(
        cls,
        instances: Sequence[GPUInstance],
        *,
        collectors: tuple[str, ...] = (),
        duration_seconds: float = 0.0,
        started_at: dt.datetime | None = None,
    ) -> CollectionInfo:
        """What ``instances`` say about their collection; ``started_at`` when there are none."""
        earliest = min((instance.collected_at for instance in instances), default=None)
        if earliest is not None:
            moment = dt.datetime.fromtimestamp(earliest, dt.UTC)
        else:
            moment = started_at or dt.datetime.now(dt.UTC)
        return cls(
            collectors=collectors,
            instance_count=len(instances),
            collected_at=moment,
            duration_seconds=duration_seconds,
            providers=tuple(sorted({instance.provider for instance in instances})),
        )


@attrs.frozen
class RunContext:
    """One reading of the clock per run, so every file name of a run agrees."""

    started_at: dt.datetime
    pipeline: str
    collection: CollectionInfo | None = None
    dry_run: bool = False


def _render_unavailable(records: Sequence[GPUInstance]) -> Iterator[bytes]:
    raise TypeError("payload has no renderer")


@attrs.frozen
class Payload:
    """A transformer's output: a document, renderable whole or in record batches.

    ``render(records)`` yields the bytes of a complete document for any subset of
    ``records`` (a CSV subset repeats its header). A payload that is not ``splittable``
    (a metrics document) is always sent whole.
    """

    media_type: str
    extension: str
    records: Sequence[GPUInstance]
    render: Callable[[Sequence[GPUInstance]], Iterator[bytes]] = _render_unavailable
    splittable: bool = True

    @classmethod
    def whole(
        cls, data: bytes, *, media_type: str, extension: str, records: Sequence[GPUInstance]
    ) -> Payload:
        """A document made once from every record (a summary, a catalogue): sent whole,
        as a subset of it would mean something else."""

        def render(subset: Sequence[GPUInstance]) -> Iterator[bytes]:
            yield data

        return cls(
            media_type=media_type,
            extension=extension,
            records=records,
            render=render,
            splittable=False,
        )

    def iter_bytes(self) -> Iterator[bytes]:
        """The whole document in chunks, without holding it in memory at once."""
        return self.render(self.records)

    def to_bytes(self) -> bytes:
        return b"".join(self.iter_bytes())

    def batches(self, size: int | None) -> Iterator[Sequence[GPUInstance]]:
        """Record subsets of at most ``size`` (all at once when ``size`` is None)."""
        if not self.splittable or not size or size >= len(self.records):
            yield self.records
            return
        for start in range(0, len(self.records), size):
            yield self.records[start : start + size]


@runtime_checkable
class Transformer(Protocol):
    """Turns filtered instances into a :class:`Payload`."""

    Config: ClassVar[type[Any]]

    def __init__(self, config: Any) -> None: ...

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Build the payload for one pipeline run."""
        ...


@attrs.define
class OutputResult:
    """What one output did. A sink fills in what applies to it."""

    output_type: str
    destination: str
    success: bool = True
    error: str | None = None
    bytes_written: int = 0
    batches_sent: int = 0
    batches_retried: int = 0
    batches_failed: int = 0
    duration_seconds: float = 0.0
    dry_run: bool = False


@runtime_checkable
class Sink(Protocol):
    """Delivers a payload somewhere. Synchronous; may block on I/O.

    ``describe`` must not touch the destination: it is what ``--dry-run`` prints.
    ``write`` returns an :class:`OutputResult`; raising ``OutputError`` (one line naming
    the destination, no secrets) marks the output failed without stopping the others.
    """

    Config: ClassVar[type[Any]]

    def __init__(self, config: Any) -> None: ...

    def describe(self, payload: Payload, context: RunContext) -> OutputResult:
        """Where and how the payload would go, without sending it."""
        ...

    def write(self, payload: Payload, context: RunContext) -> OutputResult:
        """Deliver the payload."""
        ...


PROTOCOLS: dict[str, type[Any]] = {
    "collector": Collector,
    "operator": Operator,
    "transformer": Transformer,
    "sink": Sink,
}
