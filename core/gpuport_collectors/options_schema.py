"""The JSON Schema of an attrs ``Config`` class, from its fields as the converter reads them.

Each field's type maps to what :func:`gpuport_collectors.converter.make_converter` accepts for
it: ``"3"`` and ``"${PORT}"`` for a number, ``"true"`` for a boolean, any text with a
``${NAME}`` reference for a value that may come from the environment. attrs validators
(``in_``, ``ge``/``gt``/``le``/``lt``, ``min_len``/``max_len``, ``matches_re``) add their
constraint. Field metadata completes the picture:

- ``metadata={"description": "..."}``: the option's one description, also shown in the docs;
- ``metadata={"json_schema": {...}}``: keywords merged over the generated ones, for a
  constraint the class checks in Python (e.g. ``{"minItems": 1}``).

A type with no JSON Schema equivalent becomes ``{}`` (any value) and is reported through
``warn``, so the option still appears and the plugin author learns what to fix.
"""

from __future__ import annotations

import datetime as dt
import enum
import pathlib
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from .secrets import Secret

DESCRIPTION = "description"
JSON_SCHEMA = "json_schema"

Schema = dict[str, Any]

#: A string holding at least one ``${NAME}`` reference, resolved when the config loads.
ENV_PATTERN = r"\$\{[A-Za-z_][A-Za-z0-9_]*\}"
ENV_REF = "#/$defs/env"
#: What the converter's number, whole-number and boolean hooks accept when given text.
NUMBER_PATTERN = rf"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$|{ENV_PATTERN}"
INTEGER_PATTERN = rf"^\s*[+-]?\d+(\.0*)?\s*$|{ENV_PATTERN}"
BOOLEAN_PATTERN = rf"^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$|{ENV_PATTERN}"

#: Scalar types and the schema of what the converter accepts for each.
SCALARS: dict[Any, Schema] = {
    str: {"type": ["string", "number"]},
    Secret: {"type": "string"},
    pathlib.Path: {"type": "string"},
    float: {"type": ["number", "string"], "pattern": NUMBER_PATTERN},
    int: {"type": ["integer", "string"], "pattern": INTEGER_PATTERN},
    bool: {"type": ["boolean", "string"], "pattern": BOOLEAN_PATTERN},
    type(None): {"type": "null"},
    typing.Any: {},
    object: {},
    dt.datetime: {},  # the converter passes YAML timestamps through unchanged
}


class Undescribable(Exception):
    """A type the schema cannot express; the option then accepts any value."""


@attrs.define
class OptionsSchema:
    """Builds schemas of attrs classes, collecting nested classes under ``$defs``.

    ``warn(message)`` is called once per option whose type cannot be described; ``where``
    names the plugin and option in that message.
    """

    warn: Callable[[str], None]
    defs: dict[str, Schema] = attrs.Factory(dict)

    def of_class(self, cls: type[Any], where: str) -> tuple[dict[str, Schema], list[str]]:
        """``(properties, required)`` of an attrs class, in field order."""
        fields = _fields(cls, where, self.warn)
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for field in fields:
            if not field.init:
                continue
            properties[field.name] = self.of_field(field, f"{where} option {field.name!r}")
            if field.default is attrs.NOTHING:
                required.append(field.name)
        return properties, required

    def object_of(self, cls: type[Any], where: str) -> Schema:
        """A closed object schema of an attrs class (unknown keys refused)."""
        properties, required = self.of_class(cls, where)
        schema: Schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def of_field(self, field: attrs.Attribute[Any], where: str) -> Schema:
        try:
            schema = self.of_type(field.type, where)
        except Undescribable as error:
            self.warn(f"{where}: {error}; the schema accepts any value there")
            schema = {}
        return annotated(field, {**schema, **_validator_keywords(field.validator)})

    def of_type(self, kind: Any, where: str) -> Schema:
        """The schema of values of ``kind``; :class:`Undescribable` if there is none."""
        if isinstance(kind, str):
            raise Undescribable(f"its type {kind!r} could not be resolved")
        if kind in SCALARS:
            return dict(SCALARS[kind])
        origin = typing.get_origin(kind)
        args = typing.get_args(kind)
        if origin is typing.Literal:
            return with_env({"enum": list(args)})
        if origin is typing.Union or origin is types.UnionType:
            return _union([self.of_type(arg, where) for arg in args])
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return with_env({"enum": [member.value for member in kind]})
        if isinstance(kind, type) and attrs.has(kind):
            return {"$ref": self.ref(kind, where)}
        if origin is not None and isinstance(origin, type):
            if issubclass(origin, Mapping):
                value = args[1] if len(args) == 2 else typing.Any
                return {"type": "object", "additionalProperties": self.of_type(value, where)}
            if issubclass(origin, Sequence | set | frozenset) and not issubclass(origin, str):
                item = args[0] if args else typing.Any
                return {"type": "array", "items": self.of_type(item, where)}
        if kind in (list, tuple, set, frozenset):
            return {"type": "array"}
        if kind is dict:
            return {"type": "object"}
        shown = getattr(kind, "__qualname__", None) or repr(kind)
        raise Undescribable(f"its type {shown} has no JSON Schema equivalent")

    def ref(self, cls: type[Any], where: str) -> str:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name not in self.defs:
            self.defs[name] = {}  # reserve first: a class may refer to itself
            schema = self.object_of(cls, where)
            doc = summary(cls.__doc__)
            self.defs[name] = {**describe(doc), **schema} if doc else schema
        return f"#/$defs/{name}"


def annotated(field: attrs.Attribute[Any], schema: Schema) -> Schema:
    """``schema`` with the field's description and default, and its ``json_schema`` metadata
    merged over it."""
    described = {**describe(field.metadata.get(DESCRIPTION)), **schema}
    default = _default(field)
    if default is not attrs.NOTHING:
        described["default"] = default
    return {**described, **dict(field.metadata.get(JSON_SCHEMA) or {})}


def describe(text: object) -> Schema:
    """``description`` and, when the text uses Markdown, ``markdownDescription`` (VS Code)."""
    if not isinstance(text, str) or not text.strip():
        return {}
    text = " ".join(text.split())
    if "`" in text or "*" in text:
        return {DESCRIPTION: text, "markdownDescription": text}
    return {DESCRIPTION: text}


def with_env(schema: Schema) -> Schema:
    """``schema``, or a ``${NAME}`` reference resolved when the config loads."""
    return {"anyOf": [schema, {"$ref": ENV_REF}]}


def _fields(
    cls: type[Any], where: str, warn: Callable[[str], None]
) -> tuple[attrs.Attribute[Any], ...]:
    try:
        attrs.resolve_types(cls)
    except Exception as error:  # a plugin's annotation naming something not importable
        warn(f"{where}: type hints of {cls.__qualname__} cannot be resolved ({error})")
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return fields


def _union(members: list[Schema]) -> Schema:
    """``X | None`` stays compact: ``null`` joins X's type list or enum where it can."""
    null = {"type": "null"}
    others = [member for member in members if member != null]
    if len(others) == 1 and len(members) == 2:
        (other,) = others
        if "type" in other and set(other) - _TYPE_SPECIFIC == {"type"}:
            kinds = other["type"] if isinstance(other["type"], list) else [other["type"]]
            return {**other, "type": [*kinds, "null"]}
        inner: list[Schema] = other.get("anyOf") or [{}]
        if set(other) == {"anyOf"} and set(inner[0]) == {"enum"}:
            return {"anyOf": [{"enum": [*inner[0]["enum"], None]}, *inner[1:]]}
    if any(member == {} for member in members):
        return {}
    return {"anyOf": members}


#: Keywords that constrain only values of one type, so ``null`` can join ``type`` beside them.
_TYPE_SPECIFIC = frozenset(
    {
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "items",
        "minItems",
        "maxItems",
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
    }
)


def _default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return attrs.NOTHING
        default = default.factory()
    if default is attrs.NOTHING:
        return attrs.NOTHING
    return _plain(default)


def _plain(value: Any) -> Any:
    """A default as JSON shows it; NOTHING when it has no JSON form."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Secret):
        return value.template
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return attrs.NOTHING if attrs.NOTHING in items else items
    if isinstance(value, Mapping):
        pairs = {str(key): _plain(item) for key, item in value.items()}
        return attrs.NOTHING if attrs.NOTHING in pairs.values() else pairs
    if attrs.has(type(value)):
        return _plain(attrs.asdict(value, recurse=False))
    return attrs.NOTHING


def _validator_keywords(validator: Any) -> Schema:
    """JSON Schema keywords equivalent to the attrs validators we know; others add none.

    attrs keeps its validator classes private, so they are recognised by name.
    """
    kind = type(validator).__name__
    if kind == "_AndValidator":
        merged: Schema = {}
        for inner in validator._validators:
            merged.update(_validator_keywords(inner))
        return merged
    if isinstance(validator, list | tuple):
        return _validator_keywords(attrs.validators.and_(*validator))
    if kind == "_OptionalValidator":
        return _validator_keywords(validator.validator)
    if kind == "_InValidator":
        options = validator._original_options
        if isinstance(options, Mapping | list | tuple | set | frozenset):
            return {"enum": [_plain(option) for option in options]}
        return {}
    if kind == "_NumberValidator":
        keyword = _BOUNDS.get(validator.compare_op)
        return {keyword: validator.bound} if keyword else {}
    if kind == "_MinLengthValidator":
        size = validator.min_length
        return {"minLength": size, "minItems": size, "minProperties": size}
    if kind == "_MaxLengthValidator":
        size = validator.max_length
        return {"maxLength": size, "maxItems": size, "maxProperties": size}
    if kind == "_MatchesReValidator":
        pattern = validator.pattern.pattern
        anchors = {"fullmatch": "^(?:{})$", "match": "^(?:{})"}
        function = getattr(validator.match_func, "__name__", "fullmatch")
        return {"pattern": anchors.get(function, "{}").format(pattern)}
    return {}


_BOUNDS = {">=": "minimum", ">": "exclusiveMinimum", "<=": "maximum", "<": "exclusiveMaximum"}


def summary(doc: str | None) -> str:
    """The first paragraph of a docstring, on one line, its reST literals as Markdown."""
    if not doc:
        return ""
    text = " ".join(doc.strip().split("\n\n")[0].split())
    text = re.sub(r":[\w:]+:`~?([^`]+)`", r"`\1`", text)  # :class:`~a.B` -> `a.B`
    return text.replace("``", "`")
