"""The gate between collection and pipelines: what may be published, what is dropped.

A collection is *withheld* (reaches no output) when it is smaller than ``min_instances``,
when it is partial and ``on_partial: withhold``, or when more than ``max_missing_fraction``
of the baseline's offers are gone. Single offers are *dropped* (the rest is published)
when a price lies outside ``price_range`` or moved more than ``max_price_change`` times
against the same offer in the baseline (matched by :mod:`.matching`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

import attrs

from .errors import OptionError
from .matching import match_offers
from .models import GPUInstance

PRICE_FIELDS = ("price", "spot_price")


@attrs.frozen
class ChecksConfig:
    """The ``checks:`` top-level key. Every key is optional."""

    min_instances: int = attrs.field(
        default=1,
        metadata={
            "description": (
                "fewer instances left to publish (after drops) and the collection is withheld; at"
                " least 1, so an empty collection is never published"
            )
        },
    )
    on_partial: Literal["publish", "withhold"] = attrs.field(
        default="publish",
        metadata={
            "description": (
                "`publish`: a collection with problems (a failed collector, a skipped GPU type, "
                "bad snapshot records) is published, exit code 1; `withhold`: it reaches no "
                "output"
            )
        },
    )
    price_range: list[float] | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "`[LOW, HIGH]` in $/hr: an offer whose `price` or `spot_price` lies outside is "
                "dropped. Unknown (null) prices are never dropped"
            )
        },
    )
    baseline: str | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "a snapshot to compare with (e.g. the last published collection): a local path "
                "(relative to the working directory, like `local` outputs) or anything "
                "`--snapshot` reads. Missing on the first run: said once, not an error. "
                "Unreadable: the collection is withheld"
            )
        },
    )
    max_price_change: float | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "a ratio above 1: an offer whose `price` or `spot_price` moved more than this "
                "many times up or down against the same offer in the baseline is dropped. Needs "
                "`baseline`"
            )
        },
    )
    max_missing_fraction: float | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "from 0 to below 1: when more than this share of the baseline's offers is missing"
                " from the collection, it is withheld. Needs `baseline`"
            )
        },
    )
    update_baseline: bool = attrs.field(
        default=False,
        metadata={
            "description": (
                "after a clean run (complete collection, every output delivered, not "
                "`--dry-run`), replace the baseline atomically with what was published. Needs "
                "`baseline`, named like a snapshot (`.json`, `.jsonl`, either plus `.gz`: the "
                "suffix picks the format)"
            )
        },
    )

    def __attrs_post_init__(self) -> None:
        errors = list(self._errors())
        if len(errors) == 1:
            raise errors[0]
        if errors:  # the config loader reports each, located at its key
            raise ExceptionGroup("invalid checks", errors)

    def _errors(self) -> Iterator[OptionError]:
        if self.min_instances < 1:
            yield OptionError(
                "min_instances",
                "min_instances must be at least 1: an empty collection is never published",
            )
        if self.price_range is not None:
            if len(self.price_range) != 2:
                yield OptionError("price_range", "price_range must be [LOW, HIGH], two numbers")
            elif not 0 <= self.price_range[0] <= self.price_range[1]:
                yield OptionError(
                    "price_range", "price_range must be [LOW, HIGH] with 0 <= LOW <= HIGH"
                )
        if self.max_price_change is not None and self.max_price_change <= 1:
            yield OptionError(
                "max_price_change", "max_price_change is a ratio greater than 1 (e.g. 5 for 5x)"
            )
        if self.max_missing_fraction is not None and not 0 <= self.max_missing_fraction < 1:
            yield OptionError(
                "max_missing_fraction", "max_missing_fraction must be at least 0 and below 1"
            )
        if self.baseline is None:
            for key in ("max_price_change", "max_missing_fraction", "update_baseline"):
                if getattr(self, key) not in (None, False):
                    yield OptionError(key, f"{key} needs a 'baseline' snapshot to compare with")
        elif not self.baseline.strip():
            yield OptionError("baseline", "baseline must not be empty")
        elif self.update_baseline:
            from .snapshots import SUFFIXES  # the snapshot reader is not needed to load a config

            if not self.baseline.lower().endswith(SUFFIXES):
                yield OptionError(
                    "baseline",
                    "update_baseline writes the baseline as a snapshot, so its name must end "
                    f"with one of {', '.join(SUFFIXES)}",
                )


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
