"""VAT-invoice features (增值税发票): invoiced sales, customers, credit notes, tax, agreement with receipts.

Written against the public point-in-time view only, like a user family: an
invoice counts from the day after the lender learns of it (``known_on``),
never from its issue date. Net sales are the normal issued invoices minus
the red-letter notes (红冲) reversing issued invoices; voided invoices (作废)
count only in the voided share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import INV, INV_TX, NO_INVOICE, Base, per_window, point
from jiebei_credit.features._kernels import BLOCK_DAYS, FloatArray, safe_div

if TYPE_CHECKING:  # the view module imports the catalog, which imports these bases
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["INVOICE_BASES", "MONTHS_WITHOUT_BLOCKS", "invoice_features"]

#: The 30-day blocks counted by ``inv_months_without_12m``.
MONTHS_WITHOUT_BLOCKS: Final = 12

_NO_SALES = NO_INVOICE + ", or net invoiced sales in the window not positive"

#: Definitions of the ``invoices`` features (rendered in the catalog and the docs).
INVOICE_BASES: Final[tuple[Base, ...]] = (
    per_window(
        "inv_sales",
        "invoices",
        "CNY",
        INV,
        "Net invoiced sales of the last {w} days, excluding VAT: the amounts of the normal issued "
        "invoices minus those of the red-letter notes reversing issued invoices, by the day the lender "
        "learned of them.",
        "近{w}天销项发票净销售额(不含税,正常发票减红字发票,按获知日期)",
        NO_INVOICE,
    ),
    per_window(
        "inv_purchases",
        "invoices",
        "CNY",
        INV,
        "Net invoiced purchases of the last {w} days, excluding VAT: normal received invoices minus "
        "red-letter notes reversing received invoices.",
        "近{w}天进项发票净采购额(不含税,正常发票减红字发票)",
        NO_INVOICE,
    ),
    per_window(
        "inv_count",
        "invoices",
        "count",
        INV,
        "Number of normal issued invoices of the last {w} days.",
        "近{w}天正常销项发票张数",
        NO_INVOICE,
    ),
    per_window(
        "inv_customers",
        "invoices",
        "count",
        INV,
        "Number of distinct customers (counterparties of normal issued invoices) of the last {w} days.",
        "近{w}天销项发票不同购买方个数",
        NO_INVOICE,
    ),
    per_window(
        "inv_customer_hhi",
        "invoices",
        "index (0-1]",
        INV,
        "Herfindahl index of customer concentration: the sum over customers of the squared share of "
        "each in the amounts of the normal issued invoices of the last {w} days; 1 is a single customer.",
        "近{w}天销项发票购买方集中度(HHI)",
        NO_INVOICE + ", or no normal issued invoice with a positive amount in the window",
    ),
    per_window(
        "inv_top_customer_share",
        "invoices",
        "share",
        INV,
        "Share of the largest customer in the amounts of the normal issued invoices of the last {w} days.",
        "近{w}天第一大购买方销项金额占比",
        NO_INVOICE + ", or no normal issued invoice with a positive amount in the window",
    ),
    per_window(
        "inv_red_letter_share",
        "invoices",
        "share",
        INV,
        "Red-letter notes (红冲) among the issued invoices of the last {w} days (all statuses), by count.",
        "近{w}天销项红字发票张数占比",
        NO_INVOICE + ", or no issued invoice in the window",
    ),
    per_window(
        "inv_voided_share",
        "invoices",
        "share",
        INV,
        "Voided invoices (作废) among the issued invoices of the last {w} days (all statuses), by count.",
        "近{w}天销项作废发票张数占比",
        NO_INVOICE + ", or no issued invoice in the window",
    ),
    per_window(
        "inv_tax_to_sales",
        "invoices",
        "ratio",
        INV,
        "VAT burden (税负率) of the last {w} days: output VAT minus input VAT (each net of red-letter "
        "notes) divided by net invoiced sales.",
        "近{w}天增值税税负率:(销项税额-进项税额)/净销售额",
        _NO_SALES,
    ),
    per_window(
        "inv_gross_margin",
        "invoices",
        "ratio",
        INV,
        "Gross margin proxy of the last {w} days: (net invoiced sales - net invoiced purchases) / net "
        "invoiced sales.",
        "近{w}天毛利率代理:(净销售额-净采购额)/净销售额",
        _NO_SALES,
    ),
    per_window(
        "inv_receipts_ratio",
        "invoices",
        "ratio",
        INV_TX,
        "Invoiced sales including VAT (net amount plus net output tax) of the last {w} days divided by the "
        "sale receipts of the merchant account in the same days; well below 1 is under-invoicing.",
        "近{w}天含税开票销售额/经营账户销售收款",
        NO_INVOICE + ", or no sale receipt in the window",
    ),
    per_window(
        "inv_receipts_agreement",
        "invoices",
        "share",
        INV_TX,
        "Agreement between invoiced sales including VAT and merchant sale receipts of the last {w} days: "
        "min(invoiced, receipts) / max(invoiced, receipts), 1 when they are equal, 0 when one is zero.",
        "近{w}天开票销售额与经营账户收款的一致度:min/max",
        NO_INVOICE + ", or neither invoiced sales nor sale receipts in the window",
    ),
    per_window(
        "inv_sales_trend",
        "invoices",
        "share of mean per 30 days",
        INV,
        "Least-squares slope of net invoiced sales over the whole 30-day blocks of the last {w} days, "
        "per block, divided by their mean block sales (0.1 is a rise of 10 % of the mean a month).",
        "近{w}天按 30 天分段的净销售额趋势斜率/平均值",
        NO_INVOICE + ", or net invoiced sales of the blocks not positive",
        min_window=90,
    ),
    point(
        "inv_months_without_12m",
        "invoices",
        "count (0-12)",
        INV,
        "Of the twelve 30-day blocks before as_of, the number without any normal issued invoice.",
        "观测日前 12 个 30 天分段中无正常销项发票的段数",
        NO_INVOICE,
    ),
    point(
        "inv_days_since_last",
        "invoices",
        "days",
        INV,
        "Days from the knowledge date of the latest normal issued invoice (the day the lender learned of "
        "it, 1 to 20 days after its issue) to as_of.",
        "最近一张正常销项发票获知日至观测日的天数",
        "no normal issued invoice known before as_of",
    ),
)


def _share(part: FloatArray, whole: FloatArray) -> FloatArray:
    out = np.full(whole.size, np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


def invoice_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``invoices`` family (see the catalog for definitions)."""
    inv = view.events("vat_invoices")
    issued = inv.where("direction", ["issued"])
    received = inv.where("direction", ["received"])
    sold, sold_red = issued.where("status", ["normal"]), issued.where("status", ["red_letter"])
    bought, bought_red = received.where("status", ["normal"]), received.where("status", ["red_letter"])
    voided = issued.where("status", ["voided"])
    receipts_of = None
    if view.has("transactions"):
        receipts_of = view.events("transactions").where("kind", ["sale"])
    out: dict[str, FloatArray] = {}
    for w in view.windows:
        sales = sold.sum("amount", w) - sold_red.sum("amount", w)
        purchases = bought.sum("amount", w) - bought_red.sum("amount", w)
        out_tax = sold.sum("tax", w) - sold_red.sum("tax", w)
        in_tax = bought.sum("tax", w) - bought_red.sum("tax", w)
        n_issued = issued.count(w)
        positive = np.where(sales > 0, sales, np.nan)
        out[f"inv_sales_{w}d"] = sales
        out[f"inv_purchases_{w}d"] = purchases
        out[f"inv_count_{w}d"] = sold.count(w)
        out[f"inv_customers_{w}d"] = sold.count_distinct("counterparty_id", w)
        out[f"inv_customer_hhi_{w}d"] = sold.hhi("amount", "counterparty_id", w)
        out[f"inv_top_customer_share_{w}d"] = sold.top_share("amount", "counterparty_id", w)
        out[f"inv_red_letter_share_{w}d"] = _share(sold_red.count(w), n_issued)
        out[f"inv_voided_share_{w}d"] = _share(voided.count(w), n_issued)
        out[f"inv_tax_to_sales_{w}d"] = safe_div(out_tax - in_tax, positive)
        out[f"inv_gross_margin_{w}d"] = safe_div(sales - purchases, positive)
        if receipts_of is not None:
            receipts = receipts_of.sum("amount", w)
            gross = np.maximum(sales + out_tax, 0.0)
            out[f"inv_receipts_ratio_{w}d"] = _share(gross, receipts)
            out[f"inv_receipts_agreement_{w}d"] = _share(np.minimum(gross, receipts),
                                                         np.maximum(gross, receipts))
        m = w // BLOCK_DAYS
        if m >= 3:
            slope = sold.trend("amount", m) - sold_red.trend("amount", m)
            span = m * BLOCK_DAYS
            mean = (sold.sum("amount", span) - sold_red.sum("amount", span)) / m
            out[f"inv_sales_trend_{w}d"] = safe_div(slope, np.where(mean > 0, mean, np.nan))
    without = np.zeros(len(view))
    before = np.zeros(len(view))
    for k in range(MONTHS_WITHOUT_BLOCKS):
        upto = sold.count((k + 1) * BLOCK_DAYS)
        without += (upto - before) == 0
        before = upto
    out["inv_months_without_12m"] = without
    out["inv_days_since_last"] = sold.days_since_last()
    known = inv.count() > 0
    for values in out.values():
        values[~known] = np.nan
    return out
