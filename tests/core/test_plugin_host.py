"""The plugin host against real distributions installed on sys.path (dist-info + modules)."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError, PluginError
from gpuport_collectors.plugins import PluginHost, PluginLoadWarning

SINK_MODULE = """\
import attrs
from gpuport_collectors import hookimpl
from gpuport_collectors.protocols import OutputResult

class {cls}:
    @attrs.frozen
    class Config:
        pass
    def __init__(self, config): pass
    def describe(self, payload, context): return OutputResult("{name}", "x")
    def write(self, payload, context): return OutputResult("{name}", "x")

@hookimpl
def gpuport_register_sinks(register):
    register("{name}", {cls})
"""

Install = Callable[..., None]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    """Install a fake distribution ``dist`` exposing ``module`` as entry point ``entry``."""
    created: list[str] = []

    def make(dist: str, entry: str, module: str, source: str, version: str = "1.0") -> None:
        # One sys.path entry per distribution: importlib.metadata caches listings by mtime.
        root = tmp_path / dist
        root.mkdir()
        (root / f"{module}.py").write_text(source)
        info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[gpuport]\n{entry} = {module}\n")
        monkeypatch.syspath_prepend(str(root))
        created.append(module)

    yield make  # type: ignore[misc]
    for module in created:
        sys.modules.pop(module, None)


def fake_entry_points(*dists: str) -> list[importlib.metadata.EntryPoint]:
    return [
        ep
        for ep in importlib.metadata.entry_points(group="gpuport")
        if ep.dist is not None and ep.dist.name in dists
    ]


def host_for(*dists: str, environ: dict[str, str] | None = None) -> PluginHost:
    return PluginHost(entry_points=fake_entry_points(*dists), environ=environ or {})


def test_plugin_is_found_with_its_distribution(install: Install) -> None:
    install("gp-good", "good", "gp_good_mod", SINK_MODULE.format(cls="Good", name="good"), "2.3")
    host = host_for("gp-good").load()
    assert host.sinks.names() == ["good"]
    [report] = host.reports
    assert report.as_dict() == {
        "name": "good",
        "distribution": "gp-good",
        "version": "2.3",
        "loaded": True,
        "disabled": False,
        "error": None,
        "registers": {"sinks": ["good"]},
    }


def test_broken_plugin_costs_one_warning_and_the_rest_works(install: Install) -> None:
    install("gp-good", "good", "gp_good_mod", SINK_MODULE.format(cls="Good", name="good"))
    install("gp-broken", "broken", "gp_broken_mod", "raise RuntimeError('no luck')\n", "0.1")
    with pytest.warns(PluginLoadWarning) as caught:
        host = host_for("gp-good", "gp-broken").load()
    assert [str(w.message) for w in caught] == [
        "plugin 'broken' from gp-broken 0.1 failed to load and is skipped: RuntimeError: no luck"
    ]
    assert host.sinks.names() == ["good"]
    text = "pipelines:\n  - name: p\n    transformer: {format: x}\n    outputs: [{type: broken}]\n"
    with pytest.raises(ConfigError) as error:
        parse_export_config(text, source="c.yaml", host=host)
    assert (
        "c.yaml:4:22: output type 'broken' comes from plugin 'broken' from gp-broken 0.1, "
        "which failed to load: RuntimeError: no luck"
    ) in str(error.value)


def test_two_plugins_claiming_one_name_is_an_error_naming_both(install: Install) -> None:
    install("gp-one", "one", "gp_one_mod", SINK_MODULE.format(cls="A", name="shared"), "1.0")
    install("gp-two", "two", "gp_two_mod", SINK_MODULE.format(cls="B", name="shared"), "2.0")
    with pytest.raises(PluginError) as caught:
        host_for("gp-one", "gp-two").load()
    assert str(caught.value) == (
        "output type 'shared' is registered twice: by plugin 'one' from gp-one 1.0 "
        "and by plugin 'two' from gp-two 2.0"
    )


def test_disable_env_skips_by_name(install: Install) -> None:
    install("gp-one", "one", "gp_one_mod", SINK_MODULE.format(cls="A", name="alpha"))
    install("gp-two", "two", "gp_two_mod", SINK_MODULE.format(cls="B", name="beta"))
    host = host_for("gp-one", "gp-two", environ={"GPUPORT_DISABLE_PLUGINS": " two, nothere"})
    with pytest.warns(PluginLoadWarning, match="names no plugin: nothere") as caught:
        host.load()
    assert len(caught) == 1  # the unknown name is one warning; a disabled plugin is none
    assert host.sinks.names() == ["alpha"]
    assert "gp_two_mod" not in sys.modules  # skipped before import
    with pytest.raises(ValueError, match="which is disabled by GPUPORT_DISABLE_PLUGINS"):
        host.sinks.get("two")


def test_misspelled_hook_is_a_load_failure_with_a_suggestion(install: Install) -> None:
    source = SINK_MODULE.format(cls="A", name="a").replace(
        "def gpuport_register_sinks", "def gpuport_register_sink"
    )
    install("gp-typo", "typo", "gp_typo_mod", source)
    with pytest.warns(
        PluginLoadWarning,
        match="unknown hook gpuport_register_sink; did you mean 'gpuport_register_sinks'",
    ):
        host = host_for("gp-typo").load()
    assert host.sinks.names() == []


@pytest.mark.parametrize(
    ("registration", "message"),
    [
        ('register("x", object())', "registered output type 'x' as a non-class"),
        ('register("", A)', "registered a output type with no valid name"),
        ("class N: pass\n    register('n', N)", re.escape("N has no write()")),
    ],
)
def test_register_checks_what_it_is_given(
    install: Install, registration: str, message: str
) -> None:
    source = dedent(
        """\
        from gpuport_collectors import hookimpl
        class A:
            Config = None
            def write(self): pass

        @hookimpl
        def gpuport_register_sinks(register):
            {registration}
        """
    ).format(registration=registration)
    install("gp-bad", "bad", "gp_bad_mod", source)
    with pytest.warns(PluginLoadWarning, match="plugin 'bad' from gp-bad 1.0 .*" + message):
        host = host_for("gp-bad").load()
    assert host.sinks.names() == []
    assert not host.reports[0].loaded


def test_load_is_idempotent(install: Install) -> None:
    install("gp-good", "good", "gp_good_mod", SINK_MODULE.format(cls="Good", name="good"))
    host = host_for("gp-good")
    assert host.load() is host.load()
    assert len(host.reports) == 1
    assert host.sinks.names() == ["good"]
