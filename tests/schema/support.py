"""Checking YAML text against a generated schema, as editors and check-jsonschema do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from ruamel.yaml import YAML

from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.schema import config_schema


def as_json(value: Any) -> Any:
    """YAML data as a JSON Schema tool sees it: timestamps are text (YAML 1.2 has none)."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def load(text: str) -> Any:
    return as_json(YAML(typ="safe", pure=True).load(text))


class Checker:
    """A draft 2020-12 validator over the schema of ``host``'s plugins."""

    def __init__(self, host: PluginHost) -> None:
        self.warnings: list[str] = []
        self.schema = config_schema(host, self.warnings.append)
        jsonschema.Draft202012Validator.check_schema(self.schema)
        self.validator = jsonschema.Draft202012Validator(self.schema)

    def errors(self, text: str) -> list[str]:
        """One line per error: ``path: message`` of the most relevant cause."""
        found = []
        for error in self.validator.iter_errors(load(text)):
            cause = best_match([error]) or error
            where = "/".join(str(part) for part in cause.absolute_path)
            found.append(f"{where}: {cause.message}")
        return found
