"""Calibration intercept and slope: logistic recalibration of the outcome on logit(PD).

The PD argument is named ``pd`` as in the validation literature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from jiebei_credit._logistic import newton as _newton
from jiebei_credit._types import Vector
from jiebei_credit._validation import both_classes, fail, offending, outcome_and_score


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationSlopeResult:
    r"""Result of :func:`calibration_slope`.

    Parameters
    ----------
    intercept : float
        Calibration intercept ("calibration in the large"): :math:`a` in
        :math:`\operatorname{logit} P(y=1) = a + \operatorname{logit}(\mathrm{pd})`,
        the slope held at 1 (logit(pd) as an offset). 0 when the PDs are
        right on average; > 0 when they are too low (defaults
        underestimated), < 0 when too high.
    intercept_se : float
        Its standard error.
    slope : float
        Calibration slope: :math:`b` in
        :math:`\operatorname{logit} P(y=1) = a' + b \operatorname{logit}(\mathrm{pd})`.
        1 when the PDs are as spread as they should be; < 1 when they are
        too extreme (overfitting), > 1 when too moderate.
    slope_se : float
        Its standard error.
    recalibration_intercept : float
        :math:`a'`, the intercept fitted together with the slope: the
        recalibrated PD is :math:`\operatorname{expit}(a' + b\,\operatorname{logit}(\mathrm{pd}))`.
    recalibration_intercept_se : float
        Its standard error.
    """

    intercept: float
    intercept_se: float
    slope: float
    slope_se: float
    recalibration_intercept: float
    recalibration_intercept_se: float


def calibration_slope(
    y: Vector, pd: Vector, *, sample_weight: Vector | None = None
) -> CalibrationSlopeResult:
    r"""Calibration intercept and slope of PDs: logistic recalibration of ``y`` on ``logit(pd)``.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = default (bad), 0 = good.
    pd : array-like of shape (n,)
        Predicted probability of default per row, strictly between 0 and 1
        (the model uses its logit).
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights, as frequency weights: each row's
        log-likelihood is multiplied by its weight, and the standard errors
        read the weights as counts (statsmodels' ``GLM(freq_weights=...)``),
        so they scale as one over the square root of the weights' scale.

    Returns
    -------
    CalibrationSlopeResult
        ``intercept`` (calibration in the large), ``slope``, the intercept
        fitted with the slope, and their standard errors.

    Raises
    ------
    InvalidInputError
        If ``y`` is not 0/1 or holds one class only (among rows with a
        positive weight), ``pd`` is not in (0, 1), NaN or not real numbers,
        lengths or indexes differ, the weights are invalid, ``pd`` takes a
        single value (no slope to fit), or ``pd`` separates the outcomes
        (every bad has a PD at or above every good's, or the reverse: the
        slope is infinite and no estimate exists).

    Notes
    -----
    With :math:`x_i = \operatorname{logit}(\mathrm{pd}_i) = \ln(\mathrm{pd}_i / (1 - \mathrm{pd}_i))`,
    the logistic recalibration model of Cox (1958) is

    .. math:: \operatorname{logit} P(y_i = 1) = a' + b\,x_i ,

    fitted by weighted maximum likelihood; :math:`b` is the **calibration
    slope**. The **calibration intercept** (calibration in the large) is
    :math:`a` in the model with the slope fixed at 1, i.e. with :math:`x_i`
    as an offset (Van Calster et al. 2016, 2019):

    .. math:: \operatorname{logit} P(y_i = 1) = a + x_i .

    Perfectly calibrated PDs have :math:`a = 0` and :math:`b = 1`. Both fits
    maximise :math:`\sum_i w_i\,[y_i \eta_i - \ln(1 + e^{\eta_i})]` by
    Newton's method (the log-likelihood is concave); the standard errors
    are the square roots of the diagonal of the inverse information
    :math:`(X^\top W X)^{-1}`, :math:`W = \operatorname{diag}(w_i \mu_i (1 - \mu_i))`.
    On a holdout sample, a slope well below 1 is the mark of overfitting.

    References
    ----------
    .. [1] Cox, D. R. (1958). Two further applications of a model for binary
       regression. *Biometrika* 45(3/4), 562–565.
    .. [2] Van Calster, B., Nieboer, D., Vergouwe, Y., De Cock, B., Pencina,
       M. J. and Steyerberg, E. W. (2016). A calibration hierarchy for risk
       models was defined: from utopia to empirical data. *Journal of
       Clinical Epidemiology* 74, 167–176.
    .. [3] Van Calster, B., McLernon, D. J., van Smeden, M., Wynants, L. and
       Steyerberg, E. W. (2019). Calibration: the Achilles heel of predictive
       analytics. *BMC Medicine* 17, 230.

    Examples
    --------
    PDs twice as extreme as they should be (on the logit scale) give a slope
    of about one half:

    >>> import numpy as np
    >>> import jiebei_credit as jc
    >>> rng = np.random.default_rng(0)
    >>> true_logit = rng.normal(-2.0, 1.0, 20_000)
    >>> y = (rng.random(20_000) < 1 / (1 + np.exp(-true_logit))).astype(int)
    >>> pd_ = 1 / (1 + np.exp(-2.0 * true_logit))
    >>> r = jc.metrics.calibration_slope(y, pd_)
    >>> round(r.slope, 2), round(r.slope_se, 3)
    (0.5, 0.01)
    """
    func = "calibration_slope"
    is_bad, p, w, index = outcome_and_score(y, pd, func=func, score_name="pd", probability=True,
                                            sample_weight=sample_weight, need_both=False)
    edge = (p <= 0.0) | (p >= 1.0)
    if edge.any():
        raise fail(func, "pd", "must lie strictly between 0 and 1 (the recalibration uses logit(pd), "
                   "infinite at 0 and 1)", offending(edge, p, index),
                   "A PD of exactly 0 or 1 claims certainty; give such rows a PD inside (0, 1).")
    # Fit with weights scaled to a maximum of 1 (no overflow or underflow in the sums), then
    # undo the scale in the covariance: frequency weights s·w carry s times the information.
    scale = 1.0 if w is None else float(w.max())
    weight = np.ones(p.size) if w is None else w / scale
    both_classes(is_bad, func=func, weight=None if w is None else weight)
    use = weight > 0.0
    x = special.logit(p)
    xb, xg = x[use & is_bad], x[use & ~is_bad]
    if x[use].min() == x[use].max():
        raise fail(func, "pd", "must take at least two distinct values (the slope is not identified "
                   "otherwise)", f"the single value {float(p[use][0])!r}",
                   "Use the intercept of a model with varying PDs, or compare the mean PD with the bad "
                   "rate.")
    if xg.max() <= xb.min() or xb.max() <= xg.min():
        side = "at or above" if xg.max() <= xb.min() else "at or below"
        raise fail(func, "pd", "must not separate the outcomes (the slope would be infinite: no "
                   "maximum-likelihood estimate exists)", f"every bad with a PD {side} every good's",
                   "Evaluate on more data, or check the PDs for leakage of the outcome.")
    yf = is_bad.astype(np.float64)
    ones = np.ones((x.size, 1))
    (a,), cov_a = _newton(ones, yf, weight, x, np.zeros(1), func=func)
    (a2, b), cov_ab = _newton(np.column_stack((np.ones(x.size), x)), yf, weight, np.zeros(x.size),
                              np.array([0.0, 1.0]), func=func)
    root = float(np.sqrt(scale))
    return CalibrationSlopeResult(
        intercept=float(a),
        intercept_se=float(np.sqrt(cov_a[0, 0])) / root,
        slope=float(b),
        slope_se=float(np.sqrt(cov_ab[1, 1])) / root,
        recalibration_intercept=float(a2),
        recalibration_intercept_se=float(np.sqrt(cov_ab[0, 0])) / root,
    )
