"""Selection defaults (issue 17 item 2): no IV floor, an events-per-feature limit, stepwise AIC."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard


def _wide(n: int, k: int, intercept: float, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """``k`` independent informative integer features, coefficients 0.8 down to 0.3."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"x{j}": rng.integers(0, 3, n).astype(float) for j in range(k)})
    beta = np.linspace(0.8, 0.3, k)
    logit = intercept + X.to_numpy() @ beta
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


def test_default_keeps_a_weak_but_significant_feature():
    # Minimal reproduction of issue 17 item 2 (Taiwan cards): on many rows a feature with
    # IV below 0.02 can be highly significant; the old default min_iv=0.02 dropped it.
    rng = np.random.default_rng(3)
    n = 30_000
    X = pd.DataFrame({"strong": rng.integers(0, 4, n).astype(float),
                      "weak": rng.integers(0, 2, n).astype(float)})
    logit = -2.0 + 0.6 * X["strong"] + 0.25 * X["weak"]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    old = Scorecard(min_iv=0.02).fit(X, y)
    assert old.binnings_["weak"].iv < 0.02
    assert old.features_ == ("strong",)
    card = Scorecard().fit(X, y)
    assert set(card.features_) == {"strong", "weak"}
    assert card.aic_ < old.aic_
    # Wald p of the weak feature in the unpenalised fit (the default's penalty has no p-values;
    # the fit's own, checked against statsmodels in test_fit)
    plain = Scorecard(penalty="none").fit(X, y)
    assert plain.features_ == card.features_
    assert plain.p_values_[1 + plain.features_.index("weak")] < 1e-6


def test_events_per_feature_limit_keeps_the_highest_iv():
    # 6 informative features, about 50 bads: the limit is floor(bads / 10) features
    X, y = _wide(1500, 6, -7.0, seed=1)
    bads = int(y.sum())
    limit = math.floor(bads / 10)  # Peduzzi et al. (1996): 10 events per variable
    assert 2 <= limit < 6
    card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
    assert len(card.features_) == limit
    iv = {f: card.binnings_[f].iv for f in X.columns}
    assert set(card.features_) == set(sorted(iv, key=lambda f: -iv[f])[:limit])
    epv = [(f, reason) for f, step, reason in card.drops_ if step == "epv"]
    assert len(epv) == 6 - limit
    assert all(f"only {limit} feature(s) allowed" in r for _, r in epv)
    status = card.summary().set_index("feature")["status"]
    assert (status[[f for f, _ in epv]] == "dropped (epv)").all()


def test_limit_counts_weighted_events_of_the_rarer_outcome():
    X, y = _wide(1500, 6, -7.0, seed=1)
    bads = int(y.sum())
    # weight 2 on every row doubles the events: twice the features (capped by the 6 there are)
    card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y, sample_weight=np.full(len(y), 2.0))
    assert len(card.features_) == min(6, math.floor(2 * bads / 10))
    # goods rarer than bads: the goods are the events
    flipped = Scorecard(binning=BinningParams(max_bins=3)).fit(X, 1 - y)
    assert len(flipped.features_) == math.floor(bads / 10)


def test_forward_selection_stops_at_the_limit():
    X, y = _wide(1500, 6, -7.0, seed=1)
    limit = math.floor(int(y.sum()) / 10)
    card = Scorecard(
        binning=BinningParams(max_bins=3), selection="forward", p_enter=0.5, p_remove=0.5).fit(X, y)
    assert len(card.features_) <= limit
    reasons = [r for _, step, r in card.drops_ if step == "forward"]
    assert any("events allow" in r for r in reasons)


def test_no_limit_warns_below_ten_events_per_feature():
    X, y = _wide(1500, 6, -7.0, seed=1)
    with pytest.warns(DataWarning, match=r"^Scorecard\.fit: the model has \d feature\(s\) for \d+ events .*"
                      r"below 10.*Peduzzi"):
        card = Scorecard(binning=BinningParams(max_bins=3), min_events_per_feature=0).fit(X, y)
    assert len(card.features_) > math.floor(int(y.sum()) / 10)


def test_no_warning_at_ten_events_per_feature_or_more():
    X, y = _wide(4000, 3, -3.0, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
    assert len(card.features_) == 3


@pytest.mark.parametrize("bad", [-1, "ten", float("nan"), None])
def test_min_events_per_feature_is_checked(bad):
    X, y = _wide(500, 2, -1.0, seed=0)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: min_events_per_feature "):
        Scorecard(min_events_per_feature=bad).fit(X, y)


#: Settings of the redundant-feature cards: the correlated s, a and b all pass the filter.
REDUNDANT_KW = {"max_correlation": 0.99, "binning": BinningParams(max_bins=6)}


def _redundant_sum() -> tuple[pd.DataFrame, pd.Series]:
    """s = a + b + noise, which enters first (highest IV); a and b are exactly binned integers."""
    rng = np.random.default_rng(1)
    n = 20_000
    a = rng.integers(0, 4, n).astype(float)
    b = rng.integers(0, 4, n).astype(float)
    X = pd.DataFrame({"s": a + b + 0.7 * rng.normal(size=n), "a": a, "b": b})
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-(-3 + 0.6 * a + 0.6 * b)))).astype(int))
    return X, y


def test_stepwise_aic_removes_a_feature_made_redundant():
    # once a and b are in, s adds nothing but noise and the removal step drops it by AIC
    X, y = _redundant_sum()
    card = Scorecard(selection="stepwise", criterion="aic", **REDUNDANT_KW).fit(X, y)
    assert set(card.features_) == {"a", "b"}
    ((feature, step, reason),) = card.drops_
    assert (feature, step) == ("s", "stepwise")
    assert "without it <" in reason
    # the rule itself: the model with s has the higher AIC (an independent full fit)
    full = Scorecard(**REDUNDANT_KW).fit(X, y)
    assert set(full.features_) == {"s", "a", "b"}
    assert card.aic_ < full.aic_


def _weak_second(seed: int = 4) -> tuple[pd.DataFrame, pd.Series]:
    """A strong feature and a weak one whose likelihood-ratio statistic is about 6 (seed 4)."""
    rng = np.random.default_rng(seed)
    n = 20_000
    X = pd.DataFrame({"strong": rng.integers(0, 4, n).astype(float),
                      "weak": rng.integers(0, 2, n).astype(float)})
    logit = -2 + 0.6 * X["strong"] + 0.08 * X["weak"]
    return X, pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))


def test_bic_is_stricter_than_aic():
    # AIC adds a feature when the likelihood-ratio statistic LR exceeds 2 (one parameter),
    # BIC when it exceeds ln(n) = ln(20000) = 9.90 (Schwarz 1978): LR here is about 6
    X, y = _weak_second()
    full = Scorecard().fit(X, y)
    one = Scorecard().fit(X[["strong"]], y)
    lr = 2 * (full.log_likelihood_ - one.log_likelihood_)
    assert 2 < lr < math.log(len(y))
    assert Scorecard(selection="forward", criterion="aic").fit(X, y).features_ == ("strong", "weak")
    card = Scorecard(selection="forward", criterion="bic").fit(X, y)
    assert card.features_ == ("strong",)
    ((feature, step, reason),) = card.drops_
    # BIC = -2 llf + (k + 1) ln n of the one-feature model (two parameters)
    bic = -2 * one.log_likelihood_ + 2 * math.log(len(y))
    assert (feature, step) == ("weak", "forward")
    assert reason == f"did not lower BIC ({bic:.2f})"


def _ks(y: np.ndarray, s: np.ndarray) -> float:
    """Two-sample KS of the bads' and goods' scores, by scipy (an independent computation)."""
    from scipy import stats

    return float(stats.ks_2samp(s[y == 1], s[y == 0]).statistic)


def test_ks_criterion_enters_only_features_that_raise_ks():
    X, y = _weak_second()
    card = Scorecard(selection="forward", criterion="ks").fit(X, y)
    assert card.features_ == ("strong",)
    one = card.decision_function(X)
    both = Scorecard().fit(X, y).decision_function(X)
    yv = y.to_numpy()
    # the weak feature raises the training KS by at most 0.001, the documented entry gain
    assert _ks(yv, both) - _ks(yv, one) <= 0.001
    (reason,) = [r for f, _, r in card.drops_ if f == "weak"]
    assert reason == f"did not raise KS ({_ks(yv, one):.4f}) by more than 0.001"


def test_stepwise_ks_removes_a_feature_made_redundant():
    # The setting of the AIC test above: once a and b are in, dropping s costs the training
    # KS less than the documented 0.001, so the removal step drops it, and the reason gives
    # both KS values (checked with scipy on independent fits).
    X, y = _redundant_sum()
    card = Scorecard(selection="stepwise", criterion="ks", **REDUNDANT_KW).fit(X, y)
    assert set(card.features_) == {"a", "b"}
    ((feature, step, reason),) = card.drops_
    assert (feature, step) == ("s", "stepwise")
    yv = y.to_numpy()
    with_s = _ks(yv, Scorecard(**REDUNDANT_KW).fit(X, y).decision_function(X))
    without_s = _ks(yv, Scorecard(**REDUNDANT_KW).fit(X[["a", "b"]], y).decision_function(X[["a", "b"]]))
    assert without_s >= with_s - 0.001
    assert reason == f"KS {without_s:.4f} without it >= {with_s:.4f} with it - 0.001"


def test_ks_criterion_takes_an_informative_feature():
    X, y = _wide(4000, 3, -3.0, seed=2)
    card = Scorecard(selection="stepwise", criterion="ks", binning=BinningParams(max_bins=3)).fit(X, y)
    assert len(card.features_) >= 2
    # the first feature to enter is the one whose own model has the highest KS (scipy's)
    yv = y.to_numpy()
    three = BinningParams(max_bins=3)
    single = {f: _ks(yv, Scorecard(binning=three).fit(X[[f]], y).decision_function(X[[f]]))
              for f in X.columns}
    assert card.features_[0] == max(single, key=lambda f: single[f])
