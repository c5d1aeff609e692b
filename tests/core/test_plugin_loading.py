"""Loading keeps its promise: one broken plugin costs one warning, every command still works.

Each case is a fake distribution on ``PYTHONPATH`` (a module plus a dist-info with a
``gpuport`` entry point), and the real console script runs in a subprocess, as a user's
shell would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpuport_collectors.plugins import PluginHost, PluginLoadWarning
from gpuport_collectors.testing import StubPlugin

GOOD_SINK = """\
import attrs
from gpuport_collectors.plugin_api import OutputResult, hookimpl


class Sink:
    @attrs.frozen
    class Config:
        pass

    def __init__(self, config): pass
    def describe(self, payload, context): return OutputResult("fine", "x")
    def write(self, payload, context): return OutputResult("fine", "x")
"""

CASES = {
    "import": ("raise RuntimeError('no luck')\n", "RuntimeError: no luck"),
    "registration": (
        GOOD_SINK + "\n@hookimpl\ndef gpuport_register_sinks(register):\n    1 / 0\n",
        "ZeroDivisionError: division by zero",
    ),
    "unprefixed hookimpl (check_pending)": (
        GOOD_SINK + "\n@hookimpl\ndef register_sinks(register):\n    register('fine', Sink)\n",
        "unknown hook register_sinks; did you mean 'gpuport_register_sinks'?",
    ),
    "misspelled hook": (
        GOOD_SINK + "\n@hookimpl\ndef gpuport_register_sink(register):\n    pass\n",
        "unknown hook gpuport_register_sink; did you mean 'gpuport_register_sinks'?",
    ),
    "bad hookimpl signature": (
        GOOD_SINK + "\n@hookimpl\ndef gpuport_register_sinks(reg):\n    reg('fine', Sink)\n",
        "PluginValidationError",
    ),
    "registers a non-class": (
        GOOD_SINK + "\n@hookimpl\ndef gpuport_register_sinks(register):\n"
        "    register('fine', object())\n",
        "registered output type 'fine' as a non-class",
    ),
    "commands hook raises": (
        "from gpuport_collectors.plugin_api import hookimpl\n\n"
        "@hookimpl\ndef gpuport_register_commands(cli):\n    raise RuntimeError('no cli')\n",
        "RuntimeError: no cli",
    ),
}

CONFIG = """\
pipelines:
  - name: p
    transformer: {format: json}
    outputs: [{type: local, path: out}]
"""


def install(root: Path, source: str) -> dict[str, str]:
    """A fake distribution ``gp-broken 0.3`` with entry point ``broken``; the env to see it."""
    (root / "gp_broken_mod.py").write_text(source)
    info = root / "gp_broken-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gp-broken\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text("[gpuport]\nbroken = gp_broken_mod\n")
    env = {k: v for k, v in os.environ.items() if k != "GPUPORT_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["COLUMNS"] = "200"
    return env


def cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = "from gpuport_collectors.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_plugin_costs_one_warning_and_every_command_works(
    case: str, tmp_path: Path
) -> None:
    source, reason = CASES[case]
    env = install(tmp_path, source)
    (tmp_path / "export.yaml").write_text(CONFIG)
    prefix = "warning: plugin 'broken' from gp-broken 0.3 failed to load and is skipped: "
    for args in (["--help"], ["plugins"], ["validate", "--config", "export.yaml"]):
        result = cli(env, tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        warnings = [line for line in result.stderr.splitlines() if "broken" in line]
        if args == ["--help"] and case in ("registration", "registers a non-class"):
            assert warnings == [], result.stderr  # --help runs no registration hook
            continue
        assert len(warnings) == 1, (args, result.stderr)
        assert warnings[0].startswith(prefix) and reason in warnings[0], warnings[0]
    assert "validate" in cli(env, tmp_path, "--help").stdout


def test_the_broken_plugin_is_reported_not_loaded(tmp_path: Path) -> None:
    env = install(tmp_path, CASES["unprefixed hookimpl (check_pending)"][0])
    result = cli(env, tmp_path, "plugins")
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("broken")]
    assert line.startswith("broken (gp-broken 0.3): NOT LOADED: unknown hook register_sinks")


class SinkPlugin(StubPlugin):
    """A plugin object registering one sink (the kit's stub), for the host-level order tests."""

    def __init__(self, name: str) -> None:
        super().__init__(collector=None, transformer=None, sink=name)


def test_add_plugin_before_load_keeps_entry_point_discovery() -> None:
    host = PluginHost(environ={})
    host.add_plugin(SinkPlugin("mine"), "mine")
    host.load()
    assert {"mine", "local", "s3", "https"} <= set(host.sinks.names())


def test_add_plugin_after_load_registers_at_once() -> None:
    host = PluginHost(environ={}).load()
    report = host.add_plugin(SinkPlugin("mine"), "mine")
    assert report.loaded
    assert "mine" in host.sinks and "local" in host.sinks


def test_discover_runs_no_registration_hook_until_a_registry_is_used() -> None:
    calls: list[str] = []

    class Counting(SinkPlugin):
        from gpuport_collectors.plugin_api import hookimpl as _hookimpl

        @_hookimpl
        def gpuport_register_sinks(self, register: object) -> None:
            calls.append("sinks")
            super().gpuport_register_sinks(register)

    host = PluginHost(entry_points=(), environ={}).discover()
    host.pm.register(Counting("c"), name="c")  # as discover() would for an entry point
    assert calls == []
    host.add_plugin(Counting("d"), "d")
    assert calls == ["sinks"]
    assert host.sinks.names() == ["d"]


def test_a_stray_hookimpl_does_not_break_the_other_plugins() -> None:
    class Stray:
        from gpuport_collectors.plugin_api import hookimpl as _hookimpl

        @_hookimpl
        def register_sinks(self, register: object) -> None:
            pass

    host = PluginHost(entry_points=(), environ={})
    with pytest.warns(PluginLoadWarning, match="unknown hook register_sinks"):
        host.add_plugin(Stray(), "stray")
    host.add_plugin(SinkPlugin("mine"), "mine")
    host.pm.check_pending()  # nothing stray is left registered
    assert host.sinks.names() == ["mine"]
    assert [r.loaded for r in host.reports] == [False, True]


LATE_PLUGIN = """\
from gpuport_collectors.plugin_api import hookimpl


@hookimpl
def gpuport_register_sinks(register):
    register("late", "gp_broken_impl:Sink")
"""


def test_a_class_registered_by_reference_is_imported_only_when_a_config_uses_it(
    tmp_path: Path,
) -> None:
    env = install(tmp_path, LATE_PLUGIN)
    (tmp_path / "gp_broken_impl.py").write_text("raise RuntimeError('impl broken')\n")
    (tmp_path / "export.yaml").write_text(CONFIG)
    (tmp_path / "late.yaml").write_text(CONFIG.replace("type: local, path: out", "type: late"))
    warning = (
        "warning: plugin 'broken' from gp-broken 0.3 failed to load and is skipped: "
        "RuntimeError: impl broken"
    )

    for args in (["--help"], ["validate", "--config", "export.yaml"]):
        result = cli(env, tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "broken" not in result.stderr, (args, result.stderr)

    listed = cli(env, tmp_path, "plugins")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert [line for line in listed.stderr.splitlines() if "broken" in line] == [warning]
    (line,) = [line for line in listed.stdout.splitlines() if line.startswith("broken")]
    assert line == "broken (gp-broken 0.3): NOT LOADED: RuntimeError: impl broken"

    used = cli(env, tmp_path, "validate", "--config", "late.yaml")
    assert used.returncode == 2 and "Traceback" not in used.stderr
    assert used.stderr.splitlines() == [
        warning,
        "late.yaml:4:22: output type 'late' comes from plugin 'broken' from gp-broken 0.3, "
        "which failed to load: RuntimeError: impl broken",
    ]


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("gp_broken_mod", "a reference must look like 'package.module:ClassName'"),
        ("gp_broken_mod:Nothing", "AttributeError"),
        ("gp_broken_mod:NOT_A_CLASS", "gp_broken_mod:NOT_A_CLASS is not a class"),
        ("gp_broken_mod:NoWrite", "registered output type 'late', but NoWrite has no write()"),
    ],
)
def test_a_bad_reference_fails_its_plugin_with_one_warning(reference: str, reason: str) -> None:
    import types

    module = types.ModuleType("gp_broken_mod")
    module.NOT_A_CLASS = 3  # type: ignore[attr-defined]
    module.NoWrite = type("NoWrite", (), {})  # type: ignore[attr-defined]
    sys.modules["gp_broken_mod"] = module

    class Late:
        from gpuport_collectors.plugin_api import hookimpl as _hookimpl

        @_hookimpl
        def gpuport_register_sinks(self, register: object) -> None:
            register("late", reference)  # type: ignore[operator]

    host = PluginHost(entry_points=(), environ={})
    try:
        with pytest.warns(PluginLoadWarning, match="plugin 'late' failed to load") as caught:
            host.add_plugin(Late(), "late")
            host.add_plugin(SinkPlugin("mine"), "mine")
            with pytest.raises(ValueError, match="comes from plugin 'late', which failed"):
                host.sinks.get("late")
    finally:
        del sys.modules["gp_broken_mod"]
    assert len(caught) == 1 and reason in str(caught[0].message)
    assert host.sinks.names() == ["mine"]
    assert host.sinks.get("mine").__name__ == "StubSink"
