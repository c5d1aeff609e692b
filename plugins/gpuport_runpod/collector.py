"""The RunPod collector: discovery, then one pricing query per GPU type (docs/runpod.md)."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from gpuport_collectors.plugin_api import (
    CollectorError,
    GPUInstance,
    ProgressCallback,
    masked_library_logs,
)

from .client import GraphQLClient, QueryError, Sleep
from .config import RunPodConfig
from .mapping import (
    DataCenter,
    GpuType,
    ShapeError,
    map_offers,
    parse_datacenters,
    parse_gpu_types,
    pricing_entry,
)
from .queries import (
    DATACENTERS_QUERY,
    GPU_TYPES_QUERY,
    datacenter_aliases,
    pricing_query,
    pricing_variables,
)

if TYPE_CHECKING:
    import ssl

    import httpx

log = logging.getLogger(__name__)

T = TypeVar("T")

USER_AGENT = "gpuport-data-collectors (runpod collector)"


class RunPodCollector:
    """Collects RunPod GPU offers. ``RunPodCollector(config=CollectorConfig())`` works.

    Keyword-only hooks for tests: ``transport`` (an httpx transport), ``sleep``, ``rand``
    and ``clock`` (retry timing), ``now`` (``collected_at``), ``environ`` (key and URL).
    """

    Config = RunPodConfig

    def __init__(
        self,
        config: Any = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = RunPodConfig.from_config(config)
        self.problems: list[str] = []
        self._transport = transport
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self._now = now
        self._environ = environ

    def __repr__(self) -> str:
        return f"RunPodCollector({self.config!r})"

    async def fetch_instances(self, progress: ProgressCallback | None = None) -> list[GPUInstance]:
        """Collect every in-stock offer. GPU types whose query fails are listed in
        ``problems`` and skipped; a rejected key raises ``AuthenticationError``; failed
        discovery raises ``CollectorError``; a missing key raises ``UsageError``."""
        import httpx

        config = self.config
        api_key = config.resolve_api_key(self._environ)
        url = config.resolve_api_url(self._environ)
        self.problems = []
        collected_at = int(self._now())
        started = self._clock()
        limits = httpx.Limits(
            max_connections=config.max_concurrency,
            max_keepalive_connections=config.max_concurrency,
        )
        # httpx logs each request at INFO; the key must not show even if a server echoes it.
        with masked_library_logs([api_key.reveal()], "httpx"):
            async with httpx.AsyncClient(
                timeout=httpx.Timeout(config.timeout),
                limits=limits,
                verify=_tls_context(),
                transport=self._transport,
                headers={"User-Agent": USER_AGENT},
            ) as http:
                client = GraphQLClient(
                    http,
                    url,
                    api_key,
                    policy=config.retry_policy(),
                    concurrency=config.max_concurrency,
                    timeout=config.timeout,
                    sleep=self._sleep,
                    rand=self._rand,
                    clock=self._clock,
                )
                tracker = _Progress(progress, total=2)
                gpus, datacenters = await self._discover(client, tracker)
                instances = await self._price_all(client, tracker, gpus, datacenters, collected_at)
        log.info(
            "RunPod: %d instances from %d GPU types x %d datacenters in %.2f s "
            "(%d requests, %d retries, %d problems)",
            len(instances),
            len(gpus),
            len(datacenters),
            self._clock() - started,
            client.requests,
            client.retries,
            len(self.problems),
        )
        return instances

    async def _discover(
        self, client: GraphQLClient, tracker: _Progress
    ) -> tuple[list[GpuType], list[DataCenter]]:
        async def discover(name: str, query: str, parse: Callable[[Any], T]) -> T:
            data = await client.execute(name, query)
            try:
                found = parse(data)
            except ShapeError as error:
                raise QueryError(name, f"unexpected answer: {error}") from None
            return found

        async def gpu_types() -> tuple[list[GpuType], list[str]]:
            found = await discover("gpuTypes discovery", GPU_TYPES_QUERY, parse_gpu_types)
            tracker.total = 2 + len(found[0])  # known now: one pricing query per GPU type
            tracker.advance()
            return found

        async def datacenters() -> tuple[list[DataCenter], list[str]]:
            found = await discover("dataCenters discovery", DATACENTERS_QUERY, parse_datacenters)
            tracker.advance()
            return found

        gpu_task = asyncio.create_task(gpu_types())
        datacenter_task = asyncio.create_task(datacenters())
        try:
            (gpus, gpu_problems), (centers, center_problems) = await asyncio.gather(
                gpu_task, datacenter_task
            )
        except BaseException:
            await _cancel([gpu_task, datacenter_task])
            raise
        self.problems += gpu_problems + center_problems
        if not gpus or not centers:
            empty = "GPU types" if not gpus else "datacenters"
            raise CollectorError(f"RunPod discovery found no {empty}; nothing to collect")
        log.info("RunPod: %d GPU types, %d datacenters", len(gpus), len(centers))
        return gpus, centers

    async def _price_all(
        self,
        client: GraphQLClient,
        tracker: _Progress,
        gpus: list[GpuType],
        datacenters: list[DataCenter],
        collected_at: int,
    ) -> list[GPUInstance]:
        aliases = datacenter_aliases(datacenter.id for datacenter in datacenters)
        by_id = {datacenter.id: datacenter for datacenter in datacenters}
        query = pricing_query(aliases)

        async def price(gpu: GpuType) -> tuple[list[GPUInstance], list[str]]:
            name = f"pricing query for GPU type {gpu.id!r}"
            try:
                data = await client.execute(name, query, pricing_variables(gpu.id))
                entry = pricing_entry(data, gpu)
            except ShapeError as error:
                outcome = self._skipped(gpu, f"unexpected answer: {error}")
            except QueryError as error:
                outcome = self._skipped(gpu, error.reason)
            else:
                outcome = map_offers(
                    gpu,
                    entry,
                    aliases,
                    by_id,
                    collected_at=collected_at,
                    expand_gpu_counts=self.config.expand_gpu_counts,
                )
            tracker.advance()
            return outcome

        tasks = [asyncio.create_task(price(gpu)) for gpu in gpus]
        try:
            results = await asyncio.gather(*tasks)
        except BaseException:
            await _cancel(tasks)
            raise
        instances: list[GPUInstance] = []
        for found, problems in results:  # GPU-type order, whatever order answers came in
            instances += found
            self.problems += problems
        return instances

    def _skipped(self, gpu: GpuType, reason: str) -> tuple[list[GPUInstance], list[str]]:
        problem = f"GPU type {gpu.id!r} skipped: {reason}"
        log.info("RunPod: %s", problem)  # reported to the user through ``problems``
        return [], [problem]


class _Progress:
    """Counts finished queries; the total grows once discovery knows the GPU types."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def advance(self) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(self.done, self.total)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verifying context, built once per process (it costs ~20 ms, loading
    the CA bundle; SSL_CERT_FILE / SSL_CERT_DIR are read the first time)."""
    import httpx

    return httpx.create_ssl_context()


async def _cancel(tasks: list[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
