"""The plugin's registration, and httpx staying unloaded until a batch is sent."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import click

import gpuport_https.plugin
from gpuport_collectors import PluginHost
from gpuport_https.replay import replay_command
from gpuport_https.sink import HttpsSink


def test_entry_point_registers_the_https_sink():
    (entry_point,) = [
        ep for ep in importlib.metadata.entry_points(group="gpuport") if ep.name == "https"
    ]
    host = PluginHost(entry_points=[entry_point], environ={}).load()

    assert host.sinks.get("https") is HttpsSink
    (report,) = host.reports
    assert report.loaded and report.registered == {"sinks": ["https"]}


def test_register_commands_adds_replay():
    group = click.Group("gpuport-collectors")

    gpuport_https.plugin.gpuport_register_commands(group)

    command = group.commands["replay"]
    assert command.get_short_help_str().startswith("Send again the batches")
    assert command.load() is replay_command  # type: ignore[attr-defined]


def test_httpx_is_not_imported_by_registration_config_loading_or_replay_help(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        import click
        from click.testing import CliRunner
        import gpuport_https.plugin
        from gpuport_collectors import PluginHost
        from gpuport_collectors.config import parse_export_config

        from gpuport_collectors.testing import StubPlugin

        host = PluginHost(entry_points=[], environ={})
        host.add_plugin(gpuport_https.plugin, "https")
        host.add_plugin(StubPlugin(collector=None, transformer="json", sink=None), "json")
        config = parse_export_config(
            "pipelines: [{name: p, transformer: {format: json}, outputs: "
            "[{type: https, url: 'https://h.example.org', headers: {A: '${T}'}}]}]",
            host=host, environ={"T": "x"},
        )
        assert config.pipelines[0].outputs[0].build().config.headers["A"].reveal() == "x"
        group = click.Group("gpuport-collectors")
        host.register_commands(group)
        CliRunner().invoke(group, ["replay", "--help"])
        CliRunner().invoke(group, ["replay", sys.argv[1]])  # an empty directory
        heavy = sorted(name for name in sys.modules if name.split(".")[0] in {"httpx", "httpcore"})
        print(heavy)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"
