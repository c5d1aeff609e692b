"""Retry timing shared by network plugins: exponential backoff, full jitter, Retry-After.

Pure functions and a small policy object; callers do the sleeping, so tests can inject a
fake sleep and a seeded random source.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Callable

import attrs


@attrs.frozen
class RetryPolicy:
    """``attempts`` retries after the first try; delays grow by ``backoff`` from ``initial``.

    With ``jitter`` each delay is uniform between half and all of the computed one
    (``initial * backoff ** (n - 1)``, capped), so senders spread out yet ``initial`` still
    means "about this long before the first retry", as spec/gpu-data-exports.md documents
    ``retry_delay``. ``max_delay`` caps every delay, a Retry-After included; Retry-After is
    honoured as sent. Every plugin that retries uses this one rule.
    """

    attempts: int = 4
    initial: float = 0.5
    backoff: float = 2.0
    max_delay: float = 60.0
    jitter: bool = True

    def delay(
        self,
        retry: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        computed = min(self.initial * self.backoff ** (retry - 1), self.max_delay)
        return computed * (0.5 + 0.5 * rand()) if self.jitter else computed


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    current = now or dt.datetime.now(dt.UTC)
    return max((moment - current).total_seconds(), 0.0)
