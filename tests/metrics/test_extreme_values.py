"""Extreme but valid values give the right answer without a warning; numpy durations are not numbers.

Each case is a minimal reproduction of a defect the hostile-input suite found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError

Y = np.array([0, 1, 0, 1, 1, 0])
SCORE = np.array([0.1, 0.9, 0.2, 0.8, 0.3, 0.6])
BIG = np.finfo(np.float64).max


@pytest.mark.parametrize("scale", [BIG, 1e-300, 1e300])
def test_the_scale_of_weights_does_not_matter(scale: float) -> None:
    # Weights near the float maximum made the totals overflow (AUC nan, Brier 0.0), subnormal
    # weights a ZeroDivisionError. AUC, KS, the ROC curve and the Brier score are scale-free.
    w = np.array([1.0, 2.0, 1.0, 3.0, 1.0, 2.0])
    scaled = w / w.max() * scale
    want = roc_auc_score(Y, SCORE, sample_weight=w)  # sklearn on the unscaled weights
    assert jc.metrics.auc(Y, SCORE, higher="riskier", sample_weight=scaled) == pytest.approx(want, abs=1e-12)
    assert jc.metrics.ks(Y, SCORE, higher="riskier", sample_weight=scaled) == pytest.approx(
        jc.metrics.ks(Y, SCORE, higher="riskier", sample_weight=w), abs=1e-12)
    assert jc.metrics.brier_score(Y, SCORE, sample_weight=scaled) == pytest.approx(
        np.average((SCORE - Y) ** 2, weights=w), abs=1e-12)
    curve = jc.metrics.roc_curve(Y, SCORE, higher="riskier", sample_weight=scaled)
    assert np.isfinite(curve[["fpr", "tpr"]].to_numpy()).all()


def test_subnormal_weights_equal_no_weights() -> None:
    w = np.full(6, 5e-324)  # the smallest float: all equal, so the same as unweighted
    unweighted = jc.metrics.auc(Y, SCORE, higher="riskier")
    assert jc.metrics.auc(Y, SCORE, higher="riskier", sample_weight=w) == unweighted
    brier = jc.metrics.brier_score(Y, SCORE)
    assert jc.metrics.brier_score(Y, SCORE, sample_weight=w) == pytest.approx(brier)


def test_calibration_slope_standard_errors_follow_the_weight_scale() -> None:
    # Frequency weights: k copies of every row carry k times the information, so the SEs shrink
    # by sqrt(k) and the estimates do not move, for k up to the float maximum.
    one = jc.metrics.calibration_slope(Y, SCORE)
    for k in (4.0, 1e300, BIG, 5e-324):
        r = jc.metrics.calibration_slope(Y, SCORE, sample_weight=np.full(6, k))
        assert r.slope == pytest.approx(one.slope, rel=1e-9)
        assert r.slope_se == pytest.approx(one.slope_se / np.sqrt(k), rel=1e-9)


def test_delong_frequency_weights_count_rows_up_to_2_to_the_53() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^delong_test: sample_weight must total at most 2\*\*53 rows \(frequency weights count rows\)",
    ):
        jc.metrics.delong_test(Y, SCORE, SCORE[::-1], higher="riskier", sample_weight=np.full(6, BIG))


def test_hosmer_lemeshow_with_a_grade_pd_near_zero_is_infinite_not_a_warning() -> None:
    # A grade with PD 5e-324 and a default: (N p - D)^2 / (N p (1 - p)) overflows; the statistic is
    # +inf and the p-value 0, the limit of the formula, with no RuntimeWarning.
    r = jc.metrics.hosmer_lemeshow([1, 0, 0, 1], [5e-324, 5e-324, 0.5, 0.5], grades=["a", "a", "b", "b"])
    assert r.statistic == np.inf
    assert r.p_value == 0.0


# (a unit-less np.timedelta64(3) is deprecated from numpy 2.5 on; nanoseconds stand for it)
@pytest.mark.parametrize("value", [np.timedelta64(3, "D"), np.timedelta64(3, "ns")])
def test_numpy_durations_are_not_integers_or_numbers(value: np.timedelta64) -> None:
    # np.timedelta64 subclasses numpy's integers: it passed as an integer, then int() raised TypeError.
    with pytest.raises(InvalidInputError, match=r"^gains_table: bins must be an integer >= 1; got "):
        jc.metrics.gains_table(Y, SCORE, higher="riskier", bins=value)
    with pytest.raises(InvalidInputError, match=r"^calibration_table: level must be a finite number"):
        jc.metrics.calibration_table(Y, SCORE, level=value)
    with pytest.raises(InvalidInputError, match=r"^auc: score must hold real numbers; got 1 value"):
        jc.metrics.auc(Y, np.array([value, *SCORE[1:]], dtype=object), higher="riskier")


def test_lists_inside_a_feature_list_are_refused() -> None:
    # Repeats were looked up in a set, and a list inside raised TypeError: unhashable type.
    frame = pd.DataFrame({"u": SCORE})
    with pytest.raises(InvalidInputError, match=r"^csi: features must hold single values \(labels\), not "
                       r"lists or arrays; got 1 such item \(\['u'\]\)\.$"):
        jc.metrics.csi(frame, frame, features=[["u"]])


def test_a_feature_list_naming_absent_columns_says_so() -> None:
    frame = pd.DataFrame({"u": SCORE})
    with pytest.raises(jc.errors.SchemaError, match=r"X_reference\.zz: missing column named in features"):
        jc.metrics.csi(frame, frame, features=["zz"])
