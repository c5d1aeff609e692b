"""gpuhunt collector options as a user writes them: located errors with a did-you-mean."""

from __future__ import annotations

from textwrap import dedent

import pytest

from gpuport_collectors.config import parse_export_config
from gpuport_collectors.errors import ConfigError
from gpuport_collectors.plugins import default_host
from gpuport_gpuhunt.config import GpuhuntConfig
from gpuport_gpuhunt.providers import DEFAULT_PROVIDERS

PIPELINE = """\
pipelines:
  - name: p
    transformer: {format: json}
    outputs: [{type: local, path: out}]
"""


def errors(collector_yaml: str) -> list[str]:
    text = "collectors:\n" + collector_yaml + PIPELINE
    with pytest.raises(ConfigError) as info:
        parse_export_config(text, source="c.yaml", host=default_host())
    return [str(problem) for problem in info.value.problems]


def test_defaults_leave_runpod_to_its_own_collector() -> None:
    config = GpuhuntConfig()
    assert config.providers == list(DEFAULT_PROVIDERS)
    assert "runpod" not in config.providers and "aws" in config.providers
    assert (config.catalog_url, config.catalog_dir, config.include_cpu_only) == (None, None, False)


def test_a_full_collector_entry_loads() -> None:
    text = dedent(
        """\
        collectors:
          - type: runpod
          - type: gpuhunt
            providers: [aws, azure, gcp, lambdalabs, vastai, RunPod]
            catalog_url: null
            catalog_dir: null
            include_cpu_only: false
        """
    )
    config = parse_export_config(text + PIPELINE, host=default_host())
    assert config.collectors is not None
    options = config.collectors[1].options
    assert options.provider_names == ["aws", "azure", "gcp", "lambdalabs", "vastai", "runpod"]


def test_unknown_provider_is_located_with_a_suggestion() -> None:
    [message] = errors("  - type: gpuhunt\n    providers: [aws, lamdalabs]\n")
    assert message.startswith(
        "c.yaml:3:16: providers[1]: unknown provider 'lamdalabs'; did you mean 'lambdalabs'? "
        "(providers: aws, azure, verda, gcp, "
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("providers: []", "c.yaml:3:16: providers is empty; name at least one gpuhunt provider"),
        ("providers: [aws, AWS]", "c.yaml:3:16: providers[1]: 'AWS' is listed twice"),
        ("providers: aws", "c.yaml:3:16: expected a list, got text"),
        (
            "{catalog_url: 'http://h', catalog_dir: d}",
            "c.yaml:2:59: give catalog_url or catalog_dir, not both",
        ),
        ("catalog_url: ftp://x", "c.yaml:3:18: catalog_url must start with http:// or https://"),
        ("include_cpu_only: maybe", "c.yaml:3:23: expected true or false, got 'maybe'"),
        ("provders: [aws]", "c.yaml:3:5: unknown option 'provders'; did you mean 'providers'?"),
    ],
)
def test_bad_options(options: str, message: str) -> None:
    entry = f"  - type: gpuhunt\n    {options}\n"
    if options.startswith("{"):
        entry = f"  - {{type: gpuhunt, {options[1:]}\n"
    [problem] = errors(entry)
    assert problem.startswith(message)
