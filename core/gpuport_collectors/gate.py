"""The gate between collection and pipelines: applies :class:`~.checks.ChecksConfig`.

A withheld collection reaches no output; dropped offers are left out and the rest is
published (see :mod:`.checks` for what each check means).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .checks import ChecksConfig
from .matching import match_offers
from .models import GPUInstance

PRICE_FIELDS = ("price", "spot_price")


@attrs.frozen
class Dropped:
    """An offer a check kept out of the pipelines, and why."""

    instance: GPUInstance
    check: str
    reason: str


@attrs.frozen
class CheckOutcome:
    """What the checks decided. ``withheld`` lists every reason; empty means publish."""

    published: list[GPUInstance]
    dropped: list[Dropped] = attrs.Factory(list)
    withheld: list[str] = attrs.Factory(list)

    @property
    def is_withheld(self) -> bool:
        return bool(self.withheld)


def check_collection(
    instances: Sequence[GPUInstance],
    checks: ChecksConfig,
    *,
    problems: Sequence[str] = (),
    baseline: Sequence[GPUInstance] | None = None,
) -> CheckOutcome:
    """Apply ``checks`` to a collection (``problems``: what its collectors reported).

    ``baseline`` is the previous collection, or None when there is none to compare with.
    """
    withheld: list[str] = []
    if not instances:
        withheld.append("no instances were collected")
    if problems and checks.on_partial == "withhold":
        withheld.append(
            f"the collection is partial ({_count(len(problems), 'problem')}) "
            "and checks.on_partial is withhold"
        )
    dropped = list(_outside_range(instances, checks.price_range))
    if baseline is not None:
        missing = _missing_reason(baseline, instances, checks.max_missing_fraction)
        if missing:
            withheld.append(missing)
        if checks.max_price_change is not None:
            skip = {id(drop.instance) for drop in dropped}
            dropped += _moved(baseline, instances, checks.max_price_change, skip)
    gone = {id(drop.instance) for drop in dropped}
    published = [instance for instance in instances if id(instance) not in gone]
    if instances and len(published) < checks.min_instances:
        withheld.append(
            f"{_count(len(published), 'instance')} left to publish, fewer than "
            f"checks.min_instances ({checks.min_instances})"
        )
    return CheckOutcome(published=published, dropped=dropped, withheld=withheld)


def _outside_range(
    instances: Sequence[GPUInstance], price_range: list[float] | None
) -> list[Dropped]:
    if price_range is None:
        return []
    low, high = price_range
    dropped = []
    for instance in instances:
        for name in PRICE_FIELDS:
            value = getattr(instance, name)
            if value is not None and not low <= value <= high:
                reason = f"{name} {value:g} outside price_range [{low:g}, {high:g}]"
                dropped.append(Dropped(instance, "price_range", reason))
                break
    return dropped


def _moved(
    baseline: Sequence[GPUInstance],
    instances: Sequence[GPUInstance],
    limit: float,
    skip: set[int],
) -> list[Dropped]:
    dropped = []
    for old, new in match_offers(baseline, instances).pairs:
        if id(new) in skip:
            continue
        for name in PRICE_FIELDS:
            before, after = getattr(old, name), getattr(new, name)
            if not before or not after:  # null is unknown, and 0 has no ratio
                continue
            ratio = max(after / before, before / after)
            if ratio > limit:
                reason = (
                    f"{name} {before:g} -> {after:g} ({ratio:.1f}x) moved more than "
                    f"checks.max_price_change ({limit:g}x) against the baseline"
                )
                dropped.append(Dropped(new, "max_price_change", reason))
                break
    return dropped


def _missing_reason(
    baseline: Sequence[GPUInstance], instances: Sequence[GPUInstance], limit: float | None
) -> str | None:
    if limit is None or not baseline:
        return None
    gone = len(match_offers(baseline, instances).removed)
    if gone / len(baseline) <= limit:
        return None
    return (
        f"{gone} of the baseline's {len(baseline)} offers ({gone / len(baseline):.0%}) "
        f"are missing, "
        f"more than checks.max_missing_fraction ({limit:g})"
    )


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
