"""``monotonic='cv'``: each numeric feature's bins chosen by cross-validation (the one-SE rule).

The oracle re-derives the choice row by row, independently of the fine-bin statistics the library
reads: for each fold, the candidate shape is fitted on the other folds' rows (on the same fine
edges), every held-out row gets its bin's WOE through ``Binning.woe`` and its log-likelihood
under ``logit P(bad) = ln(B/G) - WOE``, and a shape replaces the current one when the sum of
the paired per-row differences exceeds one standard error of that sum (``sqrt(n) * sd``).
"""

from __future__ import annotations

import collections
import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import (
    BinningParams,
    BinStats,
    Scorecard,
    WOETransformer,
    bin_feature,
    optimal_binning,
)
from jiebei_credit.scorecard._folds import CV_FOLDS, deal_folds
from jiebei_credit.scorecard._stats import numeric_folds

CV = BinningParams(monotonic="cv")


def _shapes(p: BinningParams) -> list[BinningParams]:
    base = dataclasses.replace(p, monotonic="auto_turn")
    fine = dataclasses.replace(base, max_bins=p.cv_max_bins, min_bin_share=p.cv_min_bin_share)
    return [base, fine, dataclasses.replace(fine, monotonic="none")]


def _oracle(x: np.ndarray, y: np.ndarray, p: BinningParams):
    """The cross-validated choice, row by row (see the module docstring)."""
    edges = BinStats.from_data(x, y).edges  # the fine edges of all rows, as the fit takes them
    _, fold = numeric_folds(x.astype(np.float64), y.astype(np.float64), None, np.asarray(edges), (), p.seed)
    shapes = _shapes(p)

    def held_out(shape):
        ll = np.empty(y.size)
        for k in range(CV_FOLDS):
            train, test = fold != k, fold == k
            b = optimal_binning(BinStats.from_data(x[train], y[train], edges=edges),
                                binning=dataclasses.replace(shape, unseen="neutral"))
            bads = y[train].sum()
            eta = np.log(bads / (train.sum() - bads)) - b.woe(x[test])
            ll[test] = np.where(y[test] == 1, -np.logaddexp(0.0, -eta), -np.logaddexp(0.0, eta))
        return ll

    best, current = shapes[0], held_out(shapes[0])
    for shape in shapes[1:]:
        other = held_out(shape)
        d = other - current
        if d.sum() > np.sqrt(d.size) * d.std(ddof=1):
            best, current = shape, other
    return optimal_binning(BinStats.from_data(x, y, edges=edges), binning=best)


def _data(n: int, seed: int, kind: str):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    if kind == "spike":  # a few repeated values far riskier than their neighbours
        x[rng.random(n) < 0.02] = 0.25
        logit = -1.5 + 0.3 * x + np.where(x == 0.25, 2.5, 0.0)
    elif kind == "u":
        logit = -2.0 + 1.2 * x**2
    else:  # "linear"
        logit = -1.2 + 0.8 * x
    x[rng.random(n) < 0.03] = np.nan
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return x, y


@settings(max_examples=25, deadline=None)
@given(n=st.integers(60, 3000), seed=st.integers(0, 10_000), kind=st.sampled_from(["spike", "u", "linear"]),
       max_bins=st.integers(2, 6))
def test_the_choice_equals_the_row_by_row_oracle(n, seed, kind, max_bins):
    x, y = _data(n, seed, kind)
    if not 10 <= y.sum() <= n - 10:
        return  # too few of a class for five folds: covered by the fallback test below
    p = dataclasses.replace(CV, max_bins=max_bins)
    got = bin_feature(x, y, binning=p)
    want = _oracle(x, y, p)
    assert got.edges == want.edges
    assert got.trend == want.trend
    np.testing.assert_allclose(got.woe_values, want.woe_values, rtol=1e-12)


@pytest.mark.parametrize(("kind", "n", "expected"), [
    ("linear", 300, "auto_turn"),  # few rows: the coarse monotone bins
    ("spike", 40_000, "none"),  # a risky repeated value on many rows: free fine bins isolate it
])
def test_small_data_keeps_coarse_bins_and_a_large_book_gets_fine_ones(kind, n, expected):
    x, y = _data(n, 4, kind)
    got = bin_feature(x, y, binning=CV)
    shape = _shapes(CV)[0 if expected == "auto_turn" else 2]
    ref = optimal_binning(BinStats.from_data(x, y), binning=shape)
    assert got == ref
    assert len(got.edges) + 1 <= (6 if expected == "auto_turn" else 20)
    if expected == "none":
        # the spike at 0.25 has a bin of its own neighbourhood, riskier than both neighbours
        k = int(np.searchsorted(np.asarray(got.edges), 0.25, side="right"))
        woe = got.woe_values
        assert woe[k] < woe[k - 1]
        assert woe[k] < woe[k + 1]


def test_every_entry_point_makes_the_same_choice():
    x, y = _data(5000, 11, "u")
    X = pd.DataFrame({"u": x, "city": np.random.default_rng(1).choice(list("abc"), x.size)})
    one = bin_feature(X["u"], y, binning=CV, name="u")
    assert WOETransformer(binning=CV).fit(X, y).binnings_["u"] == one
    card = Scorecard().fit(X, y)  # the default binning is monotonic='cv'
    assert card.binnings_["u"] == one
    # a categorical feature takes the first shape, auto_turn
    assert card.binnings_["city"] == bin_feature(X["city"], y, binning=_shapes(CV)[0], name="city")


def test_too_few_bads_for_the_folds_falls_back_to_the_first_shape():
    rng = np.random.default_rng(2)
    x = rng.normal(size=400)
    y = np.zeros(400, dtype=np.int64)
    y[[3, 50, 97]] = 1  # three bads: two folds train without one
    assert bin_feature(x, y, binning=CV) == bin_feature(x, y, binning=_shapes(CV)[0])


def test_folds_are_stratified_and_seeded():
    y = np.array([1.0] * 23 + [0.0] * 77)
    x = np.arange(100.0) % 7  # repeated values
    fold = deal_folds([x], y, None, 7)
    for k in range(CV_FOLDS):  # each class dealt in turn: 23 bads and 77 goods over five folds
        assert y[fold == k].sum() in (4, 5)
        assert (1 - y[fold == k]).sum() in (15, 16)
    np.testing.assert_array_equal(fold, deal_folds([x], y, None, 7))
    assert not np.array_equal(fold, deal_folds([x], y, None, 8))


def _content(columns, y, w, fold):
    """The multiset of (row content, fold)."""
    w = np.ones(y.size) if w is None else w
    return collections.Counter(zip(*(np.where(np.isnan(c), -np.inf, c) for c in columns), y, w, fold,
                                   strict=True))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 10_000), weighted=st.booleans(), n_cols=st.integers(0, 2))
def test_the_folds_of_a_row_follow_its_content_not_its_position(n, seed, weighted, n_cols):
    # any order of the same rows puts the same rows (by content) in each fold
    rng = np.random.default_rng(seed)
    columns = [rng.integers(0, 4, n).astype(np.float64) for _ in range(n_cols)]  # many equal rows
    for c in columns:
        c[rng.random(n) < 0.2] = np.nan
    y = (rng.random(n) < 0.3).astype(np.float64)
    w = rng.integers(1, 3, n).astype(np.float64) if weighted else None
    perm = rng.permutation(n)
    fold = deal_folds(columns, y, w, seed)
    moved = deal_folds([c[perm] for c in columns], y[perm], None if w is None else w[perm], seed)
    assert _content(columns, y, w, fold) == _content([c[perm] for c in columns], y[perm],
                                                     None if w is None else w[perm], moved)


def test_copies_of_a_row_take_independent_folds():
    # 300 values, 10 goods each. Ten independent places among the 3000 goods give a group
    # hypergeometric fold counts, variance 10 * 1/5 * 4/5 * 2990/2999 = 1.595 each; the five
    # counts sum to 10, so their sample variance has mean 5 * 1.595 / 4 = 1.99. Copies spread
    # evenly give 0 (counts 2, 2, 2, 2, 2); copies kept together give 20 (10, 0, 0, 0, 0).
    x = np.repeat(np.arange(300.0), 10)
    y = np.zeros(x.size)
    fold = deal_folds([x], y, None, 3)
    counts = np.stack([np.bincount(fold[x == v], minlength=CV_FOLDS) for v in range(300)])
    assert 1.5 < counts.var(axis=1, ddof=1).mean() < 2.5


def test_a_fit_from_statistics_alone_refuses_cv_for_a_numeric_feature():
    x, y = _data(500, 3, "linear")
    with pytest.raises(InvalidInputError, match=r"^optimal_binning: monotonic must not be 'cv' for a numeric "
                       r"feature fitted from its statistics alone .* Fit from data"):
        optimal_binning(BinStats.from_data(x, y), binning=CV)
    # a categorical feature has no finer shapes to choose: 'cv' reads as auto_turn
    cats = np.where(np.isnan(x), "m", np.where(x > 0, "p", "n"))
    stats = BinStats.from_data(cats, y)
    assert optimal_binning(stats, binning=CV) == optimal_binning(stats, binning=_shapes(CV)[0])


def test_the_cv_fields_shape_the_fine_candidates():
    x, y = _data(40_000, 4, "spike")
    coarse = bin_feature(x, y, binning=dataclasses.replace(CV, cv_max_bins=3))
    assert len(coarse.edges) + 1 <= 3
    with pytest.raises(InvalidInputError, match=r"cv_max_bins must be an integer >= 1"):
        BinningParams(monotonic="cv", cv_max_bins=0)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 400), seed=st.integers(0, 10_000), weighted=st.booleans())
def test_fold_statistics_are_the_statistics_of_each_fold_s_rows(n, seed, weighted):
    # oracle: numeric_stats of the rows of each fold alone (weighted sums in row order in both)
    from jiebei_credit.scorecard._stats import numeric_fold_stats, numeric_stats

    rng = np.random.default_rng(seed)
    x = rng.normal(size=n).round(1)
    x[rng.random(n) < 0.1] = np.nan
    x[rng.random(n) < 0.1] = -9.0  # a special value
    y = (rng.random(n) < 0.3).astype(np.float64)
    w = rng.random(n) * 3 if weighted else None
    edges, specials = np.array([-0.5, 0.0, 0.7]), (-9.0,)
    _, fold = numeric_folds(x, y, w, edges, specials, seed)
    got = numeric_fold_stats(x, y, w, edges, specials, "x", seed)
    rows = [fold == k for k in range(CV_FOLDS)]
    want = tuple(numeric_stats(x[r], y[r], None if w is None else w[r], edges, specials, "x") for r in rows)
    assert got == want


@pytest.mark.parametrize(("n", "seed", "weighted"), [(6000, 0, False), (1500, 0, False), (1500, 1, True)])
def test_the_default_fit_does_not_depend_on_the_row_order(n, seed, weighted):
    # Rows dealt to folds by position made these fits depend on the order: at 6000 rows the
    # shuffled rows got other bins, at 1500 another cross-validated penalty strength.
    x, y = _data(n, seed, "spike")
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"s": x, "u": _data(n, seed + 50, "u")[0], "city": rng.choice(list("abc"), n)})
    w = rng.integers(1, 4, n).astype(np.float64) if weighted else None  # integer sums: exact in any order
    perm = rng.permutation(n)
    card = Scorecard(penalty_strength="cv").fit(X, y, sample_weight=w)
    moved = Scorecard(penalty_strength="cv").fit(X.iloc[perm], y[perm], None if w is None else w[perm])
    assert moved.binnings_ == card.binnings_
    assert moved.penalty_strength_ == card.penalty_strength_
    np.testing.assert_array_equal(moved.coef_, card.coef_)
    np.testing.assert_array_equal(moved.predict_proba(X), card.predict_proba(X))


def test_the_pre_bin_sample_does_not_depend_on_the_row_order():
    # above sample_size the quantiles come from a sample, drawn from the sorted values
    rng = np.random.default_rng(8)
    x = rng.lognormal(size=5000)
    y = (rng.random(5000) < 0.2).astype(np.int64)
    p = BinningParams(n_prebins=20, sample_size=300)
    perm = rng.permutation(5000)
    got = bin_feature(x, y, binning=p)
    assert bin_feature(x[perm], y[perm], binning=p) == got
    # a sample: other edges than all the values give
    assert got.edges != bin_feature(x, y, binning=dataclasses.replace(p, sample_size=None)).edges
