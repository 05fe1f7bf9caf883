"""Repayment and delinquency features.

Each observation is paired with the instalments of the loans drawn before
its ``as_of`` (a prefix of the borrower's instalments, which are sorted by
drawdown date), the status of every pair is computed with array operations,
and the pairs are reduced per observation. Observations are processed in
chunks of at most :data:`PAIR_BUDGET` pairs, which bounds memory when a
borrower has many observations.

Status of instalment ``i`` seen at ``as_of = d``: it is *paid* iff
``paid_on < d``. It is past due on status date ``t`` iff ``due_on < t`` and
it is not paid before ``t``, so on ``t`` in ``(due_on, e]`` with
``e = paid_on`` when paid before ``d`` and ``e = d`` otherwise; its own days
past due on ``t`` are ``t - due_on``, and the borrower's DPD on ``t`` is the
largest of them.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from jiebei_credit.features._bases import NO_LOAN, REPAY, Base, per_window, point
from jiebei_credit.features._context import Context, InstallmentView
from jiebei_credit.features._kernels import (
    NEVER,
    FloatArray,
    IntArray,
    chunk_bounds,
    expand,
    per_owner,
    range_reduce,
)

__all__ = [
    "DPD_THRESHOLDS",
    "PAIR_BUDGET",
    "PREPAY_DAYS",
    "REPAYMENT_BASES",
    "repayment_features",
    "repayment_stats",
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

#: Most (observation, instalment) pairs held in memory at once.
PAIR_BUDGET: Final = 4_000_000
#: Days-past-due thresholds of the ``dpd<k>_count`` features.
DPD_THRESHOLDS: Final = (1, 30, 90)
#: An instalment paid this many days or more before its due date is a prepayment.
PREPAY_DAYS: Final = 30
#: Look-back of the "3 consecutive / 6 cumulative" flag, days.
FLAG_DAYS: Final = 730
#: Horizon of the debt service used by the capacity family, days.
SERVICE_DAYS: Final = 90


def _names(windows: tuple[int, ...]) -> list[str]:
    names = [
        "dpd_now",
        "overdue_amount_now",
        "outstanding_now",
        "active_loans_now",
        "days_since_delinquency",
        "delinq_3c6c_24m",
        "_debt_service_90d",
    ]
    for w in windows:
        names += [f"dpd_max_{w}d", *(f"dpd{k}_count_{w}d" for k in DPD_THRESHOLDS)]
        names += [f"ontime_ratio_{w}d", f"prepaid_share_{w}d"]
    return names


def repayment_stats(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Every repayment feature plus ``_debt_service_90d`` (for the capacity family), memoised."""
    return ctx.memo(f"repayment:{windows}", lambda: _compute(ctx, windows))


def _compute(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    iv = ctx.installments()
    tl = iv.timeline
    code, day = ctx.obs.code, ctx.obs.day
    start = tl.start(code)
    stop = tl.query(code, day)
    n = len(code)
    out = {name: np.full(n, np.nan) for name in _names(windows)}
    for a, b in chunk_bounds(stop - start, PAIR_BUDGET):
        part = _chunk(iv, start[a:b], stop[a:b], day[a:b], windows)
        for name, values in part.items():
            out[name][a:b] = values
    has = stop > start
    for values in out.values():
        values[~has] = np.nan
    return out


def _chunk(
    iv: InstallmentView, lo: IntArray, hi: IntArray, day: IntArray, windows: tuple[int, ...]
) -> dict[str, FloatArray]:
    m = lo.size
    owner, item = expand(lo, hi)
    length = hi - lo
    run_hi = np.cumsum(length)
    run_lo = run_hi - length
    d = day[owner]
    due, paid = iv.due[item], iv.paid[item]
    amount = iv.principal[item] + iv.interest[item]
    known = paid < d
    e = np.where(known, paid, d)  # last status date the instalment can be past due
    overdue = (due < d) & ~known

    def per(weights: np.ndarray) -> FloatArray:
        return per_owner(owner, weights, m)

    out: dict[str, FloatArray] = {}
    first_due = range_reduce(np.minimum, np.where(overdue, due, NEVER), run_lo, run_hi, NEVER)
    out["dpd_now"] = np.where(first_due < NEVER, day - first_due, 0.0)
    out["overdue_amount_now"] = per(overdue * amount)
    out["outstanding_now"] = per(~known * iv.principal[item])
    open_idx = np.flatnonzero(~known)
    loan = iv.loan[item]
    new = np.ones(open_idx.size, dtype=bool)
    new[1:] = (owner[open_idx[1:]] != owner[open_idx[:-1]]) | (loan[open_idx[1:]] != loan[open_idx[:-1]])
    out["active_loans_now"] = np.bincount(owner[open_idx[new]], minlength=m).astype(np.float64)
    last_late = range_reduce(np.maximum, np.where(e > due, e, -NEVER), run_lo, run_hi, -NEVER)
    out["days_since_delinquency"] = np.where(last_late > -NEVER, day - last_late, np.nan)

    late = (due >= d - FLAG_DAYS) & (due < d) & (~known | (paid > due))
    run3 = np.zeros(late.size, dtype=bool)
    if late.size > 2:
        run3[2:] = late[2:] & late[1:-1] & late[:-2] & (owner[2:] == owner[:-2]) & (loan[2:] == loan[:-2])
    out["delinq_3c6c_24m"] = ((per(late) >= 6) | (per(run3) > 0)).astype(np.float64)
    out["_debt_service_90d"] = per(~known * (due < d + SERVICE_DAYS) * amount)

    lateness = e - due
    for w in windows:
        seen = e > d - w  # past due on some status date of (d - w, d] ...
        reach = np.where(seen & (lateness > 0), lateness, 0)  # ... for this many days at most
        out[f"dpd_max_{w}d"] = range_reduce(np.maximum, reach, run_lo, run_hi, 0.0)
        for k in DPD_THRESHOLDS:
            out[f"dpd{k}_count_{w}d"] = per(seen & (lateness >= k))
        due_in = (due >= d - w) & (due < d)
        out[f"ontime_ratio_{w}d"] = _ratio(per(due_in & known & (paid <= due)), per(due_in))
        paid_in = known & (paid >= d - w)
        out[f"prepaid_share_{w}d"] = _ratio(per(paid_in & (due - paid >= PREPAY_DAYS)), per(paid_in))
    return out


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    out = np.full(num.size, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def repayment_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``repayment`` family (see the catalog for definitions)."""
    stats = repayment_stats(ctx, windows)
    return {k: v for k, v in stats.items() if not k.startswith("_")}
