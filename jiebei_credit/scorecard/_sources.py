"""Where a card's features come from: source tables and data categories.

The scorecard imports neither ``records`` nor ``features`` (see the layering
in the design notes), so it does not look features up itself: the caller
says where the columns come from with ``Scorecard(feature_sources=...)``,
typically ``jiebei_credit.features.specs_for(X.columns, families=...)``
or ``dict(jiebei_credit.features.catalog(windows))``. Any object
with ``sources`` (table names) and ``category`` attributes describes a
column, as :class:`jiebei_credit.features.FeatureSpec` does, so user
feature families (``FeatureFamily.features``) work unchanged. A model
feature nobody described is recorded as coming from table ``"unknown"``
with category ``"unknown"``: never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from jiebei_credit import _validation as V

__all__: list[str] = []

#: Table and category of a column whose source the card was not told.
UNKNOWN = "unknown"


class Source(NamedTuple):
    """Tables a feature reads and its data category."""

    tables: tuple[str, ...]
    category: str


UNKNOWN_SOURCE = Source((UNKNOWN,), UNKNOWN)

_FIX = ('Pass jiebei_credit.features.catalog(windows), a list of FeatureSpec (e.g. FeatureFamily.features), '
        'or {"column": {"tables": ["table"], "category": "category"}}.')


def _names(func: str, path: str, value: Any) -> tuple[str, ...]:
    items = V.listlike(value, func=func, name=path, min_size=1, unique=True)
    bad = [t for t in items if not isinstance(t, str) or not t]
    if bad:
        raise V.fail(func, path, "must hold table names (non-empty strings)", V.show(bad, len(bad)), _FIX)
    return tuple(items)


def _one(func: str, path: str, spec: Any) -> dict[str, Any]:
    """One column's source as ``{"tables": tuple, "category": str}``."""
    if isinstance(spec, Mapping):
        keys = sorted(map(str, spec))
        if keys != ["category", "tables"]:
            raise V.fail(func, path, "must have exactly the keys 'tables' and 'category'",
                         f"keys {V.show(keys, len(keys))}", _FIX)
        tables, category = spec["tables"], spec["category"]
    elif hasattr(spec, "sources") and hasattr(spec, "category"):
        tables, category = spec.sources, spec.category
    else:
        raise V.fail(func, path, "must be a FeatureSpec (an object with sources and category) or a mapping "
                     "with 'tables' and 'category'", f"a {type(spec).__name__}", _FIX)
    if not isinstance(category, str) or not category:
        raise V.fail(func, f"{path}.category", "must be a non-empty string", repr(category), _FIX)
    return {"tables": _names(func, f"{path}.tables", tables), "category": category}


def feature_sources_rule(value: Any, func: str, name: str) -> dict[str, dict[str, Any]] | None:
    """``None``, or per column ``{"tables": tuple of str, "category": str}``.

    ``value`` is a mapping of column name to a FeatureSpec-like object or
    to such a dict, or a list of FeatureSpec-like objects (keyed by their
    ``name``).
    """
    if value is None:
        return None
    out: dict[str, dict[str, Any]] = {}
    if isinstance(value, Mapping):
        for col, spec in value.items():
            if not isinstance(col, str):
                raise V.fail(func, name, "must map column names (strings) to sources", f"key {col!r}", _FIX)
            out[col] = _one(func, f"{name}[{col!r}]", spec)
        return out
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise V.fail(func, name, "must be None, a mapping of column names to sources or a list of "
                     "FeatureSpec", repr(value)[:60], _FIX)
    for k, spec in enumerate(value):
        col = getattr(spec, "name", None)
        if not isinstance(col, str):
            raise V.fail(func, f"{name}[{k}]", "must be a FeatureSpec (an object with name, sources and "
                         "category)", f"a {type(spec).__name__}", _FIX)
        if col in out:
            raise V.fail(func, name, "must describe each column once", f"{col!r} twice",
                         "Pass each FeatureSpec once.")
        out[col] = _one(func, f"{name}[{k}]", spec)
    return out


def resolve(features: Iterable[str], checked: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Source]:
    """The source of each feature: the caller's description, else :data:`UNKNOWN_SOURCE`."""
    given = checked or {}
    return {f: Source(tuple(given[f]["tables"]), str(given[f]["category"])) if f in given else UNKNOWN_SOURCE
            for f in features}


def params_payload(checked: Mapping[str, Mapping[str, Any]] | None,
                   columns: Iterable[str]) -> dict[str, dict[str, Any]] | None:
    """The ``feature_sources`` parameter for ``to_dict``: the entries of the card's columns, as JSON."""
    if checked is None:
        return None
    return {c: {"tables": list(checked[c]["tables"]), "category": checked[c]["category"]}
            for c in columns if c in checked}


def sources_payload(sources: Mapping[str, Source]) -> dict[str, dict[str, Any]]:
    """The fitted ``feature_sources_`` as JSON."""
    return {f: {"tables": list(s.tables), "category": s.category} for f, s in sources.items()}


def tables_of(sources: Mapping[str, Source]) -> tuple[str, ...]:
    """Every table of the features, sorted, each once."""
    return tuple(sorted({t for s in sources.values() for t in s.tables}))


def categories_of(sources: Mapping[str, Source]) -> tuple[str, ...]:
    """Every data category of the features, sorted, each once."""
    return tuple(sorted({s.category for s in sources.values()}))


def missing(func: str, sources: Mapping[str, Source], allowed: Any) -> tuple[str, ...]:
    """Tables the features need that ``allowed`` does not hold (``"unknown"`` is never allowed)."""
    items = V.listlike(allowed, func=func, name="sources")
    bad = [t for t in items if not isinstance(t, str)]
    if bad:
        raise V.fail(func, "sources", "must hold table names (strings)", V.show(bad, len(bad)),
                     "Pass the tables the borrower consented to, e.g. ['loans', 'inquiries'].")
    return tuple(t for t in tables_of(sources) if t == UNKNOWN or t not in set(items))
