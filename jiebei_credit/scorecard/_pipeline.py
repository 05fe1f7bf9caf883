"""The steps of :meth:`Scorecard.fit`: bin, filter, select, fit, check signs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._progress import reporter
from jiebei_credit._validation import FloatArray
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._checks import Criterion, Selection
from jiebei_credit.scorecard._design import build_design
from jiebei_credit.scorecard._finebin import Category
from jiebei_credit.scorecard._fit import MergeParams
from jiebei_credit.scorecard._folds import CV_FOLDS, deal_folds
from jiebei_credit.scorecard._logit import LogitFit
from jiebei_credit.scorecard._params import check_all
from jiebei_credit.scorecard._select import (
    Drop,
    check_epv,
    check_fit,
    correlation_filter,
    epv_trim,
    events_of,
    extend,
    feature_limit,
    fit_features,
    select,
    vif_filter,
    vifs,
)
from jiebei_credit.scorecard._transformer import fit_binnings

__all__ = ["Criterion", "Selection"]


#: Fit progress and timings (no handler is configured by the library).
LOGGER = logging.getLogger("jiebei_credit.scorecard")

@dataclass(frozen=True, slots=True, kw_only=True)
class Steps:
    """Validated parameters of the filtering and selection steps."""

    min_iv: float
    max_correlation: float
    max_vif: float | None
    selection: str
    criterion: str
    p_enter: float
    p_remove: float
    min_events_per_feature: float
    penalty: str
    penalty_strength: float | str


#: Penalty strengths λ tried by cross-validation (scikit-learn's ``C = 1/λ``).
CV_GRID = tuple(float(v) for v in np.logspace(-3, 4, 15))


def cv_strength(
    frame: pd.DataFrame, features: list[str], binnings: dict[str, Binning], y: FloatArray,
    w: FloatArray | None, seed: int,
) -> float:
    """The λ of :data:`CV_GRID` with the largest held-out log-likelihood (stratified K-fold).

    Rows are dealt to :data:`CV_FOLDS` folds by :func:`deal_folds`, their
    content being their bins of ``features``, target and weight (rows in the
    same bins are interchangeable here), so the choice does not depend on
    the row order; the bins stay those of the full data. Ties go to the larger λ.
    """
    fold = deal_folds([binnings[f].bin_index(frame[f]) for f in features], y, w, seed)
    weights = np.ones(y.size) if w is None else w
    score = np.zeros(len(CV_GRID))
    for k in range(CV_FOLDS):
        train, test = fold != k, fold == k
        if not (y[train].min() < y[train].max()):
            continue
        d_train = build_design(frame[train], features, binnings, y[train], weights[train])
        d_test = build_design(frame[test], features, binnings, y[test], weights[test])
        woe, goods, bads = d_test.subset(features)
        start = None
        for i, lam in enumerate(CV_GRID[::-1]):  # strong to weak: each fit starts from the last
            fit = fit_features(d_train, features, start, ridge=lam)
            if not fit.usable:
                score[len(CV_GRID) - 1 - i] = -np.inf
                continue
            start = fit.params
            eta = fit.params[0] + woe @ fit.params[1:]
            held_out = bads @ np.logaddexp(0.0, -eta) + goods @ np.logaddexp(0.0, eta)
            score[len(CV_GRID) - 1 - i] -= float(held_out)
    best = np.flatnonzero(score >= score.max() - 1e-9 * abs(score.max()))
    return CV_GRID[int(best.max())]


def check_steps(
    func: str,
    *,
    min_iv: Any,
    max_correlation: Any,
    max_vif: Any,
    selection: Any,
    criterion: Any,
    p_enter: Any,
    p_remove: Any,
    min_events_per_feature: Any,
    penalty: Any,
    penalty_strength: Any,
) -> Steps:
    """Check the filtering and selection parameters once; messages name ``func``."""
    values = check_all(func, {"min_iv": min_iv, "max_correlation": max_correlation, "max_vif": max_vif,
                              "selection": selection, "criterion": criterion, "p_enter": p_enter,
                              "p_remove": p_remove, "min_events_per_feature": min_events_per_feature,
                              "penalty": penalty, "penalty_strength": penalty_strength})
    return Steps(**values)


@dataclass(frozen=True, slots=True)
class CardFit:
    """Everything :meth:`Scorecard.fit` learns (aggregates only, no rows)."""

    binnings: dict[str, Binning]
    fit: LogitFit
    vif: FloatArray
    drops: tuple[Drop, ...]
    ridge: float = 0.0


def fit_card(
    func: str,
    frame: pd.DataFrame,
    y: FloatArray,
    w: FloatArray | None,
    merge: MergeParams,
    steps: Steps,
    *,
    special_values: tuple[Category, ...] | dict[str, tuple[Category, ...]],
    categorical: tuple[str, ...] | None,
    numeric: tuple[str, ...] | None,
    n_prebins: int,
    sample_size: int | None,
    seed: int,
    progress: object = None,
) -> CardFit:
    """Run the fitting steps on validated inputs; see :class:`Scorecard`.

    ``progress`` (see :mod:`jiebei_credit._progress`) reports one step per
    binned column, then one per round of the selection.
    """
    with reporter(progress, func=func, desc="binning", total=frame.shape[1], logger=LOGGER) as report:
        binnings = fit_binnings(
            func, frame, y, w, merge, special_values=special_values, categorical=categorical,
            numeric=numeric, n_prebins=n_prebins, sample_size=sample_size, seed=seed, report=report,
        )  # fmt: skip
    iv = {f: b.iv for f, b in binnings.items()}
    drops = [Drop(f, "iv", f"IV {iv[f]:.4f} < {steps.min_iv}") for f in binnings if iv[f] < steps.min_iv]
    candidates = [f for f in binnings if iv[f] >= steps.min_iv]
    design = build_design(frame, candidates, binnings, y, w)
    corr, sd = design.moments()
    flat = [f for f, s in zip(candidates, sd, strict=True) if not s > 0]
    drops += [Drop(f, "constant", "WOE is the same on every row (one bin): nothing to fit") for f in flat]
    varying = [f for f in candidates if f not in flat]
    chosen, more = correlation_filter(corr, candidates, varying, iv, steps.max_correlation)
    drops += more
    if steps.max_vif is not None:
        chosen, more = vif_filter(corr, candidates, chosen, steps.max_vif)
        drops += more
    events = events_of(y, w)
    limit = feature_limit(events, steps.min_events_per_feature)
    if steps.selection == "none":
        chosen, more = epv_trim(chosen, iv, limit, events, steps.min_events_per_feature)
    else:
        with reporter(progress, func=func, desc=f"{steps.selection} selection", total=None,
                      logger=LOGGER) as report:
            chosen, more = select(
                design, chosen, selection=steps.selection, criterion=steps.criterion,
                p_enter=steps.p_enter, p_remove=steps.p_remove, limit=limit, report=report,
            )  # fmt: skip
    drops += more
    ridge = 0.0
    if steps.penalty == "l2" and chosen:
        strength = steps.penalty_strength
        ridge = cv_strength(frame, chosen, binnings, y, w, seed) if isinstance(strength, str) else strength
    fit = None
    while True:
        if not chosen:
            raise V.fail(func, "X", "must leave at least one feature to fit (no feature is left to fit)",
                         f"{len(binnings)} feature(s), all dropped: "
                         f"{V.show([f'{d.feature} ({d.step})' for d in drops], len(drops))}",
                         "Lower min_iv or check the target.")
        # the first fit starts from the null model, a refit from the previous coefficients
        # without the dropped feature: Newton's method reaches the same maximum (to far below
        # its 1e-8 step tolerance) from either start, in fewer steps from the closer one
        fit = fit_features(design, chosen, None if fit is None else extend(fit, chosen), ridge)
        check_fit(func, fit, warn=False)
        coefs = fit.params[1:]
        if np.all(coefs < 0):
            break
        j = int(np.argmax(coefs))
        drops.append(
            Drop(
                chosen[j],
                "sign",
                f"coefficient {coefs[j]:+.4f} >= 0: higher "
                "WOE would mean higher risk (collinearity with other features)",
            )
        )
        chosen.pop(j)
    check_fit(func, fit)  # warnings speak of the final model only
    check_epv(func, events, len(chosen))
    vif = vifs(corr, [candidates.index(f) for f in chosen])
    return CardFit(binnings=binnings, fit=fit, vif=vif, drops=tuple(drops), ridge=ridge)
