"""Run pipelines: filter -> transform -> every output, with results and timings.

One failing output never stops the others, and one failing pipeline never stops the
next: failures become results, which the CLI turns into exit code 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

import attrs

from .built import BuiltPlugins
from .config import ExportConfig, FilterConfig, PipelineConfig
from .errors import GpuportError, OutputError
from .models import GPUInstance
from .protocols import CollectionInfo, OutputResult, Payload, RunContext

log = logging.getLogger("gpuport_collectors.pipeline")


@attrs.define
class PipelineResult:
    """What one pipeline did. ``success`` is true when every output succeeded."""

    pipeline_name: str
    success: bool = True
    input_count: int = 0
    filtered_count: int = 0
    outputs: list[OutputResult] = attrs.Factory(list)
    error: str | None = None
    #: The filter that left no instance (``filters[1] (region regex)``), when one did.
    emptied_by: str | None = None
    duration_seconds: float = 0.0
    filter_duration: float = 0.0
    transform_duration: float = 0.0
    output_duration: float = 0.0

    @property
    def output_count(self) -> int:
        return len(self.outputs)

    @property
    def successful_outputs(self) -> int:
        return sum(1 for output in self.outputs if output.success)


def apply_filters(
    instances: Sequence[GPUInstance],
    filters: Iterable[FilterConfig],
    *,
    emptied: list[str] | None = None,
) -> list[GPUInstance]:
    """Keep instances that pass every filter (AND). One pass per filter over survivors.

    ``emptied`` receives the filter that removed the last instance, if one did.
    """
    rows = list(instances)
    for index, spec in enumerate(filters):
        if not rows:
            break
        get = attrgetter(spec.field)
        test = spec.test
        rows = [row for row in rows if test(get(row))]
        if not rows and emptied is not None:
            emptied.append(f"filters[{index}] ({spec.field} {spec.operator})")
    return rows


def execute_pipelines(
    instances: Sequence[GPUInstance],
    config: ExportConfig,
    *,
    only: Iterable[str] | None = None,
    dry_run: bool = False,
    collection: CollectionInfo | None = None,
    now: dt.datetime | None = None,
    on_result: Callable[[PipelineResult], None] | None = None,
) -> list[PipelineResult]:
    """Run every enabled pipeline (or those named in ``only``) over ``instances``.

    ``now`` is the run's single clock reading (UTC); every file name of the run uses it.
    Without ``collection``, what the instances say stands in for it (count, providers,
    earliest ``collected_at``), so ``include_collection_info`` is never null here.
    Transformers and sinks are built once per run: the first run of a loaded config uses
    what loading built (``config.built``), each later run builds its own.
    """
    started = now or dt.datetime.now(dt.UTC)
    if collection is None:
        collection = CollectionInfo.from_instances(instances, started_at=started)
    wanted = set(only) if only is not None else None
    results = []
    for pipeline in config.pipelines:
        if not pipeline.enabled or (wanted is not None and pipeline.name not in wanted):
            continue
        context = RunContext(
            started_at=started, pipeline=pipeline.name, collection=collection, dry_run=dry_run
        )
        result = run_pipeline(pipeline, instances, context, built=config.built)
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


def run_pipeline(
    pipeline: PipelineConfig,
    instances: Sequence[GPUInstance],
    context: RunContext,
    *,
    built: BuiltPlugins | None = None,
) -> PipelineResult:
    built = BuiltPlugins() if built is None else built
    result = PipelineResult(pipeline_name=pipeline.name, input_count=len(instances))
    began = time.perf_counter()
    try:
        emptied: list[str] = []
        rows = apply_filters(instances, pipeline.filters, emptied=emptied)
        result.filtered_count = len(rows)
        result.emptied_by = emptied[0] if emptied else None
        result.filter_duration = time.perf_counter() - began
        mark = time.perf_counter()
        payload = built.take(pipeline.transformer).transform(rows, context)
        result.transform_duration = time.perf_counter() - mark
    except GpuportError as error:
        result.success, result.error = False, str(error)
    except Exception as error:  # a plugin bug must not stop the other pipelines
        log.debug("pipeline %s failed", pipeline.name, exc_info=True)  # --debug shows it
        result.success = False
        result.error = f"transformer {pipeline.transformer.kind!r} failed: {_describe(error)}"
    else:
        mark = time.perf_counter()
        for choice in pipeline.outputs:
            result.outputs.append(_deliver(choice.kind, built.take(choice), payload, context))
        result.output_duration = time.perf_counter() - mark
        result.success = all(output.success for output in result.outputs)
        failed = [output for output in result.outputs if not output.success]
        if failed:
            result.error = f"{len(failed)} of {len(result.outputs)} outputs failed"
    result.duration_seconds = time.perf_counter() - began
    return result


def _deliver(kind: str, sink: Any, payload: Payload, context: RunContext) -> OutputResult:
    began = time.perf_counter()
    try:
        if context.dry_run:
            output: OutputResult = sink.describe(payload, context)
            output.dry_run = True
        else:
            output = sink.write(payload, context)
    except OutputError as error:  # the convention: a sink raises, with what it did so far
        output = error.result or OutputResult(output_type=kind, destination="")
        output.success, output.error = False, str(error)
    except GpuportError as error:
        output = OutputResult(output_type=kind, destination="", success=False, error=str(error))
    except Exception as error:  # keep going: the other outputs still deserve their data
        log.debug("output %s failed", kind, exc_info=True)  # --debug shows it
        output = OutputResult(
            output_type=kind,
            destination="",
            success=False,
            error=f"output {kind!r} failed unexpectedly: {_describe(error)}",
        )
    output.duration_seconds = time.perf_counter() - began
    return output


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
