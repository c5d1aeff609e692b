"""Options of the ``json`` transformer, as written under ``transformer: {format: json}``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from gpuport_collectors.plugin_api import OptionError, check_field_names

NullHandling = Literal["null", "omit", "empty"]


@attrs.frozen
class JsonConfig:
    """Options of the ``json`` transformer (see the module docstring)."""

    pretty_print: bool = attrs.field(
        default=False, metadata={"description": "indent by two spaces"}
    )
    fields: dict[str, str] | None = attrs.field(
        default=None,
        metadata={
            "description": (
                "mapping of field to output key, in output order; default: every field under its "
                "own name"
            )
        },
    )
    include_raw_data: bool = attrs.field(
        default=False,
        metadata={"description": "add each instance's `raw_data` (the provider's record)"},
    )
    null_handling: NullHandling | None = attrs.field(
        default="null",
        metadata={
            "description": (
                '`"null"` writes `null`, `"omit"` leaves the key out, `"empty"` writes `""`'
            )
        },
    )

    def __attrs_post_init__(self) -> None:
        if self.fields is None:
            return
        if not self.fields:
            raise OptionError("fields", "is empty; name at least one field or leave 'fields' out")
        check_field_names(self.fields, key="fields", allow_raw_data=True)
        _check_unique(self.fields.values())


def _check_unique(keys: Iterable[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise OptionError("fields", f"two fields are written as {key!r}; names must be unique")
        seen.add(key)
