"""Click commands whose module is imported only when they run (or show their own help).

``gpuport-collectors --help`` and every shell-completion TAB build the whole command
group; a plugin that adds its command through :func:`lazy_command` costs a name and a
help line there, not the import of its implementation.
"""

from __future__ import annotations

from typing import Any

import click

from .importing import load_reference


class LazyCommand(click.Command):
    """Stands in for the click command at ``target`` (``"package.module:attribute"``)."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target
        self._real: click.Command | None = None

    def load(self) -> click.Command:
        """Import the real command (once)."""
        if self._real is None:
            real = load_reference(self.target)
            if not isinstance(real, click.Command):
                raise TypeError(f"{self.target} is not a click command")
            self._real = real
        return self._real

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return self.load().get_params(ctx)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.load().format_help(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        return self.load().invoke(ctx)


def lazy_command(name: str, target: str, help: str) -> click.Command:
    """A command named ``name`` listed with ``help``, imported from ``target`` when used.

    >>> lazy_command("replay", "gpuport_https.replay:replay_command", "Send again ...")
    <LazyCommand replay>
    """
    return LazyCommand(name, target, help)
