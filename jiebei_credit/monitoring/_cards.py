"""What champion/challenger comparison and model health need of a fitted card, checked once.

A card is read through public members only: ``points(X)`` (credit points,
higher = safer) and ``scaling_`` (its :class:`jiebei_credit.scorecard.Scaling`,
the one home of the score-to-PD formula). Calibration evidence is gathered
here from :mod:`jiebei_credit.metrics`, so the comparison and the health
check read the same tests the same way.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit._normal import two_sided_p
from jiebei_credit._validation import (
    BoolArray,
    FloatArray,
    binary_target,
    callable_member,
    fail,
    float_vector,
    same_rows,
)
from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.metrics import binomial_test, brier_score, calibration_slope, hosmer_lemeshow
from jiebei_credit.monitoring._report import card_points

#: Columns of a calibration row, in order.
CALIBRATION_COLUMNS: Final = (
    "n", "bads", "bad_rate", "mean_pd", "binomial_p", "hl_statistic", "hl_dof", "hl_p",
    "intercept", "intercept_se", "intercept_p", "slope", "slope_se", "slope_p", "brier",
)


def scaling_of(card: object, *, func: str, name: str) -> Any:
    """``card.scaling_`` (fitted), with the conversions this module uses."""
    callable_member(card, "points", func=func, name=name, what="a fitted scorecard")
    scaling = getattr(card, "scaling_", None)
    if scaling is None:
        raise NotFittedError(f"{func}: {name} has no scaling_ (is it fitted?); call {name}.fit(X, y) first.")
    for member in ("pd_from_score", "log_odds_from_score"):
        callable_member(scaling, member, func=func, name=f"{name}.scaling_", what="a score Scaling")
    return scaling


def same_scaling(a: Any, b: Any) -> bool:
    """Whether two scalings turn log-odds into the same points (same offset and factor)."""
    try:
        pair_a = (float(a.offset), float(a.factor))
        pair_b = (float(b.offset), float(b.factor))
    except (AttributeError, TypeError, ValueError):
        return bool(a == b)
    return all(math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12) for u, v in zip(pair_a, pair_b, strict=True))


def describe_scaling(scaling: Any) -> str:
    """``'600 at 50:1 good:bad, PDO 20'`` for a Scaling, its repr otherwise."""
    try:
        return (f"{float(scaling.base_score):g} at {float(scaling.base_odds):g} {scaling.odds}, "
                f"PDO {float(scaling.pdo):g}")
    except (AttributeError, TypeError, ValueError):
        return repr(scaling)[:80]


def converted(scaling: Any, points: FloatArray, member: str, *, func: str, name: str,
              low: float | None = None, high: float | None = None) -> FloatArray:
    """``scaling.<member>(points)`` as a checked float vector, one value per score."""
    try:
        raw = getattr(scaling, member)(points.copy())
    except InvalidInputError:
        raise
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise fail(func, f"{name}.scaling_", f"must convert points with {member}",
                   f"{type(exc).__name__}: {exc}"[:120]) from exc
    out, _ = float_vector(np.asarray(raw).reshape(-1), func=func, name=f"{name}.scaling_.{member}(points)",
                          low=low, high=high, allow_inf=low is None)
    if out.size != points.size:
        raise fail(func, f"{name}.scaling_", f"must give one value per score from {member}",
                   f"{out.size} values for {points.size} scores")
    return out


def scored(card: object, X: pd.DataFrame, *, func: str, name: str, frame_name: str
           ) -> tuple[Any, FloatArray, FloatArray]:
    """The card's scaling, its points on ``X`` and the PD of each row."""
    scaling = scaling_of(card, func=func, name=name)
    points = card_points(card.points, X, frame_name, func, name)  # type: ignore[attr-defined]
    pd_ = converted(scaling, points, "pd_from_score", func=func, name=name, low=0.0, high=1.0)
    return scaling, points, pd_


def target(y: object, X: pd.DataFrame, *, func: str, name: str = "y", frame_name: str = "X") -> BoolArray:
    """A 0/1 outcome per row of ``X`` with at least two bads and two goods; ``True`` = bad."""
    values, index = binary_target(y, func=func, name=name)
    same_rows(func, (frame_name, len(X), X.index), (name, values.size, index))
    bads = int(np.count_nonzero(values))
    goods = values.size - bads
    if bads < 2 or goods < 2:
        raise fail(func, name, "must hold at least two bads (1) and two goods (0)",
                   f"{bads} bad{'s' if bads != 1 else ''} and {goods} good{'s' if goods != 1 else ''}",
                   "Evaluate on a sample that contains both outcomes (the DeLong variance divides by "
                   "bads - 1 and goods - 1).")
    out: BoolArray = values == 1.0
    return out


def _two_sided(z: float) -> float:
    return float(two_sided_p(z)) if np.isfinite(z) else float("nan")


def calibration_row(is_bad: BoolArray, pd_: FloatArray, *, grades: int, notes: list[str], who: str
                    ) -> dict[str, float]:
    """Calibration evidence of one card's PDs against outcomes, from :mod:`jiebei_credit.metrics`.

    A test that is undefined on these data (a grade whose PD averages 0 or
    1, PDs that separate the outcomes) is NaN, and ``notes`` says why.
    """
    y = is_bad.astype(np.float64)
    n = int(y.size)
    bads = int(np.count_nonzero(is_bad))
    mean_pd = float(pd_.mean())
    row: dict[str, float] = dict.fromkeys(CALIBRATION_COLUMNS, float("nan"))
    row.update(n=n, bads=bads, bad_rate=bads / n, mean_pd=mean_pd,
               binomial_p=float(binomial_test(bads, n, min(max(mean_pd, 0.0), 1.0))),
               brier=brier_score(y, pd_))
    try:
        hl = hosmer_lemeshow(y, pd_, grades=grades)
    except InvalidInputError as exc:
        notes.append(f"{who}: Hosmer-Lemeshow not computed ({exc})")
    else:
        row.update(hl_statistic=hl.statistic, hl_dof=hl.dof, hl_p=hl.p_value)
    try:
        cs = calibration_slope(y, pd_)
    except InvalidInputError as exc:
        notes.append(f"{who}: calibration intercept and slope not computed ({exc})")
    else:
        row.update(intercept=cs.intercept, intercept_se=cs.intercept_se,
                   intercept_p=_two_sided(cs.intercept / cs.intercept_se),
                   slope=cs.slope, slope_se=cs.slope_se,
                   slope_p=_two_sided((cs.slope - 1.0) / cs.slope_se))
    return row
