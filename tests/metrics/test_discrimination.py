"""AUC, Gini, KS and the ROC curve against scikit-learn, scipy and hand computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from tests.strategies import scored_samples, weighted_scored_samples


def test_auc_hand_computed_with_a_tie() -> None:
    # Bads score 0.8, 0.4; goods 0.1, 0.4, 0.3. Pairs (bad, good): 0.8 beats all 3 goods;
    # 0.4 beats 0.1 and 0.3 and ties 0.4 (counts ½): U = 3 + 2.5 = 5.5 of 2 × 3 = 6 pairs.
    y = [1, 0, 1, 0, 0]
    score = [0.8, 0.1, 0.4, 0.4, 0.3]
    assert jc.metrics.auc(y, score, higher="riskier") == pytest.approx(5.5 / 6, abs=1e-15)
    assert jc.metrics.gini(y, score, higher="riskier") == pytest.approx(2 * 5.5 / 6 - 1, abs=1e-15)


def test_auc_matches_sklearn_on_a_large_tied_sample() -> None:
    rng = np.random.default_rng(20260101)
    n = 200_000
    y = rng.random(n) < 0.08
    # Points on a coarse grid: thousands of ties, as with scorecard points.
    score = np.round(rng.normal(600, 40, n) - 40 * y)
    expected = roc_auc_score(y, -score)  # sklearn: higher = positive class (bad)
    assert jc.metrics.auc(y, score, higher="safer") == pytest.approx(expected, abs=1e-12)
    assert jc.metrics.auc(y, -score, higher="riskier") == pytest.approx(expected, abs=1e-12)


@given(scored_samples())
def test_auc_equals_sklearn(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, score = sample
    assert jc.metrics.auc(y, score, higher="riskier") == pytest.approx(roc_auc_score(y, score), abs=1e-12)


@given(weighted_scored_samples())
def test_weighted_auc_equals_sklearn(sample: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    y, score, w = sample
    expected = roc_auc_score(y, score, sample_weight=w)
    assert jc.metrics.auc(y, score, sample_weight=w, higher="riskier") == pytest.approx(expected, abs=1e-12)


def test_integer_weights_equal_repeated_rows() -> None:
    # Weight 3 on a row is the same as the row three times (hand check of the weighted formula).
    y = np.array([1, 0, 1, 0, 0, 1])
    score = np.array([5.0, 1.0, 2.0, 2.0, 4.0, 3.0])
    w = np.array([3, 1, 2, 1, 4, 1])
    rep_y, rep_s = np.repeat(y, w), np.repeat(score, w)
    assert jc.metrics.auc(y, score, sample_weight=w, higher="riskier") == pytest.approx(
        jc.metrics.auc(rep_y, rep_s, higher="riskier")
    )
    assert jc.metrics.ks(y, score, sample_weight=w, higher="riskier") == pytest.approx(
        jc.metrics.ks(rep_y, rep_s, higher="riskier")
    )


@given(scored_samples(), st.sampled_from(["exp", "cube", "affine"]))
def test_auc_invariant_under_increasing_transforms(
    sample: tuple[np.ndarray, np.ndarray], kind: str
) -> None:
    y, score = sample
    z = (score - score.min()) / max(float(np.ptp(score)), 1.0)  # in [0, 1]: no overflow
    transforms = {"exp": np.exp, "cube": lambda v: v**3, "affine": lambda v: 3.0 * v + 7.0}
    t = transforms[kind](z)
    # The property is about the order: rounding may merge values closer than float spacing.
    assume(np.unique(t).size == np.unique(z).size)
    assert jc.metrics.auc(y, t, higher="riskier") == pytest.approx(
        jc.metrics.auc(y, z, higher="riskier"), abs=1e-12
    )


@given(scored_samples())
def test_direction_convention(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, score = sample
    a = jc.metrics.auc(y, score, higher="riskier")
    # "safer" reads the same numbers in the opposite direction: AUC(safer) = 1 − AUC(riskier).
    assert jc.metrics.auc(y, score, higher="safer") == pytest.approx(1.0 - a, abs=1e-12)
    assert jc.metrics.auc(y, -score, higher="safer") == pytest.approx(a, abs=1e-12)
    assert 0.0 <= a <= 1.0
    assert jc.metrics.gini(y, score, higher="riskier") == pytest.approx(2 * a - 1, abs=1e-12)


@given(scored_samples())
def test_ks_equals_scipy_two_sample_statistic(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, score = sample
    # Only the statistic is compared: skip the exact p-value, and silence the asymptotic
    # p-value's division by zero on two-row samples.
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = stats.ks_2samp(score[y == 1], score[y == 0], method="asymp").statistic
    value = jc.metrics.ks(y, score, higher="riskier")
    assert value == pytest.approx(expected, abs=1e-12)
    assert 0.0 <= value <= 1.0


@given(weighted_scored_samples())
def test_weighted_ks_in_unit_interval_and_direction_free(
    sample: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    y, score, w = sample
    value = jc.metrics.ks(y, score, sample_weight=w, higher="riskier")
    assert 0.0 <= value <= 1.0 + 1e-12
    assert jc.metrics.ks(y, -score, sample_weight=w, higher="riskier") == pytest.approx(value, abs=1e-12)
    assert jc.metrics.ks(y, score, higher="safer", sample_weight=w) == pytest.approx(value, abs=1e-12)


def test_ks_checks_higher_like_the_other_metrics() -> None:
    with pytest.raises(InvalidInputError, match=r"^ks: higher must be one of"):
        jc.metrics.ks([0, 1], [0.1, 0.2], higher="up")


def test_ks_hand_computed() -> None:
    # Bads at 1, 2; goods at 3, 4: at t = 2 all bads and no goods are below: KS = 1.
    assert jc.metrics.ks([1, 1, 0, 0], [1, 2, 3, 4], higher="riskier") == 1.0
    # Identical score for everyone: the two CDFs coincide: KS = 0.
    assert jc.metrics.ks([1, 0, 1, 0], [5, 5, 5, 5], higher="riskier") == 0.0


@given(weighted_scored_samples())
def test_roc_curve_matches_sklearn(sample: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    y, score, w = sample
    fpr, tpr, thr = sk_roc_curve(y, score, sample_weight=w, drop_intermediate=False)
    curve = jc.metrics.roc_curve(y, score, sample_weight=w, higher="riskier")
    # sklearn drops thresholds at which only zero-weight rows sit; compare on its thresholds.
    ours = curve.set_index("threshold")
    np.testing.assert_allclose(ours.loc[thr, "fpr"], fpr, atol=1e-12)
    np.testing.assert_allclose(ours.loc[thr, "tpr"], tpr, atol=1e-12)
    # Trapezoidal area under our curve is the AUC.
    fpr_, tpr_ = curve["fpr"].to_numpy(), curve["tpr"].to_numpy()
    area = float(np.sum(np.diff(fpr_) * (tpr_[1:] + tpr_[:-1]) / 2.0))
    assert area == pytest.approx(jc.metrics.auc(y, score, sample_weight=w, higher="riskier"), abs=1e-12)


def test_roc_curve_in_score_units_for_safer_scores() -> None:
    y = [1, 0, 1, 0]
    points = [550.0, 640.0, 600.0, 600.0]
    curve = jc.metrics.roc_curve(y, points, higher="safer")
    # Flag as bad every row with points <= threshold; first row flags nobody. By hand: bads at
    # 550 and 600, goods at 600 and 640: t = 550 flags one bad (tpr .5, fpr 0); t = 600 both
    # bads and one good (1, .5); t = 640 everyone (1, 1).
    assert curve["threshold"].tolist() == [-np.inf, 550.0, 600.0, 640.0]
    assert curve["tpr"].tolist() == [0.0, 0.5, 1.0, 1.0]
    assert curve["fpr"].tolist() == [0.0, 0.0, 0.5, 1.0]
    assert curve["ks"].max() == pytest.approx(jc.metrics.ks(y, points, higher="riskier"))


def test_accepts_series_and_nullable_dtypes() -> None:
    y = pd.Series([1, 0, 1, 0], dtype="Int64", index=list("abcd"))
    score = pd.Series([0.9, 0.2, 0.6, 0.7], index=list("abcd"))
    # Bads 0.9, 0.6 vs goods 0.2, 0.7: 0.9 wins 2, 0.6 wins 1 → 3 / 4.
    assert jc.metrics.auc(y, score, higher="riskier") == 0.75
    assert jc.metrics.auc(y.astype("boolean"), score, higher="riskier") == 0.75
    assert jc.metrics.auc(y.astype(bool), score.to_numpy(), higher="riskier") == 0.75


def test_does_not_mutate_inputs() -> None:
    y = pd.Series([1, 0, 1, 0, 0])
    score = pd.Series([3.0, 1.0, 2.0, 2.0, 0.5])
    w = np.array([1.0, 2.0, 1.0, 1.0, 1.0])
    before = (y.copy(), score.copy(), w.copy())
    jc.metrics.auc(y, score, sample_weight=w, higher="riskier")
    jc.metrics.auc(y, score, higher="riskier")
    jc.metrics.ks(y, score, higher="riskier")
    jc.metrics.roc_curve(y, score, higher="safer")
    pd.testing.assert_series_equal(y, before[0])
    pd.testing.assert_series_equal(score, before[1])
    np.testing.assert_array_equal(w, before[2])
