"""Shared checks for ``from_dict`` payloads (JSON-safe dicts with a header).

Every persisted object writes ``{"schema": <name>, "version": <int>, ...fields}``;
reading one back checks the header and the keys the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from jiebei_credit.errors import InvalidInputError

__all__ = ["payload_fields"]

_HEADER = ("schema", "version")


def payload_fields(cls: type, data: object, *, schema: str, version: int) -> dict[str, Any]:
    """Check a ``to_dict()`` payload of dataclass ``cls``; return its field values.

    Raises
    ------
    InvalidInputError
        When ``data`` is not a mapping, its ``schema`` or ``version`` is not
        ``cls``'s, or it has unknown keys or lacks a required field.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Knob:
    ...     level: int
    >>> payload_fields(Knob, {"schema": "knob", "version": 1, "level": 3}, schema="knob", version=1)
    {'level': 3}
    >>> payload_fields(Knob, {"schema": "knob", "version": 2, "level": 3}, schema="knob", version=1)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: Knob.from_dict: expected schema 'knob' version 1; \
got 'knob' version 2; pass the output of Knob.to_dict()
    """
    func = f"{cls.__name__}.from_dict"
    if not is_dataclass(cls):  # pragma: no cover - programming error inside the library
        raise TypeError(f"{func}: {cls!r} is not a dataclass")
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{func}: expected a mapping; got {type(data).__name__}")
    if data.get("schema") != schema or data.get("version") != version:
        raise InvalidInputError(
            f"{func}: expected schema {schema!r} version {version}; got {data.get('schema')!r} "
            f"version {data.get('version')!r}; pass the output of {cls.__name__}.to_dict()"
        )
    declared = [f for f in fields(cls) if f.init]
    names = {f.name for f in declared}
    unknown = sorted(str(k) for k in data if k not in names and k not in _HEADER)
    if unknown:
        raise InvalidInputError(f"{func}: unknown keys {unknown}; known: {sorted(names)}")
    required = [
        f.name
        for f in declared
        if f.default is MISSING and f.default_factory is MISSING and f.name not in data
    ]
    if required:
        raise InvalidInputError(f"{func}: missing keys {required}")
    return {k: v for k, v in data.items() if k in names}
