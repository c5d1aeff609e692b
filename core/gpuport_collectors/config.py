"""Load and validate an export config: YAML (ruamel, with positions) to attrs objects.

Every problem in a file is collected and reported at once as ``FILE:LINE:COL: message``.
``type:`` / ``format:`` / ``operator:`` select registered plugin classes; the rest of each
mapping is structured into that class's ``Config`` by the converter in :mod:`.converter`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .built import BuiltPlugins
from .checks import ChecksConfig
from .configfile import read_config_text
from .converter import Path as KeyPath
from .converter import describe, flatten_errors, make_converter, resolve_tree
from .errors import ConfigError, GpuportError, OptionError, Problem
from .fields import field_info
from .options import CollectorConfig as CollectorConfig  # its historical import path
from .plugins import PluginHost, Registry, default_host
from .secrets import MIN_SECRET_LENGTH, MISSING_VARIABLE, MissingVariableError, references
from .targets import pipeline_name_problem, target_problem
from .words import suggest
from .yamlbounds import load_document


@attrs.frozen
class FilterConfig:
    field: str = attrs.field(
        metadata={"description": "the instance field to test, one of the fields"}
    )
    operator: str = attrs.field(
        metadata={"description": "one of the operators; its options go beside it"}
    )
    test: Callable[[Any], bool] = attrs.field(repr=False)
    options: Any = None


@attrs.frozen
class PluginChoice:
    """A selected plugin class (``kind`` is its registered name) and its structured options."""

    kind: str
    cls: type[Any] = attrs.field(repr=False)
    options: Any
    where: str = ""

    def build(self) -> Any:
        """A new instance (a run takes loading's first: :class:`~.built.BuiltPlugins`)."""
        return self.cls(self.options)


@attrs.frozen
class PipelineConfig:
    name: str = attrs.field(
        metadata={
            "description": (
                "unique name; `{pipeline}` in file names, `--pipeline NAME` on the command line"
            )
        }
    )
    transformer: PluginChoice = attrs.field(
        metadata={"description": "`{format: NAME, ...options}` (Transformers)"}
    )
    outputs: list[PluginChoice] = attrs.field(
        metadata={
            "description": (
                "at least one `{type: NAME, ...options}` (Outputs); each gets the same document"
            )
        }
    )
    filters: list[FilterConfig] = attrs.field(
        factory=list, metadata={"description": "conditions an instance must all pass (Filters)"}
    )
    enabled: bool = attrs.field(
        default=True, metadata={"description": "`false` skips the pipeline (it is still validated)"}
    )


@attrs.frozen
class ExportConfig:
    """A loaded config. ``collectors`` is None when the file names none (RunPod by default)."""

    pipelines: list[PipelineConfig] = attrs.field(
        metadata={"description": "the list of pipelines; names must be unique"}
    )
    collectors: list[PluginChoice] | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "where instances come from: a list of `{type: NAME, ...options}` (Collectors); "
                "all of them run and their instances are concatenated. `export --snapshot` "
                "replaces this list"
            ),
            "json_schema": {"default": [{"type": "runpod"}]},  # what None means
        },
    )
    source: str = "<config>"
    checks: ChecksConfig = attrs.field(
        factory=ChecksConfig,
        metadata={
            "description": "what a collection must pass before it reaches any output (Checks)"
        },
    )
    #: The plugins loading built (to check their options), for the first run to use.
    built: BuiltPlugins = attrs.field(factory=BuiltPlugins, eq=False, repr=False)


TOP_KEYS = ("pipelines", "collectors", "checks")
PIPELINE_KEYS = ("name", "enabled", "filters", "transformer", "outputs")


def load_export_config(
    path: str | os.PathLike[str],
    *,
    host: PluginHost | None = None,
    environ: Mapping[str, str] | None = None,
    collectors_used: bool = True,
) -> ExportConfig:
    """Read and validate a config file (``-`` is standard input); raise :class:`ConfigError`.

    Only regular files are read (never a FIFO or device), at most 4 MiB, as UTF-8.
    With ``collectors_used=False`` (``--snapshot`` replaces them) an unset ``${VAR}`` in
    ``collectors`` is not an error: the run never resolves it.
    """
    text, source = read_config_text(path)
    return parse_export_config(
        text, source=source, host=host, environ=environ, collectors_used=collectors_used
    )


def parse_export_config(
    text: str,
    *,
    source: str = "<config>",
    host: PluginHost | None = None,
    environ: Mapping[str, str] | None = None,
    collectors_used: bool = True,
) -> ExportConfig:
    """Validate config text; ``source`` names it in error messages."""
    try:
        document = load_document(text, source)  # depth and aliases checked as it goes
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = error.problem or error.context or "invalid YAML"
        raise ConfigError(
            [Problem(source, line, column, f"YAML syntax error: {problem}")]
        ) from None
    except YAMLError as error:
        raise ConfigError([Problem(source, None, None, f"YAML error: {error}")]) from None
    loader = _Loader(
        source=source,
        root=document,
        host=host or default_host(),
        environ=os.environ if environ is None else environ,
        collectors_used=collectors_used,
    )
    config = loader.load()
    if loader.problems:
        raise ConfigError(loader.problems)
    return config


def structure_choice(
    item: Mapping[str, Any],
    registry: Registry,
    *,
    host: PluginHost,
    source: str,
    name_source: str | None = None,
    selector: str = "type",
    environ: Mapping[str, str] | None = None,
    where: str = "",
    built: BuiltPlugins | None = None,
) -> PluginChoice:
    """One ``{type: NAME, ...options}`` from outside a file, checked as a config's item is.

    There is no line to point at, so each problem names its option after ``source`` (where
    the values came from, e.g. ``--option max_concurrency: ...``); an unknown NAME is blamed
    on ``name_source`` (e.g. ``--collector``). Raises :class:`ConfigError`. The instance
    built to check it is kept in ``built``, for the run to take.
    """
    loader = _Loader(
        source=source,
        root=item,
        host=host,
        environ=os.environ if environ is None else environ,
        name_source=(selector, name_source or source),
        built=BuiltPlugins() if built is None else built,
    )
    choice = loader.choice((), item, registry, selector, where=where)
    if loader.problems or choice is None:
        raise ConfigError(loader.problems)
    return choice


@attrs.define
class _Loader:
    source: str
    root: Any
    host: PluginHost
    environ: Mapping[str, str]
    # Set for an item from the command line: (selector, what named the plugin); problems
    # then name their option instead of a line.
    name_source: tuple[str, str] | None = None
    collectors_used: bool = True
    # Every plugin instance built to check its options: the run uses these.
    built: BuiltPlugins = attrs.Factory(BuiltPlugins)
    problems: list[Problem] = attrs.Factory(list)
    converter: Any = attrs.field(init=False)
    redactions: list[tuple[str, str]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.converter = make_converter(self.environ)
        self.redactions = env_redactions(self.root, self.environ)

    # -- reporting -----------------------------------------------------------------

    def report(self, path: KeyPath, message: str, *, blame_key: bool = False) -> None:
        for value, reference in self.redactions:  # plugins may echo a value from ${ENV}
            message = message.replace(value, reference)
        if self.name_source is not None:
            selector, name_source = self.name_source
            if path[:1] == (selector,):
                self.problems.append(Problem(name_source, None, None, message))
            else:
                where = f"{self.source} {_dotted(path)}" if path else self.source
                self.problems.append(Problem(where, None, None, message))
            return
        line, column = locate(self.root, path, blame_key=blame_key)
        self.problems.append(Problem(self.source, line, column, message))

    # -- document structure -----------------------------------------------------------

    def load(self) -> ExportConfig:
        root = self.root
        if root is None:
            self.report((), "the file is empty; expected a mapping with a 'pipelines' list")
            return ExportConfig(pipelines=[], source=self.source)
        if not isinstance(root, Mapping):
            self.report((), f"expected a mapping with a 'pipelines' list, got {describe(root)}")
            return ExportConfig(pipelines=[], source=self.source)
        self.unknown_keys((), root, TOP_KEYS, "top-level key")
        pipelines = self.pipelines(root)
        collectors = None
        if "collectors" in root:
            mark = len(self.problems)
            collectors = list(
                self.choices(("collectors",), root["collectors"], self.host.collectors, "type")
            )
            if not self.collectors_used:  # the run replaces them: their ${VAR}s are never read
                self.problems[mark:] = [
                    p for p in self.problems[mark:] if MISSING_VARIABLE not in p.message
                ]
        checks = None
        if root.get("checks") is not None:  # an empty ``checks:`` keeps the defaults
            checks = self.structure(("checks",), ChecksConfig, root["checks"])
        return ExportConfig(
            pipelines=pipelines,
            collectors=collectors,
            source=self.source,
            checks=checks or ChecksConfig(),
            built=self.built,
        )

    def unknown_keys(
        self, path: KeyPath, mapping: Mapping[Any, Any], allowed: tuple[str, ...], word: str
    ) -> None:
        for key in mapping:
            if key not in allowed:
                self.report(
                    (*path, key),
                    f"unknown {word} {key!r}{suggest(key, allowed)} "
                    f"(allowed: {', '.join(allowed)})",
                    blame_key=True,
                )

    def missing(self, path: KeyPath, mapping: Mapping[Any, Any], key: str, hint: str = "") -> None:
        """Report a missing required key, or the misspelling of it the mapping holds instead.

        ``operater: lt`` is blamed at its own line as an unknown key with a did-you-mean,
        which says more than "missing 'operator'" on the line above.
        """
        for written in mapping:
            if isinstance(written, str) and written != key and suggest(written, [key]):
                self.report(
                    (*path, written),
                    f"unknown key {written!r}{suggest(written, [key])}",
                    blame_key=True,
                )
                return
        self.report(path, f"missing required key {key!r}{hint}")

    def expect(self, path: KeyPath, value: Any, kind: type, word: str) -> bool:
        if isinstance(value, kind):
            return True
        self.report(path, f"expected {word}, got {describe(value)}")
        return False

    def pipelines(self, root: Mapping[str, Any]) -> list[PipelineConfig]:
        if "pipelines" not in root:
            self.report((), "missing required key 'pipelines' (a list of pipelines)")
            return []
        items = root["pipelines"]
        if not self.expect(("pipelines",), items, list, "a list of pipelines"):
            return []
        if not items:
            self.report(("pipelines",), "'pipelines' is empty; define at least one pipeline")
        self.unique_names(items)
        pipelines = [self.pipeline(("pipelines", index), item) for index, item in enumerate(items)]
        return [pipeline for pipeline in pipelines if pipeline is not None]

    def unique_names(self, items: list[Any]) -> None:
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            name = item.get("name") if isinstance(item, Mapping) else None
            if not isinstance(name, str):
                continue
            if name in seen:
                self.report(
                    ("pipelines", index, "name"),
                    f"duplicate pipeline name {name!r} (first used by pipeline "
                    f"{seen[name] + 1}); names must be unique",
                )
            seen.setdefault(name, index)

    def pipeline(self, path: KeyPath, item: Any) -> PipelineConfig | None:
        if not self.expect(path, item, Mapping, "a pipeline mapping"):
            return None
        self.unknown_keys(path, item, PIPELINE_KEYS, "pipeline key")
        name = self.scalar(path, item, "name", str, required=True)
        enabled = self.scalar(path, item, "enabled", bool, default=True)
        filters = self.filters((*path, "filters"), item.get("filters", []) or [])
        transformer = None
        if "transformer" not in item:
            self.report(path, "missing required key 'transformer' (e.g. {format: json})")
        else:
            transformer = self.choice(
                (*path, "transformer"), item["transformer"], self.host.transformers, "format"
            )
        outputs: list[PluginChoice] = []
        if "outputs" not in item:
            self.report(path, "missing required key 'outputs' (a list of destinations)")
        elif isinstance(item["outputs"], list) and not item["outputs"]:
            self.report((*path, "outputs"), "'outputs' is empty; add at least one output")
        else:
            outputs = list(
                self.choices((*path, "outputs"), item["outputs"], self.host.sinks, "type")
            )
        if name is not None:
            self.check_targets(path, name, outputs)
        if name is None or transformer is None or not outputs:
            return None
        return PipelineConfig(
            name=name,
            enabled=bool(enabled),
            filters=filters,
            transformer=transformer,
            outputs=outputs,
        )

    def check_targets(self, path: KeyPath, name: str, outputs: list[PluginChoice]) -> None:
        """The name, and every output's file name for it, as the run would make them."""
        problem = pipeline_name_problem(name)
        for choice in outputs if problem is None else []:
            pattern = getattr(choice.options, "filename_pattern", None)
            if isinstance(pattern, str):
                problem = target_problem(pattern, name)
                if problem:
                    problem = f"{choice.where}: {problem}"
                    break
        if problem:
            self.report((*path, "name"), problem)

    def scalar(
        self,
        path: KeyPath,
        mapping: Mapping[str, Any],
        key: str,
        kind: type,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        if key not in mapping:
            if required:
                self.report(path, f"missing required key {key!r}")
            return default
        try:
            value = self.converter.structure(mapping[key], kind)
        except Exception as error:
            for sub_path, message, blame_key in flatten_errors(error, (*path, key)):
                self.report(sub_path, message, blame_key=blame_key)
            return default
        if kind is str and not value:
            self.report((*path, key), f"{key!r} must not be empty")
            return default
        return value

    # -- plugin-backed mappings ----------------------------------------------------------

    def choices(
        self, path: KeyPath, items: Any, registry: Registry, selector: str
    ) -> Iterator[PluginChoice]:
        if not self.expect(path, items, list, "a list"):
            return
        for index, item in enumerate(items):
            choice = self.choice((*path, index), item, registry, selector)
            if choice is not None:
                yield choice

    def choice(
        self, path: KeyPath, item: Any, registry: Registry, selector: str, where: str = ""
    ) -> PluginChoice | None:
        if not self.expect(path, item, Mapping, "a mapping"):
            return None
        if selector not in item:
            names = ", ".join(registry.names())
            self.missing(path, item, selector, f" (one of: {names})")
            return None
        name = item[selector]
        try:
            cls = registry.get(name)
        except ValueError as error:
            self.report((*path, selector), str(error))
            return None
        options = self.options(path, cls, {k: v for k, v in item.items() if k != selector})
        if options is None:
            return None
        choice = PluginChoice(kind=name, cls=cls, options=options, where=where or _dotted(path))
        try:  # built now so an OptionError from __init__ is reported at its line
            instance = choice.build()
        except OptionError as error:
            self.report((*path, error.key) if error.key else path, error.message)
            return None
        except GpuportError:
            raise
        except Exception as error:  # a bug in the plugin: still one located line
            import logging  # only now: `validate` does not import logging otherwise

            logging.getLogger(__name__).debug("%r could not be built", name, exc_info=True)
            self.report(path, f"{name!r} could not be built: {type(error).__name__}: {error}")
            return None
        self.built.keep(choice, instance)
        return choice

    def options(self, path: KeyPath, cls: type[Any], raw: dict[str, Any]) -> Any | None:
        return self.structure(path, cls.Config, raw)

    def structure(self, path: KeyPath, kind: type[Any], raw: Any) -> Any | None:
        try:
            return self.converter.structure(raw, kind)
        except Exception as error:
            for sub_path, message, blame_key in flatten_errors(error, path):
                self.report(sub_path, message, blame_key=blame_key)
            return None

    def filters(self, path: KeyPath, items: Any) -> list[FilterConfig]:
        if not self.expect(path, items, list, "a list of filters"):
            return []
        filters: list[FilterConfig] = []
        for index, item in enumerate(items):
            built = self.filter((*path, index), item)
            if built is not None:
                filters.append(built)
        return filters

    def filter(self, path: KeyPath, item: Any) -> FilterConfig | None:
        if not self.expect(path, item, Mapping, "a filter mapping (field, operator, ...)"):
            return None
        ok = True
        for key in ("field", "operator"):
            if key not in item:
                self.missing(path, item, key)
                ok = False
        if not ok:
            return None
        try:
            field = field_info(resolve_tree(item["field"], self.environ))
        except (ValueError, MissingVariableError) as error:
            self.report((*path, "field"), str(error))
            field = None
        name = item["operator"]
        try:
            cls = self.host.operators.get(name)
        except ValueError as error:
            self.report((*path, "operator"), str(error))
            return None
        raw = {k: v for k, v in item.items() if k not in ("field", "operator")}
        options = self.options(path, cls, raw)
        if options is None or field is None:
            return None
        try:
            test = cls(field, options)
        except OptionError as error:
            self.report((*path, error.key) if error.key else path, error.message)
            return None
        except (ValueError, TypeError) as error:
            self.report(path, f"{name}: {error}")
            return None
        return FilterConfig(field=field.name, operator=name, test=test, options=options)


def env_redactions(document: Any, environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(value, ``${NAME}``) for every variable the document references, longest first.

    Error messages are passed through these, so a value resolved from the environment is
    shown as its reference even when a plugin's message quotes it. Values shorter than
    :data:`MIN_SECRET_LENGTH` are left alone, as the redactor does.
    """
    names: set[str] = set()
    seen: set[int] = set()  # an aliased node is one object: walk it once
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            names.update(references(node))
        elif isinstance(node, Mapping | list) and id(node) not in seen:
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, Mapping) else node)
    pairs = [
        (environ[name], f"${{{name}}}")
        for name in names
        if len(environ.get(name, "")) >= MIN_SECRET_LENGTH
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def locate(root: Any, path: KeyPath, *, blame_key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of ``path`` in a ruamel document: the deepest part that exists."""
    position: tuple[int, int] | None = (0, 0) if root is not None else None
    node = root
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, CommentedMap) and step in node:
            position = node.lc.key(step) if (last and blame_key) else node.lc.value(step)
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            position = node.lc.item(step)
            node = node[step]
        else:
            break
    if position is None:
        return None, None
    return position[0] + 1, position[1] + 1


def _dotted(path: KeyPath) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)[1:]
