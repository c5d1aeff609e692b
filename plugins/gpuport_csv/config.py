"""Options of the ``csv`` transformer, as written under ``transformer: {format: csv}``."""

from __future__ import annotations

import attrs

from gpuport_collectors.plugin_api import OptionError, check_field_names, check_options


@attrs.frozen
class CsvConfig:
    """Options of the ``csv`` transformer (see the module docstring)."""

    fields: dict[str, str] = attrs.field(
        metadata={"description": "mapping of field to column header, in column order"}
    )
    include_headers: bool = attrs.field(
        default=True, metadata={"description": "write the header row"}
    )
    delimiter: str = attrs.field(
        default=",", metadata={"description": 'one character, e.g. `";"` or `"\\t"`'}
    )
    null_value: str | None = attrs.field(
        default="", metadata={"description": 'text written for a null value (quote it: `"NULL"`)'}
    )

    def __attrs_post_init__(self) -> None:
        check_options(self._check_fields, self._check_delimiter, self._check_null_value)

    def _check_fields(self) -> None:
        if not self.fields:
            raise OptionError("fields", "fields is empty; name the columns, e.g. {price: Price}")
        if "raw_data" in self.fields:
            raise OptionError("fields", "CSV cannot hold raw_data; use the json format")
        check_field_names(self.fields, key="fields")
        owners: dict[str, str] = {}
        for field, header in self.fields.items():
            if header in owners:
                raise OptionError(
                    "fields",
                    f"fields {owners[header]!r} and {field!r} share the header {header!r}; "
                    "headers must be unique",
                )
            owners[header] = field

    def _check_delimiter(self) -> None:
        if len(self.delimiter) != 1:
            raise OptionError(
                "delimiter", f"delimiter must be exactly one character, got {self.delimiter!r}"
            )
        if self.delimiter in '"\r\n':
            raise OptionError(
                "delimiter",
                "delimiter cannot be a double quote or a line break; use e.g. ',' ';' or '\\t'",
            )

    def _check_null_value(self) -> None:
        if self.null_value is None:
            # YAML reads bare null, NULL and ~ as "no value", never as the text.
            raise OptionError(
                "null_value", 'got YAML null; quote the text, e.g. null_value: "NULL"'
            )
