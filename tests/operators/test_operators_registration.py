"""The ``operators`` entry point registers every operator the spec lists."""

from __future__ import annotations

from typing import Any

import attrs

from gpuport_collectors.fields import FIELDS
from gpuport_collectors.plugins import PluginHost
from gpuport_collectors.protocols import Operator

SPEC_OPERATORS = {
    "eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "not_in",
    "regex", "contains", "starts_with", "is_null", "is_not_null",
}  # fmt: skip

SAMPLE_OPTIONS: dict[str, dict[str, Any]] = {
    "between": {"min": "A", "max": "Z"},
    "in": {"values": ["RunPod"]},
    "not_in": {"values": ["RunPod"]},
    "is_null": {},
    "is_not_null": {},
}


def test_entry_point_registers_every_operator(host: PluginHost) -> None:
    assert set(host.operators.names()) == SPEC_OPERATORS
    (report,) = [r for r in host.reports if r.name == "operators"]
    assert report.loaded and report.distribution == "gpuport-data-collectors"


def test_each_operator_follows_the_protocol(host: PluginHost) -> None:
    for name in host.operators.names():
        cls = host.operators.get(name)
        assert attrs.has(cls.Config), name
        options = SAMPLE_OPTIONS.get(name, {"value": "RunPod"})
        instance = cls(FIELDS["provider"], cls.Config(**options))
        assert isinstance(instance, Operator), name
        assert isinstance(instance("RunPod"), bool), name
