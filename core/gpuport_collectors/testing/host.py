"""Fresh plugin hosts for tests: installed plugins, in-test plugin objects, or both."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Mapping
from typing import Any

from ..plugins import ENTRY_POINT_GROUP, PluginHost, PluginReport
from .capture import CapturePlugin

#: The name the ``capture`` sink's plugin is registered under on a test host.
CAPTURE_PLUGIN_NAME = "gpuport-testing-capture"


def make_host(
    *plugins: object,
    installed: bool = True,
    capture: bool = True,
    environ: Mapping[str, str] | None = None,
) -> PluginHost:
    """A new, loaded :class:`PluginHost`, independent of the process-wide one.

    :param plugins: modules or objects with ``@hookimpl`` functions, registered after the
        installed plugins under their ``__name__`` (or class name).
    :param installed: load the ``gpuport`` entry points installed in this environment
        (the built-ins and any third-party plugin); ``False`` starts empty.
    :param capture: register the in-memory ``capture`` sink (see :func:`capture_of`).
    :param environ: the environment read for ``GPUPORT_DISABLE_PLUGINS``.
    """
    entry_points: Iterable[importlib.metadata.EntryPoint] | None = None
    if not installed:
        entry_points = ()
    host = PluginHost(entry_points=entry_points, environ=environ).load()
    if capture:
        host.add_plugin(CapturePlugin(), CAPTURE_PLUGIN_NAME)
    for plugin in plugins:
        add_plugin_once(host, plugin)
    return host


def add_plugin_once(host: PluginHost, plugin: object, name: str | None = None) -> PluginReport:
    """Register ``plugin`` on ``host`` unless it is already there, e.g. loaded through its
    entry point because its package is installed; either way return its report.

    So a plugin's tests can say ``register_plugin(mypackage.plugin)`` whether or not the
    package is installed in the environment running them.
    """
    if host.pm.is_registered(plugin):
        registered_as = host.pm.get_name(plugin)
        for report in host.reports:
            if report.name == registered_as:
                return report
    return host.add_plugin(plugin, name or plugin_name(plugin))


def plugin_name(plugin: object) -> str:
    """The name an in-test plugin is reported under: its module or class name."""
    name: Any = getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__name__


def capture_of(host: PluginHost) -> CapturePlugin | None:
    """The ``capture`` plugin registered on ``host`` by :func:`make_host`, if any."""
    plugin = host.pm.get_plugin(CAPTURE_PLUGIN_NAME)
    return plugin if isinstance(plugin, CapturePlugin) else None


def installed_entry_points() -> list[importlib.metadata.EntryPoint]:
    """The ``gpuport`` entry points of this environment, sorted by name."""
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
