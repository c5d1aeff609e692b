"""The ``metrics`` transformer: one JSON document of metrics, always sent whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gpuport_collectors.plugin_api import GPUInstance

from .config import MetricsConfig
from .document import collection_info, iso_utc
from .metric import Metric

if TYPE_CHECKING:
    from gpuport_collectors.plugin_api import Payload, RunContext


class MetricsTransformer:
    """Computes the configured metrics over the filtered instances."""

    Config = MetricsConfig

    def __init__(self, config: MetricsConfig) -> None:
        self.config = config
        self._metrics = [Metric(spec) for spec in config.metrics]

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Compute every metric now, so a failure belongs to the transform step."""
        from gpuport_collectors.plugin_api import Payload  # run-time only: validate never loads it

        document: dict[str, Any] = {}
        if self.config.include_timestamp:
            document["timestamp"] = iso_utc(context.started_at)
        if self.config.include_collection_info:
            document["collection_info"] = collection_info(context.collection)
        document["metrics"] = {metric.name: metric.compute(instances) for metric in self._metrics}
        import json  # when a document is rendered, not when a config is validated

        indent = 2 if self.config.pretty_print else None
        # allow_nan=False: a non-finite value fails the pipeline instead of writing bad JSON.
        data = (
            json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
        ).encode("utf-8")
        return Payload.whole(
            data, media_type="application/json", extension=".json", records=instances
        )
