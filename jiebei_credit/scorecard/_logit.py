"""Unpenalised logistic regression on grouped data by Newton–Raphson.

The data are patterns ``t`` with covariates ``x_t`` (intercept first), bad
weight ``B_t`` and good weight ``G_t``; ungrouped rows are patterns of one
row. With ``p_t = 1 / (1 + exp(−x_t·β))`` (probability of bad)::

    llf(β)  = Σ_t B_t ln p_t + G_t ln(1 − p_t)
    score   = Σ_t (B_t − n_t p_t) x_t,            n_t = B_t + G_t
    Hessian = −Σ_t n_t p_t (1 − p_t) x_t x_tᵀ

Newton steps with step halving (the log-likelihood never decreases) run
until the largest coefficient change is below ``1e-8``. Standard errors are
the square roots of the diagonal of the inverse observed information (the
negated Hessian) at the optimum, p-values are two-sided Wald tests, and
``AIC = −2 llf + 2 (k + 1)``. These are the estimates of statsmodels'
``Logit`` (and of ``GLM`` with a binomial family and frequency weights);
the test suite checks the equality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jiebei_credit.scorecard._checks import FloatArray

__all__: list[str] = []

#: Newton iterations before giving up.
MAX_ITER = 100
#: Convergence: largest absolute change of a coefficient in the last step.
TOL = 1e-8


@dataclass(frozen=True, slots=True)
class LogitFit:
    """Estimates of one logistic fit (intercept first in the arrays)."""

    features: tuple[str, ...]
    params: FloatArray
    bse: FloatArray
    pvalues: FloatArray
    llf: float
    llnull: float
    n_obs: float
    iterations: int
    converged: bool
    separated: bool
    """True when the fitted model classifies every row correctly (perfect prediction)."""
    collinear: bool
    """True when the covariates (with the intercept) are linearly dependent: no unique fit."""

    @property
    def aic(self) -> float:
        """Akaike information criterion, ``−2 llf + 2 × (number of parameters)``."""
        return -2.0 * self.llf + 2.0 * self.params.size

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R², ``1 − llf / llnull``."""
        return 1.0 - self.llf / self.llnull if self.llnull != 0 else math.nan


def _loglik(eta: FloatArray, total: FloatArray, bads: FloatArray) -> float:
    # ln p = η − ln(1 + e^η) and ln(1 − p) = −ln(1 + e^η), so
    # B ln p + G ln(1 − p) = B η − n ln(1 + e^η); logaddexp is stable for any η
    return float(bads @ eta - total @ np.logaddexp(0.0, eta))


def _separates(p: FloatArray, goods: FloatArray, bads: FloatArray, pure: bool) -> bool:
    """True when every bad is predicted bad (p > ½) and every good good (p < ½).

    Only possible when no pattern holds both goods and bads (``pure``).
    """
    return pure and bool(np.all((bads <= 0) | (p > 0.5)) and np.all((goods <= 0) | (p < 0.5)))


def _collinear(x: FloatArray, total: FloatArray) -> bool:
    """True when the weighted Gram matrix of ``x`` is singular (to rounding).

    The matrix is scaled to unit diagonal first, so the test does not depend
    on the scale of the WOE columns.
    """
    gram = (x * total[:, None]).T @ x
    d = np.sqrt(np.diag(gram))
    if not np.all(d > 0):
        return True
    return bool(np.linalg.eigvalsh(gram / np.outer(d, d)).min() < 1e-10)


def null_loglik(goods: float, bads: float) -> float:
    """Log-likelihood of the intercept-only model, ``B ln(B/N) + G ln(G/N)``."""
    n = goods + bads
    return sum(v * math.log(v / n) for v in (goods, bads) if v > 0)


def fit_logit(
    features: tuple[str, ...],
    woe: FloatArray,
    goods: FloatArray,
    bads: FloatArray,
    *,
    start: FloatArray | None = None,
) -> LogitFit:
    """Maximum-likelihood logistic regression of bad on the columns of ``woe``.

    Parameters
    ----------
    features : tuple of str
        Names of the columns of ``woe``.
    woe : ndarray, shape (P, k)
        Covariates of each pattern (an intercept is added).
    goods, bads : ndarray, shape (P,)
        Good and bad weight of each pattern.
    start : ndarray, shape (k + 1,), optional
        Starting coefficients (intercept first); by default the null model.

    Returns
    -------
    LogitFit
        ``collinear`` is set (and nothing is fitted) when the weighted
        covariate matrix is singular; ``separated`` when the fitted model
        predicts every row correctly (the likelihood has no maximum);
        ``converged`` is false when Newton's method stopped early (for
        example under quasi-separation, where some probabilities reach 0
        or 1 and the information matrix becomes singular).
    """
    from scipy.special import expit, ndtr  # lazy: scipy is only needed when fitting

    n_par = woe.shape[1] + 1
    x = np.empty((woe.shape[0], n_par), dtype=np.float64)
    x[:, 0] = 1.0
    x[:, 1:] = woe
    total = goods + bads
    pure = bool(np.all((goods <= 0) | (bads <= 0)))
    g_sum, b_sum = float(goods.sum()), float(bads.sum())
    llnull = null_loglik(g_sum, b_sum)
    if start is None:
        beta = np.zeros(n_par)
        beta[0] = math.log(b_sum / g_sum)
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
    eta = x @ beta
    llf = _loglik(eta, total, bads)
    converged = separated = False
    iterations = 0
    collinear = _collinear(x, total)
    for iterations in range(0 if collinear else 1, MAX_ITER + 1):  # noqa: B007 - the count is reported
        if collinear:
            break
        p = expit(eta)
        if _separates(p, goods, bads, pure):
            separated = True
            break
        grad = x.T @ (bads - total * p)
        info = (x * (total * p * (1.0 - p))[:, None]).T @ x
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        t = 1.0
        while True:
            new_beta = beta + t * step
            new_eta = x @ new_beta
            new_llf = _loglik(new_eta, total, bads)
            if new_llf >= llf - 1e-12 * abs(llf) or t < 1e-8:
                break
            t *= 0.5
        change = float(np.max(np.abs(new_beta - beta)))
        beta, eta, llf = new_beta, new_eta, new_llf
        if change < TOL:
            converged = True
            break
    p = expit(eta)
    info = (x * (total * p * (1.0 - p))[:, None]).T @ x
    try:
        cov = np.linalg.inv(info)
        var = np.diag(cov)
        bse = np.where(var > 0, np.sqrt(np.abs(var)), np.nan)
    except np.linalg.LinAlgError:
        bse = np.full(n_par, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        pvalues = 2.0 * ndtr(-np.abs(beta / bse))
    return LogitFit(
        features=features,
        params=beta,
        bse=np.asarray(bse, dtype=np.float64),
        pvalues=np.asarray(pvalues, dtype=np.float64),
        llf=llf,
        llnull=llnull,
        n_obs=g_sum + b_sum,
        iterations=iterations,
        converged=converged,
        separated=separated or _separates(p, goods, bads, pure),
        collinear=collinear,
    )
