from typing import Any

import click

from gpuport_collectors import hookimpl

from .replay import replay_command
from .sink import HttpsSink


@hookimpl
def gpuport_register_sinks(register: Any) -> None:
    register("https", HttpsSink)


@hookimpl
def gpuport_register_commands(cli: click.Group) -> None:
    cli.add_command(replay_command)
