"""The ``checks:`` key: what may be published, what is dropped (:mod:`.gate` applies it).

A collection is *withheld* (reaches no output) when it is smaller than ``min_instances``,
when it is partial and ``on_partial: withhold``, or when more than ``max_missing_fraction``
of the baseline's offers are gone. Single offers are *dropped* (the rest is published)
when a price lies outside ``price_range`` or moved more than ``max_price_change`` times
against the same offer in the baseline (matched by :mod:`.matching`). Loading a config
needs only this module, not the gate's run-time classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import attrs

from .errors import OptionError


@attrs.frozen
class ChecksConfig:
    """The ``checks:`` top-level key. Every key is optional."""

    min_instances: int = attrs.field(
        default=1,
        metadata={
            "json_schema": {"minimum": 1},
            "description": (
                "fewer instances left to publish (after drops) and the collection is withheld; at"
                " least 1, so an empty collection is never published"
            ),
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
            "json_schema": {"minItems": 2, "maxItems": 2},
            "description": (
                "`[LOW, HIGH]` in $/hr: an offer whose `price` or `spot_price` lies outside is "
                "dropped. Unknown (null) prices are never dropped"
            ),
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
            "json_schema": {"exclusiveMinimum": 1},
            "description": (
                "a ratio above 1: an offer whose `price` or `spot_price` moved more than this "
                "many times up or down against the same offer in the baseline is dropped. Needs "
                "`baseline`"
            ),
        },
    )
    max_missing_fraction: float | None = attrs.field(
        default=None,
        metadata={
            "json_schema": {"minimum": 0, "exclusiveMaximum": 1},
            "description": (
                "from 0 to below 1: when more than this share of the baseline's offers is missing"
                " from the collection, it is withheld. Needs `baseline`"
            ),
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
