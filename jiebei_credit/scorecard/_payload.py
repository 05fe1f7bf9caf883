"""Checking ``to_dict`` payloads before anything is rebuilt from them.

A payload read back by ``from_dict`` may have been edited, truncated or
tampered with. :class:`Checker` walks it field by field with the rules of
:mod:`jiebei_credit._validation`, records every problem with the path of the
field (``binnings['util'].goods[2]``) instead of stopping at the first, and
:meth:`Checker.raise_if_any` raises one
:class:`~jiebei_credit.errors.InvalidInputError` listing them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from jiebei_credit import _validation as V
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import Trend, Unseen
from jiebei_credit.scorecard._params import MAX_SMOOTHING, category_scalar

__all__: list[str] = []

#: Problems listed in the message before a count of the rest.
LISTED = 20


class Checker:
    """Collects the problems of one payload; each names the path of its field."""

    def __init__(self, func: str, what: str) -> None:
        self.func = func
        self.what = what
        self.problems: list[str] = []

    # ------------------------------------------------------------ recording ---

    def add(self, path: str, rule: str, got: str) -> None:
        """Record ``'<path> <rule>; got <got>.'``."""
        self.problems.append(f"{path} {rule}; got {got}.")

    @contextmanager
    def field(self) -> Iterator[None]:
        """Record an :class:`InvalidInputError` raised inside instead of raising it."""
        try:
            yield
        except InvalidInputError as exc:
            text = str(exc).removeprefix(f"{self.func}: ")
            self.problems.append(text)

    def run(self, rule: Callable[..., Any], value: Any, path: str, **kw: Any) -> tuple[bool, Any]:
        """``(True, value)`` checked by a :mod:`_validation` rule, or ``(False, None)`` (recorded)."""
        n = len(self.problems)
        out = None
        with self.field():
            out = rule(value, func=self.func, name=path, **kw)
        return len(self.problems) == n, out

    def raise_if_any(self) -> None:
        """One :class:`InvalidInputError` listing every problem recorded."""
        if not self.problems:
            return
        n = len(self.problems)
        lines = [f"  - {p}" for p in self.problems[:LISTED]]
        if n > LISTED:
            lines.append(f"  - … and {n - LISTED} more")
        head = f"{self.func}: d must be a valid {self.what} payload; got {n} problem{'s' if n != 1 else ''}:"
        tail = f"Pass the output of {self.what}.to_dict(), unchanged."
        raise InvalidInputError("\n".join([head, *lines, tail]))

    # ---------------------------------------------------------------- shapes ---

    def header(self, d: object, *, schema: str, version: int, keys: Sequence[str],
               optional: Sequence[str] = (), path: str = "d") -> Mapping[str, Any] | None:
        """``d`` as a mapping with this schema and version; unknown and missing keys are recorded.

        A wrong schema or version raises at once: nothing else can be read.
        """
        if not isinstance(d, Mapping):
            if path == "d":
                raise V.fail(self.func, "d", f"must be a mapping (the output of {self.what}.to_dict())",
                             f"a {type(d).__name__}")
            self.add(path, f"must be a mapping (a {self.what} payload)", f"a {type(d).__name__}")
            return None
        if d.get("schema") != schema or d.get("version") != version:
            got = f"schema {d.get('schema')!r} version {d.get('version')!r}"
            if path == "d":
                raise V.fail(self.func, "d", f"must have schema {schema!r} version {version}", got,
                             f"Pass the output of {self.what}.to_dict().")
            self.add(path, f"must have schema {schema!r} version {version}", got)
            return None
        self.keys(d, path, keys, optional)
        return d

    def keys(
        self, d: Mapping[str, Any], path: str, keys: Sequence[str], optional: Sequence[str] = ()
    ) -> None:
        """Record unknown keys of ``d`` and missing required ones."""
        known = set(keys) | set(optional) | {"schema", "version"}
        unknown = sorted(str(k) for k in d if k not in known)
        if unknown:
            self.add(path, f"must have only the keys {', '.join(sorted(set(keys) | set(optional)))}",
                     f"unknown keys {V.show(unknown, len(unknown))}")
        missing = [k for k in keys if k not in d]
        if missing:
            self.add(path, "must have every key", f"missing keys {V.show(missing, len(missing))}")

    def mapping(self, v: Any, path: str) -> Mapping[str, Any] | None:
        """``v`` if it is a mapping with string keys, else recorded."""
        if not isinstance(v, Mapping):
            self.add(path, "must be a mapping", _what(v))
            return None
        bad = [k for k in v if not isinstance(k, str)]
        if bad:
            self.add(path, "must have string keys", V.show(bad, len(bad)))
            return None
        return v

    def seq(self, v: Any, path: str, *, size: int | None = None, size_of: str = "") -> list[Any] | None:
        """``v`` as a list if it is a list or tuple (of ``size`` items when given), else recorded."""
        if not isinstance(v, list | tuple):
            self.add(path, "must be a list", _what(v))
            return None
        if size is not None and len(v) != size:
            self.add(path, f"must have {size} item{'s' if size != 1 else ''}{size_of}", f"{len(v)}")
            return None
        return list(v)

    # ---------------------------------------------------------------- values ---

    def real(self, v: Any, path: str, **kw: Any) -> float | None:
        ok, out = self.run(V.real, v, path, **kw)
        return out if ok else None

    def reals(self, v: Any, path: str, *, size: int | None = None, size_of: str = "",
              **kw: Any) -> list[float] | None:
        """A list of reals, each checked with ``kw``; ``None`` if any item (or the list) is bad."""
        items = self.seq(v, path, size=size, size_of=size_of)
        if items is None:
            return None
        out = [self.real(x, f"{path}[{k}]", **kw) for k, x in enumerate(items)]
        return None if any(x is None for x in out) else [float(x) for x in out if x is not None]

    def nan_or_real(self, v: Any, path: str, **kw: Any) -> float | None:
        """A real, or NaN or None (an estimate the fit could not produce), read as NaN."""
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return math.nan
        return self.real(v, path, **kw)

    def integer(self, v: Any, path: str, **kw: Any) -> int | None:
        ok, out = self.run(V.integer, v, path, **kw)
        return out if ok else None

    def flag(self, v: Any, path: str) -> bool | None:
        ok, out = self.run(V.flag, v, path)
        return out if ok else None

    def choice(self, v: Any, allowed: Any, path: str) -> Any:
        ok, out = self.run(lambda value, func, name: V.choice(value, allowed, func=func, name=name), v, path)
        return out if ok else None

    def string(self, v: Any, path: str, *, optional: bool = False) -> str | None:
        if isinstance(v, str) or (optional and v is None):
            return v
        self.add(path, "must be a string" + (" or None" if optional else ""), _what(v))
        return None

    def category(self, v: Any, path: str) -> Any:
        ok, out = self.run(category_scalar, v, path)
        return out if ok else _BAD

    def distinct(self, values: Sequence[Any], path: str) -> bool:
        """Record repeats (by value: ``1``, ``1.0`` and ``True`` are the same category)."""
        seen: set[Any] = set()
        repeated = []
        for v in values:
            if v in seen:
                repeated.append(v)
            seen.add(v)
        if repeated:
            self.add(path, "must not repeat a value (1, 1.0 and True are the same value)",
                     f"repeats of {V.show(repeated, len(repeated))}")
        return not repeated


#: Marks a category that failed its check (``None`` is not a category either, but is data).
_BAD = object()


def _what(v: Any) -> str:
    """A short description of a JSON value for messages."""
    if isinstance(v, Mapping | list | tuple):
        return f"a {type(v).__name__} of {len(v)} items"
    if isinstance(v, bool):
        return f"{v!r} (a bool)"
    if isinstance(v, float | int):
        return f"{v!r} ({type(v).__name__})"
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------- binnings ---

BINNING_KEYS = ("kind", "goods", "bads", "labels")
BINNING_OPTIONAL = ("name", "edges", "groups", "special_values", "special_bins", "has_missing",
                    "smoothing", "unseen", "trend", "rare_bin")


def check_binning(ck: Checker, d: object, path: str, *, schema: str, version: int) -> dict[str, Any] | None:
    """The fields of a :class:`Binning` payload, every rule and consistency checked; None if bad."""
    body = ck.header(d, schema=schema, version=version, keys=BINNING_KEYS, optional=BINNING_OPTIONAL,
                     path=path)
    if body is None or any(k not in body for k in BINNING_KEYS):
        return None
    n0 = len(ck.problems)
    dot = path + "." if path != "d" else ""
    kind = ck.choice(body.get("kind"), ("numeric", "categorical"), f"{dot}kind")
    name = ck.string(body.get("name"), f"{dot}name", optional=True)
    edges = ck.reals(body.get("edges", []), f"{dot}edges")
    if edges is not None and any(b <= a for a, b in pairwise(edges)):
        ck.add(f"{dot}edges", "must be strictly increasing", V.show(edges, len(edges)))
        edges = None
    groups = _groups(ck, body.get("groups", []), f"{dot}groups")
    specials = _categories(ck, body.get("special_values", []), f"{dot}special_values")
    if kind == "numeric" and specials is not None:
        bad = [v for v in specials if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            ck.add(f"{dot}special_values", "must hold numbers for a numeric binning", V.show(bad, len(bad)))
            specials = None
    special_bins = ck.seq(body.get("special_bins", []), f"{dot}special_bins")
    if special_bins is not None:
        checked = [ck.integer(b, f"{dot}special_bins[{k}]", low=-1) for k, b in enumerate(special_bins)]
        special_bins = None if any(b is None for b in checked) else [b for b in checked if b is not None]
    has_missing = ck.flag(body.get("has_missing", False), f"{dot}has_missing")
    goods = ck.reals(body.get("goods"), f"{dot}goods", low=0.0)
    bads = ck.reals(body.get("bads"), f"{dot}bads", low=0.0)
    labels = ck.seq(body.get("labels"), f"{dot}labels")
    if labels is not None and any(ck.string(x, f"{dot}labels[{k}]") is None for k, x in enumerate(labels)):
        labels = None
    smoothing = ck.real(body.get("smoothing", 0.5), f"{dot}smoothing", low=0.0, high=MAX_SMOOTHING,
                        low_open=True)
    unseen = ck.choice(body.get("unseen", "raise"), Unseen, f"{dot}unseen")
    trend = ck.choice(body.get("trend", "none"), Trend, f"{dot}trend")
    rare_bin = ck.integer(body.get("rare_bin", -1), f"{dot}rare_bin", low=-1)
    if len(ck.problems) > n0:
        return None
    # consistency between the fields (types are right from here on)
    if (edges is None or groups is None or specials is None or special_bins is None or goods is None
            or bads is None or labels is None):  # pragma: no cover - each None recorded a problem above
        return None
    if kind == "numeric" and groups:
        ck.add(f"{dot}groups", "must be empty for a numeric binning", f"{len(groups)} groups")
    if kind == "categorical":
        if edges:
            ck.add(f"{dot}edges", "must be empty for a categorical binning", f"{len(edges)} edges")
        if not groups:
            ck.add(f"{dot}groups", "must hold at least one group of categories", "none")
        ck.distinct([c for g in groups for c in g] + list(specials), f"{dot}groups and {dot}special_values")
    if not ck.distinct(specials, f"{dot}special_values"):
        return None
    n_regular = len(edges) + 1 if kind == "numeric" else len(groups)
    if rare_bin is not None and rare_bin >= 0 and (kind != "categorical" or rare_bin >= n_regular):
        ck.add(f"{dot}rare_bin",
               f"must be -1 or a regular bin of a categorical binning (0 to {n_regular - 1})", repr(rare_bin))
        return None
    if len(special_bins) != len(specials):
        ck.add(f"{dot}special_bins", f"must have one entry per value of {dot}special_values "
               f"({len(specials)})", f"{len(special_bins)}")
        return None
    rows = [b for b in special_bins if b >= 0]
    if rows != list(range(n_regular, n_regular + len(rows))):
        source = f"{dot}edges" if kind == "numeric" else f"{dot}groups"
        ck.add(f"{dot}special_bins", f"must number the special bins {n_regular}, {n_regular + 1}, … in "
               f"order, after the {n_regular} regular bins of {source} (-1 for a special value absent in "
               "training)",
               V.show(special_bins, len(special_bins)))
        return None
    n_bins = n_regular + len(rows) + int(bool(has_missing))
    layout = (f" ({n_bins} bins: {n_regular} regular from {dot}{'edges' if kind == 'numeric' else 'groups'}, "
              f"{len(rows)} special from {dot}special_bins, {int(bool(has_missing))} missing from "
              f"{dot}has_missing)")
    for field, values in (("goods", goods), ("bads", bads), ("labels", labels)):
        if len(values) != n_bins:
            ck.add(f"{dot}{field}", f"must have one value per bin{layout}", f"{len(values)} values")
    if len(ck.problems) > n0:
        return None
    empty = [k for k in range(n_bins) if not goods[k] + bads[k] > 0]
    if empty:
        ck.add(f"{dot}goods and {dot}bads", "must give every bin a positive count",
               f"empty bins {V.show(empty)}")
    if not (sum(goods) > 0 and sum(bads) > 0):
        ck.add(f"{dot}goods and {dot}bads", "must hold both goods and bads", f"totals {sum(goods):g} and "
               f"{sum(bads):g}")
    if not math.isfinite(sum(goods) + sum(bads)):
        ck.add(f"{dot}goods and {dot}bads", "must have a finite total", "an overflow")
    if len(ck.problems) > n0:
        return None
    return {
        "kind": kind, "edges": tuple(edges), "groups": tuple(tuple(g) for g in groups),
        "special_values": tuple(specials), "special_bins": tuple(special_bins),
        "has_missing": bool(has_missing), "goods": tuple(goods), "bads": tuple(bads),
        "labels": tuple(labels), "smoothing": float(smoothing if smoothing is not None else 0.5),
        "unseen": unseen, "trend": trend, "name": name,
        "rare_bin": int(rare_bin if rare_bin is not None else -1),
    }  # fmt: skip


def _categories(ck: Checker, v: Any, path: str) -> list[Any] | None:
    items = ck.seq(v, path)
    if items is None:
        return None
    out = [ck.category(x, f"{path}[{k}]") for k, x in enumerate(items)]
    return None if any(x is _BAD for x in out) else out


def _groups(ck: Checker, v: Any, path: str) -> list[list[Any]] | None:
    items = ck.seq(v, path)
    if items is None:
        return None
    out = []
    for k, g in enumerate(items):
        cats = _categories(ck, g, f"{path}[{k}]")
        if cats is not None and not cats:
            ck.add(f"{path}[{k}]", "must hold at least one category", "an empty list")
            cats = None
        out.append(cats)
    return None if any(g is None for g in out) else [g for g in out if g is not None]


# ------------------------------------------------------------------ stats ---

STATS_KEYS = ("kind", "goods", "bads")
STATS_OPTIONAL = ("name", "edges", "categories", "special_values", "special_goods", "special_bads",
                  "missing_goods", "missing_bads")


def check_stats(ck: Checker, d: object, *, schema: str, version: int) -> dict[str, Any] | None:
    """The fields of a :class:`BinStats` payload, every rule and consistency checked; None if bad."""
    body = ck.header(d, schema=schema, version=version, keys=STATS_KEYS, optional=STATS_OPTIONAL)
    if body is None or any(k not in body for k in STATS_KEYS):
        return None
    n0 = len(ck.problems)
    kind = ck.choice(body.get("kind"), ("numeric", "categorical"), "kind")
    name = ck.string(body.get("name"), "name", optional=True)
    edges = ck.reals(body.get("edges", []), "edges")
    if edges is not None and any(b <= a for a, b in pairwise(edges)):
        ck.add("edges", "must be strictly increasing", V.show(edges, len(edges)))
    categories = _categories(ck, body.get("categories", []), "categories")
    specials = _categories(ck, body.get("special_values", []), "special_values")
    goods = ck.reals(body.get("goods"), "goods", low=0.0)
    bads = ck.reals(body.get("bads"), "bads", low=0.0)
    sg = ck.reals(body.get("special_goods", []), "special_goods", low=0.0)
    sb = ck.reals(body.get("special_bads", []), "special_bads", low=0.0)
    mg = ck.real(body.get("missing_goods", 0.0), "missing_goods", low=0.0)
    mb = ck.real(body.get("missing_bads", 0.0), "missing_bads", low=0.0)
    if len(ck.problems) > n0:
        return None
    if (edges is None or categories is None or specials is None or goods is None or bads is None
            or sg is None or sb is None):  # pragma: no cover - each None recorded a problem above
        return None
    if kind == "numeric":
        if categories:
            ck.add("categories", "must be empty for numeric statistics", f"{len(categories)} categories")
        bad = [v for v in specials if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            ck.add("special_values", "must hold numbers for numeric statistics", V.show(bad, len(bad)))
        n = len(edges) + 1
    else:
        if edges:
            ck.add("edges", "must be empty for categorical statistics", f"{len(edges)} edges")
        ck.distinct(categories + specials, "categories and special_values")
        n = len(categories)
    ck.distinct(specials, "special_values")
    for field, values, size in (("goods", goods, n), ("bads", bads, n), ("special_goods", sg, len(specials)),
                                ("special_bads", sb, len(specials))):
        if len(values) != size:
            per = "special value" if field.startswith("special") else "fine bin"
            ck.add(field, f"must have {size} values (one per {per})", f"{len(values)} values")
    if len(ck.problems) > n0:
        return None
    return {
        "kind": kind, "edges": tuple(edges), "categories": tuple(categories), "goods": tuple(goods),
        "bads": tuple(bads), "special_values": tuple(specials), "special_goods": tuple(sg),
        "special_bads": tuple(sb), "missing_goods": float(mg or 0.0), "missing_bads": float(mb or 0.0),
        "name": name,
    }  # fmt: skip
