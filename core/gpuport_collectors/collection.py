"""Choose the run's collectors and gather their instances into one collection.

``--snapshot`` replaces the config's collectors; a config without ``collectors`` uses
RunPod; ``--api-key`` goes to every collector whose Config has an ``api_key`` option.
An offer a collector returns that a snapshot could not hold (a NaN or negative price, a
missing region: :func:`.records.instance_problem`) is left out and becomes a problem of
that collector, so the collection is partial instead of publishing it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .built import BuiltPlugins
from .config import ExportConfig, PluginChoice, structure_choice
from .errors import GpuportError, UsageError
from .models import GPUInstance
from .plugins import PluginHost
from .protocols import CollectionInfo, ProgressCallback
from .records import instance_problem
from .secrets import Secret

DEFAULT_COLLECTOR = "runpod"

log = logging.getLogger("gpuport_collectors.collection")


@attrs.frozen
class CollectorRun:
    """What one collector did. ``error`` is set when it raised: it then gave no instances.

    ``exit_code`` is the error's (2 for a rejected key or an unusable file, else 1).
    """

    name: str
    where: str
    instance_count: int
    problems: tuple[str, ...]
    duration_seconds: float
    error: str | None = None
    exit_code: int = 0

    @property
    def failed(self) -> bool:
        return self.error is not None


@attrs.frozen
class Collection:
    instances: list[GPUInstance]
    problems: list[str]
    info: CollectionInfo
    collectors: tuple[CollectorRun, ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.problems)

    @property
    def failed(self) -> tuple[CollectorRun, ...]:
        """The collectors that raised."""
        return tuple(run for run in self.collectors if run.failed)


def choose_collectors(
    config: ExportConfig | None,
    host: PluginHost,
    *,
    snapshot: str | None = None,
    collector: str | None = None,
    options: Mapping[str, Any] | None = None,
    api_key: str | None = None,
    environ: Mapping[str, str] | None = None,
    built: BuiltPlugins | None = None,
) -> list[PluginChoice]:
    """The collectors this run uses, validated; ``UsageError`` when impossible.

    Those built here (``--snapshot``, ``--collector``, the default) are kept in ``built``
    (default: the config's), so :func:`gather` given the same takes them unbuilt again.
    """
    if built is None and config is not None:
        built = config.built
    if snapshot is not None:
        choices = [_choice(host, "snapshot", {"path": snapshot}, environ, built, "--snapshot")]
    elif collector is not None:
        choices = [_choice(host, collector, dict(options or {}), environ, built)]
    elif config is not None and config.collectors is not None:
        choices = list(config.collectors)
    else:
        choices = [_choice(host, DEFAULT_COLLECTOR, {}, environ, built)]
    if api_key is not None:
        choices = [_with_api_key(choice, api_key) for choice in choices]
    return choices


def _choice(
    host: PluginHost,
    name: str,
    raw: dict[str, Any],
    environ: Mapping[str, str] | None,
    built: BuiltPlugins | None,
    source: str = "--option",
) -> PluginChoice:
    """Structured by the config loader's own code, so errors read as they do for YAML."""
    if "type" in raw:
        raise UsageError("--option type=... is not an option; name the collector with --collector")
    try:
        split = _split_lists(raw, host.collectors.get(name).Config)
    except ValueError:
        split = raw  # an unknown name: structure_choice reports it
    return structure_choice(
        {"type": name, **split},
        host.collectors,
        host=host,
        source=source,
        name_source="--collector",
        environ=environ,
        where=f"collector {name}",
        built=built,
    )


def _split_lists(raw: dict[str, Any], config_class: type[Any]) -> dict[str, Any]:
    """On the command line a list option takes comma-separated text: ``-o providers=aws,gcp``."""
    hints = typing.get_type_hints(config_class)
    split = dict(raw)
    for key, value in raw.items():
        if isinstance(value, str) and _takes_list(hints.get(key)):
            split[key] = [part.strip() for part in value.split(",") if part.strip()]
    return split


def _takes_list(kind: Any) -> bool:
    if typing.get_origin(kind) in (list, tuple, Sequence):
        return True
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    is_union = typing.get_origin(kind) in (typing.Union, types.UnionType)
    return is_union and len(args) == 1 and _takes_list(args[0])


def _with_api_key(choice: PluginChoice, api_key: str) -> PluginChoice:
    if not any(field.name == "api_key" for field in attrs.fields(type(choice.options))):
        return choice
    options = attrs.evolve(choice.options, api_key=Secret.literal(api_key))
    return attrs.evolve(choice, options=options)


async def gather(
    choices: Sequence[PluginChoice],
    progress: ProgressCallback | None = None,
    *,
    built: BuiltPlugins | None = None,
) -> Collection:
    """Run every collector concurrently; their instances are concatenated in config order.

    A collector that raises fails alone: its error becomes its problem and the others'
    instances are kept. Each collector is taken from ``built`` (what loading built) when
    given, else built now.
    """
    built = BuiltPlugins() if built is None else built
    started_at = dt.datetime.now(dt.UTC)
    began = time.perf_counter()
    parts = _progress_parts(progress, len(choices))
    runs = await asyncio.gather(
        *(_run_one(choice, part, built) for choice, part in zip(choices, parts, strict=True))
    )
    instances = [instance for _, batch in runs for instance in batch]
    problems = [
        f"{run.name}: {problem}"
        for run, _ in runs
        for problem in ((run.error,) if run.error is not None else run.problems)
    ]
    info = CollectionInfo.from_instances(
        instances,
        collectors=tuple(choice.kind for choice in choices),
        duration_seconds=time.perf_counter() - began,
        started_at=started_at,
    )
    return Collection(
        instances=instances,
        problems=problems,
        info=info,
        collectors=tuple(run for run, _ in runs),
    )


def _progress_parts(progress: ProgressCallback | None, count: int) -> list[ProgressCallback | None]:
    """One callback per collector; ``progress`` sees the sums, so one bar covers them all."""
    if progress is None:
        return [None] * count
    state = [(0, 0)] * count

    def part(index: int) -> ProgressCallback:
        def update(done: int, total: int) -> None:
            state[index] = (done, total)
            progress(sum(d for d, _ in state), sum(t for _, t in state))

        return update

    return [part(index) for index in range(count)]


async def _run_one(
    choice: PluginChoice, progress: ProgressCallback | None, built: BuiltPlugins
) -> tuple[CollectorRun, list[GPUInstance]]:
    began = time.perf_counter()
    error: str | None = None
    exit_code = 0
    instances: list[GPUInstance] = []
    collector: Any = None
    try:
        collector = built.take(choice)
        instances = list(await collector.fetch_instances(progress=progress))
    except GpuportError as caught:
        error, exit_code = str(caught), caught.exit_code
    except Exception as caught:  # a plugin bug costs that collector only
        log.exception("collector %s failed", choice.kind)
        error, exit_code = f"failed unexpectedly: {type(caught).__name__}: {caught}", 1
    problems = [] if error is not None else list(getattr(collector, "problems", ()) or ())
    instances, left_out = _publishable(instances)
    run = CollectorRun(
        name=choice.kind,
        where=choice.where,
        instance_count=len(instances),
        problems=tuple(str(problem) for problem in [*problems, *left_out]),
        duration_seconds=time.perf_counter() - began,
        error=error,
        exit_code=exit_code,
    )
    return run, instances


def _publishable(instances: list[Any]) -> tuple[list[GPUInstance], list[str]]:
    """The offers fit to publish, and one problem for each one left out."""
    kept: list[GPUInstance] = []
    left_out: list[str] = []
    for number, instance in enumerate(instances, start=1):
        problem = instance_problem(instance)
        if problem is None:
            kept.append(instance)
        else:
            left_out.append(f"offer {number} left out: {problem}")
    return kept, left_out
