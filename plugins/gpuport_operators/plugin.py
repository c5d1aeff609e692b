"""Hookimpls only: registers the built-in filter operators under their config names."""

from typing import Any

from gpuport_collectors import hookimpl

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


@hookimpl
def gpuport_register_operators(register: Any) -> None:
    for name, cls in OPERATORS.items():
        register(name, cls)
