"""What changed between two runs: offers whose price moved, appeared or disappeared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from .store import Key, Price


@attrs.frozen
class Change:
    """One offer that differs between the older and the newer run."""

    kind: Literal["changed", "new", "gone"]
    provider: str
    instance_type: str
    region: str
    old_price: float | None = None
    new_price: float | None = None
    old_spot_price: float | None = None
    new_spot_price: float | None = None


@attrs.frozen
class Comparison:
    """Changes in a stable order (provider, instance type, region) and the unchanged count."""

    changes: list[Change]
    unchanged: int

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def compare(old: Mapping[Key, Price], new: Mapping[Key, Price]) -> Comparison:
    """Compare two runs' prices offer by offer."""
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None:
            assert after is not None
            changes.append(
                Change("new", *key, new_price=after.price, new_spot_price=after.spot_price)
            )
        elif after is None:
            changes.append(
                Change("gone", *key, old_price=before.price, old_spot_price=before.spot_price)
            )
        elif (before.price, before.spot_price) != (after.price, after.spot_price):
            changes.append(
                Change(
                    "changed",
                    *key,
                    old_price=before.price,
                    new_price=after.price,
                    old_spot_price=before.spot_price,
                    new_spot_price=after.spot_price,
                )
            )
        else:
            unchanged += 1
    return Comparison(changes, unchanged)
