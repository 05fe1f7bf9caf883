"""A :class:`Scorecard` fitted from partition statistics (the reduce side of a distributed fit).

The engine adapters (:mod:`jiebei_credit.dask`, :mod:`jiebei_credit.spark`)
call these functions on one pandas partition at a time and add the results;
nothing here knows about an engine. The steps, each a full read of the data:

1. :func:`partition_totals`: rows, goods and bads (and the row checks);
2. :func:`partition_sample`: a seeded Bernoulli sample of the numeric
   columns, whose quantiles (:func:`sample_edges`) are the fine edges;
3. :func:`partition_stats`: :class:`BinStats` per column on those edges
   (per cross-validation fold where ``monotonic='cv'`` chooses the bins,
   the folds dealt within each partition), added with :func:`merge_stats`
   and merged by :func:`fit_binnings_from_stats` (the in-memory merge,
   :func:`optimal_binning`'s code path);
4. :func:`partition_combinations`: goods and bads per distinct combination
   of bins, added with :func:`merge_combinations`.

:func:`fit_combinations` then fits the card on one representative row per
combination and class, weighted by its count, with the bins frozen. WOE,
IV, correlations, VIF, the selection and the logistic likelihood read only
these weighted counts, so the fit equals an in-memory fit with the same
bins (to the rounding of the sums).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._cvbins import cv_binning
from jiebei_credit.scorecard._finebin import (
    Category,
    as_float,
    as_series,
    check_specials,
    detect_kind,
    fine_edges,
)
from jiebei_credit.scorecard._fit import MergeParams, binning_spec, fit_stats, fixed_binning
from jiebei_credit.scorecard._frames import (
    as_frame,
    check_both_classes,
    named_columns_exist,
    target,
    weights,
)
from jiebei_credit.scorecard._model import Scorecard
from jiebei_credit.scorecard._pipeline import check_steps
from jiebei_credit.scorecard._stats import BinStats, categorical_stats, numeric_fold_stats, numeric_stats
from jiebei_credit.scorecard._transformer import binning_params

__all__ = [
    "FitPlan",
    "fit_binnings_from_stats",
    "fit_combinations",
    "merge_combinations",
    "merge_stats",
    "merge_totals",
    "partition_combinations",
    "partition_sample",
    "partition_stats",
    "partition_totals",
    "plan_fit",
    "sample_edges",
]

#: Column names of the weights in a combination table.
GOODS, BADS = "__goods", "__bads"


@dataclass(frozen=True, slots=True)
class Column:
    """How one column is binned: its kind, special values and fixed bins (``user_bins``)."""

    name: str
    kind: str
    specials: tuple[Category, ...]
    fixed: tuple[Any, ...] | None


@dataclass(frozen=True, slots=True)
class FitPlan:
    """Checked parameters of a distributed fit (small and picklable: it travels to the workers)."""

    func: str
    columns: tuple[Column, ...]
    merge: MergeParams
    n_prebins: int
    sample_size: int | None
    seed: int
    #: ``(name, rule, got, fix)`` of settings an in-memory fit takes but a fit from statistics cannot.
    refusals: tuple[tuple[str, str, str, str], ...] = ()

    def check_statistics_path(self) -> None:
        """Raise the first refusal: the fit must run from statistics and this setting needs rows."""
        if self.refusals:
            raise V.fail(self.func, *self.refusals[0])

    @property
    def sampled(self) -> list[str]:
        """Numeric columns whose fine edges come from the sample."""
        return [c.name for c in self.columns if c.kind == "numeric" and c.fixed is None]


def plan_fit(func: str, estimator: Any, meta: pd.DataFrame) -> FitPlan:
    """Check the estimator's parameters and the columns of ``meta`` (an empty frame), before any compute.

    Raises the in-memory errors: invalid parameters, column names that are
    not unique strings, columns of an unsupported type (dates, durations,
    complex numbers), parameters naming absent columns. ``ordinal`` columns,
    ordered categoricals and a cross-validated penalty read rows beyond the
    bin counts: they are recorded in ``refusals`` and refused when the fit
    has to run from statistics (:meth:`FitPlan.check_statistics_path`).
    """
    if not isinstance(estimator, Scorecard):
        raise V.fail(func, "estimator", "must be an unfitted jiebei_credit.scorecard.Scorecard",
                     f"a {type(estimator).__name__}",
                     "Pass e.g. Scorecard(binning=BinningParams(max_bins=5)).")
    merge, rest = binning_params(func, estimator)
    steps = check_steps(
        func, min_iv=estimator.min_iv, max_correlation=estimator.max_correlation, max_vif=estimator.max_vif,
        selection=estimator.selection, criterion=estimator.criterion, p_enter=estimator.p_enter,
        p_remove=estimator.p_remove, min_events_per_feature=estimator.min_events_per_feature,
        penalty=estimator.penalty, penalty_strength=estimator.penalty_strength,
    )  # fmt: skip
    frame = as_frame(func, meta)
    if frame.shape[1] == 0:
        raise V.fail(func, "X", "must have at least one column", "0 columns")
    special_values = rest["special_values"]
    categorical, numeric = rest["categorical"] or (), rest["numeric"] or ()
    named = [("categorical", categorical), ("numeric", numeric), ("ordinal", tuple(rest["ordinal"] or ()))]
    if isinstance(special_values, dict):
        named.append(("special_values", tuple(special_values)))
    if merge.user_bins:
        named.append(("user_bins", tuple(merge.user_bins)))
    named_columns_exist(func, frame, named)
    both = sorted(set(categorical) & set(numeric))
    if both:
        raise V.fail(func, "categorical and numeric", "must not name the same column",
                     V.show(both, len(both)), "Name each column in one of them only.")
    refusals: list[tuple[str, str, str, str]] = []
    if rest["ordinal"]:
        refusals.append(("ordinal", "must be None for a fit from partition statistics",
                         V.show(list(rest["ordinal"])),
                         ("Recode the ordinal columns to their level numbers (numeric columns), or fit "
                          "on a sample in memory (max_rows).")))
    if steps.penalty == "l2" and isinstance(steps.penalty_strength, str):
        refusals.append(("penalty_strength", ("must be a number for a fit from partition statistics "
                         "(cross-validation deals rows to folds)"), repr(steps.penalty_strength),
                         "Pass a number, e.g. the penalty_strength_ of an in-memory fit on a sample."))
    cols = []
    for col in frame.columns:
        x = frame[col]
        label = f"column {col!r}"
        kind = "categorical" if col in categorical else "numeric" if col in numeric else detect_kind(x)
        if isinstance(x.dtype, pd.CategoricalDtype) and x.dtype.ordered:
            refusals.append((label, "must not be an ordered categorical for a fit from partition statistics",
                             f"dtype {x.dtype}", "Recode it to its level numbers (a numeric column)."))
        if isinstance(special_values, dict):
            specials = check_specials(func, kind, special_values.get(col, ()), f"special_values[{col!r}]")
        else:
            specials = check_specials(func, kind, special_values) if kind == "numeric" else ()
        if kind == "numeric":
            as_float(func, x, label)
        else:
            as_series(func, x, label)
        fixed = (merge.user_bins or {}).get(col)
        cols.append(Column(name=col, kind=kind, specials=specials, fixed=fixed))
    return FitPlan(func=func, columns=tuple(cols), merge=merge, n_prebins=rest["n_prebins"],
                   sample_size=rest["sample_size"], seed=rest["seed"], refusals=tuple(refusals))


def _part(plan: FitPlan, X: Any, y: Any, w: Any) -> tuple[pd.DataFrame, V.FloatArray, V.FloatArray]:
    """One partition's frame, target and weights, matched by label and checked as in memory."""
    frame = as_frame(plan.func, X)
    reference = frame.index if isinstance(X, pd.DataFrame) else None
    yv = target(plan.func, y, len(frame), reference)
    wv = weights(plan.func, w, len(frame), reference)
    return frame, yv, (np.ones_like(yv) if wv is None else wv)


def partition_totals(plan: FitPlan, X: Any, y: Any, w: Any) -> tuple[int, float, float]:
    """Rows, good weight and bad weight of one partition (checking its target and weights)."""
    _, yv, wv = _part(plan, X, y, w)
    return yv.size, float(((1.0 - yv) * wv).sum()), float((yv * wv).sum())


def merge_totals(func: str, parts: Iterable[tuple[int, float, float]]) -> tuple[int, float, float]:
    """Sum of :func:`partition_totals`; refuses an empty table or a target with one class."""
    rows = list(parts)
    n = sum(r[0] for r in rows)
    goods = math.fsum(r[1] for r in rows)
    bads = math.fsum(r[2] for r in rows)
    if n == 0:
        raise V.fail(func, "X", "must have at least one row and one column", "0 rows")
    check_both_classes(func, goods, bads)
    return n, goods, bads


def partition_sample(plan: FitPlan, X: Any, *, fraction: float, part: int) -> pd.DataFrame:
    """Rows of the sampled numeric columns kept with probability ``fraction``.

    The draw uses ``numpy.random.default_rng([seed, part])``: the same
    partitions give the same sample on any scheduler.
    """
    frame = as_frame(plan.func, X)
    keep = np.random.default_rng([plan.seed, part]).random(len(frame)) < fraction
    return frame.loc[keep, plan.sampled]


def sample_edges(plan: FitPlan, sample: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    """Fine edges of every numeric column: the sample's quantiles, or the fixed ``user_bins`` edges.

    The quantiles are those of :func:`quantile_edges` (``n_prebins``, the
    column's special values) on every sampled value.
    """
    out: dict[str, tuple[float, ...]] = {}
    for c in plan.columns:
        if c.kind != "numeric":
            continue
        if c.fixed is not None:
            out[c.name] = tuple(float(e) for e in c.fixed)
            continue
        xv, _ = as_float(plan.func, sample[c.name], f"column {c.name!r}")
        edges = fine_edges(xv, n_prebins=plan.n_prebins, specials=c.specials, sample_size=None,
                           seed=plan.seed)
        out[c.name] = tuple(float(e) for e in edges)
    return out


def partition_stats(
    plan: FitPlan, edges: Mapping[str, Sequence[float]], X: Any, y: Any, w: Any
) -> dict[str, tuple[BinStats, ...]]:
    """:class:`BinStats` of every column of one partition, on the shared fine ``edges``.

    One statistics per cross-validation fold for the numeric columns whose
    bins ``monotonic='cv'`` chooses (the partition's rows dealt to folds by
    content, per class: :func:`numeric_fold_stats`), otherwise one for all rows.
    """
    frame, yv, wv = _part(plan, X, y, w)
    out: dict[str, tuple[BinStats, ...]] = {}
    for c in plan.columns:
        label = f"column {c.name!r}"
        if c.kind == "numeric":
            xv, _ = as_float(plan.func, frame[c.name], label)
            cuts = np.asarray(edges[c.name], dtype=np.float64)
            if plan.merge.monotonic == "cv" and c.fixed is None:
                out[c.name] = numeric_fold_stats(xv, yv, wv, cuts, c.specials, c.name, plan.seed)
            else:
                out[c.name] = (numeric_stats(xv, yv, wv, cuts, c.specials, c.name),)
        else:
            out[c.name] = (categorical_stats(as_series(plan.func, frame[c.name], label), yv, wv, c.specials,
                                             c.name),)
    return out


def merge_stats(parts: Iterable[Mapping[str, Sequence[BinStats]]]) -> dict[str, tuple[BinStats, ...]]:
    """Column by column (and fold by fold) sum of :func:`partition_stats` results."""
    out: dict[str, tuple[BinStats, ...]] = {}
    for part in parts:
        for name, stats in part.items():
            out[name] = tuple(stats) if name not in out else tuple(
                a + b for a, b in zip(out[name], stats, strict=True))
    return out


def _empty(stats: BinStats) -> bool:
    """Every row of the column is missing (no regular or special weight)."""
    return not (sum(stats.goods) + sum(stats.bads) + sum(stats.special_goods) + sum(stats.special_bads)) > 0


def fit_binnings_from_stats(plan: FitPlan, stats: Mapping[str, Sequence[BinStats]]) -> dict[str, Binning]:
    """The binning of every non-empty column, merged exactly as :meth:`Scorecard.fit` merges its fine bins.

    ``stats`` holds each column's statistics per fold (:func:`merge_stats`).
    """
    out: dict[str, Binning] = {}
    for c in plan.columns:
        folds = stats[c.name]
        s = reduce(add, folds)
        if _empty(s):
            continue
        if c.fixed is not None:
            out[c.name] = fixed_binning(s, plan.merge, plan.func, c.fixed)
        elif len(folds) > 1:
            out[c.name] = cv_binning(folds, plan.merge, plan.func)
        else:
            out[c.name] = fit_stats(s, plan.merge, plan.func, None)
    return out


def partition_combinations(
    plan: FitPlan, binnings: Mapping[str, Binning], X: Any, y: Any, w: Any
) -> pd.DataFrame:
    """Good and bad weight per distinct combination of bins (table rows) in one partition.

    One int64 column per binned column (its :meth:`Binning.bin_index`) and
    the weights ``__goods`` and ``__bads``; at most one row per combination
    present.
    """
    frame, yv, wv = _part(plan, X, y, w)
    names = list(binnings)
    data: dict[str, Any] = {
        n: binnings[n]._bin_index(frame[n], plan.func) for n in names
    }
    data[GOODS] = (1.0 - yv) * wv
    data[BADS] = yv * wv
    table = pd.DataFrame(data)
    if not names:
        return table.sum().to_frame().T
    return table.groupby(names, sort=False, observed=True).sum().reset_index()


def merge_combinations(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Sum of :func:`partition_combinations` tables, one row per combination (sorted)."""
    frames = [p for p in parts if len(p)]
    table = pd.concat(frames, ignore_index=True)
    names = [c for c in table.columns if c not in (GOODS, BADS)]
    if not names:
        return table.sum().to_frame().T
    return table.groupby(names, sort=True).sum().reset_index()


def _regular_value(edges: Sequence[float], k: int, specials: Sequence[Category]) -> float:
    """A value of regular bin ``k`` (``[e_{k-1}, e_k)``) that is no special value.

    The bin's lower edge (it belongs to the bin), or for the first bin the
    largest float below the first edge; stepped away from special values
    to the next float inside the bin.
    """
    if not edges:
        v, toward = 0.0, math.inf
    elif k == 0:
        v, toward = float(np.nextafter(float(edges[0]), -math.inf)), -math.inf
    else:
        v, toward = float(edges[k - 1]), math.inf
    taken = {float(s) for s in specials}
    while v in taken:
        v = float(np.nextafter(v, toward))
    return v


def _representatives(binning: Binning) -> list[Any]:
    """One value per table row of ``binning``: inside the bin, the special value, or missing."""
    values: list[Any] = []
    if binning.kind == "numeric":
        values = [_regular_value(binning.edges, k, binning.special_values)
                  for k in range(len(binning.edges) + 1)]
        missing: Any = math.nan
    else:
        values = [grp[0] for grp in binning.groups]
        missing = None
    for v, row in zip(binning.special_values, binning.special_bins, strict=True):
        if row >= 0:
            values.append(v)
    if binning.has_missing:
        values.append(missing)
    return values


def fit_combinations(
    plan: FitPlan, estimator: Scorecard, binnings: Mapping[str, Binning], combos: pd.DataFrame, n_rows: int
) -> Scorecard:
    """A new card with ``estimator``'s parameters, fitted on the combination counts with these bins.

    Each combination becomes up to two rows (good, bad) holding a value of
    each of its bins, weighted by the combination's good or bad weight; the
    card is fitted on them with every binning frozen (as
    :meth:`Scorecard.with_bins` freezes them). Columns without a binning
    (every value missing) get missing values and are dropped as ``empty``,
    as in memory; ``n_rows`` is the row count their drop record states.
    """
    goods = combos[GOODS].to_numpy(dtype=np.float64)
    bads = combos[BADS].to_numpy(dtype=np.float64)
    take_g, take_b = np.flatnonzero(goods > 0), np.flatnonzero(bads > 0)
    rows = np.concatenate([take_g, take_b])
    y = np.concatenate([np.zeros(take_g.size), np.ones(take_b.size)])
    w = np.concatenate([goods[take_g], bads[take_b]])
    data: dict[str, Any] = {}
    for c in plan.columns:
        if c.name in binnings:
            lut = _representatives(binnings[c.name])
            idx = combos[c.name].to_numpy(dtype=np.int64)[rows]
            if c.kind == "numeric":
                data[c.name] = np.asarray(lut, dtype=np.float64)[idx]
            else:
                # a categorical dtype keeps the column categorical whatever its categories are
                known = [v for v in lut if v is not None]
                codes = np.array([known.index(v) if v is not None else -1 for v in lut], dtype=np.int64)
                data[c.name] = pd.Categorical.from_codes(codes[idx], categories=pd.Index(known, dtype=object))
        else:
            data[c.name] = np.full(rows.size, np.nan)
    rep = pd.DataFrame(data, index=pd.RangeIndex(rows.size))
    frozen = {n: binning_spec(b) for n, b in binnings.items()}
    card = type(estimator)(**estimator.get_params(deep=False))
    card._fit(plan.func, rep, y, w, frozen)
    if len(binnings) < len(plan.columns):  # state the real row count in the drop records of empty columns
        card.drops_ = tuple(
            (f, s, f"every value is missing ({n_rows} of {n_rows} rows): nothing to bin") if s == "empty"
            else (f, s, r) for f, s, r in card.drops_
        )
    return card
