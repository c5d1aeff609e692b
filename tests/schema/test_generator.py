"""The schema is generated from what the host registered: names, options, types, defaults,
validators and descriptions, for built-ins and third-party plugins alike."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import jsonschema
import pytest

from gpuport_collectors import FIELDS, Secret
from gpuport_collectors.plugins import KINDS, PluginHost
from gpuport_collectors.schema import config_schema
from gpuport_collectors.testing import StubPlugin, make_host

from .support import Checker


@pytest.fixture(scope="module")
def builtins() -> dict[str, Any]:
    return config_schema(make_host(capture=False))


def test_schema_is_draft_2020_12_and_closed(builtins: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(builtins)
    assert builtins["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert builtins["$id"] == "gpuport.schema.json"
    assert builtins["additionalProperties"] is False
    assert builtins["required"] == ["pipelines"]
    assert builtins["$defs"]["pipeline"]["additionalProperties"] is False
    for key, schema in builtins["$defs"].items():
        if "." in key and "properties" in schema:  # a plugin's options or a nested class
            assert schema["additionalProperties"] is False, key


@pytest.mark.parametrize(
    ("slot", "kind", "selector"),
    [
        ("filter", "operators", "operator"),
        ("transformer", "transformers", "format"),
        ("output", "sinks", "type"),
        ("collector", "collectors", "type"),
    ],
)
def test_every_registered_name_has_a_case(
    builtins: dict[str, Any], slot: str, kind: str, selector: str
) -> None:
    names = make_host(capture=False).registry(kind).names()
    assert kind in KINDS and names
    union = builtins["$defs"][slot]
    assert union["properties"][selector]["enum"] == names
    assert [case["if"]["properties"][selector]["const"] for case in union["allOf"]] == names
    assert [case["properties"][selector]["const"] for case in union["oneOf"]] == names
    for name, case in zip(names, union["allOf"], strict=True):
        key = case["then"]["$ref"].removeprefix("#/$defs/")
        assert builtins["$defs"][key]["title"] == f"{selector}: {name}"


def test_every_builtin_key_has_a_description(builtins: dict[str, Any]) -> None:
    """From the fields' metadata, the source the configuration reference is checked against."""
    undescribed = [
        f"{name}.{key}"
        for name, schema in [("", builtins), *builtins["$defs"].items()]
        for key, option in schema.get("properties", {}).items()
        if option is not True and "description" not in option
    ]
    assert undescribed == []
    filters = builtins["$defs"]["filter"]["properties"]
    assert filters["operator"]["description"] == "one of the operators; its options go beside it"
    assert builtins["properties"]["collectors"]["default"] == [{"type": "runpod"}]


def test_field_is_an_enum_of_the_filterable_fields(builtins: dict[str, Any]) -> None:
    field = builtins["$defs"]["field"]
    assert field["anyOf"][0] == {"enum": list(FIELDS)}
    assert field["anyOf"][1] == {"$ref": "#/$defs/env"}


def test_operator_options_come_from_their_config(builtins: dict[str, Any]) -> None:
    defs = builtins["$defs"]
    assert defs["operator.between"]["required"] == ["min", "max"]
    assert set(defs["operator.between"]["properties"]) == {"operator", "field", "min", "max"}
    assert defs["operator.in"]["properties"]["values"]["type"] == "array"
    text = defs["operator.regex"]["properties"]
    assert text["ignore_case"]["default"] is None  # by field: true for region
    assert text["ignore_case"]["type"] == ["boolean", "string", "null"]
    assert set(defs["operator.is_null"]["properties"]) == {"operator", "field"}
    assert "required" not in defs["operator.is_null"]


def test_types_defaults_and_choices_of_builtin_options(builtins: dict[str, Any]) -> None:
    defs = builtins["$defs"]
    json_options = defs["format.json"]["properties"]
    assert json_options["pretty_print"]["default"] is False
    assert json_options["null_handling"]["default"] == "null"
    assert json_options["null_handling"]["anyOf"][0] == {"enum": ["null", "omit", "empty", None]}
    assert json_options["fields"]["type"] == ["object", "null"]
    https = defs["output.https"]
    assert https["required"] == ["url"]
    assert https["properties"]["url"]["type"] == "string"  # a Secret: text only
    assert https["properties"]["retry_on_status"]["default"] == [429, 500, 502, 503, 504]
    assert https["properties"]["headers"]["additionalProperties"] == {"type": "string"}
    s3 = defs["output.s3"]["properties"]
    credentials = s3["credentials"]["anyOf"]
    assert credentials[1] == {"type": "null"}
    nested = defs[credentials[0]["$ref"].removeprefix("#/$defs/")]
    assert nested["required"] == ["access_key_env", "secret_key_env"]
    assert nested["additionalProperties"] is False
    metrics = defs["format.metrics"]["properties"]["metrics"]
    spec = defs[metrics["items"]["$ref"].removeprefix("#/$defs/")]
    assert spec["properties"]["type"]["anyOf"][0]["enum"] == [
        "count",
        "avg",
        "min",
        "max",
        "sum",
        "unique",
    ]
    runpod = defs["collector.runpod"]["properties"]
    assert runpod["max_concurrency"]["default"] == 3
    assert runpod["api_key"]["type"] == ["string", "null"]


# -- a third-party plugin: everything its Config says reaches the schema ----------------


class Opaque:
    """A type with no JSON form."""


@attrs.frozen
class Band:
    low: float
    high: float = attrs.field(default=1.0, metadata={"description": "Upper edge."})


@attrs.frozen
class FancyConfig:
    """Options of the fancy sink."""

    target: str = attrs.field(metadata={"description": "Where to send, e.g. `host:port`."})
    level: int = attrs.field(default=3, validator=[attrs.validators.ge(1), attrs.validators.le(9)])
    mode: Literal["fast", "safe"] = "safe"
    tag: str = attrs.field(default="x", validator=attrs.validators.matches_re(r"[a-z]+"))
    choice: str = attrs.field(default="a", validator=attrs.validators.in_(["a", "b"]))
    names: list[str] = attrs.field(factory=list, validator=attrs.validators.min_len(1))
    bands: list[Band] = attrs.Factory(list)
    token: Secret | None = None
    extra: dict[str, int] = attrs.Factory(dict)
    blob: Opaque | None = None
    hidden: int = attrs.field(default=0, init=False)
    sized: list[int] = attrs.field(factory=list, metadata={"json_schema": {"maxItems": 2}})


def fancy_plugin() -> StubPlugin:
    """A third-party plugin ``gpuport_fancy`` with a sink ``fancy`` taking :class:`FancyConfig`."""
    return StubPlugin(
        collector=None,
        transformer=None,
        sink="fancy",
        sink_config=FancyConfig,
        doc="Sends documents somewhere fancy.",
        name="gpuport_fancy",
    )


@pytest.fixture(scope="module")
def fancy_host() -> PluginHost:
    return make_host(fancy_plugin(), capture=False)


def test_third_party_options_appear(fancy_host: PluginHost) -> None:
    warnings: list[str] = []
    schema = config_schema(fancy_host, warnings.append)
    fancy = schema["$defs"]["output.fancy"]
    assert fancy["description"] == "Sends documents somewhere fancy."
    assert fancy["required"] == ["target"]
    options = fancy["properties"]
    assert options["target"]["description"] == "Where to send, e.g. `host:port`."
    assert options["target"]["markdownDescription"] == options["target"]["description"]
    assert options["level"]["minimum"] == 1
    assert options["level"]["maximum"] == 9
    assert options["mode"]["anyOf"][0] == {"enum": ["fast", "safe"]}
    assert options["tag"]["pattern"] == "^(?:[a-z]+)$"
    assert options["choice"]["enum"] == ["a", "b"]
    assert options["names"]["minItems"] == 1
    assert options["extra"]["additionalProperties"]["type"] == ["integer", "string"]
    assert options["sized"]["maxItems"] == 2
    assert "hidden" not in options
    band = schema["$defs"][options["bands"]["items"]["$ref"].removeprefix("#/$defs/")]
    assert band["required"] == ["low"]
    assert band["properties"]["high"]["description"] == "Upper edge."
    assert options["blob"] == {"default": None}  # open: any value
    assert warnings == [
        "plugin 'gpuport_fancy': output type 'fancy' option 'blob': its type Opaque has no "
        "JSON Schema equivalent; the schema accepts any value there"
    ]


@pytest.mark.parametrize(
    ("options", "valid"),
    [
        ("target: h", True),
        ("target: h, level: 10", False),
        ("target: h, level: '${LEVEL}'", True),
        ("target: h, mode: slow", False),
        ("target: h, tag: ABC", False),
        ("target: h, choice: c", False),
        ("target: h, names: []", False),
        ("target: h, bands: [{low: 1, high: 2}]", True),
        ("target: h, bands: [{high: 2}]", False),
        ("target: h, bands: [{low: 1, width: 2}]", False),
        ("target: h, blob: {anything: [1, 2]}", True),
        ("target: h, hidden: 1", False),
        ("target: h, sized: [1, 2, 3]", False),
        ("level: 2", False),
    ],
)
def test_third_party_options_are_checked(fancy_host: PluginHost, options: str, valid: bool) -> None:
    text = (
        "pipelines:\n  - name: p\n    transformer: {format: json}\n"
        f"    outputs: [{{type: fancy, {options}}}]\n"
    )
    assert (Checker(fancy_host).errors(text) == []) is valid


def test_disabled_plugins_leave_the_schema() -> None:
    host = make_host(capture=False, environ={"GPUPORT_DISABLE_PLUGINS": "s3,operators"})
    schema = config_schema(host)
    assert "output.s3" not in schema["$defs"]
    assert schema["$defs"]["output"]["properties"]["type"]["enum"] == ["https", "local"]
    assert schema["$defs"]["filter"]["properties"]["operator"]["enum"] == []
