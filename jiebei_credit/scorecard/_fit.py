"""Fitting a :class:`Binning`: from data (:func:`bin_feature`) or statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
from scipy import special

from jiebei_credit import _validation as V
from jiebei_credit._types import Sample, Vector
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._binparams import BinningParams
from jiebei_credit.scorecard._checks import Kind, Monotonic, Unseen
from jiebei_credit.scorecard._finebin import Category, category_key, sql_clashes
from jiebei_credit.scorecard._frames import check_both_classes
from jiebei_credit.scorecard._optimal import optimal_partition
from jiebei_credit.scorecard._params import RULES, bin_specs
from jiebei_credit.scorecard._stats import BinStats

__all__ = ["bin_feature", "optimal_binning"]

#: The default binning parameters (one shared, frozen record).
DEFAULT_BINNING = BinningParams()
#: The default binning of :class:`Scorecard`: each numeric feature's shape chosen by cross-validation.
CARD_BINNING = BinningParams(monotonic="cv")
#: Categories listed in a bin label before "+N more".
LABEL_CATEGORIES = 5


# ------------------------------------------------------------------ fitting ---


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeParams:
    """Validated merge constraints shared by every fitting entry point."""

    max_bins: int
    min_bin_share: float
    monotonic: str
    cv_max_bins: int
    cv_min_bin_share: float
    min_bin_goods: float
    min_bin_bads: float
    min_category_share: float
    smoothing: float
    unseen: Unseen
    #: Fixed bins per column (``user_bins_rule`` form); these columns are not merged.
    user_bins: Mapping[str, tuple[Any, ...]] | None = None


def merge_params(binning: BinningParams, user_bins: Mapping[str, tuple[Any,
                                                                       ...]] | None = None) -> MergeParams:
    """The merge constraints of a (checked) :class:`BinningParams`."""
    return MergeParams(max_bins=binning.max_bins, min_bin_share=binning.min_bin_share,
                       monotonic=binning.monotonic, cv_max_bins=binning.cv_max_bins,
                       cv_min_bin_share=binning.cv_min_bin_share, min_bin_goods=binning.min_bin_goods,
                       min_bin_bads=binning.min_bin_bads, min_category_share=binning.min_category_share,
                       smoothing=binning.smoothing, unseen=binning.unseen, user_bins=user_bins)


def _fmt(v: float) -> str:
    return repr(float(v))


def _group_label(group: Sequence[Category]) -> str:
    shown = ", ".join(str(c) for c in group[:LABEL_CATEGORIES])
    more = len(group) - LABEL_CATEGORIES
    return shown + (f", … (+{more} more)" if more > 0 else "")


def bin_labels(
    kind: str,
    edges: Sequence[float],
    groups: Sequence[Sequence[Category]],
    special_values: Sequence[Category],
    special_bins: Sequence[int],
    has_missing: bool,
) -> list[str]:
    """The label of each bin, in table order: ``[lo, hi)``, the categories, ``special: v``, ``missing``."""
    if kind == "numeric":
        ext = ["-inf", *(_fmt(e) for e in edges), "inf"]
        labels = [f"[{lo}, {hi})" for lo, hi in pairwise(ext)]
    else:
        labels = [_group_label(grp) for grp in groups]
    labels += [f"special: {v!s}" for v, row in zip(special_values, special_bins, strict=True) if row >= 0]
    if has_missing:
        labels.append("missing")
    return labels


#: Categorical columns with more levels than this (after pooling rare ones) must pass a test of
#: association with the target before their levels are grouped (see :func:`_associated`).
HIGH_CARDINALITY = 10
#: Significance level of that test.
HIGH_CARDINALITY_ALPHA = 0.05


def _associated(fine: Sequence[tuple[Any, Any, Any]]) -> bool:
    """Pearson chi-square test of independence of the levels and the target, p < alpha.

    ``fine`` holds ``(categories, goods, bads)`` per level. With ``K`` levels,
    ``chi2 = Σ_i (o_i − e_i)² / e_i`` over the 2K good/bad cells, ``K − 1``
    degrees of freedom.
    """
    g = np.array([float(f[1]) for f in fine])
    b = np.array([float(f[2]) for f in fine])
    n = g + b
    total = n.sum()
    eg, eb = n * g.sum() / total, n * b.sum() / total
    ok = (eg > 0) & (eb > 0)
    stat = float((((g - eg) ** 2)[ok] / eg[ok]).sum() + (((b - eb) ** 2)[ok] / eb[ok]).sum())
    # chi-square survival function; scipy.special, since importing scipy.stats sets warning filters
    return bool(special.chdtrc(len(fine) - 1, stat) < HIGH_CARDINALITY_ALPHA)


def fit_stats(stats: BinStats, p: MergeParams, func: str, order: Sequence[Category] | None = None) -> Binning:
    """Optimal binning from statistics with validated parameters.

    ``order`` (categorical only) makes the feature an ordinal: its categories
    are merged into contiguous bins in that order (no rare pooling), with
    the trends ``monotonic`` allows for numeric features.
    """
    if p.monotonic == "cv":
        if stats.kind == "numeric" and order is None:
            raise V.fail(func, "monotonic", "must not be 'cv' for a numeric feature fitted from its "
                         "statistics alone (the choice needs the statistics of each cross-validation fold)",
                         repr(p.monotonic), "Fit from data (bin_feature, WOETransformer, Scorecard), or pass "
                         "a trend such as 'auto_turn'.")
        p = replace(p, monotonic="auto_turn")  # categorical and ordinal features: the first shape
    s = p.smoothing
    spec_total = np.asarray(stats.special_goods) + np.asarray(stats.special_bads)
    spec_keep = [k for k in range(len(stats.special_values)) if spec_total[k] > 0]
    has_missing = stats.missing_goods + stats.missing_bads > 0
    fixed_g = [stats.special_goods[k] for k in spec_keep] + ([stats.missing_goods] if has_missing else [])
    fixed_b = [stats.special_bads[k] for k in spec_keep] + ([stats.missing_bads] if has_missing else [])
    g = np.asarray(stats.goods, dtype=np.float64)
    b = np.asarray(stats.bads, dtype=np.float64)
    total = stats.total_goods + stats.total_bads
    check_both_classes(func, stats.total_goods, stats.total_bads)
    what = "x" if stats.name is None else f"column {stats.name!r}"
    if g.sum() + b.sum() <= 0:
        special = sum(stats.special_goods) + sum(stats.special_bads)
        raise V.fail(func, what, "must have regular values (not only missing or special ones)",
                     f"no regular value (total weight {stats.missing_goods + stats.missing_bads:g} missing, "
                     f"{special:g} special)", "Drop the column or fill its missing values.")
    members: list[list[Category]] = []
    pooled_at = -1  # position of the pooled rare categories among the fine bins
    if stats.kind == "categorical":
        clashes = sql_clashes([*stats.categories, *stats.special_values])
        if clashes:
            raise V.fail(func, what, "must not hold categories that read as the same value in SQL (a "
                         "number and text spelling it, or two numbers equal to 15 digits)",
                         f"{len(clashes)} clash{'es' if len(clashes) != 1 else ''}: " + ", ".join(
                             f"{a!r} and {b!r}" for a, b in clashes[:V.SHOWN]) + (", …" if len(clashes) >
                                                                                  V.SHOWN else ""),
                         "Recode the column to one type (all text or all numbers) before fitting; "
                         "to_sql could not tell these categories apart.")
        monotonic = p.monotonic
        if order is not None:
            pos = {category_key(c): k for k, c in enumerate(order)}
            ranks = np.argsort([pos[category_key(c)] for c in stats.categories], kind="stable")
            members = [[stats.categories[k]] for k in ranks]
            g, b = g[ranks], b[ranks]
        elif monotonic not in ("auto", "auto_turn", "ascending", "none"):
            raise V.fail(func, "monotonic", "must be 'auto', 'auto_turn', 'ascending' or 'none': a trend "
                         f"such as {monotonic!r} does not apply to categorical {what} (its categories are "
                         "ordered by WOE)", repr(monotonic))
    if stats.kind == "categorical" and order is None:
        # categories are sorted by WOE, so their WOE ascends: no other trend to choose
        monotonic = "ascending" if monotonic in ("auto", "auto_turn") else monotonic
        rare = (g + b) / total < p.min_category_share
        cats = stats.categories
        fine = [([c], gi, bi) for c, gi, bi, r in zip(cats, g, b, rare, strict=True) if not r]
        if rare.any():
            pooled = [c for c, r in zip(cats, rare, strict=True) if r]
            fine.append((pooled, g[rare].sum(), b[rare].sum()))
        if len(fine) > HIGH_CARDINALITY and not _associated(fine):
            # grouping many levels by their training WOE would fit noise: one bin, nothing to fit
            fine = [([c for f in fine for c in f[0]], sum(f[1] for f in fine), sum(f[2] for f in fine))]
        fine.sort(key=lambda f: (np.log(f[1] + s) - np.log(f[2] + s), category_key(f[0][0])))
        members = [f[0] for f in fine]
        if rare.any():
            pooled_at = 0 if len(fine) == 1 else next(k for k, f in enumerate(fine) if f[0] is pooled)
        g = np.array([f[1] for f in fine], dtype=np.float64)
        b = np.array([f[2] for f in fine], dtype=np.float64)
    elif stats.kind != "categorical":
        monotonic = p.monotonic
    part = optimal_partition(
        g,
        b,
        fixed_goods=np.asarray(fixed_g, dtype=np.float64),
        fixed_bads=np.asarray(fixed_b, dtype=np.float64),
        max_bins=p.max_bins,
        min_share=p.min_bin_share,
        min_goods=p.min_bin_goods,
        min_bads=p.min_bin_bads,
        monotonic=monotonic,
        smoothing=s,
    )
    bounds = [0, *part.cuts, g.size]
    goods = [float(g[a:c].sum()) for a, c in pairwise(bounds)]
    bads = [float(b[a:c].sum()) for a, c in pairwise(bounds)]
    if stats.kind == "numeric":
        edges = tuple(stats.edges[c - 1] for c in part.cuts)
        groups: tuple[tuple[Category, ...], ...] = ()
    else:
        edges = ()
        groups = tuple(
            tuple(c for m in members[a:c_] for c in m) if order is not None
            else tuple(sorted((c for m in members[a:c_] for c in m), key=category_key))
            for a, c_ in pairwise(bounds)
        )
    rare_bin = -1  # the bin holding the pooled rare categories
    if pooled_at >= 0:
        rare_bin = next(k for k, (a, c_) in enumerate(pairwise(bounds)) if a <= pooled_at < c_)
    special_bins = [-1] * len(stats.special_values)
    for row, k in enumerate(spec_keep, start=len(goods)):
        special_bins[k] = row
    labels = bin_labels(stats.kind, edges, groups, stats.special_values, special_bins, has_missing)
    return Binning(
        kind=stats.kind,
        edges=edges,
        groups=groups,
        special_values=stats.special_values,
        special_bins=tuple(special_bins),
        has_missing=has_missing,
        goods=tuple(goods) + tuple(float(v) for v in fixed_g),
        bads=tuple(bads) + tuple(float(v) for v in fixed_b),
        labels=tuple(labels),
        smoothing=s,
        unseen=p.unseen,
        trend=part.trend,
        name=stats.name,
        rare_bin=rare_bin,
    )


def optimal_binning(stats: BinStats, *, binning: BinningParams = DEFAULT_BINNING) -> Binning:
    """Merge the fine bins of ``stats`` into the IV-maximising binning.

    This is the reduce step of a distributed fit: build :class:`BinStats`
    per partition with shared ``edges``, add them, and call this once.
    The parameters are those of :func:`bin_feature`, with the same rules.

    Parameters
    ----------
    stats : BinStats
        Fine-bin counts, e.g. the sum of the partitions' ``BinStats``.
    binning : BinningParams, default BinningParams()
        The merge constraints, WOE smoothing and unseen policy (the fields
        ``n_prebins``, ``sample_size`` and ``seed`` make the fine edges,
        which ``stats`` already holds, so they are not used here).

    Returns
    -------
    Binning
        The fitted binning: the same as :func:`bin_feature` on the pooled
        rows with the same fine edges.

    Raises
    ------
    InvalidInputError
        Invalid parameters; a target with one class only; no regular values;
        ``monotonic='cv'`` for a numeric feature (the choice needs the
        statistics of each fold: fit from data with :func:`bin_feature`).

    Examples
    --------
    >>> from jiebei_credit.scorecard import BinningParams, BinStats, optimal_binning
    >>> x, y = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 0, 0]
    >>> part1 = BinStats.from_data(x[:3], y[:3], edges=[2.0, 4.0])
    >>> part2 = BinStats.from_data(x[3:], y[3:], edges=[2.0, 4.0])
    >>> optimal_binning(part1 + part2, binning=BinningParams(min_bin_share=0.0)).labels
    ('[-inf, 4.0)', '[4.0, inf)')
    """
    func = "optimal_binning"
    if not isinstance(stats, BinStats):
        raise V.fail(func, "stats", "must be a BinStats", f"a {type(stats).__name__}",
                     "Build it with BinStats.from_data(x, y).")
    params = merge_params(RULES["binning"](binning, func, "binning"))
    return fit_stats(stats, params, func)


def binning_record(binning: BinningParams | None, func: str, **shorthands: Any) -> BinningParams:
    """``binning``, or the record the shorthand keywords make when it is None (never both)."""
    if binning is None:
        return BinningParams(**shorthands)
    binning = RULES["binning"](binning, func, "binning")
    given = [k for k, v in shorthands.items() if v != getattr(DEFAULT_BINNING, k)]
    if given:
        raise V.fail(func, given[0], "must be left at its default when binning= is given",
                     f"{given[0]}={shorthands[given[0]]!r} and binning={binning!r}",
                     f"Set it inside the record: binning=BinningParams({given[0]}=...).")
    return binning


def bin_feature(
    x: Sample,
    y: Vector,
    *,
    max_bins: int = DEFAULT_BINNING.max_bins,
    min_bin_share: float = DEFAULT_BINNING.min_bin_share,
    monotonic: Monotonic = DEFAULT_BINNING.monotonic,
    special_values: Sequence[Category] = (),
    binning: BinningParams | None = None,
    kind: Kind = "auto",
    sample_weight: Vector | None = None,
    name: str | None = None,
    user_bins: Sequence[Any] | None = None,
) -> Binning:
    """Fit the IV-maximising binning of one feature.

    Parameters
    ----------
    x : array-like, shape (n,)
        Feature values: numbers (NaN, None or ``pd.NA`` are missing) or
        categories (text, integers, floats, booleans; numpy, nullable,
        categorical or pyarrow-backed dtypes). Dates, durations, complex
        numbers, infinities and other objects raise.
    y : array-like of {0, 1}, shape (n,)
        Target: 1 = bad, 0 = good (booleans too). Anything else raises. When
        ``x`` and ``y`` are both Series they are matched by index label.
    max_bins : int, default 6
        Most regular bins (missing and special bins come on top).
    min_bin_share : float in [0, 0.5], default 0.05
        Least share of the total weight in each regular bin.
    monotonic : {'auto', 'auto_turn', 'ascending', 'descending', 'peak', 'valley', 'none', 'cv'}, \
default 'auto'
        Trend of WOE over the regular bins (see :class:`BinningParams`).
        These three are shorthands for the fields of ``binning`` of the same
        names; pass them, or ``binning``, not both.
    special_values : list-like, default ()
        Values binned apart, one bin each (e.g. ``(-999,)`` for "no record");
        a list, tuple, array or Index.
    binning : BinningParams, optional
        Every binning parameter in one record: ``max_bins``,
        ``min_bin_share``, ``monotonic``, ``min_bin_goods``,
        ``min_bin_bads``, ``n_prebins``, ``min_category_share``,
        ``smoothing``, ``unseen``, ``sample_size`` and ``seed`` (see
        :class:`BinningParams`), as :class:`WOETransformer` and
        :class:`Scorecard` take it. Default: ``BinningParams(max_bins=max_bins,
        min_bin_share=min_bin_share, monotonic=monotonic)``.
    kind : {'auto', 'numeric', 'categorical'}, default 'auto'
        ``auto``: integer and float dtypes (nullable too) are numeric; text,
        category, object and bool are categorical.
    sample_weight : array-like of float, shape (n,), optional
        Non-negative row weights (a Series is matched to a Series ``x`` by
        label).
    name : str, optional
        Feature name, used in messages and kept on the result.
    user_bins : list-like, optional
        Bins fixed by hand: inner edges (finite, strictly increasing numbers)
        for a numeric feature, or disjoint groups of categories (a list of
        lists) for a categorical one; nothing is merged (as ``user_bins`` of
        :class:`WOETransformer` and :class:`Scorecard`).

    Returns
    -------
    Binning
        The fitted binning: bin table, WOE and IV, trend and edges or groups.

    Raises
    ------
    InvalidInputError
        ``binning`` not a :class:`BinningParams` (its fields are checked when
        it is built); invalid ``kind``, ``special_values``, ``user_bins``,
        target or weights; ``y`` or ``sample_weight`` with other
        index labels than ``x``; values of an unsupported type or infinite;
        a target with one class only; a feature without regular values;
        categories SQL could not tell apart (``1`` next to ``'1'``).

    Notes
    -----
    The merge maximises the table's IV (:class:`Binning`, Notes) over all
    partitions of the ordered fine bins into at most ``max_bins`` contiguous
    bins that meet the constraints. A single bin is always allowed, so a fit
    never fails for lack of a feasible partition. The solution is exact (a
    dynamic programme over fine-bin boundaries, one run per bin count): the
    candidate predecessors of each boundary are sorted by WOE once
    (``O(n**2 log n)`` for ``n`` fine bins), then each step is a running
    maximum, ``O(max_bins**2 * n**2)`` elementary steps in all, independent
    of the number of rows.

    ``monotonic='auto_turn'`` keeps a peak or valley binning (``k_t``
    regular bins) over the best monotone one (``k_m`` bins) only when its
    IV is higher and the likelihood-ratio statistic of the binned Bernoulli
    models, ``G_t - G_m`` with ``G = 2 Σ o ln(o / e)`` over the good and bad
    counts of the regular bins against one bin, exceeds the 95 % quantile of
    chi-square with ``max(1, k_t - k_m + 1)`` degrees of freedom (one per
    extra bin, one for the change of direction). A turn in noise is
    rejected; a U-shaped risk on enough rows is kept.

    ``monotonic='cv'`` (numeric features; the default of :class:`Scorecard`)
    chooses among three shapes: ``auto_turn`` within ``max_bins`` and
    ``min_bin_share``, then ``auto_turn`` and then ``none`` within
    ``cv_max_bins`` and ``cv_min_bin_share``. Each is scored by the
    held-out log-likelihood of the one-feature WOE model, ``logit P(bad) =
    ln(B/G) − WOE``, over 5 folds dealt per class from ``seed`` (bins and
    WOE fitted on the other folds, on the same fine edges); a shape replaces
    the one before only when the paired per-row gain exceeds one standard
    error of its sum (the one-standard-error rule). A categorical feature
    takes ``auto_turn``. The folds are dealt by each row's fine bin, target
    and weight, not its position, so the same rows in any order give the
    same bins.

    Examples
    --------
    >>> import numpy as np
    >>> from jiebei_credit.scorecard import BinningParams, bin_feature
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(2 + 1.5 * x))).astype(int)
    >>> b = bin_feature(x, y, binning=BinningParams(max_bins=4))
    >>> b.trend, len(b.labels)
    ('ascending', 4)
    >>> bool(np.all(np.diff(b.table["woe"]) > 0))
    True
    """
    func = "bin_feature"
    binning = binning_record(binning, func, max_bins=max_bins, min_bin_share=min_bin_share,
                             monotonic=monotonic)
    params = merge_params(binning)
    key = name if name is not None else "x"
    spec = None if user_bins is None else (bin_specs(RULES["user_bins"]({key: user_bins}, func, "user_bins"))
                                           or {})[key]
    cv = spec is None and params.monotonic == "cv"
    stats = BinStats._from_data(
        x,
        y,
        kind=kind,
        edges=spec[1] if spec is not None and spec[0] == "edges" else None,
        n_prebins=binning.n_prebins,
        special_values=special_values,
        sample_size=binning.sample_size,
        seed=binning.seed,
        sample_weight=sample_weight,
        name=name,
        func=func,
        folds=cv,
    )
    if spec is not None:
        return fixed_binning(stats[0], params, func, spec)
    if len(stats) > 1:  # a numeric feature under monotonic='cv': its statistics per fold
        # imported here: the cross-validation module fits each fold with fit_stats, from this module
        from jiebei_credit.scorecard._cvbins import cv_binning

        return cv_binning(stats, params, func)
    return fit_stats(stats[0], params, func)


def fixed_binning(stats: BinStats, p: MergeParams, func: str, spec: tuple[Any, ...]) -> Binning:
    """The binning of fixed bins: numeric ``stats`` on the given edges, or categories grouped.

    ``spec`` is ``(kind, edges or groups, rare_bin, trend)``.

    Nothing is merged: each user bin is a bin. A bin without rows, or a
    category of the data in no group, is refused (naming the column).
    """
    what = "x" if stats.name is None else f"column {stats.name!r}"
    check_both_classes(func, stats.total_goods, stats.total_bads)
    g = np.asarray(stats.goods, dtype=np.float64)
    b = np.asarray(stats.bads, dtype=np.float64)
    if spec[0] == "edges":
        if stats.kind != "numeric":
            raise V.fail(func, f"user_bins for {what}",
                         "must be groups of categories for a categorical column", f"edges {list(spec[1])}",
                         "Pass a list of lists of categories.")
        edges: tuple[float, ...] = tuple(spec[1])
        groups: tuple[tuple[Category, ...], ...] = ()
    else:
        if stats.kind != "categorical":
            raise V.fail(func, f"user_bins for {what}", "must be edges (numbers) for a numeric column",
                         f"{len(spec[1])} groups of categories", "Pass a list of edges.")
        groups, edges = tuple(spec[1]), ()
        where = {category_key(c): k for k, grp in enumerate(groups) for c in grp}
        stray = [c for c in stats.categories if category_key(c) not in where]
        if stray:
            raise V.fail(func, what, "must hold only categories of its user_bins groups",
                         f"{len(stray)} other categor{'y' if len(stray) == 1 else 'ies'}: "
                         f"{V.show(stray, len(stray))}",
                         "Add them to a group.")
        pos = np.array([where[category_key(c)] for c in stats.categories], dtype=np.intp)
        g = np.bincount(pos, weights=g, minlength=len(groups)).astype(np.float64)
        b = np.bincount(pos, weights=b, minlength=len(groups)).astype(np.float64)
    empty = [k for k in range(g.size) if not g[k] + b[k] > 0]
    if empty:
        raise V.fail(func, f"user_bins for {what}", "must give every bin rows", f"empty bins {V.show(empty)}",
                     "Merge the empty bins with a neighbour.")
    spec_total = np.asarray(stats.special_goods) + np.asarray(stats.special_bads)
    spec_keep = [k for k in range(len(stats.special_values)) if spec_total[k] > 0]
    has_missing = stats.missing_goods + stats.missing_bads > 0
    fixed_g = [stats.special_goods[k] for k in spec_keep] + ([stats.missing_goods] if has_missing else [])
    fixed_b = [stats.special_bads[k] for k in spec_keep] + ([stats.missing_bads] if has_missing else [])
    special_bins = [-1] * len(stats.special_values)
    for row, k in enumerate(spec_keep, start=g.size):
        special_bins[k] = row
    labels = bin_labels(stats.kind, edges, groups, stats.special_values, special_bins, has_missing)
    return Binning(
        kind=stats.kind, edges=edges, groups=groups, special_values=stats.special_values,
        special_bins=tuple(special_bins), has_missing=has_missing,
        goods=tuple(float(v) for v in g) + tuple(float(v) for v in fixed_g),
        bads=tuple(float(v) for v in b) + tuple(float(v) for v in fixed_b),
        labels=tuple(labels), smoothing=p.smoothing, unseen=p.unseen, trend=spec[3], name=stats.name,
        rare_bin=int(spec[2]),
    )


def binning_spec(binning: Binning) -> tuple[Any, ...]:
    """The bins of a fitted binning as a ``user_bins`` spec (with its pooled rare bin)."""
    if binning.kind == "numeric":
        return ("edges", binning.edges, -1, binning.trend)
    return ("groups", binning.groups, binning.rare_bin, binning.trend)


def user_bins_of(p: MergeParams) -> Mapping[str, tuple[Any, ...]]:
    """The fixed bins of ``p`` (empty mapping when none)."""
    return p.user_bins or {}
