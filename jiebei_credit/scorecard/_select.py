"""Feature filtering (correlation, VIF), selection and the checks of a logistic fit."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jiebei_credit import _validation as V
from jiebei_credit._progress import Reporter
from jiebei_credit._validation import FloatArray
from jiebei_credit.errors import ConvergenceWarning, DataWarning
from jiebei_credit.scorecard._design import Design
from jiebei_credit.scorecard._logit import BOUNDARY, MAX_ITER, LogitFit, fit_logit

__all__: list[str] = []

#: A WOE coefficient this large (in log-odds per unit of WOE) makes a feature's points unstable.
#: WOE is already on the log-odds scale, so a coefficient near 1 is usual; 30 means the WOE
#: differences between its bins are magnified 30-fold.
LARGE_COEF = 30.0


@dataclass(frozen=True, slots=True)
class Drop:
    """A feature removed during fitting, the step and the reason."""

    feature: str
    step: str
    reason: str


def fit_features(
    design: Design, features: Sequence[str], start: FloatArray | None = None, ridge: float = 0.0
) -> LogitFit:
    """Logistic fit of the target on the WOE of ``features`` (patterns merged where cheap)."""
    woe, goods, bads = design.subset(features)
    return fit_logit(tuple(features), woe, goods, bads, start=start, ridge=ridge)


def extend(fit: LogitFit, features: Sequence[str]) -> FloatArray:
    """Start values for ``features`` from a fit on some of them (new ones start at 0)."""
    known = dict(zip(fit.features, fit.params[1:], strict=True))
    return np.array([fit.params[0], *(known.get(f, 0.0) for f in features)])


def check_fit(func: str, fit: LogitFit, *, warn: bool = True) -> None:
    """Raise on collinearity, perfect prediction or failure; warn on any other fit trouble.

    With ``warn=False`` only the errors are raised (for intermediate fits whose
    features may still change; the final fit is checked with warnings).
    """
    feats = V.show(list(fit.features), len(fit.features))
    if fit.collinear:
        raise V.fail(func, "X", "must give WOE columns that are not perfectly collinear (with the intercept)",
                     f"the WOE columns of {feats} are perfectly collinear, so the logistic fit has no "
                     "unique solution", "Lower max_correlation or set max_vif.")
    if fit.separated:
        raise V.fail(func, "X", "must not predict y perfectly",
                     f"the WOE of {V.show(list(fit.quasi_features))}, which classifies every bad and every "
                     "good correctly (perfect prediction: the logistic coefficients are infinite)",
                     "Check those features for target leakage, or drop them.")
    if not np.all(np.isfinite(fit.params)):
        raise V.fail(func, "X", "must give a logistic fit with finite coefficients",
                     f"a failed fit on {feats} ({fit.problem or 'no finite coefficients'})",
                     "Check the features for leakage and lower max_bins.")
    if not warn:
        return
    if fit.quasi:
        warnings.warn(
            f"{func}: the WOE columns of {V.show(list(fit.quasi_features))} quasi-separate the target: "
            f"{fit.pure_at_boundary} of {fit.n_patterns} bin combinations hold only bads or only goods and "
            f"the fit drives their probabilities to 0 or 1, so the likelihood has no maximum, the "
            f"coefficients grow without bound (stopped after {fit.iterations} Newton iterations) and the "
            "points are unreliable. Check for leakage or merge bins (lower max_bins, raise "
            "min_bin_goods/min_bin_bads).",
            ConvergenceWarning,
            stacklevel=4,
        )
        return
    if fit.problem:
        warnings.warn(
            f"{func}: the logistic regression on {feats} stopped with a numerical problem: {fit.problem}; "
            "the coefficients may be inaccurate. Lower max_correlation or merge bins.",
            ConvergenceWarning,
            stacklevel=4,
        )
    elif not fit.converged:
        warnings.warn(
            f"{func}: the logistic regression on {feats} did not converge in {MAX_ITER} Newton "
            f"iterations (the last step moved a coefficient by {fit.last_step:.3g}); the coefficients "
            "may be inaccurate.",
            ConvergenceWarning,
            stacklevel=4,
        )
    elif fit.boundary:
        warnings.warn(
            f"{func}: the logistic regression on {feats} fits probabilities within {BOUNDARY:g} of 0 or 1 "
            f"for {fit.pure_at_boundary} of {fit.n_patterns} bin combinations (odds beyond 10^10 : 1), "
            "which no credit model predicts; the points of those bins are unreliable. Merge bins (lower "
            "max_bins, raise min_bin_goods/min_bin_bads).",
            ConvergenceWarning,
            stacklevel=4,
        )
    elif fit.ridge == 0 and not np.all(np.isfinite(fit.bse)):
        warnings.warn(
            f"{func}: the standard errors of the logistic regression on {feats} are undefined (the "
            "information matrix is singular at the estimate); p-values are NaN.",
            ConvergenceWarning,
            stacklevel=4,
        )
    large = [(f, c, se, w) for f, c, se, w in zip(fit.features, fit.params[1:], fit.bse[1:], fit.spread,
                                                   strict=True) if abs(c) > LARGE_COEF]
    if large:
        what = "; ".join(f"{f!r}: coefficient {c:.3g} (standard error {se:.3g}) on a WOE range of {w:.3g}"
                         for f, c, se, w in large[: V.SHOWN])
        warnings.warn(
            f"{func}: the WOE of {V.show([f for f, *_ in large], len(large))} varies little across its bins, "
            f"so its coefficient is large and unstable ({what}): the points rest on small WOE differences "
            "that a little more or less data would change. Nothing is separated. Merge its bins (lower "
            "max_bins, raise min_bin_share) or drop it.",
            DataWarning,
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


#: Least rise of the training KS for a feature to enter (``criterion='ks'``), or to stay.
KS_MIN_GAIN = 0.001


def ks_of(design: Design, fit: LogitFit) -> float:
    """Kolmogorov–Smirnov statistic of the fit's log-odds on the training patterns.

    ``max_s |F_bad(s) − F_good(s)|`` over the distinct fitted log-odds ``s``
    (weighted cumulative shares; tied patterns move together).
    """
    woe, goods, bads = design.subset(fit.features)
    eta = fit.params[0] + woe @ fit.params[1:]
    order = np.argsort(eta, kind="stable")
    eta, goods, bads = eta[order], goods[order], bads[order]
    last = np.append(eta[1:] != eta[:-1], True)  # end of each run of equal log-odds
    cb, cg = np.cumsum(bads)[last], np.cumsum(goods)[last]
    if not (cb[-1] > 0 and cg[-1] > 0):
        return 0.0
    return float(np.abs(cb / cb[-1] - cg / cg[-1]).max())


def _value(design: Design, fit: LogitFit, criterion: str) -> float:
    """The criterion of a fit, lower is better (KS negated); ``inf`` for a failed fit."""
    if not fit.usable:
        return np.inf
    if criterion == "aic":
        value = fit.aic
    elif criterion == "bic":
        value = fit.bic
    elif criterion == "ks":
        value = -ks_of(design, fit) if fit.features else 0.0
    else:
        value = float(fit.pvalues[-1])
    return value if np.isfinite(value) else np.inf


def _better(new: float, old: float, criterion: str) -> bool:
    """True when ``new`` improves on ``old`` (both from :func:`_value` of full models)."""
    return new < old - KS_MIN_GAIN if criterion == "ks" else new < old


def feature_limit(events: float, min_events_per_feature: float) -> int | None:
    """Most features a model may hold: ``max(1, floor(events / min_events_per_feature))``.

    ``events`` is the weight of the rarer outcome (Peduzzi et al., 1996);
    ``None`` (no limit) when ``min_events_per_feature`` is 0.
    """
    if not min_events_per_feature > 0:
        return None
    return max(1, math.floor(events / min_events_per_feature + 1e-9))


#: Events per feature below which a fit warns (Peduzzi et al., 1996).
EPV_WARN = 10.0


def events_of(y: FloatArray, w: FloatArray | None) -> float:
    """Weight of the rarer outcome (bads, or goods when they are fewer)."""
    weights = np.ones_like(y) if w is None else w
    bads = float(weights @ y)
    return min(bads, float(weights.sum()) - bads)


def check_epv(func: str, events: float, n_features: int) -> None:
    """Warn when the model has fewer than :data:`EPV_WARN` events per feature."""
    if n_features and events / n_features < EPV_WARN:
        warnings.warn(
            f"{func}: the model has {n_features} feature(s) for {events:.6g} events (the rarer outcome), "
            f"{events / n_features:.3g} events per feature, below {EPV_WARN:g}: its coefficients are biased "
            "away from zero and its PDs overconfident on new data (Peduzzi et al., 1996). "
            + ("Collect more data." if n_features == 1 else "Keep fewer features "
               "(min_events_per_feature=10), shrink the coefficients (penalty='l2') or collect more data."),
            DataWarning,
            stacklevel=4,
        )


def epv_trim(
    features: list[str], iv: dict[str, float], limit: int | None, events: float, epv: float
) -> tuple[list[str], list[Drop]]:
    """Keep the ``limit`` features of highest IV (the order of ``features`` is kept)."""
    if limit is None or len(features) <= limit:
        return list(features), []
    keep = set(sorted(features, key=lambda f: -iv[f])[:limit])
    drops = [
        Drop(f, "epv", f"only {limit} feature(s) allowed: {events:.6g} events / {epv:g} events per "
             f"feature; IV {iv[f]:.4f} is not among the {limit} highest")
        for f in features if f not in keep
    ]
    return [f for f in features if f in keep], drops


def select(
    design: Design,
    candidates: list[str],
    *,
    selection: str,
    criterion: str,
    p_enter: float,
    p_remove: float,
    limit: int | None = None,
    report: Reporter | None = None,
) -> tuple[list[str], list[Drop]]:
    """Forward or stepwise selection by p-value, AIC, BIC or KS (``none`` keeps all).

    A feature enters when its p-value is below ``p_enter``, or when it
    lowers AIC or BIC, or raises the training KS by more than
    :data:`KS_MIN_GAIN`. Stepwise removal takes the feature of largest
    p-value out when that p-value exceeds ``p_remove``, or when the model
    without it has lower AIC or BIC, or a KS at most :data:`KS_MIN_GAIN`
    lower.

    Every candidate fit starts from the current model's coefficients (the
    new feature at 0), so it needs only a few Newton steps, and runs on the
    patterns of its own features, merged where cheap. No feature enters
    once ``limit`` features are in the model. ``report`` advances one step
    per round of candidate fits.
    """
    if selection == "none":
        return list(candidates), []
    chosen: list[str] = []
    current = fit_features(design, [])
    remaining = list(candidates)
    removed: dict[str, str] = {}
    for _ in range(2 * len(candidates) + 1):
        if limit is not None and len(chosen) >= limit:
            break
        best: tuple[float, str, LogitFit] | None = None
        for f in remaining:
            feats = [*chosen, f]
            fit = fit_features(design, feats, extend(current, feats))
            value = _value(design, fit, criterion)
            if best is None or value < best[0]:
                best = (value, f, fit)
        if best is None:
            break
        value, f, fit = best
        if report is not None:
            report.advance(f"{len(remaining)} candidate fit(s); best {f!r}")
        if criterion == "pvalue":
            enters = value < p_enter
        else:
            enters = _better(value, _value(design, current, criterion), criterion)
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
            elif criterion != "pvalue":
                rest = chosen[:worst] + chosen[worst + 1 :]
                without = fit_features(design, rest, extend(current, rest))
                w_value, c_value = _value(design, without, criterion), _value(design, current, criterion)
                if not _better(c_value, w_value, criterion):
                    removed[chosen[worst]] = _removal(criterion, w_value, c_value)
                    chosen.pop(worst)
                    current = without
    drops = []
    for f in candidates:
        if f not in chosen:
            why = removed.get(f) or (
                f"the model already holds the {limit} feature(s) the events allow"
                if limit is not None and len(chosen) >= limit
                else _no_entry(criterion, _value(design, current, criterion), p_enter)
            )
            drops.append(Drop(f, selection, why))
    return chosen, drops


def _removal(criterion: str, without: float, with_: float) -> str:
    if criterion == "ks":
        return f"KS {-without:.4f} without it >= {-with_:.4f} with it - {KS_MIN_GAIN}"
    name = criterion.upper()
    return f"{name} {without:.2f} without it < {with_:.2f} with it"


def _no_entry(criterion: str, current: float, p_enter: float) -> str:
    if criterion == "ks":
        return f"did not raise KS ({-current:.4f}) by more than {KS_MIN_GAIN}"
    if criterion == "pvalue":
        return f"p-value to enter >= {p_enter}"
    return f"did not lower {criterion.upper()} ({current:.2f})"
