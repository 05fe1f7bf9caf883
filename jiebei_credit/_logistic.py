"""Weighted logistic maximum likelihood with an offset, by Newton's method.

Shared by :func:`jiebei_credit.metrics.calibration_slope` (the calibration
intercept and slope of PDs) and :meth:`jiebei_credit.scorecard.Scorecard.recalibrate`
(which folds the same two fits into a card), so the recalibration formula has
one home and a refusal names the public function the caller used.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from scipy import special

from jiebei_credit._validation import FloatArray, fail

__all__ = ["MAX_ITER", "newton"]

#: Newton iterations allowed per fit (each fit has one or two parameters).
MAX_ITER: Final = 100


def newton(
    design: FloatArray,
    y: FloatArray,
    w: FloatArray,
    offset: FloatArray,
    start: FloatArray,
    *,
    func: str,
    name: str = "pd",
    fix: str = "The slope is unbounded: check the PDs against the outcomes for leakage.",
) -> tuple[FloatArray, FloatArray]:
    """Weighted logistic maximum likelihood by Newton's method with step halving.

    Maximises ``Σ w_i [y_i η_i − ln(1 + e^{η_i})]`` with
    ``η = design · β + offset``. ``y`` may be a share in [0, 1] (grouped
    rows: the bad share of a group, ``w`` its weight), which gives the
    same likelihood, up to a constant, as the group's rows one by one.

    Returns the estimates and the inverse of the observed information (their
    covariance). A fit that does not converge in :data:`MAX_ITER` steps raises
    :class:`~jiebei_credit.errors.InvalidInputError` naming ``func`` and ``name``.
    """

    def loglik(beta: FloatArray) -> float:
        eta = design @ beta + offset
        return float(np.dot(w, y * eta - np.logaddexp(0.0, eta)))

    beta = start.astype(np.float64)
    current = loglik(beta)
    for _ in range(MAX_ITER):
        eta = design @ beta + offset
        mu = special.expit(eta)
        grad = design.T @ (w * (y - mu))
        info = (design * (w * mu * (1.0 - mu))[:, None]).T @ design
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while True:
            candidate = beta + t * step
            value = loglik(candidate)
            if value >= current - 1e-12 * abs(current) or t < 1e-10:
                break
            t /= 2.0
        beta, current = candidate, value
        if np.max(np.abs(t * step)) <= 1e-10 * (1.0 + np.max(np.abs(beta))):
            eta = design @ beta + offset
            mu = special.expit(eta)
            info = (design * (w * mu * (1.0 - mu))[:, None]).T @ design
            cov: FloatArray = np.asarray(np.linalg.inv(info), dtype=np.float64)
            if np.all(np.isfinite(beta)) and np.all(np.isfinite(cov)):
                return beta, cov
            break
    raise fail(func, name, "must not (nearly) separate the outcomes", "a recalibration fit that does not "
               "converge", fix)
