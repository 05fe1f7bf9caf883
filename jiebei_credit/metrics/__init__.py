"""Model validation metrics: discrimination, stability and calibration.

Discrimination (:func:`auc`, :func:`gini`, :func:`ks`, :func:`roc_curve`,
:func:`gains_table`, and :func:`delong_test` to compare two scores) takes the
outcome ``y`` (1 = bad, 0 = good), a score and a required ``higher=``:
``"riskier"`` for a PD or log-odds of bad, ``"safer"`` for scorecard points.
There is no default, because either default would silently invert the other
kind of score.
Stability (:func:`psi`, :func:`csi`) compares a reference sample with a
current one, with a traffic light (:func:`psi_status`): ``"green"``,
``"amber"``, ``"red"``, or ``"insufficient"`` when there is nothing to grade.
Calibration (:func:`calibration_table`, :func:`hosmer_lemeshow`,
:func:`binomial_test`, :func:`jeffreys_test`, :func:`brier_score`,
:func:`calibration_slope`) compares PDs with observed default rates.

Examples
--------
>>> import jiebei_credit as jc
>>> y = [0, 0, 1, 1]
>>> jc.metrics.auc(y, [0.1, 0.4, 0.35, 0.8], higher="riskier")   # PDs
0.75
>>> jc.metrics.auc(y, [700, 640, 650, 560], higher="safer")      # points
0.75
"""

from jiebei_credit.metrics._binned import BinningLike
from jiebei_credit.metrics._calibration import (
    HosmerLemeshowResult,
    brier_score,
    calibration_table,
    hosmer_lemeshow,
)
from jiebei_credit.metrics._delong import DeLongResult, delong_test
from jiebei_credit.metrics._discrimination import auc, gini, ks, roc_curve
from jiebei_credit.metrics._gains import gains_table
from jiebei_credit.metrics._grade_tests import binomial_test, jeffreys_test
from jiebei_credit.metrics._recalibration import CalibrationSlopeResult, calibration_slope
from jiebei_credit.metrics._stability import PSI_THRESHOLDS, PSIResult, csi, psi, psi_status

__all__ = [
    "PSI_THRESHOLDS",
    "BinningLike",
    "CalibrationSlopeResult",
    "DeLongResult",
    "HosmerLemeshowResult",
    "PSIResult",
    "auc",
    "binomial_test",
    "brier_score",
    "calibration_slope",
    "calibration_table",
    "csi",
    "delong_test",
    "gains_table",
    "gini",
    "hosmer_lemeshow",
    "jeffreys_test",
    "ks",
    "psi",
    "psi_status",
    "roc_curve",
]
