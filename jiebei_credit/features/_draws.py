"""Draw-behaviour features: how often, how much and how the borrower draws on the line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import LOANS, NO_LOAN, REDRAW_DAYS, REPAY, Base, per_window, point
from jiebei_credit.features._context import Context
from jiebei_credit.features._kernels import (
    MONTH_DAYS,
    NEVER,
    FloatArray,
    IntArray,
    Timeline,
    csum,
    range_sum,
    safe_div,
)

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["DRAW_BASES", "draw_features", "drawn_principal", "payoff_days", "redraw_counts"]


#: Definitions of the ``draws`` features (rendered in the catalog and the docs).
DRAW_BASES: Final[tuple[Base, ...]] = (
    per_window(
        "draw_count",
        "draws",
        "count",
        LOANS,
        "Loans drawn in the last {w} days.",
        "近{w}天支用笔数",
        "never NaN (0 without draws)",
    ),
    per_window(
        "redraw_after_payoff_count",
        "draws",
        "count",
        REPAY,
        "Loans drawn in the last {w} days within 7 days after another loan of the borrower was "
        "paid off in full (a sign of cycling the line).",
        "近{w}天结清后 7 天内再次支用的笔数",
        "never NaN (0 without draws)",
    ),
    point(
        "days_since_last_draw",
        "draws",
        "days",
        LOANS,
        "Days from the latest drawdown before as_of to as_of.",
        "最近一次支用距观测日天数",
        NO_LOAN,
    ),
    point(
        "credit_history_months",
        "draws",
        "months",
        LOANS,
        "Months since the first drawdown, days / 30.4375.",
        "首次支用至今月数",
        NO_LOAN,
    ),
    point(
        "long_term_share",
        "draws",
        "share",
        LOANS,
        "Share of the loans drawn before as_of with a term of 12 months or more.",
        "观测日前支用中期限 ≥12 个月的占比",
        NO_LOAN,
    ),
    point(
        "business_purpose_share",
        "draws",
        "share",
        LOANS,
        "Share of the loans drawn before as_of declared for business use.",
        "观测日前支用中经营用途占比",
        NO_LOAN,
    ),
)


def payoff_days(ctx: Context) -> IntArray:
    """Payoff day of each loan (by sorted position): its last payment, NEVER while an instalment is open."""

    def build() -> IntArray:
        iv = ctx.installments()
        n = len(ctx.loans().timeline)
        out = np.full(n, NEVER, dtype=np.int64)
        if len(iv.loan):
            first = np.ones(len(iv.loan), dtype=bool)
            first[1:] = iv.loan[1:] != iv.loan[:-1]
            starts = np.flatnonzero(first)
            out[iv.loan[starts]] = np.maximum.reduceat(iv.paid, starts)
        return out

    return ctx.memo("payoff", build)


def drawn_principal(ctx: Context, code: IntArray, first: IntArray, stop: IntArray) -> FloatArray:
    """Principal drawn on days ``[first, stop)``."""
    tl = ctx.loans().timeline
    principal = ctx.memo("sorted:drawn", lambda: tl.take(ctx.loans().principal))
    result: FloatArray = range_sum(principal, tl.query(code, first), tl.query(code, stop))
    return result


def _redraw_flags(ctx: Context) -> FloatArray:
    """1.0 for each loan (sorted position) drawn within REDRAW_DAYS after another loan's payoff."""
    tl = ctx.loans().timeline
    payoff = payoff_days(ctx)
    group, drawn = tl.groups(), tl.days()
    done = payoff != NEVER
    paid_tl = Timeline.build(group[done], payoff[done])
    hits = paid_tl.query(group, drawn + 1) - paid_tl.query(group, drawn - REDRAW_DAYS)
    hits -= (payoff == drawn).astype(np.int64)  # a loan's own same-day payoff is not another loan
    return (hits > 0).astype(np.float64)


def redraw_counts(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """``redraw_after_payoff_count_<w>d``: flagged loans drawn in each window (needs the instalments)."""
    tl = ctx.loans().timeline
    code, day = ctx.obs.code, ctx.obs.day
    flags = csum(_redraw_flags(ctx))
    now = tl.query(code, day)
    return {f"redraw_after_payoff_count_{w}d": flags[now] - flags[tl.query(code, day - w)] for w in windows}


def draw_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``draws`` family (see the catalog for definitions)."""
    loans = view.events("loans")
    out: dict[str, FloatArray] = {f"draw_count_{w}d": loans.count(w) for w in view.windows}
    if view._ctx.has("installments"):
        # A loan's payoff needs its instalments: per-loan state the view does not offer yet.
        out.update(redraw_counts(view._ctx, view.windows))
    count = loans.count()
    out["days_since_last_draw"] = loans.days_since_last()
    out["credit_history_months"] = loans.days_since_first() / MONTH_DAYS
    out["long_term_share"] = safe_div(loans.count_at_least("term_months", 12), count)
    out["business_purpose_share"] = safe_div(loans.count_where("purpose", ["business"]), count)
    return out
