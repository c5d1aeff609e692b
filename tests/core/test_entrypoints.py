"""Entry-point discovery without importlib.metadata finds exactly what importlib.metadata finds."""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

import pytest

from gpuport_collectors.entrypoints import entry_points


def _as_tuples(points: object) -> list[tuple[str, str, str | None, str | None]]:
    return sorted(
        (p.name, p.value, p.dist.name if p.dist else None, p.dist.version if p.dist else None)
        for p in points  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize("group", ["gpuport", "console_scripts", "pytest11"])
def test_installed_groups_match_importlib_metadata(group: str) -> None:
    expected = _as_tuples(importlib.metadata.entry_points(group=group))
    assert expected, f"the test environment should have {group} entry points"
    assert _as_tuples(entry_points(group)) == expected


def _dist_info(root: Path, folder: str, name: str, version: str, text: str) -> None:
    info = root / folder
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nName: not-a-header\n"
    )
    (info / "entry_points.txt").write_text(text)


def test_the_first_distribution_of_a_name_on_the_path_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist_info(first, "My_Plugin-1.0.dist-info", "My.Plugin", "1.0", "[gpuport]\nmine = a.b\n")
    _dist_info(second, "my_plugin-2.0.dist-info", "my-plugin", "2.0", "[gpuport]\nold = c.d\n")
    _dist_info(second, "other-0.1.dist-info", "other", "0.1", "[gpuport]\nother = e\n")
    paths = [str(first), str(second), str(tmp_path / "missing")]

    found = entry_points("gpuport", paths)

    assert _as_tuples(found) == [
        ("mine", "a.b", "My.Plugin", "1.0"),
        ("other", "e", "other", "0.1"),
    ]
    assert _as_tuples(found) == _as_tuples(
        point
        for dist in _unique(importlib.metadata.distributions(path=paths))
        for point in dist.entry_points.select(group="gpuport")
    )


def _unique(dists: object) -> list[importlib.metadata.Distribution]:
    seen: set[str] = set()
    kept = []
    for dist in dists:  # type: ignore[attr-defined]
        key = dist.name.lower().replace("-", "_").replace(".", "_")
        if key not in seen:
            seen.add(key)
            kept.append(dist)
    return kept


def test_sections_comments_and_extras_are_read_as_importlib_reads_them(tmp_path: Path) -> None:
    text = (
        "# a comment\n[console_scripts]\nnot-ours = x:y\n\n[gpuport]\n"
        "  spaced   =   pkg.mod : attr [extra]  \nplain=pkg\n[other]\nalso-not = z\n"
    )
    _dist_info(tmp_path, "thing.egg-info", "thing", "3", text)

    found = entry_points("gpuport", [str(tmp_path)])

    assert [(p.name, p.value) for p in found] == [
        ("spaced", "pkg.mod : attr [extra]"),
        ("plain", "pkg"),
    ]


def test_load_imports_the_module_and_walks_the_attributes(tmp_path: Path) -> None:
    package = tmp_path / "ep_target_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("class Outer:\n    class Inner:\n        pass\n")
    _dist_info(tmp_path, "t-1.dist-info", "t", "1", "[g]\nx = ep_target_pkg:Outer.Inner [e]\n")
    sys.path.insert(0, str(tmp_path))
    try:
        (point,) = entry_points("g", [str(tmp_path)])
        loaded = point.load()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("ep_target_pkg", None)
    assert loaded.__qualname__ == "Outer.Inner"


def test_a_zip_on_the_path_is_read_through_importlib_metadata(tmp_path: Path) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        zipped.writestr("zipped-1.0.dist-info/entry_points.txt", "[gpuport]\nz = zmod\n")

    found = entry_points("gpuport", [str(archive)])

    assert _as_tuples(found) == [("z", "zmod", "zipped", "1.0")]
