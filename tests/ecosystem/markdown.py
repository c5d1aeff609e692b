"""Just enough Markdown reading for the doc tests: headings, sections, code blocks, tables."""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^(```+)(\S*)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FILE_MARK = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->\s*$")


@attrs.frozen
class CodeBlock:
    language: str
    text: str
    line: int  # 1-based line of the opening fence
    file: str | None  # from a preceding ``<!-- file: PATH -->`` marker


@attrs.frozen
class Section:
    """A heading and everything up to the next heading of the same or a higher level."""

    level: int
    title: str
    line: int
    lines: tuple[str, ...]
    parents: tuple[str, ...]  # titles of the enclosing headings, outermost first
    blocks: tuple[CodeBlock, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def code(self, language: str) -> list[CodeBlock]:
        return [block for block in self.blocks if block.language == language]

    def prose(self) -> str:
        """The section's text outside code blocks."""
        out: list[str] = []
        inside = False
        for line in self.lines:
            if _FENCE.match(line):
                inside = not inside
                continue
            if not inside:
                out.append(line)
        return "\n".join(out)

    def own_prose(self) -> str:
        """The prose before the first sub-heading."""
        lines = []
        for line in self.prose().splitlines():
            if _HEADING.match(line):
                break
            lines.append(line)
        return "\n".join(lines)

    def table_keys(self) -> dict[str, list[str]]:
        """Rows of the section's own tables (not its subsections') whose first cell is
        `` `key` ``: key -> the other cells."""
        rows: dict[str, list[str]] = {}
        for line in self.own_prose().splitlines():
            cells = _cells(line)
            if cells and re.fullmatch(r"`[^`]+`", cells[0]):
                rows[cells[0].strip("`")] = cells[1:]
        return rows


def _cells(line: str) -> list[str]:
    line = line.strip()
    if not (line.startswith("|") and line.endswith("|")):
        return []
    # split on pipes that are not escaped and not inside backticks
    cells, current, ticks = [], "", False
    for index, char in enumerate(line[1:-1]):
        if char == "`":
            ticks = not ticks
        if char == "|" and not ticks and (index == 0 or line[index] != "\\"):
            cells.append(current.strip())
            current = ""
        else:
            current += char
    cells.append(current.strip())
    return cells


@attrs.frozen
class Document:
    path: Path
    lines: tuple[str, ...]

    @classmethod
    def read(cls, name: str) -> Document:
        path = DOCS / name if not Path(name).is_absolute() else Path(name)
        return cls(path, tuple(path.read_text(encoding="utf-8").splitlines()))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def headings(self) -> Iterator[tuple[int, int, str]]:
        """(line index, level, title) of every heading outside code blocks."""
        inside = False
        for index, line in enumerate(self.lines):
            if _FENCE.match(line):
                inside = not inside
                continue
            match = _HEADING.match(line)
            if match and not inside:
                yield index, len(match.group(1)), match.group(2)

    def sections(self) -> list[Section]:
        found = list(self.headings())
        sections = []
        stack: list[tuple[int, str]] = []
        for position, (index, level, title) in enumerate(found):
            end = len(self.lines)
            for later_index, later_level, _ in found[position + 1 :]:
                if later_level <= level:
                    end = later_index
                    break
            while stack and stack[-1][0] >= level:
                stack.pop()
            body = self.lines[index + 1 : end]
            sections.append(
                Section(
                    level=level,
                    title=title,
                    line=index + 1,
                    lines=tuple(body),
                    parents=tuple(t for _, t in stack),
                    blocks=tuple(_blocks(body, index + 2)),
                )
            )
            stack.append((level, title))
        return sections

    def section(self, title: str, *, under: str | None = None) -> Section:
        matches = [
            s for s in self.sections() if s.title == title and (under is None or under in s.parents)
        ]
        assert matches, f"{self.path.name} has no heading {title!r}" + (
            f" under {under!r}" if under else ""
        )
        assert len(matches) == 1, f"{self.path.name} has {len(matches)} headings {title!r}"
        return matches[0]

    def blocks(self) -> list[CodeBlock]:
        return list(_blocks(self.lines, 1))


def _blocks(lines: tuple[str, ...] | list[str], first_line: int) -> Iterator[CodeBlock]:
    inside: tuple[str, int, str | None] | None = None
    body: list[str] = []
    previous = ""
    fence = ""
    for offset, line in enumerate(lines):
        match = _FENCE.match(line)
        if inside is None and match:
            mark = _FILE_MARK.match(previous)
            fence = match.group(1)
            inside = (match.group(2), first_line + offset, mark.group(1) if mark else None)
            body = []
        elif inside is not None and line.strip() == fence:
            language, start, file = inside
            yield CodeBlock(language, "\n".join(body) + "\n", start, file)
            inside = None
        elif inside is not None:
            body.append(line)
        if line.strip():
            previous = line


def load_module(block: CodeBlock, name: str, source: str) -> types.ModuleType:
    """Execute a Python code block from the docs as a fresh module named ``name``."""
    module = types.ModuleType(name)
    module.__file__ = f"{source}:{block.line}"
    code = compile(block.text, f"{source}:{block.line}", "exec")
    exec(code, module.__dict__)
    return module
