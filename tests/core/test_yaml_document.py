"""The C parser's events build the same document, positions included, as ruamel's own parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError

from gpuport_collectors import yamlbounds
from gpuport_collectors.errors import ConfigError
from tests.ecosystem.markdown import DOCS, ROOT, Document

pytest.importorskip("_ruamel_yaml", reason="ruamel.yaml.clib is not installed")

TRICKY = {
    "anchors and merge keys": (
        "base: &base {timeout: 5, headers: {a: b}}\n"
        "one:\n  <<: *base\n  timeout: 9\nlist: [*base, *base]\n"
    ),
    "scalars": (
        "a: 1\nb: 1.5\nc: .nan\nd: -.inf\ne: 0o17\nf: 0x1f\ng: 1_000\nh: yes\ni: no\n"
        "j: true\nk: ~\nl: null\nm: ''\nn: '007'\no: \"tab\\there\"\np: 2026-12-01\n"
        "q: 1e3\nr: +12\n"
    ),
    "block and folded strings": "a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
    "flow and nested": "x: [1, [2, {y: [3, 4]}], {z: null}]\n? complex\n: value\n",
    "comments everywhere": (
        "# head\na: 1  # trailing\n# between\nb:\n  - 2  # item\n  # inner\n  - 3\n"
    ),
    "tags": "a: !!str 12\nb: !!float 3\nc: !!binary aGk=\n",
    "unicode": 'name: \u00e9t\u00e9\nemoji: "\u2603"\n',
    "empty": "",
    "document markers": "---\na: 1\n...\n",
    "env references": 'key: ${RUNPOD_API_KEY}\nvalues: ["${REGION}", other]\n',
}


def _documents() -> list[Any]:
    found = [pytest.param(text, id=name) for name, text in TRICKY.items()]
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        found.append(pytest.param(path.read_text(), id=f"examples/{path.name}"))
    for source in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for block in Document.read(str(source)).blocks():
            if block.language in ("yaml", "yml"):
                found.append(pytest.param(block.text, id=f"{source.name}:{block.line}"))
    return found


def _shape(value: Any) -> Any:
    """Types, values and every position ruamel keeps, as plain nested data."""
    if isinstance(value, CommentedMap):
        return (
            "map",
            (value.lc.line, value.lc.col),
            [(_shape(k), _shape(v), value.lc.data.get(k)) for k, v in value.items()],
            [(k, _shape(v)) for k, v in getattr(value, "merge", [])],
        )
    if isinstance(value, CommentedSeq):
        return (
            "seq",
            (value.lc.line, value.lc.col),
            [(_shape(v), value.lc.data.get(i)) for i, v in enumerate(value)],
        )
    if isinstance(value, TaggedScalar):
        return ("tagged", str(value.tag), value.value)
    if isinstance(value, float) and value != value:
        return (type(value).__name__, "nan")
    return (type(value).__name__, value)


def _pure(text: str) -> Any:
    return yamlbounds._load(text, "x.yaml", None)


@pytest.mark.parametrize("text", _documents())
def test_the_document_is_the_one_the_pure_parser_builds(text: str) -> None:
    try:
        expected = _shape(_pure(text))
    except MarkedYAMLError:
        pytest.skip("not a YAML document (a fragment with placeholders)")
    assert _shape(yamlbounds.load_document(text, "x.yaml")) == expected


BROKEN = {
    "syntax": "a: [1, 2\nb: 3\n",
    "duplicate key": "a: 1\na: 2\n",
    "undefined alias": "a: *nowhere\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
}


@pytest.mark.parametrize("text", list(BROKEN.values()), ids=list(BROKEN))
def test_a_problem_is_worded_and_located_as_the_pure_parser_words_it(text: str) -> None:
    with pytest.raises(MarkedYAMLError) as pure:
        _pure(text)
    with pytest.raises(MarkedYAMLError) as fast:
        yamlbounds.load_document(text, "x.yaml")
    assert str(fast.value) == str(pure.value)


def test_bounds_hold_on_the_fast_path() -> None:
    deep = "a: " + "[" * (yamlbounds.MAX_DEPTH + 5) + "]" * (yamlbounds.MAX_DEPTH + 5) + "\n"
    with pytest.raises(ConfigError, match="nested deeper than 64 levels") as error:
        yamlbounds.load_document(deep, "deep.yaml")
    assert error.value.problems[0].line == 1


def test_a_plain_config_is_read_from_the_c_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[bool] = []
    real = yamlbounds._load

    def recording(text: str, source: str, events: Any) -> Any:
        passes.append(events is not None)
        return real(text, source, events)

    monkeypatch.setattr(yamlbounds, "_load", recording)
    yamlbounds.load_document((ROOT / "examples" / "export.yaml").read_text(), "x.yaml")
    yamlbounds.load_document("a: !!str 1\n", "x.yaml")
    with pytest.raises(MarkedYAMLError):
        yamlbounds.load_document("a: [1\n", "x.yaml")
    assert passes == [True, False, True, False]


def test_without_the_c_parser_documents_still_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlbounds, "_c_events", lambda: None)
    text = (Path(ROOT) / "examples" / "export.yaml").read_text()
    assert _shape(yamlbounds.load_document(text, "x.yaml")) == _shape(_pure(text))
