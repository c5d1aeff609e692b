"""Text matching on text fields: ``contains``, ``starts_with`` and ``regex``.

Matching is case-sensitive, as in grep, except on ``region``: providers spell region ids
in either case (RunPod ``EU-RO-1``, AWS ``eu-west-1``), so a ``region`` match ignores case
unless ``ignore_case: false`` says otherwise. ``ignore_case: true`` compares case-folded
text on any field. ``regex`` uses search semantics
(``re.search``): anchor with ``^`` / ``$`` to match the whole value.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from gpuport_collectors.plugin_api import FieldInfo, OptionError

from .coercion import coerce_value, require_text
from .config import TextConfig

#: Fields whose values differ only in case between providers: matched ignoring case by default.
FOLDED_FIELDS = frozenset({"region"})


class _TextOperator:
    """Holds the configured text; refuses a field that is not text."""

    Config = TextConfig
    name: ClassVar[str] = ""

    def __init__(self, field: FieldInfo, config: TextConfig) -> None:
        require_text(field, self.name)
        self.field = field
        self.fold = (
            config.ignore_case if config.ignore_case is not None else field.name in FOLDED_FIELDS
        )
        text: str = coerce_value(field, config.value, key="value", operator=self.name)
        self.text = text.casefold() if self.fold else text


class Contains(_TextOperator):
    """``contains``: the value occurs anywhere in the field."""

    name = "contains"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and contains the configured text."""
        if value is None:
            return False
        return self.text in (value.casefold() if self.fold else value)


class StartsWith(_TextOperator):
    """``starts_with``: the field begins with the value."""

    name = "starts_with"

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and starts with the configured text."""
        if value is None:
            return False
        return bool((value.casefold() if self.fold else value).startswith(self.text))


class Regex(_TextOperator):
    """``regex``: the pattern matches somewhere in the field (``re.search``)."""

    name = "regex"

    def __init__(self, field: FieldInfo, config: TextConfig) -> None:
        super().__init__(field, config)
        pattern = coerce_value(field, config.value, key="value", operator=self.name)
        try:
            self.pattern = re.compile(pattern, re.IGNORECASE if self.fold else 0)
        except re.error as error:
            raise OptionError("value", f"invalid regular expression: {error}") from None
        self._search = self.pattern.search

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null and the pattern is found in it."""
        return value is not None and self._search(value) is not None
