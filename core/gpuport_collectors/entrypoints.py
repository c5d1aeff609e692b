"""Entry points of one group, read from installed ``*.dist-info`` without importlib.metadata.

Every start of the command line (``--help``, each shell-completion TAB) needs the
``gpuport`` entry points, and importing :mod:`importlib.metadata` costs more than click
itself (it pulls in email, zipfile, csv and pathlib). For the common layout, plain
directories on ``sys.path`` holding ``NAME-VERSION.dist-info`` (or ``.egg-info``)
folders, this module finds the same entry points with a directory listing per path
entry and a read of each ``entry_points.txt``, keeping the first distribution of a name
as importlib.metadata does. Any other layout (a zip or ``.egg`` on the path, a finder
on ``sys.meta_path`` that serves distributions) goes to importlib.metadata itself.
"""

from __future__ import annotations

import importlib.machinery
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from .importing import load_reference

INFO_SUFFIXES = (".dist-info", ".egg-info")


class Distribution:
    """The ``Name`` and ``Version`` of an installed distribution's metadata."""

    __slots__ = ("name", "version")

    def __init__(self, name: str | None, version: str | None) -> None:
        self.name = name
        self.version = version

    def __repr__(self) -> str:
        return f"Distribution({self.name!r}, {self.version!r})"


class EntryPoint:
    """``name = module:attribute`` from a distribution's ``entry_points.txt``."""

    __slots__ = ("dist", "group", "name", "value")

    def __init__(self, name: str, value: str, group: str, dist: Distribution | None) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"

    def load(self) -> Any:
        """Import the module and walk the attribute path, as importlib.metadata does."""
        return load_reference(self.value)


def entry_points(group: str, path: Sequence[str] | None = None) -> list[EntryPoint]:
    """The entry points of ``group`` across the distributions on ``path`` (``sys.path``)."""
    paths = list(sys.path if path is None else path)
    found = _scan(group, paths) if _only_path_finder() else None
    return _from_importlib(group, paths) if found is None else found


def _only_path_finder() -> bool:
    """True when no finder but the standard one serves distributions."""
    return not any(
        hasattr(finder, "find_distributions") and finder is not importlib.machinery.PathFinder
        for finder in sys.meta_path
    )


def _scan(group: str, paths: Sequence[str]) -> list[EntryPoint] | None:
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in paths:
        children = _children(entry)
        if children is None:
            return None
        for child in children:
            lowered = child.lower()
            if not lowered.endswith(INFO_SUFFIXES):
                continue
            name = _normalize(lowered.rpartition(".")[0].partition("-")[0])
            if name in seen:  # the first on the path wins, as importlib.metadata has it
                continue
            seen.add(name)
            found.extend(_read_entry_points(os.path.join(entry or ".", child), group))
    return found


def _children(entry: str) -> list[str] | None:
    """Names in a path entry; ``None`` for a layout this module does not read."""
    try:
        children = os.listdir(entry or ".")
    except NotADirectoryError:
        return None  # a zip file on the path
    except OSError:
        return []  # a path entry that does not exist holds nothing
    if entry.lower().endswith(".egg") and "EGG-INFO" in children:
        return None
    return children


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _read_entry_points(info: str, group: str) -> Iterator[EntryPoint]:
    text = _read(os.path.join(info, "entry_points.txt"))
    if not text:
        return
    dist: Distribution | None = None
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        name, equals, value = line.partition("=")
        if section != group or not equals:
            continue
        if dist is None:
            dist = _distribution(info)
        yield EntryPoint(name.strip(), value.strip(), group, dist)


def _distribution(info: str) -> Distribution:
    """Name and Version from the metadata headers (they come before the first blank line)."""
    text = _read(os.path.join(info, "METADATA")) or _read(os.path.join(info, "PKG-INFO")) or ""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            break
        key, colon, value = line.partition(":")
        if colon and key in ("Name", "Version") and key not in headers:
            headers[key] = value.strip()
    return Distribution(headers.get("Name"), headers.get("Version"))


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None


def _from_importlib(group: str, paths: list[str]) -> list[EntryPoint]:
    import importlib.metadata

    seen: set[str] = set()
    found: list[EntryPoint] = []
    for dist in importlib.metadata.distributions(path=paths):
        name = _normalize(dist.name or "")
        if name in seen:
            continue
        seen.add(name)
        found.extend(
            EntryPoint(point.name, point.value, group, Distribution(dist.name, dist.version))
            for point in dist.entry_points.select(group=group)
        )
    return found
