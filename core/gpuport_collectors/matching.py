"""Which offer of one collection is which offer of another.

An offer is identified by provider, instance type, region and GPU count; prices,
availability and stock are what may change between two collections. The drift check
(``checks.baseline``) and ``gpuport-collectors diff`` both match with :func:`match_offers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .models import GPUInstance

#: The fields that identify an offer across collections.
KEY_FIELDS = ("provider", "instance_type", "region", "accelerator_count")

OfferKey = tuple[str, str, str, int]


def offer_key(instance: GPUInstance) -> OfferKey:
    return (instance.provider, instance.instance_type, instance.region, instance.accelerator_count)


def key_record(key: OfferKey) -> dict[str, Any]:
    """The key as a JSON object, for reports and ``diff --json``."""
    return dict(zip(KEY_FIELDS, key, strict=True))


@attrs.frozen
class Matched:
    """``pairs`` are (old, new) of the same offer; the rest exist on one side only."""

    pairs: list[tuple[GPUInstance, GPUInstance]]
    removed: list[GPUInstance]
    added: list[GPUInstance]


def match_offers(old: Iterable[GPUInstance], new: Iterable[GPUInstance]) -> Matched:
    """Pair offers by :func:`offer_key`, in each side's order.

    A key that occurs several times on one side (a collector listing an offer twice) is
    paired occurrence by occurrence; extra occurrences count as removed or added.
    """
    old_side = list(old)
    waiting: dict[OfferKey, list[GPUInstance]] = {}
    for instance in old_side:
        waiting.setdefault(offer_key(instance), []).append(instance)
    taken: dict[OfferKey, int] = {}
    pairs: list[tuple[GPUInstance, GPUInstance]] = []
    added: list[GPUInstance] = []
    for instance in new:
        key = offer_key(instance)
        index = taken.get(key, 0)
        candidates = waiting.get(key, [])
        if index < len(candidates):
            pairs.append((candidates[index], instance))
            taken[key] = index + 1
        else:
            added.append(instance)
    removed: list[GPUInstance] = []
    seen: dict[OfferKey, int] = {}
    for instance in old_side:  # in the old side's order
        key = offer_key(instance)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > taken.get(key, 0):
            removed.append(instance)
    return Matched(pairs=pairs, removed=removed, added=added)
