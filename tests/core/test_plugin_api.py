"""The declared plugin API: one public module, and every plugin (built-in or example) on it.

Walks the source with ``ast``, so a new plugin that reaches into a core module, a core
module that imports a plugin, or a plugin that strays from the one layout fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import gpuport_collectors
from gpuport_collectors import plugin_api

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core" / "gpuport_collectors"
PLUGIN_DIRS = sorted(
    [path for path in (ROOT / "plugins").iterdir() if (path / "__init__.py").exists()]
    + [
        package
        for example in (ROOT / "examples" / "plugins").iterdir()
        for package in example.iterdir()
        if (package / "plugin.py").exists()
    ]
)
API = "gpuport_collectors.plugin_api"


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in a file; relative ones are skipped."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def python_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*.py") if "build" not in path.parts)


def test_plugin_dirs_are_found() -> None:
    names = {path.name for path in PLUGIN_DIRS}
    assert {"gpuport_runpod", "gpuport_https", "gpuport_glob", "gpuport_price_history"} <= names


@pytest.mark.parametrize("module", [plugin_api, gpuport_collectors], ids=lambda m: m.__name__)
def test_all_is_sorted_complete_and_resolves(module: object) -> None:
    exported: list[str] = module.__all__  # type: ignore[attr-defined]
    homes: dict[str, str] = module._HOMES  # type: ignore[attr-defined]
    assert len(exported) == len(set(exported))
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    key = [(0 if n.isupper() else 1 if n[0].isupper() else 2, n) for n in exported]
    assert key == sorted(key)
    assert set(exported) == set(homes)
    for name in exported:
        assert getattr(module, name) is not None, name
    assert sorted(dir(module)) == sorted(
        [*exported, *(["__version__"] if module is gpuport_collectors else [])]
    )


@pytest.mark.parametrize("module", [plugin_api, gpuport_collectors], ids=lambda m: m.__name__)
def test_type_checking_imports_match_all(module: object) -> None:
    # mypy reads the TYPE_CHECKING imports; users get __getattr__: both must list one set.
    tree = ast.parse(Path(module.__file__).read_text())  # type: ignore[attr-defined]
    guarded = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for statement in node.body
        if isinstance(statement, ast.ImportFrom)
        for alias in statement.names
    }
    assert guarded == set(module.__all__)  # type: ignore[attr-defined]


def test_unknown_api_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        plugin_api.nope  # noqa: B018


@pytest.mark.parametrize("package", PLUGIN_DIRS, ids=lambda p: p.name)
def test_plugins_import_only_the_plugin_api(package: Path) -> None:
    strays = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in python_files(package)
        for line, module in imported_modules(path)
        if (module.startswith("gpuport_collectors") and module != API)
        or (
            module.startswith("gpuport_")
            and module.split(".")[0] not in {package.name}
            and not module.startswith("gpuport_collectors")
        )
    ]
    assert strays == [], f"import from {API} only (and not from other plugins)"


def test_core_imports_no_plugin() -> None:
    strays = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in python_files(CORE)
        for line, module in imported_modules(path)
        if module.startswith("gpuport_") and not module.startswith("gpuport_collectors")
    ]
    assert strays == []


def _is_hookimpl(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        ast.unparse(decorator) == "hookimpl" for decorator in node.decorator_list
    )


@pytest.mark.parametrize("package", PLUGIN_DIRS, ids=lambda p: p.name)
def test_plugin_py_holds_only_hookimpls(package: Path) -> None:
    tree = ast.parse((package / "plugin.py").read_text())
    body = tree.body
    assert ast.get_docstring(tree), "plugin.py opens with a module docstring"
    others = [
        ast.unparse(node).splitlines()[0]
        for node in body[1:]
        if not isinstance(node, ast.Import | ast.ImportFrom) and not _is_hookimpl(node)
    ]
    assert others == []
    for node in body:
        if _is_hookimpl(node) and node.name != "gpuport_register_commands":  # type: ignore[attr-defined]
            annotation = node.args.args[0].annotation  # type: ignore[attr-defined]
            assert ast.unparse(annotation) == "Register", node.name  # type: ignore[attr-defined]


@pytest.mark.parametrize("package", PLUGIN_DIRS, ids=lambda p: p.name)
def test_configs_live_in_config_py(package: Path) -> None:
    assert (package / "config.py").exists()
    for path in python_files(package):
        tree = ast.parse(path.read_text())
        from_config = {
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "config"
            for alias in node.names
        }
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for statement in cls.body:
                target = (
                    statement.targets[0]
                    if isinstance(statement, ast.Assign)
                    else statement.target
                    if isinstance(statement, ast.AnnAssign)
                    else None
                )
                if not (isinstance(target, ast.Name) and target.id == "Config"):
                    continue
                where = f"{path.relative_to(ROOT)}:{statement.lineno}"
                assert isinstance(statement, ast.Assign), f"{where}: write Config = XConfig"
                value = statement.value
                assert isinstance(value, ast.Name), where
                assert path.name == "config.py" or value.id in from_config, (
                    f"{where}: {value.id} belongs in config.py"
                )


@pytest.mark.parametrize("package", PLUGIN_DIRS, ids=lambda p: p.name)
def test_loggers_are_named_by_module(package: Path) -> None:
    for path in python_files(package):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("getLogger"):
                assert [ast.unparse(arg) for arg in node.args] == ["__name__"], (
                    f"{path.relative_to(ROOT)}:{node.lineno}"
                )


def test_seed_import_path_resolves_through_the_plugin_host() -> None:
    from gpuport_collectors.collectors.runpod import RunPodCollector
    from gpuport_collectors.plugins import default_host

    assert RunPodCollector is default_host().collectors.get("runpod")


def test_seed_import_path_says_why_when_runpod_is_disabled() -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from gpuport_collectors.collectors.runpod import RunPodCollector"],
        capture_output=True,
        text=True,
        env={**os.environ, "GPUPORT_DISABLE_PLUGINS": "runpod"},
        check=False,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: cannot import RunPodCollector")
    assert "disabled by GPUPORT_DISABLE_PLUGINS" in last
