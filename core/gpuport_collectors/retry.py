"""Retry timing shared by network plugins: exponential backoff, jitter, Retry-After.

One wait rule for every plugin: retry number *n* waits between half and all of
``delay x backoff^(n-1)`` (capped), or the server's Retry-After when it sent one (capped).
:class:`RetryOptions` holds the options as users write them; it makes a :class:`RetryPolicy`.
Callers do the sleeping, so tests inject a fake sleep and a fixed random source.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Callable

import attrs

from .errors import OptionError


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


@attrs.frozen(kw_only=True)
class RetryOptions:
    """The retry options of a plugin's config, spelled as in the user's export spec.

    A plugin config inherits this class (its YAML then takes ``retry_attempts``,
    ``retry_delay``, ``retry_backoff``, ``retry_max_delay``), calls :meth:`check_retry`
    from ``__attrs_post_init__`` and sends with :meth:`retry_policy`. A Retry-After from
    the server is always honoured, capped by ``retry_max_delay``.
    """

    retry_attempts: int = attrs.field(
        default=3,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "retries after the first attempt (`0`: none)",
        },
    )
    retry_delay: float = attrs.field(
        default=5.0,
        metadata={"json_schema": {"minimum": 0}, "description": "seconds before the first retry"},
    )
    retry_backoff: float = attrs.field(
        default=2.0,
        metadata={
            "json_schema": {"minimum": 1},
            "description": "multiplier for each further retry",
        },
    )
    retry_max_delay: float = attrs.field(
        default=60.0,
        metadata={
            "json_schema": {"minimum": 0},
            "description": "cap on any one wait, `Retry-After` included",
        },
    )

    def check_retry(self) -> None:
        """Raise :class:`OptionError` naming the first retry option out of range."""
        if self.retry_attempts < 0:
            raise OptionError("retry_attempts", "retry_attempts must not be negative (0: no retry)")
        for key in ("retry_delay", "retry_max_delay"):
            if getattr(self, key) < 0:
                raise OptionError(key, f"{key} must not be negative")
        if self.retry_backoff < 1:
            raise OptionError("retry_backoff", "retry_backoff must be at least 1.0")

    def retry_policy(self) -> RetryPolicy:
        """The policy these options describe (the one wait rule, with jitter)."""
        return RetryPolicy(
            attempts=self.retry_attempts,
            initial=self.retry_delay,
            backoff=self.retry_backoff,
            max_delay=self.retry_max_delay,
        )


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
