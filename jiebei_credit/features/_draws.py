"""Draw-behaviour features: how often, how much and how the borrower draws on the line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import LOANS, NO_LOAN, REDRAW_DAYS, REPAY, Base, per_window, point
from jiebei_credit.features._kernels import (
    MONTH_DAYS,
    FloatArray,
    safe_div,
)
from jiebei_credit.features._pairs import PAIR_BUDGET, Pairs

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["DRAW_BASES", "draw_features"]


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


def _redraws(windows: tuple[int, ...]) -> Callable[[Pairs], dict[str, FloatArray]]:
    """Pairs function: per window, the loans drawn in it within REDRAW_DAYS after another loan's payoff.

    A loan's payoff at ``as_of`` is its last payment when every instalment was
    paid before ``as_of`` (``paid_on`` is masked per pair), else none. Loan
    ``B`` counts when some other loan ``A`` has ``drawn_B - 7 <= payoff_A <= drawn_B``.
    """

    def fn(p: Pairs) -> dict[str, FloatArray]:
        loan = p.codes("loan_id")
        owner = p.owner  # the pairs of an observation come loan by loan
        first = np.ones(len(p), dtype=bool)
        first[1:] = (owner[1:] != owner[:-1]) | (loan[1:] != loan[:-1])
        starts = np.flatnonzero(first)
        flags = np.zeros(len(p), dtype=bool)  # one flag per (observation, loan), on its first pair
        if starts.size:
            paid = p.dates("paid_on")  # NaN unless paid before as_of
            payoff = np.maximum.reduceat(paid, starts)  # NaN while an instalment is unpaid
            g_owner = owner[starts]
            drawn = p.known[starts]  # an instalment is known from its loan's drawdown
            done = ~np.isnan(payoff)
            # Paid-off loans sorted by (observation, payoff day); count those in [drawn - 7, drawn].
            base = float(min(np.min(drawn), np.min(payoff, initial=np.inf, where=done))) - REDRAW_DAYS - 1
            top = float(max(np.max(drawn), np.max(payoff, initial=-np.inf, where=done)))
            span = top - base + 1  # every day of the chunk inside one observation's key range
            keys = np.sort(g_owner[done] * span + (payoff[done] - base))
            here = g_owner * span + (drawn - base)
            hits = np.searchsorted(keys, here, side="right") - np.searchsorted(
                keys, here - REDRAW_DAYS, side="left"
            )
            # Its own payoff is not another loan's.
            own = done & (payoff >= drawn - REDRAW_DAYS) & (payoff <= drawn)
            flags[starts] = hits - own > 0
        since = p.as_of - p.known
        return {f"redraw_after_payoff_count_{w}d": p.count(flags & (since <= w)) for w in windows}

    return fn


def draw_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``draws`` family (see the catalog for definitions)."""
    loans = view.events("loans")
    out: dict[str, FloatArray] = {f"draw_count_{w}d": loans.count(w) for w in view.windows}
    if view.has("installments"):
        # A loan's payoff needs its instalments' payments, read per (observation, instalment).
        out.update(view.events("installments").map_pairs(_redraws(view.windows), budget=PAIR_BUDGET))
    count = loans.count()
    out["days_since_last_draw"] = loans.days_since_last()
    out["credit_history_months"] = loans.days_since_first() / MONTH_DAYS
    out["long_term_share"] = safe_div(loans.count_at_least("term_months", 12), count)
    out["business_purpose_share"] = safe_div(loans.count_where("purpose", ["business"]), count)
    return out
