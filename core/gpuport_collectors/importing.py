"""Importing by name: ``"package.module:attribute"`` references, and lazily exported names.

Both serve start-up time: a plugin registers a class by reference and the command line
lists a command by reference, so neither module loads until it is used; and the package
root and :mod:`.plugin_api` import a name's home module only when the name is first read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def load_reference(reference: str) -> Any:
    """Import ``module`` and walk ``attribute`` (dotted) of ``"module:attribute"``.

    The entry-point syntax is accepted as importlib.metadata reads it: spaces around the
    colon and trailing ``[extras]`` are ignored; without a colon the module itself is
    returned.

    >>> load_reference("os.path:join").__name__
    'join'
    """
    target = reference.partition("[")[0]
    module_name, _, attributes = (part.strip() for part in target.partition(":"))
    loaded: Any = importlib.import_module(module_name)
    for attribute in filter(None, attributes.split(".")):
        loaded = getattr(loaded, attribute)
    return loaded


def lazy_getattr(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` importing ``name`` from ``package.<homes[name]>`` on first use.

    The value is then stored in ``namespace`` (the module's globals), so later lookups
    never reach this function.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__
