"""The test suite's own layout: every folder a package, fake plugins taken from the kit."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

#: Test files allowed to write a plugin by hand (a ``@hookimpl``), and why the kit's
#: ``StubPlugin`` does not do there. Any other fake plugin should be a kit stub.
HAND_WRITTEN_PLUGINS = {
    "core/test_plugin_host.py": "installed fake distributions: the loader's own input",
    "core/test_plugin_loading.py": "malformed and stray hookimpls: the loader's own input",
    "core/test_built_once.py": "a collector kept beside the stubs to count its builds",
    "ecosystem/test_protocols.py": "an operator spy recording the field and every value",
    "ecosystem/test_testing_kit.py": "a plugin author's own plugins, given to the kit",
}

HOOKIMPL = re.compile(r"^\s*@\w*hookimpl\b", re.MULTILINE)


def test_every_test_folder_is_a_package() -> None:
    folders = {path.parent for path in TESTS.rglob("*.py")}
    missing = sorted(
        str(folder.relative_to(TESTS))
        for folder in folders
        if not (folder / "__init__.py").exists()
    )
    assert missing == []


def test_fake_plugins_come_from_the_kit() -> None:
    writing = {
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("*.py")
        if HOOKIMPL.search(path.read_text(encoding="utf-8"))
    }
    assert sorted(writing - HAND_WRITTEN_PLUGINS.keys()) == []


def test_the_hookimpl_pattern_finds_decorated_hooks_in_any_spelling() -> None:
    found = [
        bool(HOOKIMPL.search(text))
        for text in (
            "@hookimpl\ndef gpuport_register_sinks(register): ...",
            "    @_hookimpl\n    def gpuport_register_sinks(self, register): ...",
            "from gpuport_collectors import hookimpl\n",
            "x = '@hookimpl' if True else None\n",
        )
    ]
    assert found == [True, True, False, False]
