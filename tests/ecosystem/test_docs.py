"""Meta-tests: the docs keep up with the code.

They fail when a hookspec, a protocol method, a built-in's config key, a CLI command or
option, or a test-kit fixture is undocumented; when a hookspec or protocol method has no
test named after it; when a documented default differs from the code's; when a tutorial
file drifts from the example package it is copied from; and when a doc link is broken.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
from ruamel.yaml import YAML

import gpuport_collectors.testing as testing
from gpuport_collectors import Secret, hookspecs
from gpuport_collectors.checks import ChecksConfig
from gpuport_collectors.config import (
    PIPELINE_KEYS,
    TOP_KEYS,
    ExportConfig,
    FilterConfig,
    PipelineConfig,
    parse_export_config,
)
from gpuport_collectors.plugins import KINDS, PluginHost
from gpuport_collectors.protocols import (
    PROTOCOLS,
    CollectionInfo,
    OutputResult,
    Payload,
    RunContext,
)
from gpuport_collectors.testing import config_yaml, pipeline
from gpuport_collectors.testing.host import installed_entry_points

from .markdown import DOCS, ROOT, Document, Section, _cells, load_module

DISTRIBUTION = "gpuport-data-collectors"
OUR_DOCS = [
    "README.md",
    "getting-started.md",
    "configuration.md",
    "collectors.md",
    "cli.md",
    "checks.md",
    "plugins.md",
    "testing-plugins.md",
]
LINKED_FILES = [
    *(DOCS / name for name in OUR_DOCS),
    ROOT / "CONTRIBUTING.md",
    *sorted((ROOT / "examples" / "plugins").glob("*/README.md")),
]

# -- what the code defines ---------------------------------------------------------------


def hook_names() -> list[str]:
    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if name.startswith("gpuport_") and hasattr(value, "gpuport_spec")
    )


def hook_heading(name: str) -> str:
    parameters = inspect.signature(getattr(hookspecs, name)).parameters
    return f"{name}({', '.join(parameters)})"


def protocol_members(protocol: type) -> list[tuple[str, str | None]]:
    """``(name, signature)`` of every member a plugin class provides; signature None for
    attributes. Methods are shown as callers see them: ``fetch_instances(progress=None)``."""
    members: list[tuple[str, str | None]] = [
        (name, None) for name in inspect.get_annotations(protocol)
    ]
    for name, value in protocol.__dict__.items():
        if inspect.isfunction(value) and (not name.startswith("_") or name in _DUNDERS):
            members.append((name, f"{name}({_parameters(value)})"))
    return members


_DUNDERS = ("__init__", "__call__")


def _parameters(function: Any) -> str:
    shown = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.default is inspect.Parameter.empty:
            shown.append(parameter.name)
        else:
            shown.append(f"{parameter.name}={parameter.default!r}")
    return ", ".join(shown)


def names_of_tests() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        )
    return names


def has_test(names: set[str], stem: str) -> bool:
    return any(name == stem or name.startswith(stem + "_") for name in names)


def builtin_host() -> PluginHost:
    """A host with only this distribution's entry points, whatever else is installed."""
    entry_points = [
        ep
        for ep in installed_entry_points()
        if ep.dist is not None and ep.dist.name == DISTRIBUTION
    ]
    return PluginHost(entry_points=entry_points, environ={}).load()


# -- hooks -------------------------------------------------------------------------------


def test_hookspecs_exist() -> None:
    assert hook_names() == [
        "gpuport_register_collectors",
        "gpuport_register_commands",
        "gpuport_register_operators",
        "gpuport_register_sinks",
        "gpuport_register_transformers",
    ]


@pytest.mark.parametrize("hook", hook_names())
def test_every_hookspec_is_documented(hook: str, plugins_doc: Document) -> None:
    headings = {s.title: s for s in plugins_doc.sections() if "Hooks" in s.parents}
    heading = hook_heading(hook)
    assert heading in headings, f"docs/plugins.md needs a '### {heading}' under '## Hooks'"
    examples = headings[heading].code("python")
    assert examples, f"docs/plugins.md: {heading} needs a Python example"
    assert f"def {hook}(" in examples[0].text, f"the example for {hook} must implement it"
    summary = inspect.getdoc(getattr(hookspecs, hook)).splitlines()[0]  # type: ignore[union-attr]
    assert summary.replace("``", "`") in headings[heading].prose(), (
        f"docs/plugins.md, {heading}: open with the hookspec's summary line: {summary}"
    )


@pytest.mark.parametrize("hook", hook_names())
def test_every_hookspec_has_a_test(hook: str) -> None:
    assert has_test(names_of_tests(), f"test_{hook}"), (
        f"no test named test_{hook}[_...] under tests/: write one that exercises the hook"
    )


# -- protocols ---------------------------------------------------------------------------

PROTOCOL_CASES = [
    (kind, protocol, name, signature)
    for kind, protocol in PROTOCOLS.items()
    for name, signature in protocol_members(protocol)
]


def test_protocols_exist() -> None:
    assert {kind: [name for name, _ in protocol_members(p)] for kind, p in PROTOCOLS.items()} == {
        "collector": ["Config", "problems", "__init__", "fetch_instances"],
        "operator": ["Config", "__init__", "__call__"],
        "transformer": ["Config", "__init__", "transform"],
        "sink": ["Config", "__init__", "describe", "write"],
    }


@pytest.mark.parametrize(
    ("kind", "protocol", "name", "signature"),
    PROTOCOL_CASES,
    ids=[f"{kind}.{name}" for kind, _, name, _ in PROTOCOL_CASES],
)
def test_every_protocol_member_is_documented(
    kind: str, protocol: type, name: str, signature: str | None, plugins_doc: Document
) -> None:
    section = plugins_doc.section(protocol.__name__, under="Protocols")
    shown = f"`{signature or name}`"
    assert shown in section.prose(), f"docs/plugins.md, '### {protocol.__name__}': document {shown}"


@pytest.mark.parametrize(
    ("kind", "name"),
    [(kind, name) for kind, _, name, signature in PROTOCOL_CASES if signature is not None],
)
def test_every_protocol_method_has_a_test(kind: str, name: str) -> None:
    stem = f"test_{kind}_{name.strip('_')}"
    assert has_test(names_of_tests(), stem), f"no test named {stem}[_...] under tests/"


@pytest.mark.parametrize("cls", [Payload, RunContext, CollectionInfo, OutputResult])
def test_protocol_data_classes_are_documented(cls: type, plugins_doc: Document) -> None:
    section = plugins_doc.section(cls.__name__, under="Protocols")
    documented = set(section.table_keys())
    assert {field.name for field in attrs.fields(cls)} == documented
    methods = [n for n, v in vars(cls).items() if inspect.isfunction(v) and not n.startswith("_")]
    for method in methods:
        assert f"`{method}(" in section.prose(), f"document {cls.__name__}.{method}()"


def test_every_plugin_kind_has_a_hook_and_a_protocol() -> None:
    assert {hook for hook, _, _ in KINDS.values()} < set(hook_names())
    assert {kind.rstrip("s") for kind in KINDS} == set(PROTOCOLS)


# -- the tutorial ------------------------------------------------------------------------


def test_tutorial_files_match_the_example_package(plugins_doc: Document) -> None:
    copied = [block for block in plugins_doc.blocks() if block.file]
    assert len(copied) >= 4
    for block in copied:
        assert block.file is not None
        actual = (ROOT / block.file).read_text(encoding="utf-8")
        assert block.text == actual, f"docs/plugins.md:{block.line} differs from {block.file}"


# -- configuration reference -------------------------------------------------------------

SECTION_FOR_KIND = {
    "collectors": "Collectors",
    "operators": "Operators",
    "transformers": "Transformers",
    "sinks": "Outputs",
}


def config_keys(cls: type, prefix: str = "") -> Iterator[tuple[str, attrs.Attribute[Any]]]:
    """Every option of a Config class; nested attrs classes as ``a.b``, lists of them as
    ``a[].b``."""
    attrs.resolve_types(cls)
    for field in attrs.fields(cls):
        key = prefix + field.name
        yield key, field
        inner, in_list = _unwrap(field.type)
        if inner is not None and attrs.has(inner) and inner is not Secret:
            yield from config_keys(inner, key + ("[]." if in_list else "."))


def _unwrap(kind: Any) -> tuple[Any, bool]:
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    origin = typing.get_origin(kind)
    if origin in (list, typing.Union) or str(origin) == "<class 'types.UnionType'>":
        if origin is list:
            return (args[0] if args else None), True
        if len(args) == 1:
            return _unwrap(args[0])
    return kind, False


def reference_sections(doc: Document) -> dict[tuple[str, str], Section]:
    """(kind, registered name) -> its section, from headings like ``### `eq`, `ne` ``."""
    found: dict[tuple[str, str], Section] = {}
    for section in doc.sections():
        if section.level != 3:
            continue
        for kind, title in SECTION_FOR_KIND.items():
            if title in section.parents:
                for name in re.findall(r"`([^`]+)`", section.title):
                    found[(kind, name)] = section
    return found


def builtin_registrations() -> list[tuple[str, str, Any]]:
    host = builtin_host()
    return [
        (kind, name, host.registry(kind).get(name))
        for kind in KINDS
        for name in host.registry(kind).names()
    ]


def test_every_builtin_has_a_reference_section() -> None:
    registered = {(kind, name) for kind, name, _ in builtin_registrations()}
    assert registered, "no built-in plugin loaded"
    documented = set(reference_sections(Document.read("configuration.md")))
    assert sorted(registered - documented) == [], "undocumented in docs/configuration.md"
    assert sorted(documented - registered) == [], "documented but not registered"


def test_every_builtin_config_key_is_documented() -> None:
    """Keys and defaults in docs/configuration.md are exactly those of each Config class."""
    sections = reference_sections(Document.read("configuration.md"))
    problems = []
    for kind, name, cls in builtin_registrations():
        section = sections.get((kind, name))
        if section is None:
            continue  # reported by test_every_builtin_has_a_reference_section
        rows = section.table_keys()
        keys = dict(config_keys(cls.Config))
        where = f"{SECTION_FOR_KIND[kind]} `{name}`"
        for key in sorted(keys.keys() - rows.keys()):
            problems.append(f"{where}: option {key!r} is not documented")
        for key in sorted(rows.keys() - keys.keys()):
            problems.append(f"{where}: documents {key!r}, which {cls.Config.__name__} lacks")
        for key in sorted(keys.keys() & rows.keys()):
            problem = default_problem(keys[key], rows[key][0] if rows[key] else "")
            if problem:
                problems.append(f"{where}: {key!r}: {problem}")
            problem = description_problem(keys[key], rows[key])
            if problem:
                problems.append(f"{where}: {key!r}: {problem}")
    assert problems == []


_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


#: Pages that explain outputs in depth but must link to configuration.md for their options.
OPTIONS_LINK_ONLY = ["outputs.md"]


def option_tables(text: str, option_names: dict[str, set[str]]) -> list[str]:
    """Where ``text`` holds an option table: a table with a ``default`` column, or one whose
    first cells name two or more options of one output (``option_names``: type -> keys)."""
    found: list[str] = []
    tables: list[tuple[int, list[list[str]]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = _cells(line)
        if not cells:
            continue
        if tables and tables[-1][0] + len(tables[-1][1]) == number:
            tables[-1][1].append(cells)
        else:
            tables.append((number, [cells]))
    for first_line, rows in tables:
        header = [cell.lower() for cell in rows[0]]
        names = {row[0].strip("`") for row in rows[1:] if re.fullmatch(r"`[^`]+`", row[0])}
        matching = [kind for kind, keys in option_names.items() if len(names & keys) >= 2]
        if "default" in header or matching:
            found.append(f"line {first_line}: option table {' '.join(matching)}".rstrip())
    return found


def output_option_names() -> dict[str, set[str]]:
    return {
        name: set(dict(config_keys(cls.Config)))
        for kind, name, cls in builtin_registrations()
        if kind == "sinks"
    }


@pytest.mark.parametrize("page", OPTIONS_LINK_ONLY)
def test_output_options_are_tabled_only_in_configuration_md(page: str) -> None:
    """The option descriptions have one source (field metadata), checked against one
    table each in configuration.md; another page's copy would drift, so it links instead."""
    names = output_option_names()
    assert {"local", "s3", "https"} <= names.keys()
    assert option_tables(Document.read(page).text, names) == []
    assert all(f"configuration.md#{name}" in Document.read(page).text for name in names)


def test_option_tables_finds_a_copied_table() -> None:
    names = {"local": {"path", "overwrite"}, "s3": {"bucket", "acl"}}
    copied = "intro\n\n| key | what |\n| --- | --- |\n| `path` | dir |\n| `overwrite` | no |\n"
    with_default = "| option | default | what |\n| --- | --- | --- |\n| `url` | required | u |\n"
    unrelated = "| field | meaning |\n| --- | --- |\n| `destination` | where |\n| `path` | p |\n"
    assert option_tables(copied, names) == ["line 3: option table local"]
    assert option_tables(with_default, names) == ["line 1: option table"]
    assert option_tables(unrelated, names) == []


def description_problem(field: attrs.Attribute[Any], cells: list[str]) -> str | None:
    """Why the documented meaning differs from the field's ``metadata["description"]``
    (the one source: the schema's descriptions come from it), or None. Links in the table
    read as their text."""
    documented = _LINK.sub(r"\1", cells[1] if len(cells) > 1 else "").replace("\\|", "|")
    described = field.metadata.get("description")
    if described == documented.strip():
        return None
    if described is None:
        return f'give it metadata={{"description": {documented.strip()!r}}}'
    return f"the docs say {documented.strip()!r}, its metadata description {described!r}"


def default_problem(field: attrs.Attribute[Any], cell: str) -> str | None:
    """Why the documented default ``cell`` disagrees with the field, or None."""
    if field.default is attrs.NOTHING:
        return None if cell == "required" else "has no default, so document it as 'required'"
    if cell == "required":
        return "has a default, so it is not required"
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    literal = re.fullmatch(r"`([^`]*)`", cell)
    if literal is None:
        return f"write the default as a single `literal`, got {cell!r}"
    documented = YAML(typ="safe", pure=True).load(literal.group(1))
    if not _same(documented, default):
        return f"documented default {literal.group(1)} but the code's is {default!r}"
    return None


def _same(documented: Any, actual: Any) -> bool:
    if isinstance(actual, bool) or isinstance(documented, bool):
        return documented is actual
    if hasattr(actual, "template"):  # Secret
        return bool(documented == actual.template)
    return bool(documented == actual)


def test_core_keys_are_documented() -> None:
    doc = Document.read("configuration.md")
    assert set(doc.section("Top-level keys").table_keys()) == set(TOP_KEYS)
    assert set(doc.section("Pipeline keys").table_keys()) == set(PIPELINE_KEYS)
    assert set(doc.section("Filters").table_keys()) == {"field", "operator"}
    from gpuport_collectors.fields import FIELDS
    from gpuport_collectors.filenames import NAMES

    assert list(doc.section("Fields").table_keys()) == list(FIELDS)
    tables = [
        ("Top-level keys", ExportConfig),
        ("Pipeline keys", PipelineConfig),
        ("Filters", FilterConfig),
        ("Checks", ChecksConfig),
    ]
    problems = [
        f"{title} {key!r}: {problem}"
        for title, cls in tables
        for key, cells in doc.section(title).table_keys().items()
        if (problem := description_problem(attrs.fields_dict(cls)[key], cells))
    ]
    assert problems == []
    placeholders = doc.section("File name placeholders").text
    assert set(re.findall(r"`\{(\w+)\}`", placeholders)) == set(NAMES)


# -- examples in the docs load -----------------------------------------------------------


def yaml_examples() -> Iterator[tuple[str, int, Any, tuple[str, ...]]]:
    """Every YAML block of our docs once, with the headings it sits under."""
    for name in OUR_DOCS:
        seen: set[int] = set()
        innermost_first = sorted(Document.read(name).sections(), key=lambda s: -s.level)
        for section in innermost_first:
            for block in section.code("yaml"):
                if block.line not in seen:
                    seen.add(block.line)
                    yield name, block.line, block.text, (*section.parents, section.title)


def as_config(value: Any, where: tuple[str, ...]) -> str | None:
    """Wrap a documented YAML example into a whole config, or None if it is not a config part."""
    base = pipeline("example", transformer={"format": "json"}, outputs=[{"type": "capture"}])
    if isinstance(value, dict) and "pipelines" in value:
        return None if "..." in str(value) else _dump(value)
    if isinstance(value, dict) and set(value) <= {"transformer", "filters", "outputs"}:
        return config_yaml({**base, **value})
    if isinstance(value, dict) and set(value) == {"collectors"}:
        return config_yaml(base, collectors=value["collectors"])
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        if all("field" in item for item in value):
            return config_yaml({**base, "filters": value})
        if all("type" in item for item in value) and "Outputs" in where:
            return config_yaml({**base, "outputs": value})
    return None


def _dump(value: Any) -> str:
    import io

    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, stream)
    return stream.getvalue()


@pytest.fixture
def docs_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A host with the plugins the docs write about: built-ins, the hook examples of
    docs/plugins.md and the two example packages (imported from their source folders)."""
    for example in ("gpuport-glob", "gpuport-price-history"):
        monkeypatch.syspath_prepend(str(ROOT / "examples" / "plugins" / example))
    packages = ("gpuport_glob", "gpuport_price_history")
    try:
        glob, price_history = (importlib.import_module(f"{p}.plugin") for p in packages)
        plugins_doc = Document.read("plugins.md")
        hooks = [s for s in plugins_doc.sections() if "Hooks" in s.parents and s.level == 3]
        examples = [load_module(s.code("python")[0], f"docs_{s.line}", "plugins.md") for s in hooks]
        yield testing.make_host(*examples, glob, price_history)
    finally:
        for name in list(sys.modules):  # so no later test imports them by accident
            if name.startswith(packages):
                del sys.modules[name]


def test_yaml_examples_parse_and_load(
    monkeypatch: pytest.MonkeyPatch, docs_host: PluginHost
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "documentation-example")
    host = docs_host
    problems = []
    loaded = 0
    for doc, line, text, where in yaml_examples():
        try:
            value = YAML(typ="safe", pure=True).load(text)
        except Exception as error:
            problems.append(f"docs/{doc}:{line}: not YAML: {error}")
            continue
        config = as_config(value, where)
        if config is None:
            continue
        environ = {ref: "documentation-example" for ref in re.findall(r"\$\{(\w+)\}", config)}
        try:
            parse_export_config(config, source=f"docs/{doc}:{line}", host=host, environ=environ)
        except Exception as error:
            problems.append(f"docs/{doc}:{line}: {error}")
        loaded += 1
    assert problems == []
    assert loaded >= 20


def test_python_examples_compile() -> None:
    for name in OUR_DOCS:
        for block in Document.read(name).blocks():
            if block.language == "python":
                compile(block.text, f"docs/{name}:{block.line}", "exec")


# -- command line ------------------------------------------------------------------------


def documented_commands() -> dict[str, Section]:
    doc = Document.read("cli.md")
    found = {}
    for section in doc.sections():
        match = re.fullmatch(r"`gpuport-collectors(?: ([\w-]+))?`", section.title)
        if match:
            found[match.group(1) or ""] = section
    return found


def builtin_commands() -> dict[str, click.Command]:
    from gpuport_collectors.cli import command_group

    group = command_group(builtin_host())
    return {"": group, **group.commands}


def option_strings(command: click.Command) -> list[str]:
    shown = []
    for param in command.params:
        if isinstance(param, click.Argument):
            shown.append((param.metavar or param.name or "").upper())
        else:
            shown.extend(param.opts + param.secondary_opts)
    return [*shown, "-h", "--help"] if command.name == "gpuport-collectors" else shown


def test_every_command_and_option_is_documented() -> None:
    documented = documented_commands()
    problems = []
    for name, command in builtin_commands().items():
        title = f"`gpuport-collectors{' ' + name if name else ''}`"
        section = documented.get(name)
        if section is None:
            problems.append(f"docs/cli.md has no section {title}")
            continue
        prose = section.prose()
        for option in option_strings(command):
            if not re.search(rf"`{re.escape(option)}[` ]", prose):
                problems.append(f"docs/cli.md {title}: option {option} is not documented")
    assert problems == []


def test_no_documented_command_is_missing() -> None:
    assert set(documented_commands()) <= set(builtin_commands())


# -- the test kit ------------------------------------------------------------------------


def kit_fixtures() -> list[str]:
    source = (Path(testing.__file__).parent / "pytest_plugin.py").read_text()
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                text = ast.unparse(decorator)
                if text.startswith("pytest.fixture"):
                    named = re.search(r"name=['\"](\w+)['\"]", text)
                    names.append(named.group(1) if named else node.name)
    return names


def test_every_kit_fixture_and_helper_is_documented() -> None:
    doc = Document.read("testing-plugins.md")
    fixtures = doc.section("Fixtures").table_keys()
    assert sorted(kit_fixtures()) == sorted(fixtures)
    for name in testing.__all__:
        assert re.search(rf"`{name}[`(]", doc.text), f"docs/testing-plugins.md: document {name}"


# -- links -------------------------------------------------------------------------------


def slug(title: str) -> str:
    text = title.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, _, title in Document.read(str(path)).headings():
        base = slug(title)
        count = seen.get(base, 0)
        found.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return found


@pytest.mark.parametrize("path", LINKED_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_resolve(path: Path) -> None:
    text = Document.read(str(path)).text
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    problems = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+://", target) or target.startswith("mailto:"):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"{target}: no heading with anchor #{anchor}")
    assert problems == []


# -- the checks above can fail -----------------------------------------------------------


@attrs.frozen
class _Inner:
    name: str
    limit: float = 1.5


@attrs.frozen
class _Sample:
    items: list[_Inner]
    nested: _Inner | None = None
    token: Secret | None = None
    flags: list[str] = attrs.Factory(lambda: ["a"])
    on: bool = True


def test_config_keys_walk_nested_classes_but_not_secrets() -> None:
    assert [key for key, _ in config_keys(_Sample)] == [
        "items",
        "items[].name",
        "items[].limit",
        "nested",
        "nested.name",
        "nested.limit",
        "token",
        "flags",
        "on",
    ]


def test_default_problem_catches_wrong_defaults() -> None:
    fields = dict(config_keys(_Sample))
    assert default_problem(fields["items"], "required") is None
    assert default_problem(fields["items"], "`[]`") == (
        "has no default, so document it as 'required'"
    )
    assert default_problem(fields["flags"], '`["a"]`') is None
    assert default_problem(fields["flags"], "`[]`") == (
        "documented default [] but the code's is ['a']"
    )
    assert default_problem(fields["on"], "`1`") == "documented default 1 but the code's is True"
    assert default_problem(fields["on"], "`true`") is None
    assert default_problem(fields["on"], "required") == "has a default, so it is not required"
    assert default_problem(fields["nested.limit"], "`1.5`") is None
    assert default_problem(fields["token"], "none") == (
        "write the default as a single `literal`, got 'none'"
    )


def test_description_problem_compares_docs_with_metadata() -> None:
    @attrs.frozen
    class Described:
        plain: int = attrs.field(default=1, metadata={"description": "the `plain` one (Fields)"})
        bare: int = 2

    fields = attrs.fields_dict(Described)
    assert (
        description_problem(fields["plain"], ["`1`", "the `plain` one ([Fields](#fields))"]) is None
    )
    assert description_problem(fields["plain"], ["`1`", "another text"]) == (
        "the docs say 'another text', its metadata description 'the `plain` one (Fields)'"
    )
    assert description_problem(fields["bare"], ["`2`", "a bare one"]) == (
        """give it metadata={"description": 'a bare one'}"""
    )


def test_reference_sections_read_grouped_headings(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "## Operators\n\n### `eq`, `ne`\n\n| key | default | meaning |\n| --- | --- | --- |\n"
        "| `value` | required | x |\n\n## Outputs\n\n### `local`\n\ntext\n\n"
        "```yaml\n# not a heading\n```\n"
    )
    sections = reference_sections(Document.read(str(page)))
    assert sorted(sections) == [("operators", "eq"), ("operators", "ne"), ("sinks", "local")]
    assert sections[("operators", "ne")].table_keys() == {"value": ["required", "x"]}
    assert sections[("sinks", "local")].table_keys() == {}


def test_slugs_match_github() -> None:
    assert slug("`gpuport-collectors plugins`") == "gpuport-collectors-plugins"
    assert slug("gpuport_register_commands(cli)") == "gpuport_register_commandscli"
    assert slug("Tutorial: a plugin package from an empty folder") == (
        "tutorial-a-plugin-package-from-an-empty-folder"
    )
