"""The hooks a gpuport plugin implements. Project name ``gpuport``; all hooks are broadcast.

Each ``gpuport_register_*`` hook receives a ``register(name, cls)`` callback built by the
plugin host, which validates the class (or a ``"module:Class"`` reference to it, checked
when first used) and rejects a name another plugin already took.
Implementations are loaded from entry points in the ``gpuport`` group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import pluggy

hookspec = pluggy.HookspecMarker("gpuport")
hookimpl = pluggy.HookimplMarker("gpuport")

#: ``register(name, cls)``: ``cls`` is the class, or ``"package.module:ClassName"`` to have
#: it imported only when a config first uses ``name`` (what keeps start-up fast).
Register = Callable[[str, type[Any] | str], None]


@hookspec
def gpuport_register_collectors(register: Register) -> None:
    """Register collector classes, selected in config by ``collectors: [{type: NAME}]``.

    :param register: call ``register(name, CollectorClass)`` once per collector.
        The class follows :class:`gpuport_collectors.protocols.Collector`.

    Called once when the plugin host loads plugins.
    """


@hookspec
def gpuport_register_operators(register: Register) -> None:
    """Register filter operators, selected in config by ``operator: NAME``.

    :param register: call ``register(name, OperatorClass)`` once per operator.
        The class follows :class:`gpuport_collectors.protocols.Operator`.

    Called once when the plugin host loads plugins.
    """


@hookspec
def gpuport_register_transformers(register: Register) -> None:
    """Register transformers, selected in config by ``transformer: {format: NAME}``.

    :param register: call ``register(name, TransformerClass)`` once per transformer.
        The class follows :class:`gpuport_collectors.protocols.Transformer`.

    Called once when the plugin host loads plugins.
    """


@hookspec
def gpuport_register_sinks(register: Register) -> None:
    """Register output sinks, selected in config by ``outputs: [{type: NAME}]``.

    :param register: call ``register(name, SinkClass)`` once per sink.
        The class follows :class:`gpuport_collectors.protocols.Sink`.

    Called once when the plugin host loads plugins.
    """


@hookspec
def gpuport_register_commands(cli: click.Group) -> None:
    """Add click commands to the ``gpuport-collectors`` command group.

    :param cli: the root click group; call ``cli.command()`` or ``cli.add_command(cmd)``.

    Called once when the CLI starts, before arguments are parsed.
    """
