"""The csv transformer: exact documents, RFC 4180 quoting, nulls, headers per subset."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

import gpuport_csv.transformer
from gpuport_collectors.config import ExportConfig
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.models import Availability
from gpuport_collectors.testing import generate_instances, make_instance

from .helpers import CONTEXT, build, config_text, render

Load = Callable[[str], ExportConfig]

BASIC = "format: csv\nfields:\n  provider: Provider\n  price: Price ($/hr)\n"


def test_exact_document_with_header(load: Load) -> None:
    instances = [make_instance(price=0.69), make_instance(provider="AWS", price=12.0)]
    assert render(build(load, BASIC), instances) == (
        b"Provider,Price ($/hr)\r\nRunPod,0.69\r\nAWS,12.0\r\n"
    )


def test_payload_describes_a_splittable_csv_document(load: Load) -> None:
    payload = build(load, BASIC).transform([make_instance()], CONTEXT)
    assert (payload.media_type, payload.extension, payload.splittable) == (
        "text/csv",
        ".csv",
        True,
    )


def test_columns_follow_the_fields_order_and_types(load: Load) -> None:
    text = (
        "format: csv\n"
        "fields:\n"
        "  availability: Stock\n"
        "  collected_at: At\n"
        "  accelerator_count: GPUs\n"
        "  v_cpus: vCPU\n"
        "  spot_price: Spot\n"
    )
    instance = make_instance(
        availability=Availability.NOT_AVAILABLE,
        collected_at=1_700_000_000,
        accelerator_count=8,
        v_cpus=0.1 + 0.2,
        spot_price=None,
    )
    assert render(build(load, text), [instance]) == (
        b"Stock,At,GPUs,vCPU,Spot\r\nNOT_AVAILABLE,1700000000,8,0.30000000000000004,\r\n"
    )


def test_rfc_4180_quoting(load: Load) -> None:
    text = "format: csv\nfields: {instance_type: 'Type, full', region: Region, provider: P}\n"
    instance = make_instance(
        instance_type='8x "H100", SXM', region="line one\nline two", provider="plain"
    )
    body = render(build(load, text), [instance])
    assert body == (b'"Type, full",Region,P\r\n"8x ""H100"", SXM","line one\nline two",plain\r\n')
    assert list(csv.reader(io.StringIO(body.decode(), newline=""))) == [
        ["Type, full", "Region", "P"],
        ['8x "H100", SXM', "line one\nline two", "plain"],
    ]


def test_delimiter_changes_what_needs_quoting(load: Load) -> None:
    text = "format: csv\nfields: {region: R, instance_type: T}\ndelimiter: ';'\n"
    instance = make_instance(region="a;b", instance_type="c,d")
    assert render(build(load, text), [instance]) == b'R;T\r\n"a;b";c,d\r\n'


def test_tab_delimiter(load: Load) -> None:
    text = 'format: csv\nfields: {region: R, price: P}\ndelimiter: "\\t"\n'
    assert render(build(load, text), [make_instance(price=1.5)]) == b"R\tP\r\nEU-RO-1\t1.5\r\n"


def test_null_value_replaces_missing_values_only(load: Load) -> None:
    text = "format: csv\nfields: {price: P, spot_price: S, quantity: Q}\nnull_value: N/A\n"
    instance = make_instance(price=0.0, spot_price=None, quantity=None)
    assert render(build(load, text), [instance]) == b"P,S,Q\r\n0.0,N/A,N/A\r\n"


def test_null_value_with_special_characters_is_quoted(load: Load) -> None:
    text = "format: csv\nfields: {spot_price: S, region: R}\nnull_value: 'n,a'\n"
    instance = make_instance(spot_price=None)
    assert render(build(load, text), [instance]) == b'S,R\r\n"n,a",EU-RO-1\r\n'


def test_without_headers(load: Load) -> None:
    text = BASIC + "include_headers: false\n"
    assert render(build(load, text), [make_instance(price=2.5)]) == b"RunPod,2.5\r\n"
    assert render(build(load, text), []) == b""


def test_no_instances_is_the_header_alone(load: Load) -> None:
    assert render(build(load, BASIC), []) == b"Provider,Price ($/hr)\r\n"


def test_single_field(load: Load) -> None:
    text = "format: csv\nfields: {region: Region}\n"
    assert render(build(load, text), [make_instance(), make_instance(region="US-TX-3")]) == (
        b"Region\r\nEU-RO-1\r\nUS-TX-3\r\n"
    )


def test_every_batch_repeats_the_header(load: Load) -> None:
    instances = [make_instance(region=f"R{n}") for n in range(3)]
    text = "format: csv\nfields: {region: Region}\n"
    payload = build(load, text).transform(instances, CONTEXT)
    batches = [b"".join(payload.render(batch)) for batch in payload.batches(2)]
    assert batches == [b"Region\r\nR0\r\nR1\r\n", b"Region\r\nR2\r\n"]


def test_chunks_join_into_what_the_csv_module_writes(
    load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gpuport_csv.transformer, "CHUNK_SIZE", 3)
    instances = generate_instances(10)
    text = (
        "format: csv\nfields:\n  accelerator_name: GPU\n  region: Region\n"
        "  price: Price\n  spot_price: Spot\n  availability: Availability\n"
    )
    chunks = list(build(load, text).transform(instances, CONTEXT).iter_bytes())
    assert len(chunks) > 3  # rendered piecewise, never as one string
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(["GPU", "Region", "Price", "Spot", "Availability"])
    for i in instances:
        spot = "" if i.spot_price is None else i.spot_price
        writer.writerow([i.accelerator_name, i.region, i.price, spot, i.availability.name])
    assert b"".join(chunks) == expected.getvalue().encode()


def problems(load: Load, transformer_yaml: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(config_text(transformer_yaml))
    return [str(problem) for problem in caught.value.problems]


def test_fields_are_required(load: Load) -> None:
    assert problems(load, "format: csv\n") == ["cfg.yaml:4:7: missing required option 'fields'"]


def test_raw_data_is_rejected(load: Load) -> None:
    assert problems(load, "format: csv\nfields: {provider: P, raw_data: Raw}\n") == [
        "cfg.yaml:5:15: CSV cannot hold raw_data; use the json format"
    ]


def test_unknown_field_is_located_with_a_suggestion(load: Load) -> None:
    assert problems(load, "format: csv\nfields:\n  provider: P\n  regoin: R\n") == [
        "cfg.yaml:6:9: unknown field 'regoin'; did you mean 'region'?"
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("fields: {}", "cfg.yaml:5:15: fields is empty; name the columns, e.g. {price: Price}"),
        (
            "fields: {price: P, spot_price: P}",
            "cfg.yaml:5:15: fields 'price' and 'spot_price' share the header 'P'; "
            "headers must be unique",
        ),
    ],
)
def test_bad_fields(load: Load, option: str, message: str) -> None:
    assert problems(load, f"format: csv\n{option}\n") == [message]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("delimiter: '||'", "cfg.yaml:6:18: delimiter must be exactly one character, got '||'"),
        ("delimiter: ''", "cfg.yaml:6:18: delimiter must be exactly one character, got ''"),
        (
            "delimiter: '\"'",
            "cfg.yaml:6:18: delimiter cannot be a double quote or a line break; "
            "use e.g. ',' ';' or '\\t'",
        ),
        (
            "null_value: NULL",
            'cfg.yaml:6:19: got YAML null; quote the text, e.g. null_value: "NULL"',
        ),
        ("include_headers: 1", "cfg.yaml:6:24: expected true or false, got 1"),
    ],
)
def test_bad_options(load: Load, option: str, message: str) -> None:
    assert problems(load, f"format: csv\nfields: {{price: P}}\n{option}\n") == [message]


def test_unknown_availability_is_the_null_value_and_a_model_is_text(load: Load) -> None:
    text = "format: csv\nfields: {accelerator_model: M, availability: A}\nnull_value: unknown\n"
    rows = [
        make_instance(accelerator_model="H100", availability=Availability.LOW),
        make_instance(accelerator_model=None, availability=None),
    ]
    assert render(build(load, text), rows) == b"M,A\r\nH100,LOW\r\nunknown,unknown\r\n"
