"""The json transformer: exact documents, field selection, null handling, chunking."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import gpuport_json.transformer
from gpuport_collectors.config import ExportConfig
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.models import INSTANCE_FIELDS, Availability, GPUInstance
from gpuport_collectors.testing import generate_instances, make_instance
from gpuport_json.objects import object_builder

from .helpers import CONTEXT, build, config_text, render

Load = Callable[[str], ExportConfig]

FULL = make_instance(
    provider="RunPod",
    instance_type="2x NVIDIA A40",
    accelerator_name="NVIDIA A40",
    accelerator_model="A40",
    region="EU-SE-1",
    accelerator_count=2,
    accelerator_mem_gib=48.0,
    quantity=4,
    price=0.8,
    spot_price=None,
    v_cpus=18.0,
    memory_gib=100.5,
    availability=Availability.NOT_AVAILABLE,
    collected_at=1_700_000_000,
    raw_data={"gpu_type_id": "NVIDIA A40", "ids": [1, 2]},
)
SECOND = make_instance(provider="AWS", price=None, spot_price=1.25, region="us-east-1")


def as_record(instance: GPUInstance) -> dict[str, Any]:
    """What the json transformer should write for one instance, built field by field."""
    return {
        "provider": instance.provider,
        "instance_type": instance.instance_type,
        "accelerator_name": instance.accelerator_name,
        "accelerator_model": instance.accelerator_model,
        "region": instance.region,
        "accelerator_count": instance.accelerator_count,
        "accelerator_mem_gib": instance.accelerator_mem_gib,
        "quantity": instance.quantity,
        "price": instance.price,
        "spot_price": instance.spot_price,
        "v_cpus": instance.v_cpus,
        "memory_gib": instance.memory_gib,
        "availability": None if instance.availability is None else instance.availability.name,
        "collected_at": instance.collected_at,
    }


def test_default_document_has_every_field_in_order(load: Load) -> None:
    transformer = build(load, "format: json\n")
    assert render(transformer, [FULL]) == (
        b'[{"provider": "RunPod", "instance_type": "2x NVIDIA A40", '
        b'"accelerator_name": "NVIDIA A40", "accelerator_model": "A40", "region": "EU-SE-1", '
        b'"accelerator_count": 2, '
        b'"accelerator_mem_gib": 48.0, "quantity": 4, "price": 0.8, "spot_price": null, '
        b'"v_cpus": 18.0, "memory_gib": 100.5, "availability": "NOT_AVAILABLE", '
        b'"collected_at": 1700000000}]'
    )


def test_payload_describes_a_splittable_json_document(load: Load) -> None:
    payload = build(load, "format: json\n").transform([FULL], CONTEXT)
    assert (payload.media_type, payload.extension, payload.splittable) == (
        "application/json",
        ".json",
        True,
    )
    assert list(payload.records) == [FULL]


def test_fields_select_and_rename_in_the_given_order(load: Load) -> None:
    transformer = build(load, "format: json\nfields:\n  price: cost\n  provider: cloud\n")
    assert render(transformer, [FULL, SECOND]) == (
        b'[{"cost": 0.8, "cloud": "RunPod"}, {"cost": null, "cloud": "AWS"}]'
    )


def test_pretty_print_indents_by_two(load: Load) -> None:
    text = "format: json\npretty_print: true\nfields: {provider: cloud, availability: stock}\n"
    assert render(build(load, text), [FULL, SECOND]) == (
        b"[\n"
        b"  {\n"
        b'    "cloud": "RunPod",\n'
        b'    "stock": "NOT_AVAILABLE"\n'
        b"  },\n"
        b"  {\n"
        b'    "cloud": "AWS",\n'
        b'    "stock": "HIGH"\n'
        b"  }\n"
        b"]"
    )


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ('"null"', b'[{"p": "RunPod", "s": null, "q": null, "c": 2}]'),
        ("null", b'[{"p": "RunPod", "s": null, "q": null, "c": 2}]'),  # bare YAML null
        ("omit", b'[{"p": "RunPod", "c": 2}]'),
        ("empty", b'[{"p": "RunPod", "s": "", "q": "", "c": 2}]'),
    ],
)
def test_null_handling(load: Load, mode: str, expected: bytes) -> None:
    text = (
        "format: json\n"
        "fields: {provider: p, spot_price: s, quantity: q, accelerator_count: c}\n"
        f"null_handling: {mode}\n"
    )
    instance = make_instance(spot_price=None, quantity=None, accelerator_count=2)
    assert render(build(load, text), [instance]) == expected


def test_raw_data_only_when_asked(load: Load) -> None:
    without = json.loads(render(build(load, "format: json\n"), [FULL]))
    assert "raw_data" not in without[0]
    with_raw = json.loads(render(build(load, "format: json\ninclude_raw_data: true\n"), [FULL]))
    assert list(with_raw[0]) == [*INSTANCE_FIELDS, "raw_data"]
    assert with_raw[0]["raw_data"] == {"gpu_type_id": "NVIDIA A40", "ids": [1, 2]}


def test_fields_may_place_and_rename_raw_data(load: Load) -> None:
    text = "format: json\nfields: {raw_data: api, provider: cloud}\n"
    assert render(build(load, text), [FULL]) == (
        b'[{"api": {"gpu_type_id": "NVIDIA A40", "ids": [1, 2]}, "cloud": "RunPod"}]'
    )


def test_include_raw_data_adds_it_after_the_chosen_fields(load: Load) -> None:
    text = "format: json\nfields: {provider: cloud}\ninclude_raw_data: true\n"
    assert render(build(load, text), [FULL]) == (
        b'[{"cloud": "RunPod", "raw_data": {"gpu_type_id": "NVIDIA A40", "ids": [1, 2]}}]'
    )


def test_single_field(load: Load) -> None:
    assert render(build(load, "format: json\nfields: {region: r}\n"), [FULL, SECOND]) == (
        b'[{"r": "EU-SE-1"}, {"r": "us-east-1"}]'
    )


def test_output_names_are_written_verbatim(load: Load) -> None:
    text = (
        "format: json\n"
        "fields:\n"
        "  provider: \"x'}; __import__('os')  #\"\n"
        "  price: 'back\\slash \"quoted\"'\n"
        "null_handling: omit\n"
    )
    assert json.loads(render(build(load, text), [FULL])) == [
        {"x'}; __import__('os')  #": "RunPod", 'back\\slash "quoted"': 0.8}
    ]


def test_object_builder_reads_field_names_only() -> None:
    with pytest.raises(ValueError, match="not a field name"):
        object_builder([("price or 1", "p")], "null")


def test_no_instances_is_an_empty_array(load: Load) -> None:
    assert render(build(load, "format: json\n"), []) == b"[]"
    assert render(build(load, "format: json\npretty_print: true\n"), []) == b"[]"


def test_text_is_escaped_like_the_json_module(load: Load) -> None:
    odd = make_instance(region='Zürich "1"\n', instance_type="a\\b")
    body = render(build(load, "format: json\nfields: {region: r, instance_type: t}\n"), [odd])
    assert body == b'[{"r": "Z\\u00fcrich \\"1\\"\\n", "t": "a\\\\b"}]'
    assert json.loads(body) == [{"r": 'Zürich "1"\n', "t": "a\\b"}]


@pytest.mark.parametrize("pretty", [False, True])
def test_chunk_boundaries_join_into_one_document(
    load: Load, monkeypatch: pytest.MonkeyPatch, pretty: bool
) -> None:
    monkeypatch.setattr(gpuport_json.transformer, "CHUNK_SIZE", 3)
    instances = generate_instances(10)
    transformer = build(load, f"format: json\npretty_print: {str(pretty).lower()}\n")
    chunks = list(transformer.transform(instances, CONTEXT).iter_bytes())
    assert len(chunks) > 3  # rendered piecewise, never as one string
    expected = json.dumps([as_record(i) for i in instances], indent=2 if pretty else None)
    assert b"".join(chunks) == expected.encode()


def test_many_instances_match_the_json_module(load: Load) -> None:
    instances = generate_instances(2 * gpuport_json.transformer.CHUNK_SIZE + 1)
    expected = json.dumps([as_record(i) for i in instances]).encode()
    assert render(build(load, "format: json\n"), instances) == expected


def test_every_batch_renders_a_complete_document(load: Load) -> None:
    instances = generate_instances(5)
    payload = build(load, "format: json\nfields: {region: r}\n").transform(instances, CONTEXT)
    documents = [json.loads(b"".join(payload.render(batch))) for batch in payload.batches(2)]
    assert documents == [
        [{"r": i.region} for i in instances[0:2]],
        [{"r": i.region} for i in instances[2:4]],
        [{"r": instances[4].region}],
    ]


def problems(load: Load, transformer_yaml: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(config_text(transformer_yaml))
    return [str(problem) for problem in caught.value.problems]


def test_unknown_field_is_located_with_a_suggestion(load: Load) -> None:
    assert problems(load, "format: json\nfields:\n  pricee: cost\n") == [
        "cfg.yaml:6:9: unknown field 'pricee'; did you mean 'price'?"
    ]


def test_duplicate_output_names_are_rejected(load: Load) -> None:
    assert problems(load, "format: json\nfields: {price: x, spot_price: x}\n") == [
        "cfg.yaml:5:15: two fields are written as 'x'; names must be unique"
    ]


def test_empty_fields_are_rejected(load: Load) -> None:
    assert problems(load, "format: json\nfields: {}\n") == [
        "cfg.yaml:5:15: is empty; name at least one field or leave 'fields' out"
    ]


def test_bad_option_values_are_all_reported(load: Load) -> None:
    text = "format: json\npretty_print: yes please\nnull_handling: skip\nindent: 4\n"
    assert problems(load, text) == [
        "cfg.yaml:5:21: expected true or false, got 'yes please'",
        "cfg.yaml:6:22: expected one of 'null', 'omit', 'empty', got 'skip'",
        "cfg.yaml:7:7: unknown option 'indent' (options: pretty_print, fields, "
        "include_raw_data, null_handling)",
    ]


@pytest.mark.parametrize(
    ("handling", "expected"),
    [
        ("null", {"m": None, "a": None}),
        ("omit", {}),
        ("empty", {"m": "", "a": ""}),
    ],
)
def test_unknown_availability_and_model_follow_null_handling(
    load: Load, handling: str, expected: dict[str, Any]
) -> None:
    fields = "fields: {accelerator_model: m, availability: a}"
    text = f"format: json\n{fields}\nnull_handling: {handling}\n"
    unknown = make_instance(accelerator_model=None, availability=None)
    known = make_instance(accelerator_model="H100", availability=Availability.MEDIUM)
    assert json.loads(render(build(load, text), [unknown, known])) == [
        expected,
        {"m": "H100", "a": "MEDIUM"},
    ]
