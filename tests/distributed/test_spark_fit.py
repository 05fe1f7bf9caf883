"""jiebei_credit.spark.fit against Scorecard.fit, in local[2] mode.

Expected values are in-memory fits on the same rows: the same card when the
rows are collected, the same coefficients for the same bins when fitted from
partition statistics.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc

pytest.importorskip("pyspark")
jcs = pytest.importorskip("jiebei_credit.spark")

from tests.distributed.conftest import Book  # noqa: E402

# PySpark 4.x warns on every pandas 3 conversion and passes pandas the deprecated copy=
# keyword in its Arrow conversion (pyspark/sql/pandas/conversion.py); its warnings, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

FEATURES = ["util_now", "dpd_max_180d", "zhima_latest", "inq_count_90d", "net_inflow_monthly_90d"]


@pytest.fixture(scope="module")
def rows(book: Book) -> pd.DataFrame:
    """The labelled rows of the equality portfolio, a text feature and the target ``bad``."""
    keep = book.y.notna()
    X = book.X.loc[keep, FEATURES].reset_index(drop=True)
    band = pd.cut(X["zhima_latest"], [-np.inf, 600, 650, 700, np.inf], labels=["a", "b", "c", "d"])
    X["zhima_band"] = band.astype(object).where(X["zhima_latest"].notna(), None)
    return X.assign(bad=book.y[keep].astype(np.int64).to_numpy())


@pytest.fixture(scope="module")
def sdf(rows: pd.DataFrame, spark: Any) -> Any:
    return spark.createDataFrame(rows).repartition(3)


def test_small_books_give_the_in_memory_card_exactly(rows: pd.DataFrame, sdf: Any) -> None:
    card = jcs.fit(jc.scorecard.Scorecard(selection="stepwise"), sdf, target="bad")
    # Expected: the in-memory fit on the rows Spark hands back (toPandas: same values, Spark's order)
    back = sdf.toPandas()
    want = jc.scorecard.Scorecard(selection="stepwise").fit(back.drop(columns="bad"), back["bad"])
    assert card.to_dict() == want.to_dict()


def test_statistics_fit_equals_the_in_memory_fit_with_the_same_bins(rows: pd.DataFrame, sdf: Any) -> None:
    params = {"selection": "stepwise", "binning": jc.scorecard.BinningParams(sample_size=1000, max_bins=5)}
    card = jcs.fit(jc.scorecard.Scorecard(**params), sdf, target="bad", max_rows=0)
    bins = {c: list(b.edges) if b.kind == "numeric" else [list(g) for g in b.groups]
            for c, b in card.binnings_.items()}
    # Expected: Scorecard.fit on all rows with these bins fixed by hand (the likelihood reads only
    # the weighted bin combinations, so the estimates agree to rounding)
    same = jc.scorecard.Scorecard(**params, user_bins=bins).fit(rows.drop(columns="bad"), rows["bad"])
    assert card.features_ == same.features_
    np.testing.assert_allclose(card.coef_, same.coef_, rtol=0, atol=1e-8)
    assert abs(card.intercept_ - same.intercept_) < 1e-8


def test_bins_chosen_by_cross_validation_from_one_partition_are_the_in_memory_bins(
    rows: pd.DataFrame, spark: Any
) -> None:
    # monotonic='cv' deals its folds within each partition, by row content: one partition (its
    # fold statistics sent back as JSON) makes the choice of the in-memory fit on the same rows
    one = spark.createDataFrame(rows).coalesce(1)
    params = {"binning": jc.scorecard.BinningParams(monotonic="cv")}  # fewer rows than sample_size
    card = jcs.fit(jc.scorecard.Scorecard(**params), one, target="bad", max_rows=0)
    back = one.toPandas()
    want = jc.scorecard.Scorecard(**params).fit(back.drop(columns="bad"), back["bad"])
    assert card.binnings_ == want.binnings_


def test_weights_and_feature_selection(rows: pd.DataFrame, spark: Any) -> None:
    w = np.where(np.arange(len(rows)) % 3 == 0, 2.0, 1.0)
    df = spark.createDataFrame(rows.assign(w=w)).repartition(2)
    features = ["util_now", "zhima_latest", "zhima_band"]
    card = jcs.fit(jc.scorecard.Scorecard(), df, target="bad", weight="w", features=features, max_rows=0)
    bins = {c: list(b.edges) if b.kind == "numeric" else [list(g) for g in b.groups]
            for c, b in card.binnings_.items()}
    same = jc.scorecard.Scorecard(user_bins=bins).fit(rows[features], rows["bad"], w)
    assert list(card.feature_names_in_) == features
    np.testing.assert_allclose(card.coef_, same.coef_, rtol=0, atol=1e-8)


def test_bad_input_raises_the_library_errors(rows: pd.DataFrame, sdf: Any, spark: Any) -> None:
    est = jc.scorecard.Scorecard()
    with pytest.raises(jc.errors.InvalidInputError, match="df must be a Spark DataFrame"):
        jcs.fit(est, rows, target="bad")
    with pytest.raises(jc.errors.InvalidInputError, match="target must name a column of df"):
        jcs.fit(est, sdf, target="nope")
    with pytest.raises(jc.errors.InvalidInputError, match="features must name columns of df"):
        jcs.fit(est, sdf, target="bad", features=["util_now", "nope"])
    with pytest.raises(jc.errors.InvalidInputError, match=r"^jiebei_credit\.spark\.fit: binning must be a "
                       r"BinningParams"):
        jcs.fit(jc.scorecard.Scorecard(binning={"max_bins": 0}), sdf, target="bad")
    one_class = spark.createDataFrame(rows.assign(bad=0)).repartition(2)
    with pytest.raises(jc.errors.InvalidInputError, match="y must hold both classes"):
        jcs.fit(est, one_class, target="bad", max_rows=0)
    # a bad target value is found by a Python worker: the original exception comes back
    twos = spark.createDataFrame(rows.assign(bad=np.where(np.arange(len(rows)) == 7, 2, rows["bad"])))
    with pytest.raises(jc.errors.InvalidInputError, match=r"jiebei_credit\.spark\.fit: y must hold 1"):
        jcs.fit(est, twos, target="bad", max_rows=0)
