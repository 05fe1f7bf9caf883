"""model_health: each rule's evidence recomputed independently, and the verdict each situation calls for."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.monitoring import ModelHealth, model_health
from jiebei_credit.scorecard import BinningParams, Scorecard

RULES = ["score_psi_shift", "score_psi_major", "feature_csi", "calibration_in_the_large",
         "calibration_slope", "hosmer_lemeshow", "auc_drop"]


def _features(n: int, rng: np.random.Generator, shift: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"util": np.clip(rng.random(n) + shift, 0.0, 1.0),
                         "inq": rng.poisson(1.0 + 2 * shift, n).astype(float)})


def _risk(X: pd.DataFrame) -> np.ndarray:
    return np.asarray(0.03 + 0.15 * X["util"] + 0.04 * X["inq"])


@cache
def development() -> tuple[pd.DataFrame, pd.Series, Scorecard]:
    rng = np.random.default_rng(3)
    X = _features(5000, rng)
    y = pd.Series((rng.random(5000) < _risk(X)).astype(int))
    return X, y, Scorecard(binning=BinningParams(max_bins=5)).fit(X, y)


def _current(seed: int, *, shift: float = 0.0, extra_risk: float = 0.0, noise: bool = False,
             n: int = 4000) -> tuple[pd.DataFrame, pd.Series]:
    """Current rows; outcomes drawn from the card's own PD (calibrated) unless told otherwise."""
    _, _, card = development()
    rng = np.random.default_rng(seed)
    X = _features(n, rng, shift)
    p = card.predict_proba(X)[:, 1] + extra_risk
    if noise:  # outcomes unrelated to the features: ranking lost
        p = np.full(n, float(p.mean()))
    return X, pd.Series((rng.random(n) < p).astype(int), index=X.index)


def _slow_delong_se(y: np.ndarray, risk: np.ndarray) -> float:
    """DeLong et al. (1988) variance of one AUC, written from its O(m·n) definition."""
    bads, goods = risk[y == 1], risk[y == 0]
    psi = (bads[:, None] > goods[None, :]) + 0.5 * (bads[:, None] == goods[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return float(np.sqrt(v10.var(ddof=1) / bads.size + v01.var(ddof=1) / goods.size))


def test_a_stable_calibrated_card_is_kept() -> None:
    X, y, card = development()
    Xc, yc = _current(11)
    h = model_health(card, X, Xc, yc, development_auc=card.score(X, y))
    assert isinstance(h, ModelHealth)
    assert h.verdict == "keep"
    assert h.complete
    assert h.rules.index.tolist() == RULES
    assert (h.rules["triggered"] == False).all()  # noqa: E712 (every rule ran and passed)
    assert h.summary().startswith("Verdict: keep.")
    assert h.summary_zh().startswith("结论:继续使用。")


def test_rule_evidence_matches_independent_computations() -> None:
    X, y, card = development()
    Xc, yc = _current(12, extra_risk=0.04)
    dev_auc = card.score(X, y)
    h = model_health(card, X, Xc, yc, development_auc=dev_auc, grades=8)
    report = jc.monitoring.stability_report(card, X, Xc)
    assert h.rules.loc["score_psi_shift", "value"] == pytest.approx(report.score_psi.value, rel=1e-12)
    assert h.rules.loc["feature_csi", "value"] == pytest.approx(report.features["csi"].max(), rel=1e-12)
    pd_ = card.predict_proba(Xc)[:, 1]
    cs = jc.metrics.calibration_slope(yc, pd_)
    hl = jc.metrics.hosmer_lemeshow(yc, pd_, grades=8)
    # Wald p-values written out from the normal CDF
    assert h.rules.loc["calibration_in_the_large", "value"] == pytest.approx(
        2 * norm.sf(abs(cs.intercept / cs.intercept_se)), rel=1e-9)
    assert h.rules.loc["calibration_slope", "value"] == pytest.approx(
        2 * norm.sf(abs((cs.slope - 1) / cs.slope_se)), rel=1e-9)
    assert h.rules.loc["hosmer_lemeshow", "value"] == pytest.approx(hl.p_value, rel=1e-9)
    # AUC: scikit-learn; its interval: the O(m·n) DeLong variance and the normal quantile
    risk = -card.points(Xc).to_numpy()
    want_auc = roc_auc_score(yc, risk)
    se = _slow_delong_se(yc.to_numpy(), risk)
    assert h.auc == pytest.approx(want_auc, rel=1e-12)
    assert h.auc_ci is not None
    assert h.auc_ci[0] == pytest.approx(want_auc - norm.ppf(0.975) * se, rel=1e-9)
    assert h.auc_ci[1] == pytest.approx(want_auc + norm.ppf(0.975) * se, rel=1e-9)
    assert h.rules.loc["auc_drop", "value"] == pytest.approx(dev_auc - want_auc, rel=1e-12)
    # PDs too low by 4 points: calibration in the large fails, a recalibration is due
    assert h.rules.loc["calibration_in_the_large", "triggered"] is True
    assert h.verdict == "recalibrate"


def test_lost_ranking_calls_for_a_rebuild() -> None:
    X, y, card = development()
    Xc, yc = _current(13, noise=True)
    h = model_health(card, X, Xc, yc, development_auc=card.score(X, y))
    assert h.rules.loc["auc_drop", "triggered"] is True
    assert h.auc_ci is not None
    assert h.auc_ci[1] < card.score(X, y)
    assert h.verdict == "rebuild"
    assert "TRIGGERED -> rebuild" in h.summary()


def test_a_major_population_shift_calls_for_a_rebuild() -> None:
    X, _, card = development()
    Xc, _ = _current(14, shift=0.5)
    h = model_health(card, X, Xc)
    assert h.rules.loc["score_psi_major", "triggered"] is True
    assert h.rules.loc["feature_csi", "triggered"] is True
    assert h.verdict == "rebuild"
    assert "util" in h.rules.loc["feature_csi", "reason"]


def test_without_outcomes_the_outcome_rules_do_not_run() -> None:
    X, _, card = development()
    Xc, _ = _current(15)
    h = model_health(card, X, Xc, development_auc=0.7)
    assert not h.complete
    not_run = h.rules.index[h.rules["evidence"] == "not run"].tolist()
    assert not_run == ["calibration_in_the_large", "calibration_slope", "hosmer_lemeshow", "auc_drop"]
    assert h.rules.loc[not_run, "triggered"].map(lambda t: t is None).all()
    assert h.rules.loc[not_run, "value"].isna().all()
    assert h.calibration is None
    assert h.auc is None
    assert "partial evidence" in h.summary()
    assert "证据不完整" in h.summary_zh()


def test_thresholds_are_parameters() -> None:
    X, _, card = development()
    Xc, _ = _current(16, shift=0.08)
    psi_value = float(model_health(card, X, Xc).rules.loc["score_psi_shift", "value"])
    lax = model_health(card, X, Xc, psi_thresholds=(psi_value + 0.01, psi_value + 0.02), csi_threshold=1.0)
    strict = model_health(card, X, Xc, psi_thresholds=(psi_value / 2, psi_value * 0.9))
    assert lax.verdict == "keep"
    assert strict.verdict == "rebuild"
    assert strict.rules.loc["score_psi_major", "threshold"] == pytest.approx(psi_value * 0.9)


@given(seed=st.integers(0, 20))
def test_verdict_is_the_most_severe_triggered_action(seed: int) -> None:
    X, _y, card = development()
    rng = np.random.default_rng(seed)
    Xc, yc = _current(100 + seed, shift=float(rng.uniform(0, 0.4)), extra_risk=float(rng.uniform(0, 0.05)),
                      n=800)
    h = model_health(card, X, Xc, yc, development_auc=float(rng.uniform(0.55, 0.8)))
    hit = h.rules.loc[h.rules["triggered"].map(lambda t: t is True), "action"].tolist()
    want = "rebuild" if "rebuild" in hit else "recalibrate" if hit else "keep"
    assert h.verdict == want


def test_inputs_are_not_modified() -> None:
    X, _y, card = development()
    Xc, yc = _current(17)
    X0, Xc0, yc0 = X.copy(), Xc.copy(), yc.copy()
    model_health(card, X, Xc, yc, development_auc=0.7)
    pd.testing.assert_frame_equal(X, X0)
    pd.testing.assert_frame_equal(Xc, Xc0)
    pd.testing.assert_series_equal(yc, yc0)


def test_bad_inputs_get_errors_naming_model_health() -> None:
    X, _, card = development()
    Xc, yc = _current(18, n=500)
    cases = [
        (lambda: model_health(card, X, Xc, np.zeros(len(Xc))),
         r"^model_health: y_current must hold at least two bads \(1\) and two goods \(0\); got 0 bads"),
        (lambda: model_health(card, X, Xc, yc.iloc[1:]),
         r"^model_health: y_current must have one value per row of X_current \(500\); got 499 values"),
        (lambda: model_health(card, X, Xc, yc.set_axis(yc.index + 1)),
         r"^model_health: y_current must have the same index as X_current"),
        (lambda: model_health(card, X, Xc, yc, development_auc=1.2),
         r"^model_health: development_auc must be a finite number in \(0, 1\); got 1\.2"),
        (lambda: model_health(card, X, Xc, psi_thresholds=(0.25, 0.1)),
         r"^model_health: psi_thresholds must be a pair"),
        (lambda: model_health(card, X, Xc, csi_threshold=-1), r"^model_health: csi_threshold must be"),
        (lambda: model_health(card, X, Xc, alpha=0), r"^model_health: alpha must be"),
        (lambda: model_health(card, X, Xc, max_auc_drop=True), r"^model_health: max_auc_drop must be"),
        (lambda: model_health(card, X, Xc, grades=2.0), r"^model_health: grades must be an integer"),
        (lambda: model_health(card, X, Xc.iloc[:0]), r"^model_health: X_current must have at least one row"),
        (lambda: model_health(card, X.to_dict(), Xc),
         r"^model_health: X_reference must be a pandas DataFrame"),
        (lambda: model_health(object(), X, Xc), r"^model_health: card"),
    ]
    for call, pattern in cases:
        with pytest.raises((InvalidInputError, AttributeError), match=pattern):
            call()
    with pytest.raises(SchemaError, match="model_health"):
        model_health(card, X, Xc[["util"]])
