"""Hookimpls only: registers the ``https`` sink and the ``replay`` command.

httpx loads when a batch is sent; the replay command's module loads when it runs.
"""

import click

from gpuport_collectors.plugin_api import Register, hookimpl, lazy_command


@hookimpl
def gpuport_register_sinks(register: Register) -> None:
    register("https", "gpuport_https.sink:HttpsSink")


@hookimpl
def gpuport_register_commands(cli: click.Group) -> None:
    cli.add_command(
        lazy_command(
            "replay",
            "gpuport_https.replay:replay_command",
            help="Send again the batches an https output saved to DIRECTORY (its dead_letter_dir).",
        )
    )
