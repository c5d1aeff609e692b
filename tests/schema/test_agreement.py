"""The schema agrees with ``validate``: every documented example passes both, and every config
``validate`` rejects for its structure (unknown key, wrong type, unknown plugin name, missing
option, text where a list belongs) the schema rejects too. The checks only Python can make
are listed in docs/configuration.md; a test here keeps that list true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest
from ruamel.yaml import YAML

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.testing import make_host
from tests.ecosystem.markdown import DOCS, ROOT, Document
from tests.ecosystem.test_docs import as_config, docs_host  # noqa: F401  (a fixture)

from .support import Checker

#: The users' own document; read where it lies at test time, never copied into the repo.
SPEC = ROOT.parent / "shared" / "spec" / "gpu-data-exports.md"
MARKDOWN = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def markdown_examples(path: Path) -> Iterator[tuple[str, str]]:
    """``(where, config text)`` for every YAML block of ``path`` that is (part of) a config."""
    seen: set[int] = set()
    for section in sorted(Document.read(str(path)).sections(), key=lambda s: -s.level):
        for block in section.code("yaml"):
            if block.line in seen:
                continue
            seen.add(block.line)
            config = as_config(
                YAML(typ="safe", pure=True).load(block.text), (*section.parents, section.title)
            )
            if config is not None:
                yield f"{path.name}:{block.line}", config


def example_files() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield f"examples/{path.name}", path.read_text(encoding="utf-8")


def environ_for(text: str) -> dict[str, str]:
    return {name: "documentation-example" for name in re.findall(r"\$\{(\w+)\}", text)}


def check_examples(
    examples: list[tuple[str, str]], host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[str]]:
    """``(examples validate accepts, disagreements)``. A skeleton both refuse (the spec's
    ``transformer: {}``) agrees; anything else validate accepts must pass the schema."""
    checker = Checker(host)
    problems = []
    accepted = 0
    for where, text in examples:
        for name in re.findall(r"_env: *(\w+)", text):  # s3 reads these from the process
            monkeypatch.setenv(name, "documentation-example")
        errors = checker.errors(text)
        try:
            parse_export_config(text, source=where, host=host, environ=environ_for(text))
        except ConfigError as error:
            if not errors:
                problems.append(f"{where}: validate refuses it, the schema accepts it: {error}")
            continue
        accepted += 1
        problems.extend(f"{where}: {error}" for error in errors)
    return accepted, problems


def test_every_example_in_our_docs_passes_the_schema(
    monkeypatch: pytest.MonkeyPatch,
    docs_host: PluginHost,  # noqa: F811
) -> None:
    examples = [item for path in MARKDOWN for item in markdown_examples(path)]
    examples += list(example_files())
    accepted, problems = check_examples(examples, docs_host, monkeypatch)
    assert problems == []
    assert accepted == len(examples) >= 25


@pytest.mark.skipif(not SPEC.exists(), reason=f"{SPEC} is not beside this checkout")
def test_every_example_in_the_spec_passes_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    accepted, problems = check_examples(list(markdown_examples(SPEC)), make_host(), monkeypatch)
    assert problems == []
    assert accepted >= 5


# -- structural mistakes: both refuse ------------------------------------------------------

BASE = """\
pipelines:
  - name: p
    filters:
      - {field: price, operator: lt, value: 5}
    transformer: {format: json}
    outputs:
      - {type: local, path: ./out}
"""


def _edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


def _pipeline(extra: str) -> str:
    return BASE + "".join(f"    {line}\n" for line in dedent(extra).splitlines())


STRUCTURAL = {
    "a number out of range": BASE + "collectors: [{type: runpod, max_concurrency: 0}]\n",
    "a timeout of zero": _edit(
        "type: local, path: ./out", "type: https, url: 'https://h.test/x', timeout: 0"
    ),
    "a negative retry count": BASE + "collectors: [{type: runpod, retry_attempts: -1}]\n",
    "min_instances of zero": "checks: {min_instances: 0}\n" + BASE,
    "a fraction of 1 or more": "checks: {max_missing_fraction: 1, baseline: b.json}\n" + BASE,
    "empty file": "",
    "top level is a list": "- pipelines: []\n",
    "unknown top-level key": BASE + "pipeline: []\n",
    "pipelines missing": "collectors: [{type: runpod}]\n",
    "pipelines is a mapping": "pipelines: {name: p}\n",
    "pipelines empty": "pipelines: []\n",
    "unknown pipeline key": _pipeline("filter: []"),
    "pipeline without name": _edit("  - name: p\n    filters", "  -\n    filters"),
    "empty pipeline name": _edit("name: p", "name: ''"),
    "enabled is not a boolean": _pipeline("enabled: maybe"),
    "filters is a mapping": _edit(
        "filters:\n      - {field: price, operator: lt, value: 5}",
        "filters: {field: price, operator: lt, value: 5}",
    ),
    "transformer missing": _edit("    transformer: {format: json}\n", ""),
    "transformer is text": _edit("{format: json}", "json"),
    "outputs missing": _edit("    outputs:\n      - {type: local, path: ./out}\n", ""),
    "outputs empty": _edit("outputs:\n      - {type: local, path: ./out}", "outputs: []"),
    "filter without field": _edit("{field: price, operator: lt, value: 5}", "{operator: lt}"),
    "filter without operator": _edit("operator: lt, ", ""),
    "unknown field": _edit("field: price", "field: prise"),
    "unknown filter key": _edit("operator: lt", "operater: lt"),
    "unknown operator": _edit("operator: lt", "operator: less_than"),
    "between without max": _edit("operator: lt, value: 5", "operator: between, min: 1"),
    "option of another operator": _edit("value: 5", "value: 5, ignore_case: true"),
    "in with text for values": _edit("operator: lt, value: 5", "operator: in, values: '5'"),
    "in with no values": _edit("operator: lt, value: 5", "operator: in, values: []"),
    "in with a list among the values": _edit(
        "operator: lt, value: 5", "operator: in, values: [1, [2]]"
    ),
    "eq with a list for value": _edit("operator: lt, value: 5", "operator: eq, value: [1, 2]"),
    "lt with a null value": _edit("value: 5", "value: null"),
    "gt with a mapping": _edit("operator: lt, value: 5", "operator: gt, value: {a: 1}"),
    "between with a list for max": _edit(
        "operator: lt, value: 5", "operator: between, min: 1, max: [5]"
    ),
    "contains with true": _edit(
        "field: price, operator: lt, value: 5", "field: region, operator: contains, value: true"
    ),
    "is_null with a value": _edit("operator: lt", "operator: is_null"),
    "ignore_case not a boolean": _edit(
        "field: price, operator: lt, value: 5",
        "field: region, operator: contains, value: EU, ignore_case: sometimes",
    ),
    "unknown format": _edit("format: json", "format: yaml"),
    "unknown transformer option": _edit("format: json", "format: json, pretty: true"),
    "pretty_print not a boolean": _edit("format: json", "format: json, pretty_print: 2"),
    "null_handling not a choice": _edit("format: json", "format: json, null_handling: drop"),
    "json fields is a list": _edit("format: json", "format: json, fields: [price]"),
    "csv without fields": _edit("format: json", "format: csv"),
    "csv fields is text": _edit("format: json", "format: csv, fields: price"),
    "metric without type": _edit("format: json", "format: metrics, metrics: [{name: n}]"),
    "metric type not a choice": _edit(
        "format: json", "format: metrics, metrics: [{name: n, type: median, field: price}]"
    ),
    "metrics is a mapping": _edit("format: json", "format: metrics, metrics: {name: n}"),
    "unknown output type": _edit("type: local, path: ./out", "type: ftp, path: ./out"),
    "output without type": _edit("type: local, path: ./out", "path: ./out"),
    "local without path": _edit("type: local, path: ./out", "type: local"),
    "unknown output option": _edit("path: ./out", "path: ./out, overwrite_existing: true"),
    "compression not a choice": _edit("path: ./out", "path: ./out, compression: zip"),
    "s3 without bucket": _edit("type: local, path: ./out", "type: s3"),
    "s3 credentials incomplete": _edit(
        "type: local, path: ./out",
        "type: s3, bucket: b, credentials: {access_key_env: AWS_ACCESS_KEY_ID}",
    ),
    "s3 metadata is a list": _edit(
        "type: local, path: ./out", "type: s3, bucket: b, metadata: [a]"
    ),
    "https method not a choice": _edit(
        "type: local, path: ./out", "type: https, url: 'https://h.example/x', method: GET"
    ),
    "https url is a number": _edit("type: local, path: ./out", "type: https, url: 5"),
    "retry_on_status is a number": _edit(
        "type: local, path: ./out", "type: https, url: 'https://h.example/x', retry_on_status: 500"
    ),
    "batch_size not whole": _edit(
        "type: local, path: ./out", "type: https, url: 'https://h.example/x', batch_size: 1.5"
    ),
    "headers is a list": _edit(
        "type: local, path: ./out", "type: https, url: 'https://h.example/x', headers: [a]"
    ),
    "collectors is a mapping": BASE + "collectors: {type: runpod}\n",
    "collector without type": BASE + "collectors: [{max_concurrency: 2}]\n",
    "unknown collector type": BASE + "collectors: [{type: vast}]\n",
    "unknown collector option": BASE + "collectors: [{type: runpod, concurrency: 2}]\n",
    "max_concurrency not a number": BASE + "collectors: [{type: runpod, max_concurrency: many}]\n",
    "snapshot without path": BASE + "collectors: [{type: snapshot}]\n",
}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return make_host(capture=False)


@pytest.fixture(scope="module")
def checker(host: PluginHost) -> Checker:
    return Checker(host)


def test_base_config_passes_both(host: PluginHost, checker: Checker) -> None:
    parse_export_config(BASE, host=host, environ={})
    assert checker.errors(BASE) == []


@pytest.mark.parametrize("text", STRUCTURAL.values(), ids=STRUCTURAL.keys())
def test_structural_mistakes_fail_both(text: str, host: PluginHost, checker: Checker) -> None:
    with pytest.raises(ConfigError):
        parse_export_config(text, host=host, environ={})
    assert checker.errors(text), "validate refuses this config, but the schema accepts it"


def test_schema_errors_name_the_option_at_fault(checker: Checker) -> None:
    assert checker.errors(STRUCTURAL["between without max"]) == [
        "pipelines/0/filters/0: 'max' is a required property"
    ]
    assert checker.errors(STRUCTURAL["unknown transformer option"]) == [
        "pipelines/0/transformer: Additional properties are not allowed ('pretty' was unexpected)"
    ]
    assert checker.errors(STRUCTURAL["in with text for values"]) == [
        "pipelines/0/filters/0/values: '5' is not of type 'array'"
    ]


# -- what the converter accepts beyond plain JSON types: both accept -------------------

LENIENT = {
    "number as text": BASE + "collectors: [{type: runpod, timeout: '30', max_retries: ' 2 '}]\n",
    "whole number written 4.0": BASE + "collectors: [{type: runpod, max_concurrency: 4.0}]\n",
    "boolean as text": _edit("format: json", "format: json, pretty_print: 'True'"),
    "number from the environment": BASE + "collectors: [{type: runpod, timeout: '${T}'}]\n",
    "boolean from the environment": _pipeline("enabled: '${ON}'"),
    "choice from the environment": _edit("format: json", "format: json, null_handling: '${N}'"),
    "field from the environment": _edit("field: price", "field: '${F}'"),
    "text written as a number": _edit("path: ./out", "path: 2025"),
    "filters null": _edit(
        "filters:\n      - {field: price, operator: lt, value: 5}", "filters: null"
    ),
    "datetime value": _edit(
        "field: price, operator: lt, value: 5",
        "field: collected_at, operator: gte, value: 2025-11-23T12:00:00Z",
    ),
    "list of values from the environment": _edit(
        "field: price, operator: lt, value: 5",
        "field: region, operator: in, values: ['${REGION}', EU-RO-1]",
    ),
}
ENVIRON = {"T": "12.5", "ON": "false", "N": "omit", "F": "price", "REGION": "US-TX-3"}


@pytest.mark.parametrize("text", LENIENT.values(), ids=LENIENT.keys())
def test_what_validate_accepts_beyond_json_types_the_schema_accepts(
    text: str, host: PluginHost, checker: Checker
) -> None:
    parse_export_config(text, host=host, environ=ENVIRON)
    assert checker.errors(text) == []


# -- value checks only Python makes: the documented difference ----------------------------

VALUE_CHECKS = {
    "a regex that does not compile": _edit(
        "field: price, operator: lt, value: 5", "field: region, operator: regex, value: '(eu'"
    ),
    "min above max": _edit("operator: lt, value: 5", "operator: between, min: 5, max: 1"),
    "a value not of the field's type": _edit("value: 5", "value: cheap"),
    "a text operator on a number field": _edit("operator: lt", "operator: contains"),
    "two pipelines with one name": BASE + BASE.removeprefix("pipelines:\n"),
    "a field name inside an option": _edit("format: json", "format: json, fields: {prise: p}"),
    "an unset variable": _edit("path: ./out", "path: '${UNSET_VARIABLE}'"),
    "a URL that is not https": _edit(
        "type: local, path: ./out", "type: https, url: 'http://h.example/x'"
    ),
}


@pytest.mark.parametrize("text", VALUE_CHECKS.values(), ids=VALUE_CHECKS.keys())
def test_value_checks_are_left_to_validate(text: str, host: PluginHost, checker: Checker) -> None:
    with pytest.raises(ConfigError):
        parse_export_config(text, host=host, environ={})
    assert checker.errors(text) == []


def test_docs_list_what_only_validate_checks() -> None:
    section = Document.read("configuration.md").section("What the schema does not check")
    prose = " ".join(section.prose().split())
    for case in VALUE_CHECKS:
        assert case in prose, f"docs/configuration.md, 'What the schema does not check': {case!r}"
