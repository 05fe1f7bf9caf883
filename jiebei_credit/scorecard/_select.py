"""Feature filtering, logistic fits (statsmodels, imported lazily) and selection."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jiebei_credit.errors import ConvergenceWarning, InvalidInputError
from jiebei_credit.scorecard._checks import FloatArray

__all__: list[str] = []

#: A coefficient this large (in log-odds per unit WOE) signals (quasi-)separation.
SEPARATION_COEF = 30.0


@dataclass(frozen=True, slots=True)
class Drop:
    """A feature removed during fitting, the step and the reason."""

    feature: str
    step: str
    reason: str


@dataclass(frozen=True, slots=True)
class LogitFit:
    """The parts of a statsmodels GLM fit the scorecard keeps."""

    features: tuple[str, ...]
    params: FloatArray  # intercept first
    bse: FloatArray
    pvalues: FloatArray
    aic: float
    llf: float
    llnull: float
    converged: bool


def fit_logit(W: pd.DataFrame, y: FloatArray, w: FloatArray | None, features: Sequence[str]) -> LogitFit:
    """Unpenalised logistic regression of ``y`` on the WOE columns ``features``."""
    import statsmodels.api as sm  # lazy: only fitting needs it

    design = np.column_stack([np.ones(len(y)), W[list(features)].to_numpy(dtype=np.float64)])
    if w is None:
        # Newton on the analytic Hessian (one X'WX per step) is much faster than IRLS
        # via pseudo-inverses on large tables.
        res = sm.Logit(y, design).fit(method="newton", maxiter=100, disp=0)
        converged = bool(res.mle_retvals["converged"])
    else:
        res = sm.GLM(y, design, family=sm.families.Binomial(), freq_weights=w).fit(maxiter=100)
        converged = bool(res.converged)
    return LogitFit(
        features=tuple(features),
        params=np.asarray(res.params, dtype=np.float64),
        bse=np.asarray(res.bse, dtype=np.float64),
        pvalues=np.asarray(res.pvalues, dtype=np.float64),
        aic=float(res.aic),
        llf=float(res.llf),
        llnull=float(res.llnull),
        converged=converged,
    )


def check_fit(func: str, fit: LogitFit) -> None:
    """Warn about non-convergence and separation; raise on a fit without numbers."""
    if not np.all(np.isfinite(fit.params)):
        raise InvalidInputError(
            f"{func}: the logistic fit failed (non-finite coefficients); the WOE columns are "
            "probably perfectly collinear or separate the target; raise min_iv or lower "
            "max_correlation."
        )
    big = [f for f, c in zip(fit.features, fit.params[1:], strict=True) if abs(c) > SEPARATION_COEF]
    if big or not np.all(np.isfinite(fit.bse)):
        warnings.warn(
            f"{func}: coefficients of {', '.join(big) or 'some features'} are extreme or their "
            "standard errors undefined: the WOE columns (quasi-)separate the target; the points "
            "are unreliable. Check for leakage or merge bins (lower max_bins).",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif not fit.converged:
        warnings.warn(
            f"{func}: the logistic regression did not converge in 100 iterations; the "
            "coefficients may be inaccurate.",
            ConvergenceWarning,
            stacklevel=3,
        )


def correlation_filter(
    W: pd.DataFrame, features: Sequence[str], iv: dict[str, float], max_correlation: float
) -> tuple[list[str], list[Drop]]:
    """Keep features by IV descending unless |corr| with a kept one exceeds the limit."""
    order = sorted(features, key=lambda f: -iv[f])
    if len(order) < 2:
        return order, []
    arr = W[order].to_numpy(dtype=np.float64)
    sd = arr.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(arr, rowvar=False)
    corr[~np.isfinite(corr)] = 0.0
    kept: list[int] = []
    drops = []
    for j, f in enumerate(order):
        clash = [k for k in kept if abs(corr[j, k]) > max_correlation and sd[j] > 0]
        if clash:
            other = order[clash[0]]
            drops.append(
                Drop(
                    f,
                    "correlation",
                    f"|corr| {abs(corr[j, clash[0]]):.3f} with "
                    f"{other!r} (IV {iv[other]:.4f} >= {iv[f]:.4f}) > {max_correlation}",
                )
            )
        else:
            kept.append(j)
    return [order[k] for k in kept], drops


def vifs(W: pd.DataFrame, features: Sequence[str]) -> FloatArray:
    """Variance inflation factors: the diagonal of the inverse correlation matrix."""
    if len(features) < 2:
        return np.ones(len(features))
    corr = np.corrcoef(W[list(features)].to_numpy(dtype=np.float64), rowvar=False)
    try:
        return np.asarray(np.diag(np.linalg.inv(corr)), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.full(len(features), np.inf)


def vif_filter(W: pd.DataFrame, features: list[str], max_vif: float) -> tuple[list[str], list[Drop]]:
    """Drop the highest-VIF feature until every VIF is at most ``max_vif``."""
    kept = list(features)
    drops = []
    while len(kept) > 1:
        v = vifs(W, kept)
        j = int(np.argmax(v))
        if v[j] <= max_vif:
            break
        drops.append(Drop(kept[j], "vif", f"VIF {v[j]:.2f} > {max_vif}"))
        kept.pop(j)
    return kept, drops


def _entry_value(fit: LogitFit, criterion: str) -> float:
    return fit.aic if criterion == "aic" else float(fit.pvalues[-1])


def select(
    W: pd.DataFrame,
    y: FloatArray,
    w: FloatArray | None,
    candidates: list[str],
    *,
    selection: str,
    criterion: str,
    p_enter: float,
    p_remove: float,
) -> tuple[list[str], list[Drop]]:
    """Forward or stepwise selection by p-value or AIC (``none`` keeps all)."""
    if selection == "none":
        return list(candidates), []
    chosen: list[str] = []
    current_aic = fit_logit(W, y, w, []).aic
    remaining = list(candidates)
    removed: dict[str, str] = {}
    for _ in range(2 * len(candidates) + 1):
        best: tuple[float, str, LogitFit] | None = None
        for f in remaining:
            fit = fit_logit(W, y, w, [*chosen, f])
            value = _entry_value(fit, criterion)
            if best is None or value < best[0]:
                best = (value, f, fit)
        if best is None:
            break
        value, f, fit = best
        enters = value < current_aic if criterion == "aic" else value < p_enter
        if not enters:
            break
        chosen.append(f)
        remaining.remove(f)
        current_aic = fit.aic
        if selection == "stepwise" and len(chosen) > 1:
            fit = fit_logit(W, y, w, chosen)
            worst = int(np.argmax(fit.pvalues[1:]))
            if criterion == "pvalue" and fit.pvalues[1 + worst] > p_remove:
                removed[chosen[worst]] = (
                    f"p-value {fit.pvalues[1 + worst]:.4f} > {p_remove} after adding {f!r}"
                )
                chosen.pop(worst)
                current_aic = fit_logit(W, y, w, chosen).aic
            elif criterion == "aic":
                without = fit_logit(W, y, w, chosen[:worst] + chosen[worst + 1 :])
                if without.aic < current_aic:
                    removed[chosen[worst]] = f"AIC {without.aic:.2f} < {current_aic:.2f} without it"
                    chosen.pop(worst)
                    current_aic = without.aic
    drops = []
    for f in candidates:
        if f not in chosen:
            why = removed.get(f) or (
                f"did not lower AIC ({current_aic:.2f})"
                if criterion == "aic"
                else f"p-value to enter >= {p_enter}"
            )
            drops.append(Drop(f, selection, why))
    return chosen, drops


def mcfadden_r2(fit: LogitFit) -> float:
    """McFadden's pseudo-R², ``1 − llf / llnull``."""
    return 1.0 - fit.llf / fit.llnull if fit.llnull != 0 else math.nan
