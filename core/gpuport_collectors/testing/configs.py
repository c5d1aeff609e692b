"""Build export configs in Python, as the YAML text a user would write."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from ruamel.yaml import YAML


def pipeline(
    name: str = "test",
    *,
    transformer: Mapping[str, Any] | None = None,
    outputs: Iterable[Mapping[str, Any]] | None = None,
    filters: Iterable[Mapping[str, Any]] = (),
    enabled: bool | None = None,
) -> dict[str, Any]:
    """One pipeline mapping. Defaults: ``format: json`` into one ``capture`` output.

    >>> pipeline("cheap", filters=[{"field": "price", "operator": "lt", "value": 1}])["name"]
    'cheap'
    """
    result: dict[str, Any] = {"name": name}
    if enabled is not None:
        result["enabled"] = enabled
    filters = [dict(item) for item in filters]
    if filters:
        result["filters"] = filters
    result["transformer"] = dict(transformer or {"format": "json"})
    result["outputs"] = [dict(item) for item in (outputs or [{"type": "capture"}])]
    return result


def config_yaml(
    *pipelines: Mapping[str, Any], collectors: Iterable[Mapping[str, Any]] | None = None
) -> str:
    """YAML text for a config holding ``pipelines`` (default: one :func:`pipeline`)."""
    document: dict[str, Any] = {}
    if collectors is not None:
        document["collectors"] = [dict(item) for item in collectors]
    document["pipelines"] = [dict(item) for item in pipelines] or [pipeline()]
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.dump(document, stream)
    return stream.getvalue()
