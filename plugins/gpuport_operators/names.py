"""The built-in operators under the names configs use (``operator: NAME``)."""

from __future__ import annotations

from typing import Any

from .comparison import Between, Eq, Gt, Gte, Lt, Lte, Ne
from .membership import In, NotIn
from .null import IsNotNull, IsNull
from .text import Contains, Regex, StartsWith

OPERATORS: dict[str, type[Any]] = {
    "eq": Eq,
    "ne": Ne,
    "lt": Lt,
    "lte": Lte,
    "gt": Gt,
    "gte": Gte,
    "between": Between,
    "in": In,
    "not_in": NotIn,
    "regex": Regex,
    "contains": Contains,
    "starts_with": StartsWith,
    "is_null": IsNull,
    "is_not_null": IsNotNull,
}
