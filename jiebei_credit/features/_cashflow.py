"""Cash-flow features from the merchant account: receipts level, stability, trend, payers.

Transactions are sorted once by ``(borrower, day)`` (a timestamp's day is its
floor, so ``occurred_at < as_of`` is ``day < as_of`` for a midnight
``as_of``). Windowed sums are differences of cumulative sums at two
``searchsorted`` positions; "month" blocks are the 30-day blocks counted
back from ``as_of``. Payer features pair each observation with the
``(borrower, payer)`` groups of its borrower, never with single transactions.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit.features._bases import NO_FLOW, TX, Base, per_window, point
from jiebei_credit.features._context import Context, category_codes
from jiebei_credit.features._kernels import (
    BLOCK_DAYS,
    MONTH_DAYS,
    FloatArray,
    IntArray,
    Timeline,
    chunk_bounds,
    csum,
    day_numbers,
    expand,
    padded,
    per_owner,
    range_reduce,
    range_sum,
    safe_div,
)

__all__ = ["CASHFLOW_BASES", "Flows", "cashflow_features", "flows"]


#: Definitions of the ``cashflow`` features (rendered in the catalog and the docs).
CASHFLOW_BASES: Final[tuple[Base, ...]] = (
    point(
        "merchant_tenure_months",
        "cashflow",
        "months",
        TX,
        "Months since the first merchant transaction, days / 30.4375.",
        "首笔经营流水至今月数",
        NO_FLOW,
    ),
    per_window(
        "receipts_monthly_mean",
        "cashflow",
        "CNY per 30 days",
        TX,
        "Sale receipts in the last {w} days per 30 days (sum x 30 / {w}).",
        "近{w}天月均销售收款(每 30 天)",
        NO_FLOW,
    ),
    per_window(
        "receipts_cv",
        "cashflow",
        "ratio",
        TX,
        "Coefficient of variation (population standard deviation / mean) of sale receipts over "
        "the whole 30-day blocks of the last {w} days.",
        "近{w}天按 30 天分段的销售收款变异系数",
        "no cash-flow history, or no sale in the blocks",
        min_window=60,
    ),
    per_window(
        "receipts_trend",
        "cashflow",
        "log CNY per 30 days",
        TX,
        "Least-squares slope of ln(1 + receipts) over the whole 30-day blocks of the last {w} "
        "days, per block (about 0.1 is 10 % growth a month).",
        "近{w}天销售收款对数趋势斜率(每 30 天)",
        NO_FLOW,
        min_window=90,
    ),
    Base(
        name="receipts_growth_3v3m",
        family="cashflow",
        unit="ratio",
        sources=TX,
        description="Sale receipts of the last 90 days divided by those of the 90 days before, minus 1.",
        description_zh="近 90 天销售收款较前 90 天的增长率",
        nan_meaning="no cash-flow history, or no sale in the earlier 90 days",
        fixed_window=180,
    ),
    per_window(
        "active_day_ratio",
        "cashflow",
        "share",
        TX,
        "Share of the last {w} days with at least one sale.",
        "近{w}天有销售收款的天数占比",
        NO_FLOW,
    ),
    per_window(
        "zero_sale_months",
        "cashflow",
        "count",
        TX,
        "Whole 30-day blocks of the last {w} days without any sale.",
        "近{w}天无销售收款的 30 天分段数",
        NO_FLOW,
        min_window=30,
    ),
    per_window(
        "payer_count",
        "cashflow",
        "count",
        TX,
        "Distinct identified payers of sales in the last {w} days (sales without a counterparty "
        "are left out of the payer features).",
        "近{w}天付款方(买家)个数",
        NO_FLOW,
    ),
    per_window(
        "payer_hhi",
        "cashflow",
        "index (0-1]",
        TX,
        "Herfindahl index of sale receipts by payer in the last {w} days: the sum of squared "
        "payer shares; 1 is a single payer.",
        "近{w}天付款方收款集中度(HHI)",
        "no cash-flow history, or no identified payer in the window",
    ),
    per_window(
        "payer_top1_share",
        "cashflow",
        "share",
        TX,
        "Share of the largest payer in the identified sale receipts of the last {w} days.",
        "近{w}天第一大付款方收款占比",
        "no cash-flow history, or no identified payer in the window",
    ),
    per_window(
        "repeat_payer_ratio",
        "cashflow",
        "share",
        TX,
        "Share of the payers of the last {w} days who paid for two or more sales in the window.",
        "近{w}天回头客(两次以上付款)占比",
        "no cash-flow history, or no identified payer in the window",
    ),
    per_window(
        "refund_ratio",
        "cashflow",
        "ratio",
        TX,
        "Refunds divided by sale receipts in the last {w} days.",
        "近{w}天退款金额/销售收款",
        "no cash-flow history, or no sale in the window",
    ),
    per_window(
        "net_inflow_monthly",
        "cashflow",
        "CNY per 30 days",
        TX,
        "Inflows minus outflows in the last {w} days, loan disbursements and loan repayments "
        "excluded, per 30 days.",
        "近{w}天月均经营净流入(不含贷款放款和还款)",
        NO_FLOW,
    ),
    per_window(
        "loan_inflow_share",
        "cashflow",
        "share",
        TX,
        "Share of the inflows of the last {w} days that are loan disbursements.",
        "近{w}天流入中贷款放款占比",
        "no cash-flow history, or no inflow in the window",
    ),
)

#: Most (observation, payer) pairs held in memory at once.
PAYER_BUDGET: Final = 4_000_000
#: Look-back of the growth feature: the last 90 days against the 90 days before.
GROWTH_DAYS: Final = 90


class Flows:
    """Transactions sorted by ``(borrower, day)`` with cumulative sums of sales, and as-of positions."""

    __slots__ = ("_positions", "code", "day", "has", "sale_amount", "sale_count", "start", "timeline")

    def __init__(self, ctx: Context) -> None:
        tx = ctx.table("transactions")
        at = tx["occurred_at"].to_numpy()
        amount = tx["amount"].to_numpy(dtype=np.float64)
        # Same-day rows in a canonical order of the columns the family reads.
        ties = (
            at.astype("datetime64[ns]").view(np.int64),
            tx["kind"].cat.codes.to_numpy(),
            tx["direction"].cat.codes.to_numpy(),
            amount,
        )
        tl = Timeline.build(ctx.borrower_codes("transactions"), day_numbers(at), ties=ties)
        self.timeline = tl
        sale = tl.take(category_codes(tx["kind"], "sale"))
        self.sale_amount = padded(np.where(sale, tl.take(amount), 0.0))
        self.sale_count = csum(sale)
        self.code, self.day = ctx.obs.code, ctx.obs.day
        self.start = tl.start(self.code)
        self._positions: dict[int, IntArray] = {}
        self.has = self.at(0) > self.start

    def at(self, offset: int) -> IntArray:
        """Sorted position of each observation's first transaction on or after ``as_of - offset``."""
        if offset not in self._positions:
            self._positions[offset] = self.timeline.query(self.code, self.day - offset)
        return self._positions[offset]

    def total(
        self, amount: FloatArray, count: FloatArray, newer: int, older: int
    ) -> tuple[FloatArray, FloatArray]:
        """Sum of ``amount`` (sorted values, :func:`padded`) and ``count`` (cumulative) in a window.

        The window is days ``[as_of - older, as_of - newer)``.

        The sum reads only the rows of the window (:func:`range_sum`); it is exactly 0 with no rows.
        """
        hi, lo = self.at(newer), self.at(older)
        n = count[hi] - count[lo]
        s = np.where(n > 0, range_reduce(np.add, amount, lo, hi, 0.0, padded=True), 0.0)
        return s, n

    def sales(self, newer: int, older: int) -> tuple[FloatArray, FloatArray]:
        """Sale receipts and sale count on days ``[as_of - older, as_of - newer)``."""
        return self.total(self.sale_amount, self.sale_count, newer, older)


def flows(ctx: Context) -> Flows:
    """The memoised :class:`Flows` of the records' transactions."""
    return ctx.memo("flows", lambda: Flows(ctx))


def _blocks(fl: Flows, m: int) -> tuple[FloatArray, FloatArray]:
    """Sale receipts and counts of the ``m`` 30-day blocks before as_of, newest first (n x m)."""
    sums = np.empty((len(fl.code), m))
    counts = np.empty((len(fl.code), m))
    for k in range(m):
        sums[:, k], counts[:, k] = fl.sales(k * BLOCK_DAYS, (k + 1) * BLOCK_DAYS)
    return sums, counts


def _row_sum(values: FloatArray) -> FloatArray:
    """Sum of each row, column by column: each row's bits depend on that row alone."""
    out = np.zeros(values.shape[0])
    for k in range(values.shape[1]):
        out = out + values[:, k]
    return out


def cashflow_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``cashflow`` family (see the catalog for definitions)."""
    tx = ctx.table("transactions")
    fl = flows(ctx)
    tl = fl.timeline
    day = fl.day
    out: dict[str, FloatArray] = {}
    first = tl.days()[np.minimum(fl.start, len(tl) - 1)] if len(tl) else day
    out["merchant_tenure_months"] = (day - first) / MONTH_DAYS

    m_max = max([w // BLOCK_DAYS for w in windows] + [1])
    block_sum, block_count = _blocks(fl, m_max)
    for w in windows:
        s, _ = fl.sales(0, w)
        out[f"receipts_monthly_mean_{w}d"] = s * BLOCK_DAYS / w
    for w in windows:
        m = w // BLOCK_DAYS
        if m >= 2:
            mean = _row_sum(block_sum[:, :m]) / m
            var = _row_sum((block_sum[:, :m] - mean[:, None]) ** 2) / m
            out[f"receipts_cv_{w}d"] = safe_div(np.sqrt(var), mean)
    for w in windows:
        m = w // BLOCK_DAYS
        if m >= 3:
            y = np.log1p(block_sum[:, :m])
            x = (m - 1 - np.arange(m)) - (m - 1) / 2  # centred time, oldest block first
            yc = y - (_row_sum(y) / m)[:, None]
            out[f"receipts_trend_{w}d"] = _row_sum(yc * x) / float(np.sum(x * x))
    recent, _ = fl.sales(0, GROWTH_DAYS)
    earlier, n_earlier = fl.sales(GROWTH_DAYS, 2 * GROWTH_DAYS)
    out["receipts_growth_3v3m"] = np.where(n_earlier > 0, safe_div(recent, earlier) - 1.0, np.nan)

    sorted_sale = np.diff(fl.sale_count) > 0
    idx = np.flatnonzero(sorted_sale)
    first_of_day = np.zeros(len(tl), dtype=bool)
    if idx.size:
        keys = tl.key[idx]
        lead = np.ones(idx.size, dtype=bool)
        lead[1:] = keys[1:] != keys[:-1]
        first_of_day[idx[lead]] = True
    active = csum(first_of_day)
    for w in windows:
        out[f"active_day_ratio_{w}d"] = (active[fl.at(0)] - active[fl.at(w)]) / w
    for w in windows:
        m = w // BLOCK_DAYS
        if m >= 1:
            out[f"zero_sale_months_{w}d"] = (block_count[:, :m] == 0).sum(axis=1).astype(np.float64)
    del block_sum, block_count, active, first_of_day

    out.update(_payers(ctx, fl, windows))

    amount = tl.take(tx["amount"].to_numpy(dtype=np.float64))
    kind = tx["kind"]
    inflow = tl.take(category_codes(tx["direction"], "in"))
    loan_in = tl.take(category_codes(kind, "loan_disbursement"))
    loan_out = tl.take(category_codes(kind, "loan_repayment"))
    refund = tl.take(category_codes(kind, "refund"))
    refund_cs = padded(np.where(refund, amount, 0.0))
    refund_n = csum(refund)
    op_in = padded(np.where(inflow & ~loan_in, amount, 0.0))
    op_in_n = csum(inflow & ~loan_in)
    op_out = padded(np.where(~inflow & ~loan_out, amount, 0.0))
    op_out_n = csum(~inflow & ~loan_out)
    for w in windows:
        sales, n_sales = fl.sales(0, w)
        refunds, _ = fl.total(refund_cs, refund_n, 0, w)
        out[f"refund_ratio_{w}d"] = np.where(n_sales > 0, safe_div(refunds, sales), np.nan)
    for w in windows:
        got, _ = fl.total(op_in, op_in_n, 0, w)
        paid, _ = fl.total(op_out, op_out_n, 0, w)
        out[f"net_inflow_monthly_{w}d"] = (got - paid) * BLOCK_DAYS / w
    del refund_cs, refund_n, op_in, op_in_n, op_out, op_out_n
    all_in = padded(np.where(inflow, amount, 0.0))
    all_in_n = csum(inflow)
    borrowed = padded(np.where(loan_in, amount, 0.0))
    borrowed_n = csum(loan_in)
    for w in windows:
        total_in, n_in = fl.total(all_in, all_in_n, 0, w)
        lent, _ = fl.total(borrowed, borrowed_n, 0, w)
        out[f"loan_inflow_share_{w}d"] = np.where(n_in > 0, safe_div(lent, total_in), np.nan)
    for values in out.values():
        values[~fl.has] = np.nan
    return out


def _payers(ctx: Context, fl: Flows, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Payer count, HHI, top-1 share and repeat ratio per window.

    Only sales inside some observation's widest window can count, so the
    others are dropped before the payer identifiers are factorised (the
    costly step: hashing millions of strings). Observations are processed
    in borrower order, which makes the timeline lookups monotone.
    """
    tx = ctx.table("transactions")
    n = len(fl.code)
    out = {
        f"{name}_{w}d": np.zeros(n)
        for w in windows
        for name in ("payer_count", "payer_hhi", "payer_top1_share", "repeat_payer_ratio")
    }
    rows = np.flatnonzero(category_codes(tx["kind"], "sale"))
    days = day_numbers(tx["occurred_at"].to_numpy()[rows])
    if n:
        inside = (days >= int(fl.day.min()) - max(windows)) & (days < int(fl.day.max()))
        rows, days = rows[inside], days[inside]
    payer, uniques = pd.factorize(tx["counterparty_id"].to_numpy()[rows])  # -1 for a missing payer
    if len(uniques):
        # Codes ranked by the identifier's hash, not by first appearance: a borrower's
        # payers come in one order whatever other borrowers or rows the table holds.
        # (Sorting the identifiers themselves costs more; two of one borrower's payers
        # would need equal 64-bit hashes to fall back to the input order.)
        hashed = pd.util.hash_array(np.asarray(uniques, dtype=object))
        rank = np.empty(len(uniques), dtype=np.int64)
        rank[np.argsort(hashed, kind="stable")] = np.arange(len(uniques), dtype=np.int64)
        payer = np.where(payer >= 0, rank[np.maximum(payer, 0)], -1)
    known = payer >= 0
    rows, days, payer = rows[known], days[known], payer[known].astype(np.int64)
    n_payers = int(payer.max()) + 1 if payer.size else 1
    borrower = ctx.borrower_codes("transactions")[rows]
    group = borrower * n_payers + payer
    span = int(days.max() - days.min()) + 2 if days.size else 1
    if group.size and (int(group.max()) + 1) * span >= 2**62:  # pragma: no cover - > 10**13 pairs
        _, group = np.unique(group, return_inverse=True)
        n_payers = 0
    pay_amount = tx["amount"].to_numpy(dtype=np.float64)[rows]
    tl = Timeline.build(group, days, ties=(pay_amount,))
    cs = tl.take(pay_amount)
    sorted_groups = tl.groups()
    lead = np.ones(len(tl), dtype=bool)
    lead[1:] = sorted_groups[1:] != sorted_groups[:-1]
    groups = sorted_groups[lead]
    owner_of_group = groups // n_payers if n_payers else borrower[tl.order][lead]
    by_code = np.argsort(fl.code, kind="stable")
    code, day = fl.code[by_code], fl.day[by_code]
    g_lo = np.searchsorted(owner_of_group, code, side="left").astype(np.int64)
    g_hi = np.searchsorted(owner_of_group, code, side="right").astype(np.int64)
    for a, b in chunk_bounds(g_hi - g_lo, PAYER_BUDGET):
        owner, gi = expand(g_lo[a:b], g_hi[a:b])
        length = g_hi[a:b] - g_lo[a:b]
        run_hi = np.cumsum(length)
        run_lo = run_hi - length
        g = groups[gi]
        d = day[a:b][owner]
        top = tl.query(g, d)
        m = b - a
        target = by_code[a:b]
        for w in windows:
            bottom = tl.query(g, d - w)
            count = top - bottom
            amount = np.where(count > 0, range_sum(cs, bottom, top), 0.0)
            payers = per_owner(owner, count > 0, m)
            total = per_owner(owner, amount, m)
            out[f"payer_count_{w}d"][target] = payers
            out[f"payer_hhi_{w}d"][target] = safe_div(per_owner(owner, amount**2, m), total**2)
            largest = range_reduce(np.maximum, amount, run_lo, run_hi, 0.0)
            out[f"payer_top1_share_{w}d"][target] = safe_div(largest, total)
            repeat = per_owner(owner, count >= 2, m)
            out[f"repeat_payer_ratio_{w}d"][target] = safe_div(repeat, payers)
    for w in windows:
        none = out[f"payer_count_{w}d"] == 0
        for name in ("payer_hhi", "payer_top1_share", "repeat_payer_ratio"):
            out[f"{name}_{w}d"][none] = np.nan
    return out
