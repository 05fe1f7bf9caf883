"""jiebei_credit.dask.fit against Scorecard.fit, on a LocalCluster of two processes.

Every expected value is an in-memory fit on the same rows: the same card
exactly when the rows are collected (under ``max_rows``), the same
coefficients for the same bins when the card is fitted from partition
statistics.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
jcd = pytest.importorskip("jiebei_credit.dask")

from tests.distributed.conftest import Book  # noqa: E402

FEATURES = ["util_now", "dpd_max_180d", "zhima_latest", "inq_count_90d", "net_inflow_monthly_90d"]


@pytest.fixture(scope="module")
def data(book: Book) -> tuple[pd.DataFrame, pd.Series]:
    """The labelled rows of the equality portfolio, plus a text column and an empty column."""
    keep = book.y.notna()
    X = book.X.loc[keep, FEATURES].copy()
    # a categorical feature (text) and a column with every value missing
    band = pd.cut(X["zhima_latest"], [-np.inf, 600, 650, 700, np.inf], labels=["a", "b", "c", "d"])
    X["zhima_band"] = band.astype(object).where(X["zhima_latest"].notna(), None)
    X["never_seen"] = np.nan
    return X, book.y[keep].astype(np.int64)


@pytest.fixture
def on_cluster(dask_client: Any) -> Iterator[None]:
    with dask.config.set(scheduler=dask_client):
        yield


def _split(X: pd.DataFrame, y: pd.Series) -> tuple[Any, ...]:
    """Train on borrowers with an even hash, hold out the others (no borrower in both)."""
    borrower = pd.Series(X.index, index=X.index)
    train = (pd.util.hash_pandas_object(borrower, index=False).to_numpy() % 2) == 0
    return X[train], y[train], X[~train], y[~train]


def _bins(card: Any) -> dict[str, Any]:
    """A fitted card's bins as ``user_bins`` (edges or groups of categories)."""
    return {c: list(b.edges) if b.kind == "numeric" else [list(g) for g in b.groups]
            for c, b in card.binnings_.items() if c != "never_seen"}


def test_small_books_give_the_in_memory_card_exactly(data: Any, on_cluster: None) -> None:
    X, y = data
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    est = jc.scorecard.Scorecard(selection="stepwise")
    card = jcd.fit(est, Xd, yd)  # 4 4xx rows <= sample_size (100 000): collected
    want = jc.scorecard.Scorecard(selection="stepwise").fit(X, y)
    assert card.to_dict() == want.to_dict()
    assert not hasattr(est, "points_")  # the estimator itself is not fitted


@pytest.mark.parametrize("selection", ["none", "stepwise"])
def test_statistics_fit_equals_the_in_memory_fit_with_the_same_bins(
    data: Any, on_cluster: None, selection: str
) -> None:
    X, y = data
    Xd, yd = dd.from_pandas(X, npartitions=4), dd.from_pandas(y, npartitions=4)
    params = {"selection": selection, "binning": jc.scorecard.BinningParams(sample_size=1000, max_bins=5)}
    card = jcd.fit(jc.scorecard.Scorecard(**params), Xd, yd, max_rows=0)
    # Expected: Scorecard.fit on all rows with the distributed card's bins fixed by hand; the
    # likelihood depends only on the weighted bin combinations, so the estimates agree to rounding.
    same = jc.scorecard.Scorecard(**params, user_bins=_bins(card)).fit(X, y)
    assert card.features_ == same.features_
    np.testing.assert_allclose(card.coef_, same.coef_, rtol=0, atol=1e-8)
    assert abs(card.intercept_ - same.intercept_) < 1e-8
    np.testing.assert_allclose(card.std_errors_, same.std_errors_, rtol=0, atol=1e-8)
    assert abs(card.log_likelihood_ - same.log_likelihood_) < 1e-8
    assert card.n_obs_ == same.n_obs_ == len(X)
    assert [d[:2] for d in card.drops_] == [d[:2] for d in same.drops_]
    # the empty column is reported with the real row count, as in memory
    assert card.drops_[0] == same.drops_[0] == (
        "never_seen", "empty", f"every value is missing ({len(X)} of {len(X)} rows): nothing to bin")
    for c in card.binnings_:
        a, b = card.binnings_[c], same.binnings_[c]
        assert a.labels == b.labels
        np.testing.assert_allclose(a.goods, b.goods, rtol=1e-12)
        np.testing.assert_allclose(a.bads, b.bads, rtol=1e-12)
    # the parameters are the estimator's, not the frozen bins
    assert card.get_params()["user_bins"] is None
    X_new = X.head(50)
    np.testing.assert_allclose(card.points(X_new), same.points(X_new), rtol=0, atol=1e-6)


def test_statistics_fit_with_exact_pre_bins_is_the_in_memory_card(data: Any, on_cluster: None) -> None:
    X, y = data
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    # With fewer rows than sample_size every row is in the sample: the pre-bin edges are the
    # in-memory quantiles, so the bins are the in-memory bins and the coefficients agree. (The
    # default monotonic='cv' deals its folds within each partition, so its choice may differ
    # with several partitions; one partition is checked in the property test below.)
    turn = jc.scorecard.BinningParams(monotonic="auto_turn")
    card = jcd.fit(jc.scorecard.Scorecard(binning=turn), Xd, yd, max_rows=0)
    want = jc.scorecard.Scorecard(binning=turn).fit(X, y)
    for c in want.binnings_:
        assert card.binnings_[c].labels == want.binnings_[c].labels, c
    np.testing.assert_allclose(card.coef_, want.coef_, rtol=0, atol=1e-8)


def test_holdout_auc_of_the_statistics_fit_is_within_0001(data: Any, on_cluster: None) -> None:
    X, y = data
    X_train, y_train, X_test, y_test = _split(X, y)
    Xd, yd = dd.from_pandas(X_train, npartitions=4), dd.from_pandas(y_train, npartitions=4)
    card = jcd.fit(jc.scorecard.Scorecard(), Xd, yd, max_rows=0)  # forced onto the statistics path
    mem = jc.scorecard.Scorecard().fit(X_train, y_train)
    auc_dist = jc.metrics.auc(y_test, card.points(X_test), higher="safer")
    auc_mem = jc.metrics.auc(y_test, mem.points(X_test), higher="safer")
    assert abs(auc_dist - auc_mem) < 0.001, (auc_dist, auc_mem)


def test_sampled_pre_bins_are_no_worse_than_the_in_memory_sample(data: Any, on_cluster: None) -> None:
    X, y = data
    X_train, y_train, X_test, y_test = _split(X, y)
    Xd, yd = dd.from_pandas(X_train, npartitions=4), dd.from_pandas(y_train, npartitions=4)
    # sample_size 1 000 of ~3 000 rows: both fits take pre-bin quantiles from a sample. The
    # in-memory holdout AUC moves with the sample's seed (0.845 to 0.850 over seeds 0-5 here);
    # the distributed sample is another such sample, so its AUC must fall in that range.
    card = jcd.fit(jc.scorecard.Scorecard(binning=jc.scorecard.BinningParams(sample_size=1000)), Xd, yd,
                   max_rows=0)
    auc_dist = jc.metrics.auc(y_test, card.points(X_test), higher="safer")
    sampled = [jc.scorecard.BinningParams(sample_size=1000, seed=s) for s in range(6)]
    seeds = [jc.metrics.auc(y_test, jc.scorecard.Scorecard(binning=p).fit(X_train, y_train).points(X_test),
                            higher="safer") for p in sampled]
    assert min(seeds) - 0.001 <= auc_dist <= max(seeds) + 0.001, (auc_dist, seeds)


def test_weights_are_frequency_weights_on_both_paths(data: Any, on_cluster: None) -> None:
    X, y = data
    w = pd.Series(np.where(np.arange(len(X)) % 3 == 0, 2.0, 1.0), index=X.index)
    Xd, yd, wd = (dd.from_pandas(v, npartitions=3) for v in (X, y, w))
    small = jcd.fit(jc.scorecard.Scorecard(), Xd, yd, sample_weight=wd)
    assert small.to_dict() == jc.scorecard.Scorecard().fit(X, y, w).to_dict()
    card = jcd.fit(jc.scorecard.Scorecard(), Xd, yd, sample_weight=wd, max_rows=0)
    same = jc.scorecard.Scorecard(user_bins=_bins(card)).fit(X, y, w)
    np.testing.assert_allclose(card.coef_, same.coef_, rtol=0, atol=1e-8)
    assert card.n_obs_ == pytest.approx(float(w.sum()), rel=1e-12)


def test_bad_input_raises_the_library_errors(data: Any, on_cluster: None) -> None:
    X, y = data
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    est = jc.scorecard.Scorecard()
    with pytest.raises(jc.errors.InvalidInputError, match="X must be a dask DataFrame; got DataFrame"):
        jcd.fit(est, X, yd)
    with pytest.raises(jc.errors.InvalidInputError, match="y must be a dask Series"):
        jcd.fit(est, Xd, y)
    with pytest.raises(jc.errors.InvalidInputError, match="must have the same partitions"):
        jcd.fit(est, Xd, dd.from_pandas(y, npartitions=2))
    with pytest.raises(jc.errors.InvalidInputError, match="estimator must be an unfitted"):
        jcd.fit(jc.scorecard.WOETransformer(), Xd, yd)
    with pytest.raises(jc.errors.InvalidInputError, match=r"^jiebei_credit\.dask\.fit: binning must be a "
                       r"BinningParams"):
        jcd.fit(jc.scorecard.Scorecard(binning={"max_bins": 0}), Xd, yd)
    with pytest.raises(jc.errors.InvalidInputError, match="max_rows must be an integer >= 0"):
        jcd.fit(est, Xd, yd, max_rows=-1)


def test_one_class_target_raises_the_in_memory_rule(data: Any, on_cluster: None) -> None:
    X, y = data
    zeros = pd.Series(0, index=y.index)
    with pytest.raises(jc.errors.InvalidInputError) as mem:
        jc.scorecard.Scorecard().fit(X, zeros)
    for max_rows in (None, 0):
        with pytest.raises(jc.errors.InvalidInputError) as dist:
            jcd.fit(jc.scorecard.Scorecard(), dd.from_pandas(X, npartitions=3),
                    dd.from_pandas(zeros, npartitions=3), max_rows=max_rows)
        assert str(dist.value).split(": ", 1)[1] == str(mem.value).split(": ", 1)[1]


def test_rows_of_y_that_are_not_those_of_x_raise_from_the_worker(data: Any, on_cluster: None) -> None:
    X, y = data
    shifted = pd.Series(y.to_numpy(), index=[f"other-{i}" for i in range(len(y))])
    with pytest.raises(jc.errors.InvalidInputError, match=r"jiebei_credit\.dask\.fit: y"):
        jcd.fit(jc.scorecard.Scorecard(), dd.from_pandas(X, npartitions=3),
                dd.from_pandas(shifted, npartitions=3), max_rows=0)
    twos = y.where(np.arange(len(y)) != 5, 2)
    with pytest.raises(jc.errors.InvalidInputError, match="y must hold 1 \\(bad\\) or 0 \\(good\\)"):
        jcd.fit(jc.scorecard.Scorecard(), dd.from_pandas(X, npartitions=3),
                dd.from_pandas(twos, npartitions=3), max_rows=0)


def test_unsupported_columns_raise_before_any_compute(data: Any) -> None:
    X, y = data
    X = X.assign(opened=pd.Timestamp("2024-01-01"))
    with pytest.raises(jc.errors.InvalidInputError) as mem:
        jc.scorecard.Scorecard().fit(X, y)

    def boom(part: pd.DataFrame) -> pd.DataFrame:
        raise AssertionError("computed")

    Xd = dd.from_pandas(X, npartitions=2).map_partitions(boom, meta=X.iloc[:0])
    with pytest.raises(jc.errors.InvalidInputError) as dist:
        jcd.fit(jc.scorecard.Scorecard(), Xd, dd.from_pandas(y, npartitions=2))
    assert str(dist.value).split(": ", 1)[1] == str(mem.value).split(": ", 1)[1]


def test_settings_that_need_rows_are_refused_only_on_the_statistics_path(
    data: Any, on_cluster: None
) -> None:
    X, y = data
    X = X.drop(columns="never_seen")
    Xd, yd = dd.from_pandas(X, npartitions=2), dd.from_pandas(y, npartitions=2)
    ordinal = {"zhima_band": ["a", "b", "c", "d"]}
    # collected: the in-memory fit takes them
    card = jcd.fit(jc.scorecard.Scorecard(ordinal=ordinal), Xd, yd)
    assert card.to_dict() == jc.scorecard.Scorecard(ordinal=ordinal).fit(X, y).to_dict()
    with pytest.raises(jc.errors.InvalidInputError, match="ordinal must be None for a fit from partition"):
        jcd.fit(jc.scorecard.Scorecard(ordinal=ordinal), Xd, yd, max_rows=0)
    with pytest.raises(jc.errors.InvalidInputError, match="penalty_strength must be a number"):
        jcd.fit(jc.scorecard.Scorecard(penalty="l2", penalty_strength="cv"), Xd, yd, max_rows=0)


# ---- properties ---------------------------------------------------------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def _books(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Series, int]:
    """Small feature tables with a logistic target, a special value, missing values and text."""
    n = draw(st.integers(300, 800))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n).round(2)
    b = rng.poisson(2.0, n).astype(np.float64)
    b[rng.random(n) < 0.1] = -1.0  # special value
    a[rng.random(n) < 0.05] = np.nan
    city = rng.choice(np.array(["n", "s", "e", "w", "x"], dtype=object), n, p=[0.4, 0.3, 0.2, 0.09, 0.01])
    eta = -1.0 + 0.8 * np.nan_to_num(a) - 0.3 * b + (city == "s") * 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    X = pd.DataFrame({"a": a, "b": b, "city": city}, index=pd.Index([f"r{i}" for i in range(n)]))
    return X, pd.Series(y, index=X.index), draw(st.integers(1, 5))


@settings(max_examples=15, deadline=None)
@given(book=_books())
def test_statistics_fit_depends_on_the_rows_only_and_equals_the_fit_with_its_bins(
    book: tuple[pd.DataFrame, pd.Series, int],
) -> None:
    X, y, parts = book
    assume(0 < int(y.sum()) < len(y))
    params = {"special_values": {"b": [-1.0]}, "min_events_per_feature": 0.0,
              "binning": jc.scorecard.BinningParams(max_bins=4, min_bin_share=0.02)}
    with dask.config.set(scheduler="sync"):
        one = jcd.fit(jc.scorecard.Scorecard(**params), dd.from_pandas(X, npartitions=1),
                      dd.from_pandas(y, npartitions=1), max_rows=0)
        split = jcd.fit(jc.scorecard.Scorecard(**params), dd.from_pandas(X, npartitions=parts),
                        dd.from_pandas(y, npartitions=parts), max_rows=0)
    # unweighted counts are whole numbers, added exactly in any order, and with fewer rows than
    # sample_size every row is in the pre-bin sample: the partitioning cannot change the card
    assert split.to_dict() == one.to_dict()
    # the in-memory fit with the same bins: the same estimates, to rounding
    same = jc.scorecard.Scorecard(**params, user_bins=_bins(one)).fit(X, y)
    assert same.features_ == one.features_
    np.testing.assert_allclose(one.coef_, same.coef_, rtol=0, atol=1e-8)
    # and with exact pre-bins the bins are those of the in-memory fit
    mem = jc.scorecard.Scorecard(**params).fit(X, y)
    assert {c: b.labels for c, b in one.binnings_.items()} == {c: b.labels for c, b in mem.binnings_.items()}
    # bins chosen by cross-validation: one partition in the row order of X (sort=False; folds are
    # dealt by position) deals the in-memory folds, so it makes the in-memory choice
    cv = {**params, "binning": jc.scorecard.BinningParams(max_bins=4, min_bin_share=0.02, monotonic="cv")}
    with dask.config.set(scheduler="sync"):
        one_cv = jcd.fit(jc.scorecard.Scorecard(**cv), dd.from_pandas(X, npartitions=1, sort=False),
                         dd.from_pandas(y, npartitions=1, sort=False), max_rows=0)
    assert one_cv.binnings_ == jc.scorecard.Scorecard(**cv).fit(X, y).binnings_


def test_exact_quantiles_requested_on_the_statistics_path_still_sample_rows(
    data: Any, on_cluster: None
) -> None:
    # sample_size=None (exact quantiles) with max_rows=0 sampled 0 rows: every numeric column was
    # one bin. It now samples up to 100 000 rows, here every row, so the bins are the in-memory ones.
    X, y = data
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    exact = jc.scorecard.BinningParams(sample_size=None)
    card = jcd.fit(jc.scorecard.Scorecard(binning=exact), Xd, yd, max_rows=0)
    want = jc.scorecard.Scorecard(binning=exact).fit(X, y)
    assert {c: b.labels for c, b in card.binnings_.items()} == {
        c: b.labels for c, b in want.binnings_.items()}
    assert any(len(b.labels) > 2 for b in card.binnings_.values() if b.kind == "numeric")
