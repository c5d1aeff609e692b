"""The one cattrs converter: strict scalars, ``${ENV}`` resolution, readable errors.

Numbers and booleans are checked, not cast (``"false"`` never becomes ``True``); strings
may reference ``${ENV}``; ``Literal`` choices get a did-you-mean. Structuring errors are
flattened to ``(path, message)`` pairs by :func:`flatten_errors`, which the config loader
maps to file positions. Messages never echo a value that came from the environment.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.cols import (
    is_mapping,
    is_sequence,
    list_structure_factory,
    mapping_structure_factory,
)
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from .errors import OptionError
from .scalars import describe as describe  # config.py names values with it too
from .scalars import to_integer, to_number, to_text
from .secrets import MissingVariableError, Secret, references, resolve
from .words import suggest

Path = tuple[str | int, ...]


def make_converter(environ: Mapping[str, str]) -> cattrs.Converter:
    """A converter that resolves ``${ENV}`` from ``environ`` and forbids unknown keys."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def text(value: Any, _: Any) -> str:
        return to_text(resolve(value, environ) if isinstance(value, str) else value)

    def secret(value: Any, _: Any) -> Secret:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {describe(value)}")
        return Secret(template=str(value), value=resolve(value, environ))

    def number(value: Any, _: Any) -> float:
        return to_number(_resolved_scalar(value, environ), _shown(value))

    def integer(value: Any, _: Any) -> int:
        return to_integer(_resolved_scalar(value, environ), _shown(value))

    def boolean(value: Any, _: Any) -> bool:
        resolved = _resolved_scalar(value, environ)
        if isinstance(resolved, bool):
            return resolved
        if isinstance(resolved, str) and resolved.lower() in {"true", "false"}:
            return resolved.lower() == "true"
        raise ValueError(f"expected true or false, got {_shown(value)}")

    def anything(value: Any, _: Any) -> Any:
        return resolve_tree(value, environ)

    def literal(value: Any, kind: Any) -> Any:
        choices = typing.get_args(kind)
        resolved = _resolved_scalar(value, environ)
        if resolved in choices and not isinstance(resolved, bool):
            return resolved
        shown = ", ".join(repr(choice) for choice in choices)
        hint = suggest(resolved, choices) if isinstance(resolved, str) else ""
        raise ValueError(f"expected one of {shown}, got {_shown(value)}{hint}")

    converter.register_structure_hook(str, text)
    converter.register_structure_hook(Secret, secret)
    converter.register_structure_hook(float, number)
    converter.register_structure_hook(int, integer)
    converter.register_structure_hook(bool, boolean)
    converter.register_structure_hook(typing.Any, anything)
    converter.register_structure_hook_func(_is_literal, literal)
    converter.register_structure_hook(dt.datetime, lambda value, _: value)
    _require_shapes(converter, environ)
    return converter


def _resolved_items(items: list[Any], kind: Any, environ: Mapping[str, str]) -> list[Any]:
    """``resolve_tree`` on each item; every unset variable reported at its index."""
    resolved: list[Any] = []
    errors: list[Exception] = []
    for index, item in enumerate(items):
        try:
            resolved.append(resolve_tree(item, environ))
        except MissingVariableError as error:
            error.add_note(IterableValidationNote(f"@ index {index}", index, typing.Any))
            errors.append(error)
    if errors:
        raise IterableValidationError("while resolving ${ENV} in a list", errors, kind)
    return resolved


def _require_shapes(converter: cattrs.Converter, environ: Mapping[str, str]) -> None:
    """Reject a string where a list is due (cattrs would split it into characters)."""

    def checked(kind: Any, expected: type, word: str, inner: Any) -> Any:
        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, expected):
                raise ValueError(f"expected {word}, got {describe(value)}")
            return inner(value, kind)

        return hook

    def sequence(kind: Any, conv: Any) -> Any:
        hook = checked(kind, list, "a list", list_structure_factory(kind, conv))
        if typing.get_args(kind)[:1] not in ((), (typing.Any,)):
            return hook

        def any_items(value: Any, _: Any) -> Any:
            # cattrs passes list[Any] items through untouched: resolve their ${ENV} here.
            return _resolved_items(hook(value, kind), kind, environ)

        return any_items

    converter.register_structure_hook_factory(is_sequence, sequence)
    converter.register_structure_hook_factory(
        is_mapping,
        lambda kind, conv: checked(
            kind, Mapping, "a mapping", mapping_structure_factory(kind, conv)
        ),
    )
    converter.register_structure_hook_factory(
        attrs.has,
        lambda kind, conv: checked(kind, Mapping, "a mapping", attrs_structurer(kind, conv)),
    )


def attrs_structurer(kind: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Structure a mapping into the attrs class ``kind`` as cattrs' detailed validation does.

    The same errors as ``cattrs.gen.make_dict_structure_fn(..., _cattrs_forbid_extra_keys=True,
    _cattrs_detailed_validation=True)``: each field's error noted with its attribute, unknown
    keys as ``ForbiddenExtraKeysError``, all in one ``ClassValidationError``. cattrs compiles
    a function per class, which pays off over many records; a config structures each class
    about once, and the compiling cost most of a ``validate`` (benchmarks/startup.py).
    """
    attrs.resolve_types(kind)  # string annotations (``from __future__ import annotations``)
    fields = [
        (field.name, field.alias, field.type, field.default is attrs.NOTHING)
        for field in attrs.fields(kind)
        if field.init
    ]
    hooks = {name: converter.get_structure_hook(type_) for name, _, type_, _ in fields}
    allowed = {name for name, *_ in fields}
    where = f"While structuring {kind.__name__}"

    def structure(value: Mapping[str, Any], _: Any) -> Any:
        arguments: dict[str, Any] = {}
        errors: list[Exception] = []
        for name, alias, type_, required in fields:
            try:
                if name in value:
                    arguments[alias] = hooks[name](value[name], type_)
                elif required:
                    raise KeyError(name)
            except Exception as error:
                note = f"Structuring class {kind.__qualname__} @ attribute {name}"
                error.add_note(AttributeValidationNote(note, name, type_))
                errors.append(error)
        unknown = set(value) - allowed
        if unknown:
            errors.append(ForbiddenExtraKeysError("", kind, unknown))
        if errors:
            raise ClassValidationError(where, errors, kind)
        try:
            return kind(**arguments)
        except Exception as error:
            raise ClassValidationError(where, [error], kind) from error

    return structure


def _is_literal(kind: Any) -> bool:
    origin: object = typing.get_origin(kind)
    return origin is typing.Literal


def resolve_tree(value: Any, environ: Mapping[str, str]) -> Any:
    """Resolve ``${ENV}`` in every string of a nested structure, dropping YAML subclasses."""
    if isinstance(value, str):
        return resolve(value, environ)
    if isinstance(value, Mapping):
        return {key: resolve_tree(item, environ) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_tree(item, environ) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value


def _resolved_scalar(value: Any, environ: Mapping[str, str]) -> Any:
    return resolve(value, environ) if isinstance(value, str) else value


def _shown(value: Any) -> str:
    """How an offending value appears in a message: never a value from the environment."""
    if isinstance(value, str):
        if references(value):
            return f"a value from {value!r}"
        return repr(value)
    return describe(value)


def flatten_errors(error: BaseException, path: Path = ()) -> Iterator[tuple[Path, str, bool]]:
    """Yield ``(path, message, blame_key)`` for every leaf of a cattrs error tree."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            path = (*path, note.name)
        elif isinstance(note, IterableValidationNote):
            path = (*path, note.index)
    if isinstance(error, ForbiddenExtraKeysError):
        allowed = [field.name for field in attrs.fields(error.cl)] if attrs.has(error.cl) else []
        for key in sorted(error.extra_fields):
            message = f"unknown option {key!r}{suggest(key, allowed)}"
            if allowed:
                message += f" (options: {', '.join(allowed)})"
            else:
                message += " (this takes no options)"
            yield (*path, key), message, True
        return
    if isinstance(error, BaseExceptionGroup):
        for child in error.exceptions:
            yield from flatten_errors(child, path)
        return
    if isinstance(error, KeyError) and path:
        yield path[:-1], f"missing required option {path[-1]!r}", False
        return
    if isinstance(error, OptionError):
        yield ((*path, error.key) if error.key else path), error.message, False
        return
    if isinstance(error, MissingVariableError | ValueError):
        yield path, str(error), False
        return
    yield path, f"invalid value ({type(error).__name__})", False
