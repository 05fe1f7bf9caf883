"""Unpenalised logistic regression on grouped data, by Newton–Raphson.

The data are patterns ``t`` (distinct combinations of bins) with covariates
``x_t`` (intercept first), bad weight ``B_t`` and good weight ``G_t``;
ungrouped rows are patterns of one row. With ``N_t = B_t + G_t`` and
``p_t = 1 / (1 + exp(−x_t·β))`` (probability of bad)::

    llf(β) = Σ_t B_t ln p_t + G_t ln(1 − p_t)
    U(β)   = Σ_t (B_t − N_t p_t) x_t                 (score)
    I(β)   = Σ_t N_t p_t (1 − p_t) x_t x_tᵀ           (information)

which is, term for term, the log-likelihood of a logistic regression on
the uncollapsed rows (statsmodels ``Logit``, or ``GLM`` with the rows'
frequency weights), so the maximum, the information matrix, hence the
standard errors ``sqrt(diag I(β̂)⁻¹)``, the two-sided Wald p-values
``2 Φ(−|β̂ / se|)``, ``AIC = −2 llf + 2 (k + 1)`` and McFadden's pseudo-R²
are those of the row-level fit; the test suite checks the equality against
statsmodels. Newton's method ``β ← β + I(β)⁻¹ U(β)`` (for the canonical
logit link these are the IRLS iterations) starts from the intercept-only
model and stops when no coefficient moves by more than :data:`TOL`; a step
that would lower the likelihood is halved (it never does near the
maximum, so converged estimates are those of plain Newton).

Everything is computed here with numpy and :mod:`scipy.special` in forms
that cannot overflow (``ln p = −log(1 + e^{−η})`` by ``logaddexp``,
``p`` by ``expit``), so a fit emits no warning of its own and touches no
process-wide state: no warning filters, no statsmodels import (importing
statsmodels installs process-wide warning filters).

The problems of a fit are read from its results (Albert and Anderson, 1984):

* **complete separation**: the fitted log-odds classify every pattern
  correctly, so every pattern is pure — the likelihood has no maximum;
* **quasi-separation**: while the fit has not converged, some pure patterns
  have fitted probabilities beyond :data:`DIVERGED_LOGIT` (odds of 10¹⁵ : 1)
  and the last Newton step ``δ`` is a direction along which no pattern's
  likelihood falls (``x_t·δ ≥ 0`` for pure bad patterns, ``≤ 0`` for pure
  good ones, ``= 0`` for mixed ones, to rounding): the likelihood keeps
  rising towards the fit that is perfect on those patterns, and the
  coefficients grow without bound. The fit stops there;
* **non-convergence**: :data:`MAX_ITER` iterations without either;
* **boundary**: some fitted probability within :data:`BOUNDARY` of 0 or 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from jiebei_credit._normal import two_sided_p
from jiebei_credit._validation import FloatArray

__all__: list[str] = []

#: Newton iterations before giving up.
MAX_ITER = 100
#: Convergence: largest absolute change of a coefficient in the last step.
TOL = 1e-8
#: Fitted probabilities within this of 0 or 1 (odds beyond 10¹⁰ : 1, |log-odds| > 23) count
#: as "numerically 0 or 1". No credit model predicts that legitimately.
BOUNDARY = 1e-10
#: |log-odds| of a pure pattern beyond which a fit that has not converged is diverging
#: (probability within 3e-16 of 0 or 1, below float64's resolution next to 1).
DIVERGED_LOGIT = 36.0
#: Step halvings tried before a step that lowers the likelihood is taken anyway.
HALVINGS = 30

_BOUNDARY_LOGIT = math.log((1.0 - BOUNDARY) / BOUNDARY)


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
    """True when the fitted log-odds classify every pattern correctly (perfect prediction)."""
    collinear: bool
    """True when the covariates (with the intercept) are linearly dependent: no unique fit."""
    boundary: bool
    """True when some fitted probability is numerically 0 or 1 (within :data:`BOUNDARY`)."""
    quasi: bool = False
    """True when the fit diverges along a quasi-separating direction (module docstring)."""
    quasi_features: tuple[str, ...] = ()
    """Features with a non-negligible share of that direction."""
    pure_at_boundary: int = 0
    """Patterns (bin combinations) whose fitted probability is numerically 0 or 1."""
    n_patterns: int = 0
    spread: FloatArray = field(default_factory=lambda: np.empty(0))
    """Range (max − min) of each feature's WOE over the patterns."""
    problem: str = ""
    """A numerical failure (singular information matrix), or ''."""
    last_step: float = 0.0
    """Largest coefficient change of the last Newton step."""
    ridge: float = 0.0
    """L2 penalty ``λ`` on the coefficients (not the intercept); 0 for maximum likelihood."""

    @property
    def bic(self) -> float:
        """Bayesian (Schwarz) information criterion, ``−2 llf + (number of parameters) · ln n``.

        ``n`` is the total (weighted) number of rows, as in statsmodels' ``Logit``.
        """
        return -2.0 * self.llf + self.params.size * math.log(self.n_obs) if self.n_obs > 0 else math.nan

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo-R², ``1 − llf / llnull``."""
        return 1.0 - self.llf / self.llnull if self.llnull != 0 else math.nan

    @property
    def usable(self) -> bool:
        """True when the fit produced finite coefficients (a candidate a selection may take)."""
        return not self.collinear and bool(np.all(np.isfinite(self.params)))


def _collinear(exog: FloatArray, weights: FloatArray) -> bool:
    """True when the weighted Gram matrix ``Σ w x xᵀ`` is singular (to rounding).

    The matrix is scaled to unit diagonal first, so the test does not depend
    on the scale of the WOE columns. Such a design has infinitely many
    solutions, so it is caught before the fit.
    """
    gram = (exog * weights[:, None]).T @ exog
    d = np.sqrt(np.diag(gram))
    if not np.all(d > 0) or not np.all(np.isfinite(gram)):
        return True
    return bool(np.linalg.eigvalsh(gram / np.outer(d, d)).min() < 1e-10)


def null_loglik(goods: float, bads: float) -> float:
    """Log-likelihood of the intercept-only model, ``B ln(B/N) + G ln(G/N)``."""
    n = goods + bads
    return sum(v * math.log(v / n) for v in (goods, bads) if v > 0)


def _loglik(eta: FloatArray, goods: FloatArray, bads: FloatArray) -> float:
    """``Σ B ln p + G ln(1 − p)`` with ``ln p = −log(1 + e^{−η})`` (never overflows)."""
    return -float(bads @ np.logaddexp(0.0, -eta) + goods @ np.logaddexp(0.0, eta))


def _information(X: FloatArray, eta: FloatArray, n: FloatArray) -> FloatArray:
    p = special.expit(eta)
    w = n * p * (1.0 - p)
    return np.asarray((X * w[:, None]).T @ X, dtype=np.float64)


def _pure_sign(goods: FloatArray, bads: FloatArray) -> FloatArray:
    """+1 for patterns of bads only, −1 for goods only, 0 for mixed ones."""
    return np.where(goods == 0, 1.0, np.where(bads == 0, -1.0, 0.0))


def _diverging(X: FloatArray, eta: FloatArray, step: FloatArray, sign: FloatArray) -> bool:
    """True when pure patterns run off to probability 0/1 along a quasi-separating step."""
    far = np.abs(eta) > DIVERGED_LOGIT
    if not far.any() or not np.all(sign[far] * eta[far] > 0):
        return False
    v = X @ step
    scale = float(np.abs(v[far]).max())
    if not scale > 0:
        return False
    tol = 1e-6 * scale
    mixed = sign == 0
    return bool(np.all(sign * v >= -tol) and np.all(np.abs(v[mixed]) <= tol))


def fit_logit(
    features: tuple[str, ...],
    woe: FloatArray,
    goods: FloatArray,
    bads: FloatArray,
    *,
    start: FloatArray | None = None,
    ridge: float = 0.0,
) -> LogitFit:
    """Maximum-likelihood logistic regression of bad on the columns of ``woe``.

    With ``ridge = λ > 0`` the estimate maximises ``llf(β) − (λ/2) Σ_{j≥1} βj²``
    (the intercept is not penalised): Newton's method with score
    ``U − λ β̃`` and information ``I + λ D`` (``β̃`` and ``D`` without the
    intercept). This is scikit-learn's ``LogisticRegression(C=1/λ)`` on the
    rows with frequency weights. Standard errors and p-values are NaN then
    (the Wald theory does not hold for a penalised estimate); ``llf`` and
    AIC are those of the unpenalised likelihood at the penalised estimate.

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
        See the module docstring for ``separated``, ``quasi``,
        ``converged`` and ``boundary``; ``collinear`` is set (and nothing is
        fitted) when the weighted covariate matrix is singular. Coefficients
        the fit could not produce are NaN.
    """
    n_par = woe.shape[1] + 1
    g_sum, b_sum = float(goods.sum()), float(bads.sum())
    llnull = null_loglik(g_sum, b_sum)
    nan = np.full(n_par, np.nan)
    keep = (goods + bads) > 0
    goods, bads, woe = goods[keep], bads[keep], woe[keep]
    X = np.concatenate((np.ones((woe.shape[0], 1)), woe), axis=1)
    n = goods + bads
    spread = (woe.max(axis=0) - woe.min(axis=0)) if woe.shape[0] else np.zeros(woe.shape[1])
    if _collinear(X, n):
        return LogitFit(features, nan, nan, nan, math.nan, llnull, math.nan, g_sum + b_sum, 0, False, False,
                        True, False, n_patterns=int(n.size), spread=spread)  # fmt: skip
    with np.errstate(all="ignore"):  # thread-local; every result is checked for finiteness below
        return _newton(features, X, goods, bads, n, llnull, g_sum, b_sum, spread, start, ridge)


def _newton(
    features: tuple[str, ...], X: FloatArray, goods: FloatArray, bads: FloatArray, n: FloatArray,
    llnull: float, g_sum: float, b_sum: float, spread: FloatArray, start: FloatArray | None,
    ridge: float = 0.0,
) -> LogitFit:
    n_par = X.shape[1]
    mask = np.ones(n_par)
    mask[0] = 0.0
    pen = np.diag(ridge * mask)
    nan = np.full(n_par, np.nan)
    if start is None:
        beta = np.zeros(n_par)
        beta[0] = math.log(b_sum / g_sum)
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
    sign = _pure_sign(goods, bads)
    eta = X @ beta
    ll = _loglik(eta, goods, bads) - 0.5 * ridge * float(mask @ beta**2)
    converged = quasi = False
    problem = ""
    step = np.zeros(n_par)
    full = 0.0
    iterations = 0
    for iterations in range(1, MAX_ITER + 1):
        p = special.expit(eta)
        score = X.T @ (bads - n * p) - ridge * mask * beta
        info = _information(X, eta, n) + pen
        try:
            step = np.asarray(np.linalg.solve(info, score), dtype=np.float64)
        except np.linalg.LinAlgError:
            problem = f"the information matrix is singular at Newton iteration {iterations}"
            break
        if not np.all(np.isfinite(step)):
            problem = f"the Newton step is not finite at iteration {iterations}"
            break
        full = float(np.abs(step).max())
        new = beta + step
        new_eta = X @ new
        new_ll = _loglik(new_eta, goods, bads) - 0.5 * ridge * float(mask @ new**2)
        for _ in range(HALVINGS):
            if new_ll >= ll - 1e-9 * max(1.0, abs(ll)):
                break
            step = step / 2.0
            new = beta + step
            new_eta = X @ new
            new_ll = _loglik(new_eta, goods, bads) - 0.5 * ridge * float(mask @ new**2)
        beta, eta, ll = new, new_eta, new_ll
        if full <= TOL:
            converged = True
            break
        if _diverging(X, eta, step, sign):
            quasi = True
            break
    if not np.all(np.isfinite(beta)) or not math.isfinite(ll):
        return LogitFit(features, nan, nan, nan, math.nan, llnull, math.nan, g_sum + b_sum, iterations, False,
                        False, False, False, n_patterns=int(n.size), spread=spread,
                        problem=problem or "the coefficients are not finite")  # fmt: skip
    info = _information(X, eta, n)
    try:
        diag = np.diag(np.linalg.inv(info))
        bse = np.where(diag > 0, np.sqrt(np.where(diag > 0, diag, 0.0)), np.nan)
    except np.linalg.LinAlgError:
        bse = nan.copy()
    bse = np.where(np.isfinite(bse), bse, np.nan)
    pvalues = np.where(np.isfinite(bse), two_sided_p(beta / bse), np.nan)
    if ridge > 0:
        bse, pvalues = nan.copy(), nan.copy()
        ll = _loglik(eta, goods, bads)  # the unpenalised log-likelihood at the estimate
    at_boundary = np.abs(eta) > _BOUNDARY_LOGIT
    separated = bool(np.all(sign * eta > 0))  # every pattern pure and on its side of p = 1/2
    quasi_features: tuple[str, ...] = ()
    if quasi or separated:
        direction = np.abs(step[1:])
        top = float(direction.max()) if direction.size else 0.0
        quasi_features = tuple(
            f for f, d in zip(features, direction, strict=True) if top > 0 and d > 1e-3 * top
        )
    return LogitFit(
        features=features,
        params=np.asarray(beta, dtype=np.float64),
        bse=np.asarray(bse, dtype=np.float64),
        pvalues=np.asarray(pvalues, dtype=np.float64),
        llf=ll,
        llnull=llnull,
        aic=-2.0 * ll + 2.0 * n_par,
        n_obs=g_sum + b_sum,
        iterations=iterations,
        converged=converged,
        separated=separated,
        collinear=False,
        boundary=bool(at_boundary.any()),
        quasi=quasi and not separated,
        quasi_features=quasi_features or features,
        pure_at_boundary=int(at_boundary.sum()),
        n_patterns=int(n.size),
        spread=np.asarray(spread, dtype=np.float64),
        problem=problem,
        last_step=full,
        ridge=ridge,
    )
