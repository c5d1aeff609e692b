"""``${ENV}`` substitution and the :class:`Secret` wrapper that keeps values out of output.

A config string may reference environment variables as ``${NAME}``. Options typed
:class:`Secret` keep both the template (``"Bearer ${TOKEN}"``) and the resolved value;
their ``repr`` and ``str`` never show the resolved value, so logging a config object,
an exception or a dead-letter file cannot leak it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

#: Shorter values are not masked: they cannot be secrets, and masking them garbles text.
MIN_SECRET_LENGTH = 4

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


#: The words every unset-variable message holds (the loader recognises them by it).
MISSING_VARIABLE = "is not set; export it"


class MissingVariableError(ValueError):
    """A ``${NAME}`` reference names an unset environment variable."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"environment variable {name} {MISSING_VARIABLE} or remove ${{{name}}}")


def references(template: str) -> list[str]:
    """The variable names a template references, in order."""
    return _REFERENCE.findall(template)


def resolve(template: str, environ: Mapping[str, str]) -> str:
    """Replace every ``${NAME}`` with its value; raise :class:`MissingVariableError`."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise MissingVariableError(name)
        return environ[name]

    return _REFERENCE.sub(substitute, template)


@attrs.frozen(repr=False)
class Secret:
    """A string that may hold a secret. ``reveal()`` gives the value; repr/str never do."""

    template: str
    _value: str = attrs.field(alias="value")

    def reveal(self) -> str:
        return self._value

    @property
    def is_templated(self) -> bool:
        return bool(references(self.template))

    def redacted(self) -> str:
        """The template with references kept and literal text shown, for logs and files."""
        return self.template if self.is_templated else "***"

    def __repr__(self) -> str:
        return f"Secret({self.redacted()!r})"

    __str__ = __repr__

    @classmethod
    def literal(cls, value: str) -> Secret:
        return cls(template=value, value=value)
