"""The ``glob`` operator: does a text field match any of some shell-style patterns?

``*`` matches anything, ``?`` one character, ``[seq]`` one of seq, ``[!seq]`` none of
seq. The whole value must match: ``*H100*`` finds H100 anywhere, ``H100*`` only at the
start.
"""

from __future__ import annotations

import fnmatch
import re

import attrs

from gpuport_collectors import OptionError
from gpuport_collectors.fields import FieldInfo


@attrs.frozen
class GlobConfig:
    """Options of ``operator: glob``: one pattern or a list of them."""

    value: str | None = None
    values: list[str] | None = None
    ignore_case: bool = False
    negate: bool = False

    def __attrs_post_init__(self) -> None:
        if self.value is None and self.values is None:
            raise OptionError(None, "glob needs 'value' (one pattern) or 'values' (a list)")
        if self.value is not None and self.values is not None:
            raise OptionError("values", "give 'value' or 'values', not both")
        if self.values is not None and not self.values:
            raise OptionError("values", "'values' is empty; give at least one pattern")
        for pattern in self.patterns:
            if not pattern:
                raise OptionError(
                    "value" if self.value is not None else "values",
                    "a pattern is empty; use '*' to match anything",
                )

    @property
    def patterns(self) -> list[str]:
        """Every configured pattern, whether given as ``value`` or ``values``."""
        return [self.value] if self.value is not None else list(self.values or [])


class GlobOperator:
    """True when the value matches any pattern (or none of them, with ``negate``).

    All patterns are compiled into one regular expression when the config loads, so
    testing an instance is a single regex match. A null value matches no pattern.
    """

    Config = GlobConfig

    def __init__(self, field: FieldInfo, config: GlobConfig) -> None:
        if field.kind != "text":
            raise OptionError(
                "field",
                f"glob matches text, but {field.name} is {field.kind}; "
                "use eq, between or in for it",
            )
        flags = re.IGNORECASE if config.ignore_case else 0
        union = "|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in config.patterns)
        self._match = re.compile(union, flags).match
        self._negate = config.negate

    def __call__(self, value: object) -> bool:
        """Whether an instance whose field holds ``value`` passes the filter."""
        matched = isinstance(value, str) and self._match(value) is not None
        return matched != self._negate
