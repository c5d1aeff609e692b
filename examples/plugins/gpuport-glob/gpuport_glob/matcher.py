"""The ``glob`` operator: does a text field match any of some shell-style patterns?

``*`` matches anything, ``?`` one character, ``[seq]`` one of seq, ``[!seq]`` none of
seq. The whole value must match: ``*H100*`` finds H100 anywhere, ``H100*`` only at the
start.
"""

from __future__ import annotations

import fnmatch
import re

from gpuport_collectors.plugin_api import FieldInfo, OptionError

from .config import GlobConfig


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
