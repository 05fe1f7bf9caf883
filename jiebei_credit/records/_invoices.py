"""VAT invoices (增值税发票): a table the library ships, added to a RecordSet like a user table.

The seven built-in tables are the lender's own book and the borrower's
merchant account. Tax-based lending (税务贷) adds the borrower's VAT
invoices, obtained with the borrower's authorisation from the tax-data
channel some days after each invoice is issued. :data:`VAT_INVOICES` is the
schema of that table; add it with ``records.with_table(VAT_INVOICES, frame)``
and the ``invoices`` feature family reads it.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit.errors import Problem
from jiebei_credit.records._enums import InvoiceDirection, InvoiceStatus
from jiebei_credit.records._schema import Column, TableSchema

__all__ = ["VAT_INVOICES", "VAT_RATES", "invoice_problems"]

#: The VAT rates of the People's Republic of China an invoice may carry: the general rates 13 %
#: (goods), 9 % (transport, construction, agricultural products) and 6 % (modern services), the
#: small-scale taxpayer's levy rates 3 % and 1 % (reduced rate), and 0 (exempt or zero-rated).
VAT_RATES: Final[tuple[float, ...]] = (0.13, 0.09, 0.06, 0.03, 0.01, 0.0)

#: The schema of the ``vat_invoices`` table: one row per VAT invoice issued or received by the
#: borrower's business, known to the lender on ``known_on`` (category ``tax_records``).
VAT_INVOICES: Final = TableSchema(
    name="vat_invoices",
    description=(
        "One row per VAT invoice (增值税发票) issued or received by the borrower's business, as "
        "reported to the lender by the tax-data channel; a red-letter credit note (红字发票) is a row "
        "of its own that names the invoice it reverses."
    ),
    description_zh="每行一张借款人经营主体开具或取得的增值税发票(经税务数据渠道报送);红字发票单独成行并注明所冲销的蓝字发票",
    primary_key=("invoice_id",),
    borrower_key="borrower_id",
    event_date="issued_on",
    known_at="known_on",
    category="tax_records",
    columns=(
        Column(name="invoice_id", kind="id", description="Invoice identifier (invoice code and number).",
               description_zh="发票代码与号码"),
        Column(name="borrower_id", kind="id", description="The borrower whose business issued or received "
               "the invoice.", description_zh="借款人(开票方或受票方)"),
        Column(name="direction", kind="category", enum=InvoiceDirection,
               description="'issued' (销项): a sale to a customer; 'received' (进项): a purchase from a "
               "supplier.", description_zh="发票方向:销项(向客户销售)或进项(向供应商采购)"),
        Column(name="issued_on", kind="date", description="Issue date of the invoice (the event date).",
               description_zh="开票日期"),
        Column(name="known_on", kind="date", description="Date the lender received the invoice from the "
               "tax-data channel (the knowledge time); on or after issued_on.",
               description_zh="贷款机构获知日期(税务数据到达日),不早于开票日期"),
        Column(name="counterparty_id", kind="id", description="Taxpayer identifier of the customer "
               "(issued) or supplier (received).", description_zh="对方纳税人识别号(购买方或销售方)"),
        Column(name="amount", kind="float", minimum=0.0, description="Amount excluding VAT, CNY; a "
               "red-letter note carries the reversed amount as a positive number.",
               description_zh="不含税金额(元);红字发票记冲销金额的绝对值"),
        Column(name="tax", kind="float", minimum=0.0, description="VAT on the invoice, CNY (amount × "
               "tax_rate, to the fen).", description_zh="税额(元)"),
        Column(name="tax_rate", kind="float", minimum=0.0, description="VAT rate as a "
               "decimal: one of 0.13, 0.09, 0.06, 0.03, 0.01, 0.", description_zh="税率(13%、9%、6%、"
               "3%、1% 或 0)"),
        Column(name="status", kind="category", enum=InvoiceStatus,
               description="'normal'; 'voided' (作废, cancelled and never valid); 'red_letter' (红冲, "
               "a credit note reversing an earlier invoice).", description_zh="发票状态:正常、作废或红冲"),
        Column(name="reverses_invoice_id", kind="id", nullable=True,
               description="For a red-letter note, the invoice_id of the invoice it reverses (same "
               "borrower and direction, issued no later); missing otherwise.",
               description_zh="红字发票所冲销的蓝字发票号码(同一借款人、同一方向、开票不晚于本票);其他发票为空"),
    ),
)


def _rule_rows(
    out: pd.DataFrame, mask: np.ndarray, column: str, values: np.ndarray, rule: str
) -> list[Problem]:
    pos = np.flatnonzero(mask)
    return [
        Problem(table="vat_invoices", column=column, row=out.index[int(p)],
                value=None if pd.isna(values[p]) else values[p], rule=rule)
        for p in pos
    ]


def invoice_problems(out: pd.DataFrame, clean: set[str]) -> list[Problem]:
    """The row rules of :data:`VAT_INVOICES` beyond its columns' own, on the clean columns.

    A rate outside :data:`VAT_RATES`; a red-letter note without the invoice
    it reverses, or another row naming one; a reversed invoice that is not
    an invoice of the table, belongs to another borrower or direction, is
    itself a red-letter note, or was issued after the note.
    """
    problems: list[Problem] = []
    if "tax_rate" in clean:
        rate = out["tax_rate"].to_numpy(dtype=np.float64)
        bad = ~np.isin(rate, np.array(VAT_RATES))
        problems += _rule_rows(out, bad, "tax_rate", rate.astype(object),
                               "must be one of the VAT rates 0.13, 0.09, 0.06, 0.03, 0.01, 0 (a decimal, "
                               "exactly)")
    if not clean.issuperset(("status", "reverses_invoice_id")):
        return problems
    ref = out["reverses_invoice_id"]
    has_ref = ref.notna().to_numpy(dtype=bool)
    red = (out["status"] == InvoiceStatus.RED_LETTER.value).to_numpy(dtype=bool)
    refs = np.asarray(ref.astype(object).where(ref.notna(), None), dtype=object)
    problems += _rule_rows(out, red & ~has_ref, "reverses_invoice_id", refs,
                           "a red-letter invoice (status 'red_letter') must name the invoice it reverses; "
                           "set reverses_invoice_id")
    problems += _rule_rows(out, ~red & has_ref, "reverses_invoice_id", refs,
                           "only a red-letter invoice reverses another; leave reverses_invoice_id missing "
                           "or set status 'red_letter'")
    needed = ("invoice_id", "borrower_id", "direction", "issued_on")
    if not clean.issuperset(needed):
        return problems
    pos = np.flatnonzero(red & has_ref)  # only the red-letter rows are looked up (few)
    if pos.size == 0:
        return problems
    n = len(out)

    def at(mask: np.ndarray) -> np.ndarray:
        full = np.zeros(n, dtype=bool)
        full[pos[mask]] = True
        return full

    target = pd.Index(out["invoice_id"]).get_indexer(ref.iloc[pos])
    unknown = target < 0
    problems += _rule_rows(out, at(unknown), "reverses_invoice_id", refs,
                           "must be the invoice_id of an invoice of the table (a red-letter note "
                           "reverses an invoice the table holds); add the reversed invoice or fix the id")
    t = np.where(unknown, 0, target)
    borrower = out["borrower_id"].to_numpy(dtype=object)
    direction = out["direction"].cat.codes.to_numpy()
    other = ~unknown & ((borrower[t] != borrower[pos]) | (direction[t] != direction[pos]))
    problems += _rule_rows(out, at(other), "reverses_invoice_id", refs,
                           "must name an invoice of the same borrower and direction")
    chained = ~unknown & ~other & red[t]
    problems += _rule_rows(out, at(chained), "reverses_invoice_id", refs,
                           "must name an invoice that is not itself a red-letter note")
    issued = out["issued_on"].to_numpy(dtype="datetime64[ns]")
    later = ~unknown & ~other & ~chained & (issued[t] > issued[pos])
    problems += _rule_rows(out, at(later), "reverses_invoice_id", refs,
                           "must name an invoice issued on or before the red-letter note's issued_on")
    return problems
