"""The s3 docs keep up with the options: every option and default in docs/configuration.md's
table, credentials and valid examples in docs/outputs.md."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import attrs
import pytest
from ruamel.yaml import YAML

from gpuport_collectors.config import ExportConfig
from gpuport_s3.config import CredentialsConfig, S3Config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"
HEADING = "## S3-compatible storage (`type: s3`)"
REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    assert text.startswith("# Outputs\n")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end != -1 else len(text)]


def reference_section() -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("### `s3`")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented_defaults() -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \|", reference_section(), flags=re.M)
    return dict(rows)


def as_yaml(value: Any) -> str:
    return "null" if value is None else json.dumps(value)


def test_every_option_is_documented_with_its_default() -> None:
    table = documented_defaults()
    fields = attrs.fields(S3Config)
    assert set(table) == {field.name for field in fields}
    for field in fields:
        if field.default is attrs.NOTHING:
            assert table[field.name] == "required"
        elif field.name != "filename_pattern":  # documented as the pattern it stands for
            default: Any = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            assert table[field.name] == f"`{as_yaml(default)}`", field.name
    for field in attrs.fields(CredentialsConfig):
        assert f"{field.name}:" in section()


def output_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.+?)```", section(), flags=re.S)
    return [block for block in blocks if "type: s3" in block]


def test_the_section_has_examples() -> None:
    assert len(output_examples()) >= 4  # spec style, MinIO, R2, encryption


@pytest.mark.parametrize("example", output_examples())
def test_examples_are_valid_configs(
    example: str, load: Callable[[str], ExportConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = YAML(typ="safe").load(StringIO(textwrap.dedent(example)))
    outputs = document["outputs"] if isinstance(document, dict) else document
    for output in outputs:
        for name in (output.get("credentials") or {}).values():
            monkeypatch.setenv(name, "value")
    pipeline = {"name": "docs", "transformer": {"format": "lines"}, "outputs": outputs}
    config = load(json.dumps({"pipelines": [pipeline]}))
    assert [choice.kind for choice in config.pipelines[0].outputs] == ["s3"]
