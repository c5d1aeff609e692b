"""The https output's options are tabled in docs/configuration.md; docs/outputs.md explains
the output and its replay command."""

from __future__ import annotations

from pathlib import Path

import attrs

from gpuport_https.config import HttpsConfig

DOCS = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"
REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def https_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("## HTTPS webhooks (`type: https`)")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def reference_section() -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("### `https`")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_docs_start_with_the_outputs_title():
    assert DOCS.read_text(encoding="utf-8").startswith("# Outputs\n")


def test_every_option_has_a_row_in_the_options_table():
    section = reference_section()

    missing = [f.name for f in attrs.fields(HttpsConfig) if f"| `{f.name}` |" not in section]

    assert missing == []


def test_replay_command_is_documented():
    section = https_section()

    assert "gpuport-collectors replay" in section
    assert "--retry-attempts" in section
