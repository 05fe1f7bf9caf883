"""L2-penalised fit (issue 17 item 9): against scikit-learn, cross-validation, the price."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard

sklearn = pytest.importorskip("sklearn.linear_model")


def _data(n: int = 4000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.integers(0, 4, n).astype(float), "b": rng.integers(0, 3, n).astype(float),
                      "c": rng.random(n)})
    logit = -2.5 + 0.5 * X["a"] + 0.4 * X["b"] + 1.0 * X["c"]
    return X, pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))


@pytest.mark.parametrize("lam", [0.5, 20.0, 300.0])
def test_l2_matches_scikit_learn(lam):
    # scikit-learn's LogisticRegression(C = 1/lambda) on the card's WOE columns, row level,
    # with frequency weights: minimises sum w*logloss + ||beta||^2 / (2C), intercept unpenalised
    X, y = _data()
    w = np.random.default_rng(1).integers(1, 3, len(y)).astype(float)
    card = Scorecard(
        penalty="l2", penalty_strength=lam, binning=BinningParams(max_bins=4)).fit(X, y, sample_weight=w)
    woe = np.column_stack([card.binnings_[f].woe(X[f]) for f in card.features_])
    ref = sklearn.LogisticRegression(C=1 / lam, tol=1e-12, max_iter=10_000).fit(woe, y, sample_weight=w)
    np.testing.assert_allclose(card.coef_, ref.coef_[0], rtol=1e-5, atol=1e-7)
    assert math.isclose(card.intercept_, ref.intercept_[0], rel_tol=1e-5, abs_tol=1e-7)
    assert card.penalty_strength_ == lam


def test_l2_shrinks_and_has_no_p_values():
    X, y = _data()
    plain = Scorecard(binning=BinningParams(max_bins=4), penalty="none").fit(X, y)
    card = Scorecard(penalty="l2", penalty_strength=300.0, binning=BinningParams(max_bins=4)).fit(X, y)
    assert card.features_ == plain.features_
    assert (np.abs(card.coef_) < np.abs(plain.coef_)).all()
    assert np.isnan(card.p_values_).all()
    assert np.isnan(card.std_errors_).all()
    s = card.summary()
    assert s["p_value"].isna().all()
    assert "p-values" in s.attrs["note"]
    # AIC of the unpenalised likelihood at the penalised estimate: -2 llf + 2 (k + 1)
    assert math.isclose(s.attrs["aic"], -2 * card.log_likelihood_ + 2 * (len(card.features_) + 1))
    assert card.log_likelihood_ < plain.log_likelihood_  # the MLE maximises the unpenalised llf
    assert plain.summary().attrs.get("note") is None


def test_cv_is_deterministic_and_on_the_grid():
    X, y = _data(2000, seed=3)
    a = Scorecard(penalty="l2", penalty_strength="cv", binning=BinningParams(max_bins=4, seed=7)).fit(X, y)
    b = Scorecard(penalty="l2", penalty_strength="cv", binning=BinningParams(max_bins=4, seed=7)).fit(X, y)
    assert a.penalty_strength_ == b.penalty_strength_
    grid = np.logspace(-3, 4, 15)  # the documented grid
    assert np.isclose(grid, a.penalty_strength_, rtol=1e-12).any()
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_penalty_none_ignores_the_strength():
    X, y = _data()
    card = Scorecard(penalty="none", penalty_strength=5.0, binning=BinningParams(max_bins=4)).fit(X, y)
    assert card.penalty_strength_ == 0.0
    assert np.isfinite(card.p_values_).all()


@pytest.mark.parametrize(("name", "value"), [("penalty", "l1"), ("penalty", None), ("penalty_strength", 0),
                                             ("penalty_strength", -1.0), ("penalty_strength", "auto"),
                                             ("penalty_strength", math.nan)])
def test_penalty_parameters_are_checked(name, value):
    X, y = _data(500)
    with pytest.raises(InvalidInputError, match=rf"^Scorecard\.fit: {name} "):
        Scorecard(**{"penalty": "l2", name: value}).fit(X, y)


def test_a_penalised_card_round_trips():
    X, y = _data()
    card = Scorecard(penalty="l2", penalty_strength=10.0, binning=BinningParams(max_bins=4)).fit(X, y)
    back = Scorecard.from_dict(card.to_dict())
    np.testing.assert_array_equal(back.points(X), card.points(X))
