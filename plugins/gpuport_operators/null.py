"""Null checks: ``is_null`` and ``is_not_null``. They take no options."""

from __future__ import annotations

from typing import Any

from gpuport_collectors.plugin_api import FieldInfo

from .config import NoOptions


class IsNull:
    """``is_null``: the field is unknown or not offered (``spot_price`` with no spot market)."""

    Config = NoOptions

    def __init__(self, field: FieldInfo, config: NoOptions) -> None:
        self.field = field

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is null."""
        return value is None


class IsNotNull:
    """``is_not_null``: the field has a value."""

    Config = NoOptions

    def __init__(self, field: FieldInfo, config: NoOptions) -> None:
        self.field = field

    def __call__(self, value: Any) -> bool:
        """True when ``value`` is not null."""
        return value is not None
