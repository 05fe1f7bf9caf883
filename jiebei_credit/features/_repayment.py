"""Repayment and delinquency features.

Written against the public point-in-time view: each observation is paired
with the instalments of the loans drawn before its ``as_of``
(:meth:`Segments.map_pairs` over ``events("installments")``), whose
``paid_on`` is read per pair and kept only when it is before ``as_of``; the
status of every pair is computed with array operations and reduced per
observation. Chunks of at most :data:`PAIR_BUDGET` pairs bound memory.

Status of instalment ``i`` seen at ``as_of = d``: it is *paid* iff
``paid_on < d``. It is past due on status date ``t`` iff ``due_on < t`` and
it is not paid before ``t``, so on ``t`` in ``(due_on, e]`` with
``e = paid_on`` when paid before ``d`` and ``e = d`` otherwise; its own days
past due on ``t`` are ``t - due_on``, and the borrower's DPD on ``t`` is the
largest of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import NO_LOAN, REPAY, Base, per_window, point
from jiebei_credit.features._kernels import FloatArray
from jiebei_credit.features._pairs import PAIR_BUDGET, Pairs

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = [
    "DPD_THRESHOLDS",
    "PAIR_BUDGET",
    "PREPAY_DAYS",
    "REPAYMENT_BASES",
    "debt_service",
    "repayment_features",
]


#: Definitions of the ``repayment`` features (rendered in the catalog and the docs).
REPAYMENT_BASES: Final[tuple[Base, ...]] = (
    point(
        "dpd_now",
        "repayment",
        "days",
        REPAY,
        "Days past due at as_of: days since the earliest due date among instalments due before "
        "as_of and not paid before as_of; 0 when there is none.",
        "观测日逾期天数:最早一期未还且已到期分期的应还日至观测日的天数",
        NO_LOAN,
    ),
    point(
        "overdue_amount_now",
        "repayment",
        "CNY",
        REPAY,
        "Principal and interest of the instalments due before as_of and not paid before as_of.",
        "观测日逾期金额(本金+利息)",
        NO_LOAN,
    ),
    point(
        "outstanding_now",
        "repayment",
        "CNY",
        REPAY,
        "Outstanding principal at as_of: principal due of instalments not paid before as_of.",
        "观测日未还本金",
        NO_LOAN,
    ),
    point(
        "active_loans_now",
        "repayment",
        "count",
        REPAY,
        "Loans with at least one instalment not paid before as_of.",
        "观测日未结清借据数",
        NO_LOAN,
    ),
    point(
        "days_since_delinquency",
        "repayment",
        "days",
        REPAY,
        "Days from the latest status date with days past due > 0 to as_of; 0 while past due.",
        "最近一次逾期距观测日天数(当前逾期为 0)",
        "no loan drawn before as_of, or never past due",
    ),
    Base(
        name="delinq_3c6c_24m",
        family="repayment",
        unit="flag (0/1)",
        sources=REPAY,
        description="1 when, among the instalments due in the 730 days before as_of, three "
        "consecutive instalments of one loan, or six in total, were late (paid after the due "
        "date or not paid before as_of); else 0.",
        description_zh="近 24 个月“连三累六”标志:连续三期或累计六期逾期为 1",
        nan_meaning=NO_LOAN,
        fixed_window=730,
    ),
    per_window(
        "dpd_max",
        "repayment",
        "days",
        REPAY,
        "Largest days past due on the status dates (as_of - {w}, as_of].",
        "近{w}天最大逾期天数",
        NO_LOAN,
    ),
    per_window(
        "dpd1_count",
        "repayment",
        "count",
        REPAY,
        "Instalments that were 1 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 1 天以上的分期数",
        NO_LOAN,
    ),
    per_window(
        "dpd30_count",
        "repayment",
        "count",
        REPAY,
        "Instalments that were 30 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 30 天以上的分期数",
        NO_LOAN,
    ),
    per_window(
        "dpd90_count",
        "repayment",
        "count",
        REPAY,
        "Instalments that were 90 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 90 天以上的分期数",
        NO_LOAN,
    ),
    per_window(
        "ontime_ratio",
        "repayment",
        "share",
        REPAY,
        "Share of the instalments due in the last {w} days that were paid on or before the due date.",
        "近{w}天到期分期的按时还款比例",
        "no loan drawn before as_of, or no instalment due in the window",
    ),
    per_window(
        "prepaid_share",
        "repayment",
        "share",
        REPAY,
        "Share of the instalments paid in the last {w} days that were paid 30 or more days before "
        "their due date (prepayment).",
        "近{w}天还款中提前 30 天以上还款的分期占比",
        "no loan drawn before as_of, or no instalment paid in the window",
    ),
)

#: Days-past-due thresholds of the ``dpd<k>_count`` features.
DPD_THRESHOLDS: Final = (1, 30, 90)
#: An instalment paid this many days or more before its due date is a prepayment.
PREPAY_DAYS: Final = 30
#: Look-back of the "3 consecutive / 6 cumulative" flag, days.
FLAG_DAYS: Final = 730
#: Horizon of the debt service used by the capacity family, days.
SERVICE_DAYS: Final = 90


def _status(p: Pairs) -> tuple[FloatArray, FloatArray, FloatArray, np.ndarray, FloatArray]:
    """Per pair: as_of, due day, payment day (NaN unless paid before as_of), paid flag, P + I."""
    d, due, paid = p.as_of, p.dates("due_on"), p.dates("paid_on")
    amount = p.column("principal_due") + p.column("interest_due")
    return d, due, paid, ~np.isnan(paid), amount


def _features(windows: tuple[int, ...]) -> Callable[[Pairs], dict[str, FloatArray]]:
    def fn(p: Pairs) -> dict[str, FloatArray]:
        d, due, paid, known, amount = _status(p)
        e = np.where(known, paid, d)  # last status date the instalment can be past due
        overdue = (due < d) & ~known
        out: dict[str, FloatArray] = {}
        first_due = p.min(np.where(overdue, due, np.nan))
        out["dpd_now"] = np.where(np.isnan(first_due), 0.0, p.observation_as_of - first_due)
        out["overdue_amount_now"] = p.sum(overdue * amount)
        out["outstanding_now"] = p.sum(~known * p.column("principal_due"))
        loan = p.codes("loan_id")
        out["active_loans_now"] = p.count_distinct(loan, where=~known)
        out["days_since_delinquency"] = p.observation_as_of - p.max(np.where(e > due, e, np.nan))

        late = (due >= d - FLAG_DAYS) & (due < d) & (~known | (paid > due))
        # The pairs of an observation come loan by loan, each loan's instalments in seq order.
        ow = p.owner
        run3 = np.zeros(late.size, dtype=bool)
        if late.size > 2:
            run3[2:] = late[2:] & late[1:-1] & late[:-2] & (ow[2:] == ow[:-2]) & (loan[2:] == loan[:-2])
        out["delinq_3c6c_24m"] = ((p.count(late) >= 6) | (p.count(run3) > 0)).astype(np.float64)

        lateness = e - due
        for w in windows:
            seen = e > d - w  # past due on some status date of (d - w, d] ...
            reach = np.where(seen & (lateness > 0), lateness, 0.0)  # ... for this many days at most
            out[f"dpd_max_{w}d"] = p.max(reach, empty=0.0)
            for k in DPD_THRESHOLDS:
                out[f"dpd{k}_count_{w}d"] = p.count(seen & (lateness >= k))
            due_in = (due >= d - w) & (due < d)
            out[f"ontime_ratio_{w}d"] = _ratio(p.count(due_in & known & (paid <= due)), p.count(due_in))
            paid_in = known & (paid >= d - w)
            early = paid_in & (due - paid >= PREPAY_DAYS)
            out[f"prepaid_share_{w}d"] = _ratio(p.count(early), p.count(paid_in))
        return out

    return fn


def _service(p: Pairs) -> dict[str, FloatArray]:
    d, due, _, known, amount = _status(p)
    return {"service": p.sum(~known * (due < d + SERVICE_DAYS) * amount)}


def debt_service(view: PointInTimeView) -> FloatArray:
    """Debt service of the line at ``as_of``.

    Principal and interest of the instalments not paid before ``as_of`` that
    are overdue or due in the :data:`SERVICE_DAYS` days from ``as_of``. 0 with
    no such instalment, NaN with no loan drawn before ``as_of``.
    """
    inst = view.events("installments")
    out = inst.map_pairs(_service, budget=PAIR_BUDGET)["service"]
    out[inst.count() == 0] = np.nan
    return out


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    out = np.full(num.size, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def repayment_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``repayment`` family (see the catalog for definitions)."""
    inst = view.events("installments")
    out = inst.map_pairs(_features(view.windows), budget=PAIR_BUDGET)
    none = inst.count() == 0
    for values in out.values():
        values[none] = np.nan
    return out
