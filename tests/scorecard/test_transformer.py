"""WOETransformer: the scikit-learn protocol, many columns, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.scorecard import BinningParams, WOETransformer, bin_feature


def _frame(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "util": rng.random(n),
            "dpd": rng.integers(0, 5, n),
            "region": rng.choice(["east", "west", "north"], n),
            "noise": rng.normal(size=n),
        },
        index=np.arange(n) + 100,
    )
    X.loc[X.index[::17], "util"] = np.nan
    logit = -2.5 + 2.0 * X["util"].fillna(0.9) + 0.4 * X["dpd"]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index)
    return X, y


def test_each_column_equals_bin_feature():
    X, y = _frame()
    t = WOETransformer(binning=BinningParams(max_bins=4), special_values={"dpd": (4,)}).fit(X, y)
    for col in X.columns:
        specials = (4,) if col == "dpd" else ()
        assert t.binnings_[col] == bin_feature(
            X[col], y, binning=BinningParams(max_bins=4), special_values=specials, name=col)
    out = t.transform(X)
    assert list(out.columns) == list(X.columns)
    assert out.index.equals(X.index)
    np.testing.assert_array_equal(out["util"], t.binnings_["util"].woe(X["util"]))


def test_iv_summary_sorted_and_kinds():
    X, y = _frame()
    s = WOETransformer(categorical=["dpd"]).fit(X, y).iv_summary()
    assert list(s.columns) == ["feature", "kind", "n_bins", "iv", "trend"]
    assert s["iv"].is_monotonic_decreasing
    assert dict(zip(s["feature"], s["kind"], strict=True))["dpd"] == "categorical"
    assert dict(zip(s["feature"], s["kind"], strict=True))["region"] == "categorical"


def test_clone_get_set_params_and_pipeline():
    X, y = _frame()
    t = WOETransformer(binning=BinningParams(max_bins=3), categorical=["dpd"])
    c = clone(t)
    assert c.get_params() == t.get_params()
    assert c is not t
    assert c.set_params(binning__max_bins=5).binning.max_bins == 5
    assert t.binning.max_bins == 3  # the record is replaced, not changed: the original keeps its own
    with pytest.raises(InvalidInputError, match="unknown parameters 'bins'"):
        c.set_params(bins=3)
    pipe = make_pipeline(WOETransformer(binning=BinningParams(max_bins=4)), LogisticRegression()).fit(X, y)
    proba = pipe.predict_proba(X)[:, 1]
    assert proba.shape == (len(X),)
    # WOE is higher for lower risk, so LogisticRegression on WOE gets negative coefficients
    assert (pipe[-1].coef_[0][:2] < 0).all()


def test_not_fitted_and_missing_columns():
    X, y = _frame(500)
    with pytest.raises(NotFittedError, match="not fitted yet; call fit"):
        WOETransformer().transform(X)
    t = WOETransformer().fit(X, y)
    with pytest.raises(SchemaError, match=r"X.util: column is missing"):
        t.transform(X.drop(columns="util"))
    # extra columns are ignored
    assert list(t.transform(X.assign(extra=1.0)).columns) == list(X.columns)


def test_input_frame_not_mutated():
    X, y = _frame(800)
    before = X.copy()
    WOETransformer().fit_transform(X, y)
    pd.testing.assert_frame_equal(X, before)


def test_column_errors_name_the_column():
    X, y = _frame(300)
    X = X.assign(util=X["util"].where(X.index != 105, np.inf))
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.fit: column 'util' must not hold "
                       r"infinities; got 1 "
                       r"value \(inf\) at row 105\."):
        WOETransformer().fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.fit: categorical and numeric "
                       r"must not name the "
                       r"same column; got 'dpd'\."):
        WOETransformer(categorical=["dpd"], numeric=["dpd"]).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.fit: categorical must name columns of X; "
                       r"got unknown columns 'nope'\. X has 'util', "):
        WOETransformer(categorical=["nope"]).fit(X, y)


def test_numpy_input_gets_default_names():
    X, y = _frame(400)
    t = WOETransformer().fit(X[["util", "noise"]].to_numpy(), y.to_numpy())
    assert list(t.feature_names_in_) == ["x0", "x1"]
