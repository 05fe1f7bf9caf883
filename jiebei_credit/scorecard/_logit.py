"""Unpenalised logistic regression on grouped data, fitted with statsmodels.

The data are patterns ``t`` (distinct combinations of bins) with covariates
``x_t`` (intercept first), bad weight ``B_t`` and good weight ``G_t``;
ungrouped rows are patterns of one row. Each pattern becomes at most two
rows of a statsmodels ``GLM`` with a binomial family (logit link): ``y = 1``
with frequency weight ``B_t`` and ``y = 0`` with frequency weight ``G_t``
(rows of zero weight are left out). With ``p_t = 1 / (1 + exp(−x_t·β))``
(probability of bad) its log-likelihood and information matrix are::

    llf(β) = Σ_t B_t ln p_t + G_t ln(1 − p_t)
    I(β)   = Σ_t (B_t + G_t) p_t (1 − p_t) x_t x_tᵀ

which is, term for term, the log-likelihood of statsmodels ``Logit`` on the
uncollapsed rows (or of ``GLM`` with the rows' frequency weights), so the
maximum, the information matrix, hence the standard errors, Wald p-values,
AIC and McFadden pseudo-R² are those of the row-level fit; the test suite
checks the equality. The GLM is fitted by Newton–Raphson (``method=
"newton"``; for the canonical logit link these are the IRLS iterations),
starting from the intercept-only model, until no coefficient moves by more
than ``1e-8``. The steps and the covariance use the expected information
(``optim_hessian="eim"``, ``cov_type="eim"``), which for the canonical link
is the observed information (the Hessian of ``−llf``) written in a form
that stays finite when fitted probabilities reach 0 or 1.

statsmodels is imported here, when a model is fitted, never when the
package is imported. Its warnings (and those it triggers in numpy) are
recorded locally and reported on the result; the caller turns them into
:class:`~jiebei_credit.errors.ConvergenceWarning` or errors. Importing
statsmodels also adds process-wide warning filters, which the same local
context removes again.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from jiebei_credit.scorecard._checks import FloatArray

__all__: list[str] = []

#: Newton iterations before giving up.
MAX_ITER = 100
#: Convergence: largest absolute change of a coefficient in the last step.
TOL = 1e-8
#: Fitted probabilities within this of 0 or 1 (odds beyond 10¹⁰ : 1, |log-odds| > 23) count
#: as "numerically 0 or 1". No credit model predicts that legitimately; under separation
#: statsmodels' Newton iterations stall near |log-odds| 30, where it clips probabilities.
BOUNDARY = 1e-10


@dataclass(frozen=True, slots=True)
class LogitFit:
    """Estimates of one logistic fit (intercept first in the arrays)."""

    features: tuple[str, ...]
    params: FloatArray
    bse: FloatArray
    pvalues: FloatArray
    llf: float
    llnull: float
    aic: float
    """Akaike information criterion, ``−2 llf + 2 × (number of parameters)``."""
    n_obs: float
    iterations: int
    converged: bool
    separated: bool
    """True when the fitted model classifies every row correctly (perfect prediction)."""
    collinear: bool
    """True when the covariates (with the intercept) are linearly dependent: no unique fit."""
    boundary: bool
    """True when some fitted probability is numerically 0 or 1 (within :data:`BOUNDARY`)."""
    notes: tuple[str, ...]
    """Warnings and errors statsmodels reported during the fit (``Category: message``)."""

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R², ``1 − llf / llnull``."""
        return 1.0 - self.llf / self.llnull if self.llnull != 0 else math.nan

    @property
    def usable(self) -> bool:
        """True when the fit produced finite coefficients (a candidate a selection may take)."""
        return not self.collinear and bool(np.all(np.isfinite(self.params)))


def _separates(p: FloatArray, endog: FloatArray) -> bool:
    """True when every bad row is predicted bad (p > ½) and every good row good (p < ½).

    A pattern with both goods and bads has a bad and a good row with the same
    ``p``, so this can only hold when every pattern is pure.
    """
    return bool(np.all(np.where(endog > 0, p > 0.5, p < 0.5)))


def _collinear(exog: FloatArray, weights: FloatArray) -> bool:
    """True when the weighted Gram matrix ``Σ w x xᵀ`` is singular (to rounding).

    The matrix is scaled to unit diagonal first, so the test does not depend
    on the scale of the WOE columns. statsmodels would fit such a design with
    a pseudo-inverse and report one of infinitely many solutions, so it is
    caught before the fit.
    """
    gram = (exog * weights[:, None]).T @ exog
    d = np.sqrt(np.diag(gram))
    if not np.all(d > 0):
        return True
    return bool(np.linalg.eigvalsh(gram / np.outer(d, d)).min() < 1e-10)


def null_loglik(goods: float, bads: float) -> float:
    """Log-likelihood of the intercept-only model, ``B ln(B/N) + G ln(G/N)``.

    Its maximum has the closed form ``p = B / N``; statsmodels' ``llnull``
    (a refit of the intercept-only model) gives the same number at extra cost.
    """
    n = goods + bads
    return sum(v * math.log(v / n) for v in (goods, bads) if v > 0)


def glm_rows(
    woe: FloatArray, goods: FloatArray, bads: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(endog, exog, freq_weights)``: one row per pattern and class of positive weight.

    ``exog`` is ``[1, woe_t]``. Bad rows (``y = 1``, weight ``B_t``) come
    first, then good rows (``y = 0``, weight ``G_t``).
    """
    bad_rows, good_rows = np.flatnonzero(bads > 0), np.flatnonzero(goods > 0)
    rows = np.concatenate((bad_rows, good_rows))
    exog = np.concatenate((np.ones((rows.size, 1)), woe[rows]), axis=1)
    endog = np.zeros(rows.size, dtype=np.float64)
    endog[: bad_rows.size] = 1.0
    weights = np.concatenate((bads[bad_rows], goods[good_rows]))
    return endog, exog, np.asarray(weights, dtype=np.float64)


def _note(w: warnings.WarningMessage) -> str:
    return f"{w.category.__name__}: {w.message}"


def fit_logit(
    features: tuple[str, ...],
    woe: FloatArray,
    goods: FloatArray,
    bads: FloatArray,
    *,
    start: FloatArray | None = None,
) -> LogitFit:
    """Maximum-likelihood logistic regression of bad on the columns of ``woe`` (statsmodels GLM).

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
        predicts every row correctly (the likelihood has no maximum) or
        statsmodels detected perfect separation; ``boundary`` when some
        fitted probability is numerically 0 or 1 (the sign of
        quasi-separation); ``converged`` is false when
        Newton's method stopped at :data:`MAX_ITER` iterations or failed
        (then ``notes`` says why). Coefficients the fit could not produce
        are NaN.
    """
    n_par = woe.shape[1] + 1
    g_sum, b_sum = float(goods.sum()), float(bads.sum())
    llnull = null_loglik(g_sum, b_sum)
    nan = np.full(n_par, np.nan)
    endog, exog, weights = glm_rows(woe, goods, bads)
    if _collinear(exog, weights):
        return LogitFit(features, nan, nan, nan, math.nan, llnull, math.nan, g_sum + b_sum,
                        0, False, False, True, False, ())  # fmt: skip
    if start is None:
        start = np.zeros(n_par)
        start[0] = math.log(b_sum / g_sum)
    params, bse, pvalues = nan, nan, nan
    llf = aic = math.nan
    iterations, converged, flagged = 0, False, False
    failure: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # lazy: statsmodels is loaded by the first fit; the filters its import
        # installs are discarded with this context
        from statsmodels.genmod.families import Binomial
        from statsmodels.genmod.generalized_linear_model import GLM
        from statsmodels.tools import sm_exceptions

        separation_error = getattr(sm_exceptions, "PerfectSeparationError", ())
        try:
            model = GLM(endog, exog, family=Binomial(), freq_weights=weights)
            res = model.fit(
                start_params=start, method="newton", maxiter=MAX_ITER, tol=TOL, disp=False,
                optim_hessian="eim", cov_type="eim",
            )  # fmt: skip
            params = np.asarray(res.params, dtype=np.float64)
            iterations = int(res.mle_retvals["iterations"])
            converged = bool(res.mle_retvals["converged"])
            llf, aic = float(res.llf), float(res.aic)
            if res.normalized_cov_params is not None:
                bse = np.asarray(res.bse, dtype=np.float64)
                pvalues = np.asarray(res.pvalues, dtype=np.float64)
        except separation_error as exc:  # raised by older statsmodels releases
            flagged = True
            failure.append(f"{type(exc).__name__}: {exc}")
        except np.linalg.LinAlgError as exc:  # a singular information matrix
            failure.append(f"{type(exc).__name__}: {exc}")
    notes = tuple(_note(w) for w in caught) + tuple(failure)
    flagged = flagged or any("PerfectSeparation" in w.category.__name__ for w in caught)
    separated = flagged
    boundary = False
    if np.all(np.isfinite(params)):
        with np.errstate(over="ignore"):
            p = 1.0 / (1.0 + np.exp(-(exog @ params)))
        separated = separated or _separates(p, endog)
        boundary = bool(np.any((p < BOUNDARY) | (p > 1.0 - BOUNDARY)))
    return LogitFit(
        features=features,
        params=params,
        bse=bse,
        pvalues=pvalues,
        llf=llf,
        llnull=llnull,
        aic=aic,
        n_obs=g_sum + b_sum,
        iterations=iterations,
        converged=converged and not failure,
        separated=separated,
        collinear=False,
        boundary=boundary,
        notes=notes,
    )
