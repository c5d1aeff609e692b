"""Options of the ``glob`` operator (``operator: glob``)."""

from __future__ import annotations

import attrs

from gpuport_collectors.plugin_api import OptionError


@attrs.frozen
class GlobConfig:
    """Options of ``operator: glob``: one pattern or a list of them."""

    value: str | None = attrs.field(
        default=None, metadata={"description": "one pattern, e.g. `*H100*`"}
    )
    values: list[str] | None = attrs.field(
        default=None, metadata={"description": "several patterns; any of them may match"}
    )
    ignore_case: bool = attrs.field(
        default=False, metadata={"description": "match regardless of case"}
    )
    negate: bool = attrs.field(
        default=False, metadata={"description": "keep the instances that match no pattern"}
    )

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
