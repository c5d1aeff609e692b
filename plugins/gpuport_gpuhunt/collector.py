"""The ``gpuhunt`` collector: each provider read off the event loop, each failing alone."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gpuport_collectors.plugin_api import CollectorError, GPUInstance, ProgressCallback, Redactor

from .config import GpuhuntConfig
from .mapping import map_items
from .providers import CREDENTIAL_ENV

if TYPE_CHECKING:
    from .sources import Location

log = logging.getLogger(__name__)

#: One provider's instances (None when it failed) and its problems.
Outcome = tuple[list[GPUInstance] | None, list[str]]


class GpuhuntCollector:
    """Collects the configured gpuhunt providers concurrently (one thread each).

    A provider that cannot be read (download error, bad catalogue, online API down,
    missing credentials) is one entry of ``problems``; the others' offers are kept. Only
    when every provider fails does ``fetch_instances`` raise ``CollectorError``.
    Keyword-only hooks for tests: ``environ`` (catalogue location, secrets to mask) and
    ``now`` (``collected_at``).
    """

    Config = GpuhuntConfig

    def __init__(
        self,
        config: GpuhuntConfig | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.config = config if config is not None else GpuhuntConfig()
        self.problems: list[str] = []
        self._environ = environ
        self._now = now

    def __repr__(self) -> str:
        return f"GpuhuntCollector({self.config!r})"

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        """Collect every configured provider; progress counts providers."""
        from .logs import gpuhunt_logs
        from .sources import Location

        environ = os.environ if self._environ is None else self._environ
        providers = self.config.provider_names
        location = Location.choose(self.config.catalog_dir, self.config.catalog_url, environ)
        collected_at = int(self._now())
        redact = Redactor(_credentials(environ))
        self.problems = []
        done = 0
        if progress is not None:
            progress(0, len(providers))

        async def one(provider: str) -> Outcome:
            nonlocal done
            try:
                return await asyncio.to_thread(
                    self._collect_provider, provider, location, collected_at, redact
                )
            finally:
                done += 1
                if progress is not None:
                    progress(done, len(providers))

        with gpuhunt_logs(redact):
            outcomes = await asyncio.gather(*(one(provider) for provider in providers))
        # Problems in config order, whichever thread finished first.
        self.problems = [problem for _, problems in outcomes for problem in problems]
        batches = [batch for batch, _ in outcomes]
        if all(batch is None for batch in batches):
            raise CollectorError(
                "no gpuhunt provider could be collected: " + "; ".join(self.problems)
            )
        return [instance for batch in batches if batch for instance in batch]

    def _collect_provider(
        self, provider: str, location: Location, collected_at: int, redact: Redactor
    ) -> Outcome:
        """Runs in a worker thread: read, map, and turn a failure into a problem."""
        from .sources import SourceError, is_online, offline_rows, online_rows

        began = time.perf_counter()
        try:
            if is_online(provider):
                rows = online_rows(provider)
            else:
                rows = offline_rows(provider, location, timeout=self.config.timeout)
        except SourceError as error:
            return None, [f"{provider}: {redact(str(error))}"]
        except Exception as error:  # a provider's own bug or API change must not stop the rest
            reason = redact(str(error)) or "no details"
            log.debug("%s failed", provider, exc_info=True)
            return None, [f"{provider}: {type(error).__name__}: {reason}"]
        problems = []
        if rows.skipped:
            problems.append(
                f"{provider}: skipped {len(rows.skipped)} malformed catalogue rows "
                f"(first: {rows.skipped[0]})"
            )
        instances = map_items(
            rows.items,
            provider,
            collected_at=collected_at,
            include_cpu_only=self.config.include_cpu_only,
        )
        log.debug(
            "%s: %d rows, %d instances in %.2fs",
            provider,
            len(rows.items),
            len(instances),
            time.perf_counter() - began,
        )
        return instances, problems


def _credentials(environ: Mapping[str, Any]) -> list[str]:
    names = [name for names in CREDENTIAL_ENV.values() for name in names]
    return [str(environ[name]) for name in names if environ.get(name)]
