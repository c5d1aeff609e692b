"""``transformer: {format: openmetrics}``: gauges per offer plus two about the collection.

Per offer (labels ``provider``, ``instance_type``, ``accelerator_model``,
``accelerator_name``, ``accelerator_count``, ``region``): price and spot price in dollars
per hour, availability (``NOT_AVAILABLE`` 0 .. ``HIGH`` 3) and quantity. A null value is
no sample, never 0; a null label is left out (Prometheus reads an empty label as absent).
Two offers with the same labels would be one series twice, which Prometheus, the
Pushgateway and node_exporter reject: the first is kept and the rest are counted in a
warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

import attrs

from gpuport_collectors.plugin_api import GPUInstance, Payload, RunContext

from .config import OpenMetricsConfig
from .exposition import (
    OPENMETRICS_MEDIA_TYPE,
    PROMETHEUS_MEDIA_TYPE,
    family_header,
    format_value,
    label_set,
)

log = logging.getLogger(__name__)

#: Samples rendered per chunk of bytes.
CHUNK_SIZE = 2000

#: Offer fields that become labels, in label order.
LABEL_FIELDS = (
    "provider",
    "instance_type",
    "accelerator_model",
    "accelerator_name",
    "accelerator_count",
    "region",
)


def _availability(instance: GPUInstance) -> float | None:
    level = instance.availability
    return None if level is None else level.value


@attrs.frozen
class OfferFamily:
    """One gauge family with a sample per offer whose value is not null."""

    suffix: str
    help: str
    value: Callable[[GPUInstance], float | None]


OFFER_FAMILIES = (
    OfferFamily(
        "offer_price_dollars_per_hour",
        "On-demand price of the whole instance in US dollars per hour.",
        lambda instance: instance.price,
    ),
    OfferFamily(
        "offer_spot_price_dollars_per_hour",
        "Spot (interruptible) price of the whole instance in US dollars per hour; "
        "no sample where there is no spot market.",
        lambda instance: instance.spot_price,
    ),
    OfferFamily(
        "offer_availability",
        "Stock level: 0 NOT_AVAILABLE, 1 LOW, 2 MEDIUM, 3 HIGH; no sample when unknown.",
        _availability,
    ),
    OfferFamily(
        "offer_quantity",
        "How many of the accelerator the provider reports as rentable at once.",
        lambda instance: instance.quantity,
    ),
)


class OpenMetricsTransformer:
    """Renders offers as one text exposition document (always sent whole)."""

    Config = OpenMetricsConfig

    def __init__(self, config: OpenMetricsConfig) -> None:
        self.config = config

    def transform(self, instances: Sequence[GPUInstance], context: RunContext) -> Payload:
        """Label every offer now, so duplicates are found (and logged) once per run."""
        series = unique_series(instances, context.pipeline)
        summary = self._collection_families(series, context)

        def render(records: Sequence[GPUInstance]) -> Iterator[bytes]:
            # One document describes the whole run; a subset would change its meaning.
            yield from self._render(series, summary)

        return Payload(
            media_type=OPENMETRICS_MEDIA_TYPE if self.config.eof else PROMETHEUS_MEDIA_TYPE,
            extension=".prom",
            records=instances,
            render=render,
            splittable=False,
        )

    def _render(
        self, series: list[tuple[str, GPUInstance]], summary: list[tuple[str, str, float]]
    ) -> Iterator[bytes]:
        prefix = self.config.prefix
        for family in OFFER_FAMILIES:
            name = f"{prefix}_{family.suffix}"
            lines = [family_header(name, family.help)]
            for labels, instance in series:
                value = family.value(instance)
                if value is not None:
                    lines.append(f"{name}{labels} {format_value(value)}\n")
                if len(lines) >= CHUNK_SIZE:
                    yield "".join(lines).encode("utf-8")
                    lines.clear()
            yield "".join(lines).encode("utf-8")
        lines = [
            family_header(f"{prefix}_{suffix}", help_text)
            + f"{prefix}_{suffix} {format_value(value)}\n"
            for suffix, help_text, value in summary
        ]
        if self.config.eof:
            lines.append("# EOF\n")
        yield "".join(lines).encode("utf-8")

    @staticmethod
    def _collection_families(
        series: list[tuple[str, GPUInstance]], context: RunContext
    ) -> list[tuple[str, str, float]]:
        families: list[tuple[str, str, float]] = [
            ("offers", "Offers in this document (after the pipeline's filters).", len(series))
        ]
        collection = context.collection
        if collection is not None:
            families.append(
                (
                    "collection_timestamp_seconds",
                    "When the collection started, in Unix seconds.",
                    collection.collected_at.timestamp(),
                )
            )
            families.append(
                (
                    "collection_instances",
                    "Offers in the whole collection, before any pipeline's filters.",
                    collection.instance_count,
                )
            )
        return families


def offer_labels(instance: GPUInstance) -> str:
    """The label set of one offer, null labels left out."""
    pairs = []
    for field in LABEL_FIELDS:
        value = getattr(instance, field, None)
        if value is not None and value != "":
            pairs.append((field, str(value)))
    return label_set(pairs)


def unique_series(instances: Sequence[GPUInstance], pipeline: str) -> list[tuple[str, GPUInstance]]:
    """``(labels, offer)`` for each offer, the first of each label set only."""
    seen: set[str] = set()
    series: list[tuple[str, GPUInstance]] = []
    duplicates: list[str] = []
    for instance in instances:
        labels = offer_labels(instance)
        if labels in seen:
            duplicates.append(labels)
            continue
        seen.add(labels)
        series.append((labels, instance))
    if duplicates:
        log.warning(
            "pipeline %s: %d offer(s) repeat the labels of an earlier one and were left out "
            "(a series may appear once), first: %s",
            pipeline,
            len(duplicates),
            duplicates[0],
        )
    return series
