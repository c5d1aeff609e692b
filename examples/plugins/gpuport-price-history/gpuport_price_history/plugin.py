"""Hook implementations only; gpuport imports this module through the entry point."""

import click

from gpuport_collectors import hookimpl
from gpuport_collectors.hookspecs import Register

from .command import price_changes
from .sink import PriceHistorySink


@hookimpl
def gpuport_register_sinks(register: Register) -> None:
    register("price_history", PriceHistorySink)


@hookimpl
def gpuport_register_commands(cli: click.Group) -> None:
    cli.add_command(price_changes)
