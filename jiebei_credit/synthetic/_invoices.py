"""VAT invoices (增值税发票) tied to each borrower's sales, regime and latent risk.

Only registered businesses invoice: an individual business (个体工商户)
with probability 0.6, a sole proprietorship 0.85, a partnership 0.9, a
limited company 0.97; unregistered merchants never. A general taxpayer
(一般纳税人; likelier for companies) invoices at its industry's rate (13 %
goods, 9 % transport and agriculture, 6 % services), a small-scale taxpayer
at 1 % (80 %) or 3 %.

Invoiced sales of borrower ``i`` in month ``m`` follow its merchant sale
receipts ``R(i, m)`` (the ``sale`` rows of the transactions table):

    G(i, m) = c_i · R(i, m) · INVOICED[regime] · exp(ε), ε ~ N(0, 0.2²)

where ``c_i`` is the share of sales the business invoices. A share
``σ(-1.2 + 0.9 r)`` of businesses (``r`` the risk index) under-invoice,
``c ~ U(0.15, 0.5)``; the others invoice ``c ~ U(0.75, 1.0)``, times
``1 + U(0, 0.3)`` for sales paid outside the merchant account. Distress
lowers invoicing beyond receipts (``INVOICED`` = 1, 0.85, 0.6 by regime).
``G`` (VAT included) is split over a Poisson number of issued invoices.
Customers: ``1 + Poisson(6 · size · e^{-0.45 r})`` of them, drawn with a
skew that grows with risk, so riskier borrowers depend on fewer customers.
Purchases (received invoices) are ``G`` times a cost ratio ``0.55 + 0.08 r``
(noisy, thinner margins for riskier borrowers, rising in stress), from
``1 + Poisson(2)`` suppliers.

A row is voided (作废) with probability 1 %, 2.5 %, 6 % by regime (plus up
to 1 % with risk); an issued invoice is reversed by a red-letter note
(红冲) 1 to 45 days later with probability 0.8 %, 2 %, 5 % by regime (0.5 %
for received invoices), for all of it or a part. The lender learns of each
invoice 1 to 20 days after it is issued (``known_on``), so ``known_on`` may
fall after the end of the simulation.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.records import InvoiceDirection, InvoiceStatus
from jiebei_credit.synthetic._borrowers import BUSINESS_TYPES, INDUSTRIES, Borrowers
from jiebei_credit.synthetic._calendar import MonthGrid, days_to_datetime
from jiebei_credit.synthetic._flows import SALE, Flows
from jiebei_credit.synthetic._frames import BorrowerIds
from jiebei_credit.synthetic._ids import code_width, make_ids

__all__ = ["invoices_frame"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Probability that a business of each type issues VAT invoices at all, and that it is a general
#: taxpayer (一般纳税人), in BUSINESS_TYPES order.
ISSUER_P: Final[dict[str, tuple[float, float]]] = {
    "individual_business": (0.6, 0.05),
    "unregistered": (0.0, 0.0),
    "sole_proprietorship": (0.85, 0.25),
    "partnership": (0.9, 0.4),
    "limited_company": (0.97, 0.6),
}
#: A general taxpayer's rate by industry (INDUSTRIES order).
GENERAL_RATE: Final[dict[str, float]] = {
    "catering": 0.06,
    "retail": 0.13,
    "wholesale": 0.13,
    "services": 0.06,
    "logistics": 0.09,
    "manufacturing": 0.13,
    "agriculture": 0.09,
}
#: Invoiced share of receipts, invoice count, void and red-letter probabilities by regime.
INVOICED: Final = np.array([1.0, 0.85, 0.6])
INVOICE_COUNT: Final = np.array([1.0, 0.8, 0.6])
VOID_P: Final = np.array([0.01, 0.025, 0.06])
RED_P: Final = np.array([0.008, 0.02, 0.05])
RED_P_RECEIVED: Final = 0.005
#: Cost of purchases per unit of invoiced sales: base, risk slope, multiple by regime.
COST_BASE: Final = 0.55
COST_RISK: Final = 0.08
COST_REGIME: Final = np.array([1.0, 1.05, 1.12])
#: Rates of received invoices and their probabilities.
RECEIVED_RATES: Final = np.array([0.13, 0.09, 0.06, 0.03, 0.01])
RECEIVED_RATE_P: Final = np.array([0.6, 0.1, 0.1, 0.1, 0.1])
MAX_LAG_DAYS: Final = 20
MAX_RED_DAYS: Final = 45


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def _rows(rng: np.random.Generator, mean: FloatArray, grid: MonthGrid, start: int, end: int
          ) -> tuple[IntArray, IntArray, IntArray]:
    """Borrower, month and day of a Poisson(mean[i, m]) number of rows per cell, days uniform in the month."""
    n_months = mean.shape[1]
    counts = rng.poisson(mean).reshape(-1)
    cell = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    who, month = cell // n_months, cell % n_months
    day = grid.starts[month] + np.floor(rng.random(cell.size) * grid.lengths[month]).astype(np.int64)
    ok = (day >= start) & (day < end)
    return who[ok], month[ok], day[ok]


def invoices_frame(
    rng: np.random.Generator,
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
    flows: Flows,
    ids: BorrowerIds,
) -> pd.DataFrame:
    """The ``vat_invoices`` table of ``[start, end)`` (see the module notes), ordered by borrower and day."""
    n = b.n
    n_months = grid.months_before(end)
    st = states[:, :n_months].astype(np.int64)
    risk = b.risk
    # monthly sale receipts of the merchant account
    sale = flows.kind == SALE
    s_day = flows.seconds[sale] // 86400
    s_cell = flows.borrower[sale].astype(np.int64) * n_months + grid.month_of(s_day)
    receipts = np.bincount(s_cell, weights=flows.amount[sale], minlength=n * n_months).reshape(n, n_months)
    # who invoices, at what rate, and how much of its sales
    types = list(BUSINESS_TYPES)
    issuer_p = np.array([ISSUER_P[t][0] for t in types])[b.business_type]
    general_p = np.array([ISSUER_P[t][1] for t in types])[b.business_type]
    issuer = rng.random(n) < issuer_p
    general = rng.random(n) < general_p
    small_rate = np.where(rng.random(n) < 0.8, 0.01, 0.03)
    rate = np.where(general, np.array([GENERAL_RATE[k] for k in INDUSTRIES])[b.industry], small_rate)
    under = rng.random(n) < _sigmoid(-1.2 + 0.9 * risk)
    coverage = np.where(under, rng.uniform(0.15, 0.5, n), rng.uniform(0.75, 1.0, n))
    coverage = coverage * (1.0 + rng.uniform(0.0, 0.3, n))
    size = np.clip(np.sqrt(b.receipts / np.median(b.receipts)), 0.2, 5.0)
    gross = (coverage[:, None] * receipts * INVOICED[st]
             * np.exp(0.2 * rng.standard_normal((n, n_months))))
    gross[~issuer] = 0.0
    # issued invoices
    mean_count = np.where(gross > 0, np.clip(0.5 + 1.5 * size, 1.0, 10.0)[:, None] * INVOICE_COUNT[st], 0.0)
    i_who, i_month, i_day = _rows(rng, mean_count, grid, start, end)
    per = gross / np.maximum(mean_count, 1.0) / (1.0 + rate[:, None])
    i_amount = per[i_who, i_month] * rng.lognormal(-0.08, 0.4, i_who.size)
    n_cust = 1 + rng.poisson(6.0 * size * np.exp(-0.45 * risk))
    skew = 1.0 + 1.5 * _sigmoid(risk)
    cust_offset = np.concatenate([[0], np.cumsum(n_cust)[:-1]]).astype(np.int64)
    k = np.floor(n_cust[i_who] * rng.random(i_who.size) ** skew[i_who]).astype(np.int64)
    i_cp = cust_offset[i_who] + np.minimum(k, n_cust[i_who] - 1)
    i_rate = rate[i_who]
    # received invoices
    cost = np.clip(COST_BASE + COST_RISK * risk + rng.normal(0.0, 0.08, n), 0.2, 0.95)
    purchases = gross * cost[:, None] * COST_REGIME[st] * np.exp(0.25 * rng.standard_normal((n, n_months)))
    p_mean = np.where(purchases > 0, np.clip(0.5 + 0.75 * size, 0.5, 6.0)[:, None] * INVOICE_COUNT[st], 0.0)
    p_who, p_month, p_day = _rows(rng, p_mean, grid, start, end)
    p_rate = RECEIVED_RATES[rng.choice(RECEIVED_RATES.size, size=p_who.size, p=RECEIVED_RATE_P)]
    p_per = purchases / np.maximum(p_mean, 1.0)
    p_amount = p_per[p_who, p_month] * rng.lognormal(-0.08, 0.4, p_who.size) / (1.0 + p_rate)
    n_supp = 1 + rng.poisson(2.0, n)
    supp_offset = np.concatenate([[0], np.cumsum(n_supp)[:-1]]).astype(np.int64)
    p_cp = supp_offset[p_who] + rng.integers(0, n_supp[p_who])
    # blue (original) invoices: issued, then received
    who = np.concatenate([i_who, p_who])
    month = np.concatenate([i_month, p_month])
    day = np.concatenate([i_day, p_day])
    amount = np.round(np.concatenate([i_amount, p_amount]), 2)
    tax_rate = np.concatenate([i_rate, p_rate])
    issued = np.concatenate([np.ones(i_who.size, dtype=bool), np.zeros(p_who.size, dtype=bool)])
    counterparty = np.concatenate([i_cp, p_cp])
    regime = st[who, month]
    voided = rng.random(who.size) < VOID_P[regime] + 0.01 * _sigmoid(risk[who])
    red_p = np.where(issued, RED_P[regime], RED_P_RECEIVED)
    reversed_ = ~voided & (rng.random(who.size) < red_p)
    red_day = day + rng.integers(1, MAX_RED_DAYS + 1, who.size)
    orig = np.flatnonzero(reversed_ & (red_day < end))
    full = rng.random(orig.size) < 0.5
    red_amount = np.where(full, amount[orig], np.round(amount[orig] * rng.uniform(0.2, 1.0, orig.size), 2))
    n_blue = who.size
    all_who = np.concatenate([who, who[orig]])
    all_day = np.concatenate([day, red_day[orig]])
    all_amount = np.concatenate([amount, red_amount])
    all_rate = np.concatenate([tax_rate, tax_rate[orig]])
    all_issued = np.concatenate([issued, issued[orig]])
    all_cp = np.concatenate([counterparty, counterparty[orig]])
    status = np.concatenate([np.where(voided, 1, 0), np.full(orig.size, 2)]).astype(np.int64)
    reverses = np.concatenate([np.full(n_blue, -1, dtype=np.int64), orig])
    known = all_day + rng.integers(1, MAX_LAG_DAYS + 1, all_who.size)
    # order by borrower, day, then creation; ids in that order
    order = np.lexsort((np.arange(all_who.size), all_day, all_who))
    m = int(order.size)
    position = np.empty(m, dtype=np.int64)
    position[order] = np.arange(m, dtype=np.int64)
    width = code_width(m)
    rev = reverses[order]
    rev_ids = np.full(m, None, dtype=object)
    has_rev = rev >= 0
    rev_ids[has_rev] = np.asarray(make_ids("V", position[rev[has_rev]], width=width), dtype=object)
    cp = all_cp[order]
    is_issued = all_issued[order]
    cp_ids = np.empty(m, dtype=object)
    cp_ids[is_issued] = np.asarray(make_ids("K", cp[is_issued], width=code_width(int(n_cust.sum()))),
                                   dtype=object)
    cp_ids[~is_issued] = np.asarray(make_ids("P", cp[~is_issued], width=code_width(int(n_supp.sum()))),
                                    dtype=object)
    amount_sorted = all_amount[order]
    rate_sorted = all_rate[order]
    directions = [d.value for d in InvoiceDirection]
    statuses = [s.value for s in InvoiceStatus]
    return pd.DataFrame(
        {
            "invoice_id": make_ids("V", np.arange(m), width=width),
            "borrower_id": ids.take(all_who[order]),
            "direction": pd.Categorical.from_codes(np.where(is_issued, 0, 1),
                                                   dtype=pd.CategoricalDtype(directions)),
            "issued_on": days_to_datetime(all_day[order]),
            "known_on": days_to_datetime(known[order]),
            "counterparty_id": pd.array(cp_ids, dtype="string"),
            "amount": amount_sorted,
            "tax": np.round(amount_sorted * rate_sorted, 2),
            "tax_rate": rate_sorted,
            "status": pd.Categorical.from_codes(status[order], dtype=pd.CategoricalDtype(statuses)),
            "reverses_invoice_id": pd.array(rev_ids, dtype="string"),
        }
    )
