"""Fine-bin sufficient statistics: :class:`BinStats`, the unit of distributed fitting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._bands import IndexArray, interval_index
from jiebei_credit._types import Sample, Vector
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import Kind
from jiebei_credit.scorecard._finebin import (
    Category,
    as_float,
    as_series,
    category_key,
    check_specials,
    detect_kind,
    fine_edges,
    py_scalar,
)
from jiebei_credit.scorecard._folds import CV_FOLDS, deal_folds
from jiebei_credit.scorecard._frames import one_column
from jiebei_credit.scorecard._params import RULES
from jiebei_credit.scorecard._payload import Checker, check_stats

FloatArray = V.FloatArray

__all__ = ["BinStats"]

STATS_SCHEMA = "jiebei_credit.scorecard.BinStats"
STATS_VERSION = 1


# -------------------------------------------------------------- BinStats ---


@dataclass(frozen=True, slots=True, kw_only=True)
class BinStats:
    """Good and bad totals per fine bin of one feature: the unit of fitting.

    Statistics of two partitions of the data, built with the same fine
    ``edges`` (numeric) and ``special_values``, add up (``a + b``) to the
    statistics of their union, so a binning can be fitted from partitions
    computed in parallel and reduced.

    Parameters
    ----------
    kind : {'numeric', 'categorical'}
        Feature type.
    edges : tuple of float
        Numeric: fine edges (see :func:`quantile_edges`); ``()`` for
        categorical features.
    categories : tuple
        Categorical: the distinct categories, sorted; ``()`` for numeric.
    goods, bads : tuple of float
        Weight of goods (``y = 0``) and bads (``y = 1``) per fine bin
        (numeric: ``len(edges) + 1`` bins; categorical: one per category).
    special_values : tuple
        Values binned apart from the regular ones, one bin each.
    special_goods, special_bads : tuple of float
        Their good and bad weights, in the same order.
    missing_goods, missing_bads : float
        Good and bad weight of missing values.
    name : str or None
        Feature name.

    Examples
    --------
    >>> a = BinStats.from_data([1, 2, 3, None], [0, 1, 0, 1], edges=[2.0])
    >>> a.goods, a.bads, a.missing_bads
    ((1.0, 1.0), (0.0, 1.0), 1.0)
    >>> (a + a).bads
    (0.0, 2.0)
    """

    kind: Literal["numeric", "categorical"]
    edges: tuple[float, ...] = ()
    categories: tuple[Category, ...] = ()
    goods: tuple[float, ...]
    bads: tuple[float, ...]
    special_values: tuple[Category, ...] = ()
    special_goods: tuple[float, ...] = ()
    special_bads: tuple[float, ...] = ()
    missing_goods: float = 0.0
    missing_bads: float = 0.0
    name: str | None = None

    def __post_init__(self) -> None:
        n = len(self.edges) + 1 if self.kind == "numeric" else len(self.categories)
        if len(self.goods) != n or len(self.bads) != n:
            raise V.fail("BinStats", "goods and bads", f"must have one value per fine bin ({n})",
                         f"{len(self.goods)} and {len(self.bads)} values")
        k = len(self.special_values)
        if len(self.special_goods) != k or len(self.special_bads) != k:
            raise V.fail("BinStats", "special_goods and special_bads",
                         f"must have one value per special value ({k})",
                         f"{len(self.special_goods)} and {len(self.special_bads)} values")
        if self.kind == "numeric" and any(b <= a for a, b in pairwise(self.edges)):
            raise V.fail("BinStats", "edges", "must be strictly increasing",
                         V.show(self.edges, len(self.edges)))

    @property
    def total_goods(self) -> float:
        """Weight of all goods, including missing and special values."""
        return float(sum(self.goods) + sum(self.special_goods) + self.missing_goods)

    @property
    def total_bads(self) -> float:
        """Weight of all bads, including missing and special values."""
        return float(sum(self.bads) + sum(self.special_bads) + self.missing_bads)

    @classmethod
    def from_data(
        cls,
        x: Sample,
        y: Vector,
        *,
        kind: Kind = "auto",
        edges: Sequence[float] | None = None,
        n_prebins: int = 50,
        special_values: Sequence[Category] = (),
        sample_size: int | None = 100_000,
        seed: int = 0,
        sample_weight: Vector | None = None,
        name: str | None = None,
    ) -> BinStats:
        """Count goods and bads per fine bin.

        Parameters
        ----------
        x : array-like, shape (n,)
            Feature values. Missing: NaN, None, ``pd.NA``.
        y : array-like of {0, 1}, shape (n,)
            Target, 1 = bad, 0 = good.
        kind : {'auto', 'numeric', 'categorical'}, default 'auto'
            ``auto``: integer and float dtypes are numeric, everything else
            (text, category, bool, object) categorical.
        edges : sequence of float, optional
            Numeric fine edges; by default :func:`quantile_edges` of ``x``.
            Pass the same edges to every partition of distributed data.
        n_prebins : int, default 50
            Number of quantile pre-bins, passed to :func:`quantile_edges` when
            ``edges`` is None.
        special_values : list-like, default ()
            Values binned apart, one bin each (e.g. ``-999`` for "no record").
        sample_size : int or None, default 100_000
            Above this many regular values the quantiles come from a seeded
            sample of this size (``None`` = exact); passed to
            :func:`quantile_edges` when ``edges`` is None.
        seed : int, default 0
            Seed of that sample.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative row weights; counts become weight sums. ``y`` and
            the weights are matched to a Series ``x`` by index label when
            they are Series too.
        name : str, optional
            Feature name.

        Returns
        -------
        BinStats
            Good and bad weight per fine bin, special value and the missing bin.

        Raises
        ------
        InvalidInputError
            Bad target, weights, lengths, values or parameters (see
            :func:`bin_feature`).
        """
        return cls._from_data(x, y, kind=kind, edges=edges, n_prebins=n_prebins,
                              special_values=special_values, sample_size=sample_size, seed=seed,
                              sample_weight=sample_weight, name=name, func="BinStats.from_data",
                              folds=False)[0]

    @classmethod
    def _from_data(cls, x: Any, y: Any, *, kind: Kind, edges: Sequence[float] | None, n_prebins: int,
                   special_values: Sequence[Category], sample_size: int | None, seed: int,
                   sample_weight: Any, name: str | None, func: str, folds: bool) -> tuple[BinStats, ...]:
        """:meth:`from_data`, with errors naming ``func`` (the public function the user called).

        One statistics, or with ``folds`` and a numeric feature, one per
        cross-validation fold (:func:`numeric_fold_stats`, dealt with ``seed``).
        """
        kind = RULES["kind"](kind, func, "kind")
        name = RULES["name"](name, func, "name")
        n_prebins = RULES["n_prebins"](n_prebins, func, "n_prebins")
        sample_size = RULES["sample_size"](sample_size, func, "sample_size")
        seed = RULES["seed"](seed, func, "seed")
        if sample_size is not None and sample_size < n_prebins:
            raise V.fail(func, "sample_size", f"must be None or an integer >= n_prebins ({n_prebins})",
                         repr(sample_size), "Raise sample_size or lower n_prebins.")
        label = "x" if name is None else f"column {name!r}"
        V.vector(x, func=func, name=label, allow_empty=True)  # one-dimensional, not a scalar or a frame
        resolved = detect_kind(x) if kind == "auto" else kind
        specials = check_specials(func, resolved, special_values)
        if resolved == "numeric":
            xv, _ = as_float(func, x, label)
            yv, w = one_column(func, x, y, sample_weight, label)
            if edges is None:
                fine = fine_edges(xv, n_prebins=n_prebins, specials=specials, sample_size=sample_size,
                                  seed=seed)
            else:
                fine, _ = V.float_vector(edges, func=func, name="edges", allow_empty=True)
                if np.any(np.diff(fine) <= 0):
                    raise V.fail(func, "edges", "must be strictly increasing",
                                 V.show(fine.tolist(), fine.size))
            if folds:
                return numeric_fold_stats(xv, yv, w, fine, specials, name, seed)
            return (numeric_stats(xv, yv, w, fine, specials, name),)
        if edges is not None:
            raise V.fail(func, "edges", "must be None for a categorical feature", V.show(list(edges)))
        s = as_series(func, x, label)
        yv, w = one_column(func, x, y, sample_weight, label)
        return (categorical_stats(s, yv, w, specials, name),)

    def merge(self, other: BinStats) -> BinStats:
        """Add the statistics of another data set: those of the union (same as ``self + other``).

        Parameters
        ----------
        other : BinStats
            Statistics with the same kind, fine edges and special values.

        Returns
        -------
        BinStats
            New statistics whose counts are the sums; categories are the union,
            in sorted order. Neither operand changes.

        Raises
        ------
        InvalidInputError
            When kinds, edges or special values differ.
        """
        if not isinstance(other, BinStats):
            raise V.fail("BinStats.merge", "other", "must be a BinStats", f"a {type(other).__name__}")
        if (self.kind, self.edges, self.special_values) != (other.kind, other.edges, other.special_values):
            raise V.fail("BinStats.merge", "other", "must share kind, fine edges and special values with "
                         "these statistics", f"kind {other.kind!r}, {len(other.edges)} edges, special values "
                         f"{V.show(other.special_values)}",
                         "Build every partition with the same edges=... and special_values=....")
        sg = tuple(a + b for a, b in zip(self.special_goods, other.special_goods, strict=True))
        sb = tuple(a + b for a, b in zip(self.special_bads, other.special_bads, strict=True))
        if self.kind == "numeric":
            goods = tuple(a + b for a, b in zip(self.goods, other.goods, strict=True))
            bads = tuple(a + b for a, b in zip(self.bads, other.bads, strict=True))
            cats: tuple[Category, ...] = ()
        else:
            acc: dict[tuple[str, Any], list[Any]] = {}
            for stats in (self, other):
                for c, g, b in zip(stats.categories, stats.goods, stats.bads, strict=True):
                    slot = acc.setdefault(category_key(c), [c, 0.0, 0.0])
                    slot[1] += g
                    slot[2] += b
            rows = [acc[k] for k in sorted(acc)]
            cats = tuple(r[0] for r in rows)
            goods = tuple(float(r[1]) for r in rows)
            bads = tuple(float(r[2]) for r in rows)
        return BinStats(
            kind=self.kind,
            edges=self.edges,
            categories=cats,
            goods=goods,
            bads=bads,
            special_values=self.special_values,
            special_goods=sg,
            special_bads=sb,
            missing_goods=self.missing_goods + other.missing_goods,
            missing_bads=self.missing_bads + other.missing_bads,
            name=self.name if self.name == other.name else None,
        )

    def __add__(self, other: BinStats) -> BinStats:
        return self.merge(other)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with ``schema`` and ``version``; see :meth:`from_dict`.

        Returns
        -------
        dict of str to object
            Every field, lists for tuples; :meth:`from_dict` rebuilds equal statistics.
        """
        return {
            "schema": STATS_SCHEMA,
            "version": STATS_VERSION,
            "name": self.name,
            "kind": self.kind,
            "edges": list(self.edges),
            "categories": list(self.categories),
            "goods": list(self.goods),
            "bads": list(self.bads),
            "special_values": list(self.special_values),
            "special_goods": list(self.special_goods),
            "special_bads": list(self.special_bads),
            "missing_goods": self.missing_goods,
            "missing_bads": self.missing_bads,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BinStats:
        """Rebuild from :meth:`to_dict` output.

        Parameters
        ----------
        d : mapping
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        BinStats
            Statistics equal to the ones that wrote ``d``.

        Raises
        ------
        InvalidInputError
            Wrong ``schema`` or unsupported ``version``; otherwise one error
            listing every problem found (types, finiteness, negative counts,
            lengths that do not match the fine bins), each with its field.
        """
        ck = Checker("BinStats.from_dict", "BinStats")
        fields = check_stats(ck, d, schema=STATS_SCHEMA, version=STATS_VERSION)
        ck.raise_if_any()
        if fields is None:  # pragma: no cover - a problem was recorded and raised
            raise InvalidInputError("BinStats.from_dict: d is not a BinStats payload.")
        return cls(**fields)


def _counts(
    idx: np.ndarray[Any, Any], y: FloatArray, w: FloatArray | None, size: int
) -> tuple[FloatArray, FloatArray]:
    """Good and bad weight per slot of ``idx`` (one or two bincount passes)."""
    if w is None:
        total = np.bincount(idx, minlength=size).astype(np.float64)
        bads = np.bincount(idx, weights=y, minlength=size).astype(np.float64)
        return total - bads, bads
    total = np.bincount(idx, weights=w, minlength=size).astype(np.float64)
    bads = np.bincount(idx, weights=w * y, minlength=size).astype(np.float64)
    return total - bads, bads


def numeric_stats(
    xv: FloatArray,
    y: FloatArray,
    w: FloatArray | None,
    edges: FloatArray,
    specials: tuple[Category, ...],
    name: str | None,
) -> BinStats:
    """Fine-bin statistics of validated numeric values (NaN = missing)."""
    idx = _numeric_slots(xv, edges, specials)
    goods, bads = _counts(idx, y, w, edges.size + 2 + len(specials))
    return _slot_stats(goods, bads, edges, specials, name)


def numeric_folds(
    xv: FloatArray, y: FloatArray, w: FloatArray | None, edges: FloatArray, specials: tuple[Category, ...],
    seed: int,
) -> tuple[IndexArray, npt.NDArray[np.intp]]:
    """The fine slot and the cross-validation fold of each row (:func:`deal_folds` by slot, class, weight)."""
    slots = _numeric_slots(xv, edges, specials)
    return slots, deal_folds([slots], y, w, seed)


def numeric_fold_stats(
    xv: FloatArray,
    y: FloatArray,
    w: FloatArray | None,
    edges: FloatArray,
    specials: tuple[Category, ...],
    name: str | None,
    seed: int,
) -> tuple[BinStats, ...]:
    """:func:`numeric_stats` of the rows of each fold of :func:`numeric_folds`, in fold order.

    Rows in the same fine slot, of the same class and weight, are
    interchangeable in these statistics, so they depend on the multiset of
    rows and ``seed`` only, not on the row order. One counting pass over
    the rows, keyed by slot and fold (each cell adds its rows in row order,
    as a pass over the fold's rows alone would).
    """
    size = edges.size + 2 + len(specials)
    slots, fold = numeric_folds(xv, y, w, edges, specials, seed)
    idx = slots * CV_FOLDS + fold
    goods, bads = (c.reshape(size, CV_FOLDS) for c in _counts(idx, y, w, size * CV_FOLDS))
    return tuple(_slot_stats(goods[:, k], bads[:, k], edges, specials, name) for k in range(CV_FOLDS))


def _numeric_slots(xv: FloatArray, edges: FloatArray, specials: tuple[Category, ...]) -> IndexArray:
    """Slot of each value: fine bin ``0 … m``, missing ``m + 1``, special value ``k`` at ``m + 2 + k``."""
    m = edges.size
    idx = interval_index(xv, edges, np.empty(xv.size, dtype=np.intp), nan=m + 1)
    for k, sv in enumerate(specials):
        idx[xv == sv] = m + 2 + k
    return idx


def _slot_stats(
    goods: FloatArray, bads: FloatArray, edges: FloatArray, specials: tuple[Category, ...], name: str | None,
) -> BinStats:
    """The :class:`BinStats` of good and bad weights per slot (the slots of :func:`_numeric_slots`)."""
    m = edges.size
    return BinStats(
        kind="numeric",
        edges=tuple(float(e) for e in edges),
        goods=tuple(goods[: m + 1].tolist()),
        bads=tuple(bads[: m + 1].tolist()),
        special_values=specials,
        special_goods=tuple(goods[m + 2 :].tolist()),
        special_bads=tuple(bads[m + 2 :].tolist()),
        missing_goods=float(goods[m + 1]),
        missing_bads=float(bads[m + 1]),
        name=name,
    )


def categorical_stats(
    s: pd.Series,
    y: FloatArray,
    w: FloatArray | None,
    specials: tuple[Category, ...],
    name: str | None,
) -> BinStats:
    """Per-category statistics; missing and special values apart."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = [py_scalar(v) for v in list(uniques)]
    n_u = len(values)
    idx = np.where(codes < 0, n_u, codes).astype(np.intp)
    goods, bads = _counts(idx, y, w, n_u + 1)
    spec_pos = {category_key(v): k for k, v in enumerate(specials)}
    sg = [0.0] * len(specials)
    sb = [0.0] * len(specials)
    rows: list[tuple[tuple[str, Any], Category, float, float]] = []
    for i, v in enumerate(values):
        k = spec_pos.get(category_key(v))
        if k is not None:
            sg[k] += float(goods[i])
            sb[k] += float(bads[i])
        else:
            rows.append((category_key(v), v, float(goods[i]), float(bads[i])))
    rows.sort(key=lambda r: r[0])
    return BinStats(
        kind="categorical",
        categories=tuple(r[1] for r in rows),
        goods=tuple(r[2] for r in rows),
        bads=tuple(r[3] for r in rows),
        special_values=specials,
        special_goods=tuple(sg),
        special_bads=tuple(sb),
        missing_goods=float(goods[n_u]),
        missing_bads=float(bads[n_u]),
        name=name,
    )
