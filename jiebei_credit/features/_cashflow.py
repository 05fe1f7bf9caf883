"""Cash-flow features from the merchant account: receipts level, stability, trend, payers.

:func:`cashflow_features` is written against the public point-in-time view
only, like a user family: a transaction's day is the floor of its timestamp,
so ``occurred_at < as_of`` is ``day < as_of`` for a midnight ``as_of``, and
"month" blocks are the 30-day blocks counted back from ``as_of``
(:meth:`Segments.block_sums`).

:class:`Flows` (sale receipts by borrower and day from the extraction
context) remains for the ``capacity`` family until it reads the view too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import NO_FLOW, TX, Base, per_window, point
from jiebei_credit.features._kernels import (
    BLOCK_DAYS,
    MONTH_DAYS,
    FloatArray,
    safe_div,
)

if TYPE_CHECKING:  # the view module imports the catalog, which imports these bases
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["CASHFLOW_BASES", "cashflow_features"]


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

#: The column naming the payer of a sale; sales without one take no part in the payer features.
PAYER: Final = "counterparty_id"
#: Look-back of the growth feature: the last 90 days against the 90 days before.
GROWTH_DAYS: Final = 90


def _row_sum(values: FloatArray) -> FloatArray:
    """Sum of each row, column by column: each row's bits depend on that row alone."""
    out = np.zeros(values.shape[0])
    for k in range(values.shape[1]):
        out = out + values[:, k]
    return out


def cashflow_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``cashflow`` family (see the catalog for definitions).

    Written against the public point-in-time view only, like a user family.
    """
    tx = view.events("transactions")
    sales = tx.where("kind", ["sale"])
    refunds = tx.where("kind", ["refund"])
    lent = tx.where("kind", ["loan_disbursement"])
    inflow = tx.where("direction", ["in"])
    operating_in = inflow.where_not("kind", ["loan_disbursement"])
    operating_out = tx.where("direction", ["out"]).where_not("kind", ["loan_repayment"])
    windows = view.windows
    out: dict[str, FloatArray] = {"merchant_tenure_months": tx.days_since_first() / MONTH_DAYS}

    m_max = max([w // BLOCK_DAYS for w in windows] + [1])
    block_sum, block_count = sales.block_sums("amount", m_max), sales.block_counts(m_max)
    for w in windows:
        out[f"receipts_monthly_mean_{w}d"] = sales.sum("amount", w) * BLOCK_DAYS / w
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
            x = (m - 1 - np.arange(m)) - (m - 1) / 2  # centred time, block 0 newest
            yc = y - (_row_sum(y) / m)[:, None]
            out[f"receipts_trend_{w}d"] = _row_sum(yc * x) / float(np.sum(x * x))
    earlier = sales.sum_between("amount", GROWTH_DAYS, 2 * GROWTH_DAYS)
    growth = safe_div(sales.sum("amount", GROWTH_DAYS), earlier) - 1.0
    any_earlier = sales.count_between(GROWTH_DAYS, 2 * GROWTH_DAYS) > 0
    out["receipts_growth_3v3m"] = np.where(any_earlier, growth, np.nan)
    for w in windows:
        out[f"active_day_ratio_{w}d"] = sales.active_days(w) / w
    for w in windows:
        m = w // BLOCK_DAYS
        if m >= 1:
            out[f"zero_sale_months_{w}d"] = (block_count[:, :m] == 0).sum(axis=1).astype(np.float64)
    for w in windows:
        payers = sales.count_distinct(PAYER, w)
        out[f"payer_count_{w}d"] = payers
        out[f"payer_hhi_{w}d"] = sales.hhi("amount", PAYER, w)
        out[f"payer_top1_share_{w}d"] = sales.top_share("amount", PAYER, w)
        out[f"repeat_payer_ratio_{w}d"] = safe_div(sales.count_distinct(PAYER, w, min_rows=2), payers)
    for w in windows:
        receipts = sales.sum("amount", w)
        ratio = safe_div(refunds.sum("amount", w), receipts)
        out[f"refund_ratio_{w}d"] = np.where(sales.count(w) > 0, ratio, np.nan)
    for w in windows:
        net = operating_in.sum("amount", w) - operating_out.sum("amount", w)
        out[f"net_inflow_monthly_{w}d"] = net * BLOCK_DAYS / w
    for w in windows:
        share = safe_div(lent.sum("amount", w), inflow.sum("amount", w))
        out[f"loan_inflow_share_{w}d"] = np.where(inflow.count(w) > 0, share, np.nan)
    known = tx.count() > 0
    for values in out.values():
        values[~known] = np.nan
    return out
