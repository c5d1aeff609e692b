"""Hook implementations only; gpuport imports this module through the entry point."""

import click

from gpuport_collectors.plugin_api import Register, hookimpl, lazy_command


@hookimpl
def gpuport_register_sinks(register: Register) -> None:
    register("price_history", "gpuport_price_history.sink:PriceHistorySink")


@hookimpl
def gpuport_register_commands(cli: click.Group) -> None:
    cli.add_command(
        lazy_command(
            "price-changes",
            "gpuport_price_history.command:price_changes",
            help="Show price changes between the last two runs recorded in a price history.",
        )
    )
