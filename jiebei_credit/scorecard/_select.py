"""Feature filtering (correlation, VIF), selection and the checks of a logistic fit."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jiebei_credit.errors import ConvergenceWarning, InvalidInputError
from jiebei_credit.scorecard._checks import FloatArray, listing
from jiebei_credit.scorecard._design import Design
from jiebei_credit.scorecard._logit import MAX_ITER, LogitFit, fit_logit

__all__: list[str] = []

#: A coefficient this large (in log-odds per unit WOE) signals (quasi-)separation.
SEPARATION_COEF = 30.0


@dataclass(frozen=True, slots=True)
class Drop:
    """A feature removed during fitting, the step and the reason."""

    feature: str
    step: str
    reason: str


def fit_features(design: Design, features: Sequence[str], start: FloatArray | None = None) -> LogitFit:
    """Logistic fit of the target on the WOE of ``features`` (patterns merged where cheap)."""
    woe, goods, bads = design.subset(features)
    return fit_logit(tuple(features), woe, goods, bads, start=start)


def extend(fit: LogitFit, features: Sequence[str]) -> FloatArray:
    """Start values for ``features`` from a fit on some of them (new ones start at 0)."""
    known = dict(zip(fit.features, fit.params[1:], strict=True))
    return np.array([fit.params[0], *(known.get(f, 0.0) for f in features)])


def _reported(fit: LogitFit) -> str:
    """`` (statsmodels reported: …)`` listing the distinct notes of the fit, or ``''``."""
    notes = list(dict.fromkeys(fit.notes))
    if not notes:
        return ""
    shown = "; ".join(notes[:3]) + (f"; … ({len(notes)} in all)" if len(notes) > 3 else "")
    return f" (statsmodels reported: {shown})"


def check_fit(func: str, fit: LogitFit, *, warn: bool = True) -> None:
    """Raise on collinearity, perfect prediction or failure; warn on any other fit trouble.

    With ``warn=False`` only the errors are raised (for intermediate fits whose
    features may still change; the final fit is checked with warnings).
    """
    feats = listing(list(fit.features))
    if fit.collinear:
        raise InvalidInputError(
            f"{func}: the WOE columns of {feats} are perfectly collinear (with the intercept), so "
            "the logistic fit has no unique solution; lower max_correlation or set max_vif."
        )
    if fit.separated:
        raise InvalidInputError(
            f"{func}: the WOE of {feats} predicts the target perfectly (every bad and every good "
            "is classified correctly), so the logistic coefficients are infinite; check those "
            "features for target leakage, or drop them."
        )
    if not np.all(np.isfinite(fit.params)):
        raise InvalidInputError(
            f"{func}: the logistic fit on {feats} failed (no finite coefficients){_reported(fit)}; "
            "check the features for leakage and lower max_bins."
        )
    if not warn:
        return
    big = [f for f, c in zip(fit.features, fit.params[1:], strict=True) if abs(c) > SEPARATION_COEF]
    if big or fit.boundary or not np.all(np.isfinite(fit.bse)):
        warnings.warn(
            f"{func}: coefficients of {listing(big or list(fit.features))} are extreme, fitted "
            "probabilities reach 0 or 1, or standard errors are undefined: the WOE columns "
            "quasi-separate the target (some bins predict it perfectly) and the points are "
            "unreliable. Check for leakage or merge "
            f"bins (lower max_bins, raise min_bin_goods/min_bin_bads){_reported(fit)}.",
            ConvergenceWarning,
            stacklevel=4,
        )
    elif not fit.converged:
        warnings.warn(
            f"{func}: the logistic regression on {feats} did not converge in {MAX_ITER} Newton "
            f"iterations; the coefficients may be inaccurate{_reported(fit)}.",
            ConvergenceWarning,
            stacklevel=4,
        )
    elif fit.notes:
        warnings.warn(
            f"{func}: the logistic regression on {feats} converged, but with numerical "
            f"problems{_reported(fit)}; check the estimates before using the card.",
            ConvergenceWarning,
            stacklevel=4,
        )


def correlation_filter(
    corr: FloatArray,
    columns: Sequence[str],
    features: Sequence[str],
    iv: dict[str, float],
    max_correlation: float,
) -> tuple[list[str], list[Drop]]:
    """Keep ``features`` by IV descending unless |corr| with a kept one exceeds the limit.

    ``corr`` is the weighted correlation matrix of the WOE ``columns`` (a
    superset of ``features``, in matrix order).
    """
    pos = {f: j for j, f in enumerate(columns)}
    order = sorted(features, key=lambda f: -iv[f])
    kept: list[str] = []
    drops = []
    for f in order:
        j = pos[f]
        clash = [k for k in kept if abs(corr[j, pos[k]]) > max_correlation]
        if clash:
            other = clash[0]
            drops.append(
                Drop(
                    f,
                    "correlation",
                    f"|corr| {abs(corr[j, pos[other]]):.3f} with "
                    f"{other!r} (IV {iv[other]:.4f} >= {iv[f]:.4f}) > {max_correlation}",
                )
            )
        else:
            kept.append(f)
    return kept, drops


def vifs(corr: FloatArray, cols: Sequence[int]) -> FloatArray:
    """Variance inflation factors: the diagonal of the inverse correlation matrix of ``cols``."""
    if len(cols) < 2:
        return np.ones(len(cols))
    sub = corr[np.ix_(cols, cols)]
    try:
        return np.asarray(np.diag(np.linalg.inv(sub)), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.full(len(cols), np.inf)


def vif_filter(
    corr: FloatArray, all_features: Sequence[str], features: list[str], max_vif: float
) -> tuple[list[str], list[Drop]]:
    """Drop the highest-VIF feature until every VIF is at most ``max_vif``."""
    kept = list(features)
    drops = []
    while len(kept) > 1:
        v = vifs(corr, [all_features.index(f) for f in kept])
        j = int(np.argmax(v))
        if v[j] <= max_vif:
            break
        drops.append(Drop(kept[j], "vif", f"VIF {v[j]:.2f} > {max_vif}"))
        kept.pop(j)
    return kept, drops


def _entry_value(fit: LogitFit, criterion: str) -> float:
    """AIC or the p-value of the last feature; ``inf`` for a fit that failed (never chosen)."""
    value = fit.aic if criterion == "aic" else float(fit.pvalues[-1])
    return value if fit.usable and np.isfinite(value) else np.inf


def select(
    design: Design,
    candidates: list[str],
    *,
    selection: str,
    criterion: str,
    p_enter: float,
    p_remove: float,
) -> tuple[list[str], list[Drop]]:
    """Forward or stepwise selection by p-value or AIC (``none`` keeps all).

    Every candidate fit starts from the current model's coefficients (the
    new feature at 0), so it needs only a few Newton steps, and runs on the
    patterns of its own features, merged where cheap.
    """
    if selection == "none":
        return list(candidates), []
    chosen: list[str] = []
    current = fit_features(design, [])
    remaining = list(candidates)
    removed: dict[str, str] = {}
    for _ in range(2 * len(candidates) + 1):
        best: tuple[float, str, LogitFit] | None = None
        for f in remaining:
            feats = [*chosen, f]
            fit = fit_features(design, feats, extend(current, feats))
            value = _entry_value(fit, criterion)
            if best is None or value < best[0]:
                best = (value, f, fit)
        if best is None:
            break
        value, f, fit = best
        enters = value < current.aic if criterion == "aic" else value < p_enter
        if not enters:
            break
        chosen.append(f)
        remaining.remove(f)
        current = fit
        if selection == "stepwise" and len(chosen) > 1:
            worst = int(np.argmax(current.pvalues[1:]))
            if criterion == "pvalue" and current.pvalues[1 + worst] > p_remove:
                removed[chosen[worst]] = (
                    f"p-value {current.pvalues[1 + worst]:.4f} > {p_remove} after adding {f!r}"
                )
                chosen.pop(worst)
                current = fit_features(design, chosen, extend(current, chosen))
            elif criterion == "aic":
                rest = chosen[:worst] + chosen[worst + 1 :]
                without = fit_features(design, rest, extend(current, rest))
                if without.aic < current.aic:
                    removed[chosen[worst]] = f"AIC {without.aic:.2f} < {current.aic:.2f} without it"
                    chosen.pop(worst)
                    current = without
    drops = []
    for f in candidates:
        if f not in chosen:
            why = removed.get(f) or (
                f"did not lower AIC ({current.aic:.2f})"
                if criterion == "aic"
                else f"p-value to enter >= {p_enter}"
            )
            drops.append(Drop(f, selection, why))
    return chosen, drops
