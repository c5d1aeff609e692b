"""Registration, config structuring and the cheap-import rule."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import pytest

from gpuport_collectors.converter import flatten_errors, make_converter
from gpuport_collectors.errors import OptionError
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.secrets import Secret
from gpuport_runpod.collector import RunPodCollector
from gpuport_runpod.config import RunPodConfig


def test_entry_point_registers_the_runpod_collector() -> None:
    (entry_point,) = [
        ep for ep in importlib.metadata.entry_points(group="gpuport") if ep.name == "runpod"
    ]
    host = PluginHost(entry_points=[entry_point], environ={}).load()
    assert host.collectors.get("runpod") is RunPodCollector
    assert host.reports[0].registered == {"collectors": ["runpod"]}


def test_importing_the_plugin_does_not_import_httpx() -> None:
    code = textwrap.dedent(
        """
        import sys
        import gpuport_runpod.plugin, gpuport_runpod.collector, gpuport_runpod.client
        import gpuport_runpod.mapping, gpuport_runpod.queries, gpuport_runpod.config
        from gpuport_collectors.collectors.runpod import RunPodCollector
        RunPodCollector(None)
        print(sorted(m for m in sys.modules if m.split(".")[0] in {"httpx", "httpcore"}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_options_structure_from_config_values() -> None:
    converter = make_converter({"RP_KEY": "from-env"})
    config = converter.structure(
        {
            "api_key": "${RP_KEY}",
            "api_url": "http://127.0.0.1:9/graphql",
            "expand_gpu_counts": False,
            "max_concurrency": 5,
            "timeout": 12,
            "retry_initial": 0.1,
        },
        RunPodConfig,
    )
    assert config.api_key == Secret(template="${RP_KEY}", value="from-env")
    assert config.expand_gpu_counts is False
    assert (config.max_concurrency, config.timeout, config.max_retries) == (5, 12.0, 4)
    assert config.retry_policy().initial == 0.1


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"max_concurrency": 0}, "max_concurrency", "at least 1"),
        ({"timeout": 0}, "timeout", "positive"),
        ({"max_retries": -1}, "max_retries", "0 or more"),
        ({"retry_max_delay": -1}, "retry_max_delay", "0 or more"),
        ({"api_url": "api.runpod.io/graphql"}, "api_url", "http:// or https://"),
    ],
)
def test_bad_options_blame_their_key(options: dict[str, object], key: str, message: str) -> None:
    with pytest.raises(OptionError) as caught:
        RunPodConfig(**options)  # type: ignore[arg-type]
    assert caught.value.key == key
    assert message in caught.value.message
    # and through the config loader's converter, located at the key
    with pytest.raises(Exception) as structured:
        make_converter({}).structure(options, RunPodConfig)
    ((path, text, _),) = list(flatten_errors(structured.value))
    assert path == (key,)
    assert message in text


def test_unknown_option_is_rejected() -> None:
    with pytest.raises(Exception) as caught:
        make_converter({}).structure({"expand_gpu_count": True}, RunPodConfig)
    ((path, text, _),) = list(flatten_errors(caught.value))
    assert path == ("expand_gpu_count",)
    assert "did you mean 'expand_gpu_counts'" in text
