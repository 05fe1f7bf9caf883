"""Utilisation features: outstanding principal over the limit, now and over windows.

Daily utilisation ``u(t) = outstanding(t) / limit(t)`` on a status date ``t``
is a step series per borrower (see :class:`StepSeries`): the principal
scheduled by the loans drawn before ``t`` minus the principal repaid before
``t``, over the limit in force on ``t``. The family reads the records only
through the public point-in-time view, like a user family.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from jiebei_credit.features._bases import UTIL, Base, per_window, point
from jiebei_credit.features._kernels import FloatArray
from jiebei_credit.features._steps import positive_ratio

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["UTILISATION_BASES", "utilisation_features"]


#: Definitions of the ``utilisation`` features (rendered in the catalog and the docs).
UTILISATION_BASES: Final[tuple[Base, ...]] = (
    point(
        "util_now",
        "utilisation",
        "ratio",
        UTIL,
        "Utilisation at as_of: outstanding principal (principal due of instalments of loans drawn "
        "before as_of that were not paid before as_of) divided by the limit in force.",
        "观测日额度使用率:未还本金/当前额度",
        "no line at as_of, or a limit of 0",
    ),
    per_window(
        "util_mean",
        "utilisation",
        "ratio",
        UTIL,
        "Mean of the daily utilisation over the status dates (as_of - {w}, as_of]; days without "
        "a line or with a zero limit are left out.",
        "近{w}天日均额度使用率(无额度或额度为 0 的日子不计)",
        "no day of the window with a positive limit",
    ),
    per_window(
        "util_max",
        "utilisation",
        "ratio",
        UTIL,
        "Largest daily utilisation over the status dates (as_of - {w}, as_of].",
        "近{w}天最高额度使用率",
        "no day of the window with a positive limit",
    ),
    per_window(
        "draw_to_limit",
        "utilisation",
        "ratio",
        ("credit_line_events", "loans"),
        "Principal drawn in the last {w} days divided by the limit in force at as_of.",
        "近{w}天支用金额/当前额度",
        "no line at as_of, or a limit of 0",
    ),
)


def utilisation_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``utilisation`` family (see the catalog for definitions)."""
    limit = view.events("credit_line_events").running_last("limit")
    out: dict[str, FloatArray] = {}
    if view.has("installments"):
        scheduled = view.events("installments").running_sum("principal_due")
        repaid = view.events("installments", at="paid_on").running_sum("principal_due")
        # Below half a fen the difference of the two sums is rounding noise: a repaid line is at 0.
        util = (scheduled - repaid).snap_to_zero() / limit
        out["util_now"] = util.now()
        for w in view.windows:
            out[f"util_mean_{w}d"] = util.mean(w)
        for w in view.windows:
            out[f"util_max_{w}d"] = util.max(w)
    limit_now = limit.now()
    loans = view.events("loans")
    for w in view.windows:
        out[f"draw_to_limit_{w}d"] = positive_ratio(loans.sum("principal", w), limit_now)
    return out
