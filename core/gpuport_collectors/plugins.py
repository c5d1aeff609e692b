"""The plugin host: finds ``gpuport`` entry points, loads each in isolation, keeps registries.

Loading is an explicit, idempotent call (:meth:`PluginHost.load`); importing this module
loads nothing. A plugin that fails anywhere (import, an unknown or mis-declared hookimpl,
its registration hook, what it registers) costs one warning and is kept in
:attr:`PluginHost.reports`, so using what it would have provided is a clear error. Two
plugins claiming one name is an error naming both.
``GPUPORT_DISABLE_PLUGINS=a,b`` skips entry points by name.
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import click
import pluggy

from . import entrypoints, hookspecs
from .errors import PluginError
from .importing import load_reference
from .words import suggest

ENTRY_POINT_GROUP = "gpuport"
DISABLE_ENV = "GPUPORT_DISABLE_PLUGINS"

#: registry kind -> (hook name, config word users write, required protocol method)
KINDS: dict[str, tuple[str, str, str]] = {
    "collectors": ("gpuport_register_collectors", "collector type", "fetch_instances"),
    "operators": ("gpuport_register_operators", "operator", "__call__"),
    "transformers": ("gpuport_register_transformers", "format", "transform"),
    "sinks": ("gpuport_register_sinks", "output type", "write"),
}


class EntryPointLike(Protocol):
    """What discovery reads of an entry point (importlib.metadata's or :mod:`.entrypoints`')."""

    name: str

    def load(self) -> Any: ...


class PluginLoadWarning(UserWarning):
    """A plugin failed to load; the rest of gpuport works without it."""


class PluginReport:
    """One plugin (usually one entry point): what it registered or why it did not load.

    A plain class, not attrs: the CLI imports this module on every start (and every TAB).
    """

    def __init__(self, name: str, distribution: str | None, version: str | None) -> None:
        self.name = name
        self.distribution = distribution
        self.version = version
        self.loaded = False
        self.disabled = False
        self.error: str | None = None
        self.registered: dict[str, list[str]] = {}

    def __repr__(self) -> str:
        return f"PluginReport({self.as_dict()!r})"

    @property
    def origin(self) -> str:
        if self.distribution:
            return f"plugin {self.name!r} from {self.distribution} {self.version or ''}".rstrip()
        return f"plugin {self.name!r}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "loaded": self.loaded,
            "disabled": self.disabled,
            "error": self.error,
            "registers": {kind: names for kind, names in self.registered.items() if names},
        }


class Registration:
    """A registered name and its class, or the ``"module:Class"`` it is imported from."""

    __slots__ = ("name", "plugin", "target")

    def __init__(self, name: str, target: type[Any] | str, plugin: PluginReport) -> None:
        self.name = name
        self.target = target
        self.plugin = plugin


class Registry:
    """Names to classes for one kind (collectors, operators, transformers or sinks).

    A plugin may register a class or a ``"module:Class"`` reference; a reference is
    imported (and checked) when its name is first used, so a command pays only for the
    plugins its config names.
    """

    def __init__(self, kind: str, host: PluginHost) -> None:
        self.kind = kind
        self.word = KINDS[kind][1]
        self._host = host
        self._entries: dict[str, Registration] = {}

    @property
    def _filled(self) -> dict[str, Registration]:
        self._host.fill()  # registration hooks run when a registry is first used
        return {name: entry for name, entry in self._entries.items() if entry.plugin.loaded}

    def __contains__(self, name: object) -> bool:
        return name in self._filled

    def __iter__(self) -> Any:
        return iter(sorted(self._filled))

    def names(self) -> list[str]:
        return sorted(self._filled)

    def get(self, name: str) -> type[Any]:
        """The class registered as ``name``; ``ValueError`` with a helpful message if none.

        A reference is imported here; if that fails, its plugin fails (one warning) and
        the message says so.
        """
        entry = self._filled.get(name)
        if entry is None:
            raise ValueError(self.unknown_message(name))
        if isinstance(entry.target, str):
            try:
                cls = _import_target(entry.target)
                self.check(name, cls)
            except Exception as error:
                reason = str(error) if isinstance(error, PluginError) else None
                self._host.fail(entry.plugin, reason or f"{type(error).__name__}: {error}")
                raise ValueError(self.unknown_message(name)) from None
            entry.target = cls
        return entry.target

    def unknown_message(self, name: object) -> str:
        failed = [r for r in self._host.reports if not r.loaded]
        for report in failed:
            if report.name == name or name in report.registered.get(self.kind, ()):
                why = (
                    "is disabled by " + DISABLE_ENV
                    if report.disabled
                    else (f"failed to load: {report.error}")
                )
                return f"{self.word} {name!r} comes from {report.origin}, which {why}"
        available = self.names()
        message = f"unknown {self.word} {name!r}{suggest(name, available)}"
        if available:
            message += f" (available: {', '.join(available)})"
        broken = [r.name for r in failed if not r.disabled]
        if broken:
            message += f"; plugins that failed to load: {', '.join(broken)}"
        return message

    def check(self, name: str, cls: type[Any] | str) -> None:
        """Raise ``PluginError`` unless ``cls`` may be registered as ``name``.

        A reference (``"module:Class"``) is checked for its form here and for the class
        when it is imported. A clash with another plugin's name is raised by :meth:`add`,
        as an error of the whole run: it names both plugins, and guessing which one is
        meant would be wrong.
        """
        if not isinstance(name, str) or not name:
            raise PluginError(f"registered a {self.word} with no valid name")
        if isinstance(cls, str):
            module, colon, attribute = cls.partition(":")
            if not (module and colon and attribute):
                raise PluginError(
                    f"registered {self.word} {name!r} as {cls!r}; a reference must look "
                    "like 'package.module:ClassName'"
                )
            return
        if not isinstance(cls, type):
            raise PluginError(f"registered {self.word} {name!r} as a non-class")
        method = KINDS[self.kind][2]
        if not callable(getattr(cls, method, None)):
            raise PluginError(
                f"registered {self.word} {name!r}, but {cls.__qualname__} has no {method}()"
            )
        import attrs  # only when something registers, never for --help

        if not attrs.has(getattr(cls, "Config", None) or object):
            raise PluginError(
                f"registered {self.word} {name!r}, but "
                f"{cls.__qualname__}.Config is not an attrs class"
            )

    def add(self, name: str, cls: type[Any] | str, plugin: PluginReport) -> None:
        """Record a checked class; ``PluginError`` naming both plugins if ``name`` is taken."""
        existing = self._entries.get(name)
        if existing is not None:
            raise PluginError(
                f"{self.word} {name!r} is registered twice: by {existing.plugin.origin} "
                f"and by {plugin.origin}"
            )
        self._entries[name] = Registration(name, cls, plugin)
        plugin.registered.setdefault(self.kind, []).append(name)

    def resolve_all(self) -> None:
        """Import every reference now, so each broken one shows (``plugins`` reports it)."""
        for name in self.names():
            # a failure is already a warning and in its plugin's report
            with contextlib.suppress(ValueError):
                self.get(name)


def _import_target(target: str) -> type[Any]:
    loaded = load_reference(target)
    if not isinstance(loaded, type):
        raise PluginError(f"{target} is not a class")
    return loaded


def disabled_names(environ: Mapping[str, str]) -> set[str]:
    raw = environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


class PluginHost:
    """Discovers plugins and holds what they registered.

    Two steps, each run once and each isolating one plugin from the others:
    :meth:`discover` imports the entry points and checks their hookimpls (what
    ``--help`` needs: plugin commands); the ``gpuport_register_*`` hooks run when a registry
    is first used, or at once with :meth:`load`. :meth:`add_plugin` works before or after
    either.

    >>> host = PluginHost(); host.load(); host.transformers.names()   # doctest: +SKIP
    ['csv', 'json', 'metrics']
    """

    def __init__(
        self,
        entry_points: Iterable[EntryPointLike] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._entry_points = entry_points
        self._environ = os.environ if environ is None else environ
        self.pm = pluggy.PluginManager("gpuport")
        self.pm.add_hookspecs(hookspecs)
        self._reports: list[PluginReport] = []
        self.collectors = Registry("collectors", self)
        self.operators = Registry("operators", self)
        self.transformers = Registry("transformers", self)
        self.sinks = Registry("sinks", self)
        self._discovered = False
        self._unregistered: list[tuple[object, PluginReport]] = []
        self._filling = False

    @property
    def reports(self) -> list[PluginReport]:
        """One report per plugin, in load order, with what each registered."""
        self.fill()
        return self._reports

    def registry(self, kind: str) -> Registry:
        registry: Registry = getattr(self, kind)
        return registry

    def discover(self) -> PluginHost:
        """Import every entry point once and check its hookimpls; registers no class yet."""
        if self._discovered:
            return self
        self._discovered = True
        entry_points = self._entry_points
        if entry_points is None:
            entry_points = entrypoints.entry_points(ENTRY_POINT_GROUP)
        skip = disabled_names(self._environ)
        for entry_point in sorted(entry_points, key=lambda ep: ep.name):
            dist = getattr(entry_point, "dist", None)
            report = PluginReport(
                name=entry_point.name,
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
            )
            self._reports.append(report)
            if entry_point.name in skip:
                report.disabled = True
                continue
            try:
                module = entry_point.load()
            except Exception as error:  # a broken plugin must not break gpuport
                self.fail(report, f"{type(error).__name__}: {error}")
                continue
            self._attach(module, report)
        unknown = sorted(skip - {report.name for report in self._reports})
        if unknown:  # a typo would otherwise leave the plugin silently enabled
            names = [report.name for report in self._reports]
            hints = "".join(suggest(name, names) for name in unknown[:1])
            warnings.warn(
                f"{DISABLE_ENV} names no plugin: {', '.join(unknown)}{hints} "
                f"(plugins: {', '.join(names)})",
                PluginLoadWarning,
                stacklevel=2,
            )
        return self

    def load(self) -> PluginHost:
        """Discover every entry point and run its registration hooks. Further calls do nothing."""
        self.discover()
        self.fill()
        return self

    def resolve_all(self) -> PluginHost:
        """Import every class registered by reference, so each broken plugin shows now."""
        for kind in KINDS:
            self.registry(kind).resolve_all()
        return self

    def add_plugin(self, plugin: object, name: str) -> PluginReport:
        """Register a module or object directly, e.g. from tests or a Python API user."""
        report = PluginReport(name=name, distribution=None, version=None)
        self._reports.append(report)
        self._attach(plugin, report)
        self.fill()
        return report

    def fill(self) -> None:
        """Run the registration hooks of every plugin attached since the last call."""
        if self._filling:
            return
        self._filling = True
        try:
            while self._unregistered:
                plugin, report = self._unregistered.pop(0)
                self._register(plugin, report)
        finally:
            self._filling = False

    def _attach(self, plugin: object, report: PluginReport) -> None:
        """Register ``plugin`` with pluggy, then refuse it if it implements an unknown hook.

        Checked per plugin, so one plugin's stray ``@hookimpl def register_sinks`` costs that
        plugin, not every command (pluggy's ``check_pending`` would fail them all).
        """
        try:
            names = dir(plugin)
        except Exception as error:
            self.fail(report, f"{type(error).__name__}: {error}")
            return
        # a gpuport_* name that is no hook is a misspelling, marked as a hookimpl or not
        unknown = [n for n in names if n.startswith("gpuport_") and not hasattr(hookspecs, n)]
        if not unknown:
            try:
                self.pm.register(plugin, name=report.name)
            except Exception as error:  # e.g. a hookimpl whose arguments the spec lacks
                self.fail(report, f"{type(error).__name__}: {error}")
                return
            callers = self.pm.get_hookcallers(plugin) or []
            unknown = sorted(caller.name for caller in callers if caller.spec is None)
            if unknown:
                self.pm.unregister(plugin)
        if unknown:
            name = unknown[0]
            self.fail(report, f"unknown hook {name}{suggest(name, _hook_names())}")
            return
        self._unregistered.append((plugin, report))

    def _register(self, plugin: object, report: PluginReport) -> None:
        staged: list[tuple[Registry, str, type[Any] | str]] = []
        try:
            for kind, (hook_name, _word, _method) in KINDS.items():
                registry = self.registry(kind)
                for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                    if impl.plugin is plugin:
                        impl.function(register=_collector(staged, registry))
            for registry, name, cls in staged:
                registry.check(name, cls)
        except Exception as error:
            self.pm.unregister(plugin)
            message = str(error) if isinstance(error, PluginError) else None
            self.fail(report, message or f"{type(error).__name__}: {error}")
            return
        for registry, name, cls in staged:
            registry.add(name, cls, report)
        report.loaded = True

    def fail(self, report: PluginReport, error: str) -> None:
        """Mark ``report``'s plugin as failed (what it registered is gone) with one warning."""
        report.loaded = False
        report.error = error
        warnings.warn(
            f"{report.origin} failed to load and is skipped: {error}",
            PluginLoadWarning,
            stacklevel=3,
        )

    def packages(self) -> list[str]:
        """Top-level package names of the registered plugins (their loggers' roots)."""
        names = {
            getattr(plugin, "__name__", None) or type(plugin).__module__
            for plugin in self.pm.get_plugins()
        }
        return sorted({name.split(".")[0] for name in names})

    def register_commands(self, cli: click.Group) -> None:
        """Let each plugin add its commands to ``cli``; one that raises adds none, and fails."""
        for impl in self.pm.hook.gpuport_register_commands.get_hookimpls():
            staging = click.Group(cli.name)
            try:
                impl.function(cli=staging)
            except Exception as error:
                report = next(r for r in self._reports if r.name == impl.plugin_name)
                self._unregistered = [p for p in self._unregistered if p[0] is not impl.plugin]
                self.pm.unregister(impl.plugin)
                self.fail(report, f"{type(error).__name__}: {error}")
                continue
            for name, command in staging.commands.items():
                cli.add_command(command, name)


def _hook_names() -> list[str]:
    return [name for name in dir(hookspecs) if name.startswith("gpuport_")]


def _collector(
    staged: list[tuple[Registry, str, type[Any] | str]], registry: Registry
) -> Callable[[str, type[Any] | str], None]:
    def register(name: str, cls: type[Any] | str) -> None:
        staged.append((registry, name, cls))

    return register


@functools.cache
def default_host() -> PluginHost:
    """The process-wide host over installed entry points, discovered on first use.

    Its registries fill when first used, so ``--help`` never runs a registration hook.
    """
    return PluginHost().discover()
