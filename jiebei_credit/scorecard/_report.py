"""Points per bin, the points table and the model summary of a fitted card."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._validation import FloatArray

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []


def round_half_away(x: FloatArray) -> FloatArray:
    """Round to integers, halves away from zero (2.5 → 3, −2.5 → −3); never ``-0.0``."""
    return np.asarray(np.sign(x) * np.floor(np.abs(x) + 0.5), dtype=np.float64) + 0.0


def card_points(card: Scorecard) -> dict[str, tuple[float, ...]]:
    """Points per bin of each model feature (class docstring of :class:`Scorecard`, Notes)."""
    m = len(card.features_)
    factor, offset = card.scaling_.factor, card.scaling_.offset
    out = {}
    for f, beta in zip(card.features_, card.coef_, strict=True):
        woe = card.binnings_[f].woe_values
        pts = offset / m - factor * (card.intercept_ / m + beta * woe)
        out[f] = tuple((round_half_away(pts) if card.round_points_ else pts).tolist())
    return out


def check_points(func: str, card: Scorecard, points: dict[str, tuple[float, ...]]) -> None:
    """Raise when the points are not finite or do not carry the model's log-odds.

    Between two bins of feature ``j`` the points must differ by
    ``−factor · βj · (w_jk − w_j0)`` (to rounding, 1 point per feature
    when ``round_points``); a scaling whose offset dwarfs its factor (or
    overflows) loses those differences, and the card would score every row
    alike.
    """
    factor = card.scaling_.factor
    bad = []
    for f, beta in zip(card.features_, card.coef_, strict=True):
        pts = np.asarray(points[f], dtype=np.float64)
        woe = card.binnings_[f].woe_values
        exact = -factor * beta * (woe - woe[0])
        # rounding, plus a millionth of the differences or a billionth of a log-odds unit
        tol = (1.0 if card.round_points_ else 0.0) + 1e-6 * float(np.abs(exact).max()) + 1e-9 * factor
        if not np.all(np.isfinite(pts)) or np.abs((pts - pts[0]) - exact).max() > tol:
            bad.append(f)
    if bad:
        raise V.fail(func, "scaling", "must give finite points that carry the model's log-odds differences",
                     f"{card.scaling_!r}, whose points for {V.show(bad, len(bad))} are not finite or lose "
                     "the differences between bins (the card would score those bins alike)",
                     "Use a scaling of ordinary size, e.g. Scaling(base_score=600, base_odds=50, pdo=20).")


def card_table(card: Scorecard) -> pd.DataFrame:
    """``feature, bin, label, count, bad_rate, woe, points`` per feature and bin."""
    parts = []
    for f in card.features_:
        t = card.binnings_[f].table
        parts.append(pd.DataFrame({
            "feature": f, "bin": np.arange(len(t)), "label": t["label"], "count": t["count"],
            "bad_rate": t["bad_rate"], "woe": t["woe"], "points": card.points_[f],
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def card_summary(card: Scorecard) -> pd.DataFrame:
    """The summary frame of :meth:`Scorecard.summary`."""
    rows = [{"feature": "(intercept)", "status": "model", "coefficient": card.intercept_,
             "std_error": card.std_errors_[0], "p_value": card.p_values_[0], "iv": np.nan,
             "vif": np.nan, "reason": ""}]  # fmt: skip
    for j, f in enumerate(card.features_):
        rows.append({"feature": f, "status": "model", "coefficient": card.coef_[j],
                     "std_error": card.std_errors_[j + 1], "p_value": card.p_values_[j + 1],
                     "iv": card.binnings_[f].iv, "vif": card.vif_[j], "reason": ""})  # fmt: skip
    for f, step, reason in card.drops_:
        rows.append({"feature": f, "status": f"dropped ({step})", "coefficient": np.nan,
                     "std_error": np.nan, "p_value": np.nan, "iv": card.binnings_[f].iv,
                     "vif": np.nan, "reason": reason})  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs = {
        "aic": card.aic_,
        "pseudo_r2": card.pseudo_r2_,
        "log_likelihood": card.log_likelihood_,
        "null_log_likelihood": card.null_log_likelihood_,
        "n_obs": card.n_obs_,
    }
    ridge = float(card.penalty_strength_)
    if ridge != 0.0:  # penalised (NaN too: a card saved without its lambda)
        out.attrs["penalty_strength"] = ridge
        shown = "not stored" if math.isnan(ridge) else f"{ridge:.4g}"
        out.attrs["note"] = (f"L2-penalised fit (lambda {shown}): standard errors and p-values are NaN, "
                             "because Wald statistics do not hold for shrunken estimates; the log-likelihood "
                             "and AIC are unpenalised, at the penalised estimate")
    return out
