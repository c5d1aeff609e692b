"""What changed between two collections: offers added, removed, and changed.

Offers are paired with :func:`~.matching.match_offers` (the drift check's matching); a
pair is *changed* when one of :data:`DIFF_FIELDS` differs. ``min_change`` ignores numeric
moves smaller than that share of the old value; a value appearing or vanishing (null on
one side) always counts, since null means unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from .matching import key_record, match_offers, offer_key
from .models import Availability, GPUInstance
from .records import instance_to_record

#: The fields compared, in the order they are shown.
DIFF_FIELDS = ("price", "spot_price", "availability", "quantity")


@attrs.frozen
class Change:
    field: str
    old: Any
    new: Any

    @property
    def ratio(self) -> float | None:
        """new / old for two numbers (old not 0), else None."""
        if isinstance(self.old, int | float) and isinstance(self.new, int | float) and self.old:
            return float(self.new) / float(self.old)
        return None


@attrs.frozen
class ChangedOffer:
    old: GPUInstance
    new: GPUInstance
    changes: tuple[Change, ...]


@attrs.frozen
class SnapshotDiff:
    added: list[GPUInstance]
    removed: list[GPUInstance]
    changed: list[ChangedOffer]
    unchanged: int

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_instances(
    old: Iterable[GPUInstance],
    new: Iterable[GPUInstance],
    *,
    fields: Sequence[str] = DIFF_FIELDS,
    min_change: float | None = None,
) -> SnapshotDiff:
    """Compare two collections on ``fields`` (a subset of :data:`DIFF_FIELDS`)."""
    unknown = [name for name in fields if name not in DIFF_FIELDS]
    if unknown:
        raise ValueError(f"cannot compare {unknown[0]!r}; choose from {', '.join(DIFF_FIELDS)}")
    matched = match_offers(old, new)
    changed = []
    for before, after in matched.pairs:
        changes = tuple(_changes(before, after, fields, min_change))
        if changes:
            changed.append(ChangedOffer(before, after, changes))
    return SnapshotDiff(
        added=matched.added,
        removed=matched.removed,
        changed=changed,
        unchanged=len(matched.pairs) - len(changed),
    )


def _changes(
    old: GPUInstance, new: GPUInstance, fields: Sequence[str], min_change: float | None
) -> Iterator[Change]:
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        change = Change(name, before, after)
        ratio = change.ratio
        if min_change is not None and ratio is not None and abs(ratio - 1) < min_change:
            continue
        yield change


# -- presentation ------------------------------------------------------------------------


def shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Availability):
        return value.name
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe_change(change: Change) -> str:
    text = f"{change.field} {shown(change.old)} -> {shown(change.new)}"
    ratio = change.ratio
    if ratio is not None and change.field != "availability":
        text += f" ({ratio - 1:+.1%})"
    return text


def offer_label(instance: GPUInstance) -> str:
    return f"{instance.provider} {instance.instance_type} {instance.region}"


def describe_offer(instance: GPUInstance) -> str:
    return ", ".join(f"{name} {shown(getattr(instance, name))}" for name in DIFF_FIELDS)


def plain_lines(result: SnapshotDiff) -> Iterator[str]:
    """``+`` added, ``-`` removed, ``~`` changed, then a one-line summary."""
    for instance in result.added:
        yield f"+ {offer_label(instance)}: {describe_offer(instance)}"
    for instance in result.removed:
        yield f"- {offer_label(instance)}: {describe_offer(instance)}"
    for offer in result.changed:
        details = "; ".join(describe_change(change) for change in offer.changes)
        yield f"~ {offer_label(offer.new)}: {details}"
    yield summary(result)


def summary(result: SnapshotDiff) -> str:
    return (
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed, {result.unchanged} unchanged"
    )


def as_json(result: SnapshotDiff) -> dict[str, Any]:
    def record(instance: GPUInstance) -> dict[str, Any]:
        return instance_to_record(instance)

    return {
        "added": [record(instance) for instance in result.added],
        "removed": [record(instance) for instance in result.removed],
        "changed": [
            {
                **key_record(offer_key(offer.new)),
                "changes": {
                    change.field: {
                        "old": _json_value(change.old),
                        "new": _json_value(change.new),
                    }
                    for change in offer.changes
                },
            }
            for offer in result.changed
        ],
        "summary": {
            "added": len(result.added),
            "removed": len(result.removed),
            "changed": len(result.changed),
            "unchanged": result.unchanged,
        },
    }


def _json_value(value: Any) -> Any:
    return value.name if isinstance(value, Availability) else value
