"""The openmetrics format, read back by prometheus_client's own parsers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

from gpuport_collectors import (
    Availability,
    CollectionInfo,
    ConfigError,
    GPUInstance,
    RunContext,
)
from gpuport_collectors.testing import generate_instances, make_instance, run_pipeline
from gpuport_openmetrics.config import OpenMetricsConfig
from gpuport_openmetrics.transformer import LABEL_FIELDS, OpenMetricsTransformer

NOW = dt.datetime(2025, 11, 23, 12, 30, 45, tzinfo=dt.UTC)
COLLECTION = CollectionInfo(
    collectors=("runpod",), instance_count=1234, collected_at=NOW, duration_seconds=2.5
)
OFFER_VALUES = {
    "gpuport_offer_price_dollars_per_hour": "price",
    "gpuport_offer_spot_price_dollars_per_hour": "spot_price",
    "gpuport_offer_availability": "availability",
    "gpuport_offer_quantity": "quantity",
}


def render(
    instances: Sequence[GPUInstance], collection: CollectionInfo | None = COLLECTION, **options
) -> tuple[str, str]:
    transformer = OpenMetricsTransformer(OpenMetricsConfig(**options))
    context = RunContext(started_at=NOW, pipeline="prom", collection=collection)
    payload = transformer.transform(instances, context)
    assert not payload.splittable
    assert payload.extension == ".prom"
    return payload.to_bytes().decode("utf-8"), payload.media_type


def labels_of(instance: GPUInstance) -> dict[str, str]:
    values = {field: getattr(instance, field, None) for field in LABEL_FIELDS}
    return {key: str(value) for key, value in values.items() if value is not None}


def expected_value(instance: GPUInstance, field: str) -> float | None:
    value = getattr(instance, field)
    if isinstance(value, Availability):
        return value.value
    return value


def samples_by_family(text: str, parser) -> dict[str, dict[tuple, float]]:
    families = {}
    for family in parser(text):
        assert family.type == "gauge", family.name
        assert family.documentation, family.name
        families[family.name] = {
            tuple(sorted(sample.labels.items())): sample.value for sample in family.samples
        }
    return families


def offers() -> list[GPUInstance]:
    rows = generate_instances(seed=3)
    # Unknown values of every kind, which must be no sample rather than 0.
    rows[0] = attrs.evolve(rows[0], spot_price=None, quantity=None)
    rows[1] = attrs.evolve(rows[1], price=None, availability=Availability.NOT_AVAILABLE)
    return rows


@pytest.mark.parametrize(
    ("eof", "parser"), [(False, parse_prometheus), (True, parse_openmetrics)], ids=["text", "om"]
)
def test_every_offer_value_reads_back(eof: bool, parser) -> None:
    rows = offers()
    text, _ = render(rows, eof=eof)

    families = samples_by_family(text, parser)

    for name, field in OFFER_VALUES.items():
        expected = {
            tuple(sorted(labels_of(row).items())): expected_value(row, field)
            for row in rows
            if getattr(row, field) is not None
        }
        assert families[name] == expected, name
    assert families["gpuport_offers"] == {(): len(rows)}
    assert families["gpuport_collection_instances"] == {(): 1234}
    assert families["gpuport_collection_timestamp_seconds"] == {(): NOW.timestamp()}


def test_a_null_value_is_no_sample_never_zero() -> None:
    row = make_instance(spot_price=None, quantity=None, price=1.5)

    families = samples_by_family(render([row])[0], parse_prometheus)

    assert families["gpuport_offer_spot_price_dollars_per_hour"] == {}
    assert families["gpuport_offer_quantity"] == {}
    assert list(families["gpuport_offer_price_dollars_per_hour"].values()) == [1.5]
    assert "spot_price_dollars_per_hour{" not in render([row])[0]


def test_label_values_are_escaped() -> None:
    name = 'Weird "GPU" \\ with\na line break'
    row = make_instance(accelerator_name=name, region='R"1\\')

    for eof, parser in ((False, parse_prometheus), (True, parse_openmetrics)):
        text, _ = render([row], eof=eof)
        assert 'accelerator_name="Weird \\"GPU\\" \\\\ with\\na line break"' in text
        (labels,) = samples_by_family(text, parser)["gpuport_offer_price_dollars_per_hour"]
        assert dict(labels)["accelerator_name"] == name
        assert dict(labels)["region"] == 'R"1\\'


def test_eof_selects_openmetrics_and_ends_the_document() -> None:
    text, media_type = render([make_instance()], eof=True)
    assert text.endswith("\n# EOF\n")
    assert media_type == "application/openmetrics-text; version=1.0.0; charset=utf-8"

    text, media_type = render([make_instance()])
    assert "# EOF" not in text
    assert media_type == "text/plain; version=0.0.4; charset=utf-8"
    assert "\n\n" not in text  # OpenMetrics forbids blank lines; keep one shape for both


def test_without_a_collection_only_the_offer_count_describes_the_run() -> None:
    families = samples_by_family(render([make_instance()], collection=None)[0], parse_prometheus)
    assert families["gpuport_offers"] == {(): 1}
    assert "gpuport_collection_timestamp_seconds" not in families


def test_prefix_names_every_metric() -> None:
    text, _ = render([make_instance()], prefix="gpu_prices")
    names = {family.name for family in parse_prometheus(text)}
    assert names and all(name.startswith("gpu_prices_") for name in names)


def test_repeated_label_sets_keep_the_first_and_warn(caplog: pytest.LogCaptureFixture) -> None:
    first, again = make_instance(price=1.0), make_instance(price=2.0)

    with caplog.at_level(logging.WARNING, logger="gpuport_openmetrics"):
        text, _ = render([first, again, make_instance(region="US-GA-1")], eof=True)

    prices = samples_by_family(text, parse_openmetrics)["gpuport_offer_price_dollars_per_hour"]
    assert sorted(prices.values()) == [0.69, 1.0]
    assert "1 offer(s) repeat the labels" in caplog.text
    assert samples_by_family(text, parse_openmetrics)["gpuport_offers"] == {(): 2}


def test_large_documents_render_in_chunks() -> None:
    rows = generate_instances(5000, seed=1)
    transformer = OpenMetricsTransformer(OpenMetricsConfig())
    payload = transformer.transform(rows, RunContext(started_at=NOW, pipeline="p"))
    chunks = list(payload.iter_bytes())
    assert len(chunks) > 4
    families = samples_by_family(b"".join(chunks).decode(), parse_prometheus)
    assert len(families["gpuport_offer_price_dollars_per_hour"]) == len(
        {tuple(sorted(labels_of(row).items())) for row in rows}
    )


@pytest.mark.parametrize("prefix", ["", "9lives", "gpu-port", "__reserved"])
def test_a_bad_prefix_is_a_located_config_error(prefix: str) -> None:
    config = f"""\
pipelines:
  - name: prom
    transformer:
      format: openmetrics
      prefix: "{prefix}"
    outputs: [{{type: capture}}]
"""
    with pytest.raises(ConfigError) as caught:
        run_pipeline(config, [make_instance()], source="cfg.yaml")
    assert str(caught.value).startswith("cfg.yaml:5:")
    assert "prefix" in str(caught.value)


def test_textfile_for_node_exporter(tmp_path: Path) -> None:
    """A local output named ``*.prom``, replaced atomically on every run."""
    config = f"""\
pipelines:
  - name: prom
    transformer: {{format: openmetrics}}
    outputs:
      - type: local
        path: "{tmp_path}"
        filename_pattern: gpuport.prom
        overwrite: true
"""
    rows = generate_instances(seed=5)
    for _ in range(2):
        run = run_pipeline(config, rows, collection=COLLECTION)
        assert run.result.success, run.result.error
    assert [path.name for path in tmp_path.iterdir()] == ["gpuport.prom"]
    families = samples_by_family((tmp_path / "gpuport.prom").read_text(), parse_prometheus)
    assert len(families["gpuport_offer_price_dollars_per_hour"]) == len(rows)
