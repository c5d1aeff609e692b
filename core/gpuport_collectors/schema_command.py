"""``gpuport-collectors schema``: the config's JSON Schema for the plugins installed now.

Kept apart from cli.py so that the command costs nothing until it runs: the generator is
imported inside it, and it reads only registered classes (no plugin implementation loads).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("schema")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the schema to FILE (atomically) instead of standard output.",
)
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of the config for the installed plugins, for editors and CI."""
    from .atomic import atomic_write
    from .cli import _host
    from .console import Reporter
    from .errors import UsageError
    from .schema import config_schema, dumps

    reporter = Reporter()
    text = dumps(config_schema(_host(), reporter.warning))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(output, [text.encode("utf-8")])
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    reporter.info(f"wrote the schema to {output}")
