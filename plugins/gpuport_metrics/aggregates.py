"""The aggregate functions. Each takes the non-null values of one group, in input order.

Nulls never reach them (unknown is not zero); over no values, ``count`` and ``unique``
give 0 and every other aggregate gives ``None`` (written as JSON null).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

Aggregate = Callable[[Sequence[Any]], Any]


def count(values: Sequence[Any]) -> int:
    """How many values."""
    return len(values)


def unique(values: Sequence[Any]) -> int:
    """How many distinct values."""
    return len(set(values))


def minimum(values: Sequence[Any]) -> Any:
    """The smallest value, or None."""
    return min(values) if values else None


def maximum(values: Sequence[Any]) -> Any:
    """The largest value, or None."""
    return max(values) if values else None


def total(values: Sequence[Any]) -> int | float | None:
    """The sum, or None. Integers stay integers; floats are summed exactly (``fsum``)."""
    if not values:
        return None
    if all(isinstance(value, int) for value in values):
        whole: int = sum(values)
        return whole
    return math.fsum(values)


def mean(values: Sequence[Any]) -> float | None:
    """The arithmetic mean, or None."""
    if not values:
        return None
    return math.fsum(values) / len(values)


AGGREGATES: dict[str, Aggregate] = {
    "count": count,
    "unique": unique,
    "min": minimum,
    "max": maximum,
    "sum": total,
    "avg": mean,
}
