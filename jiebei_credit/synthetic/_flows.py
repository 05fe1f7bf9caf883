"""Merchant-account flows: sales, refunds, purchases, transfers and loan flows.

Monthly receipts of borrower ``i`` in month ``m`` are

    R(i, m) = receipts_i · season(industry, month of year) · exp(g_i · m)
              · AMOUNT[regime] · COUNT[regime] · exp(ε), ε ~ N(0, volatility_i²)

spread over a Poisson number of ``sale`` rows (mean ``sales_per_month``
times a size factor, times ``COUNT[regime]``), placed on days by the
industry's day-of-week weights and at times by its time-of-day mixture. A
cash-flow shock is the regime: receipts fall to about 53 % (stressed) and
23 % (distressed) of normal, with fewer and smaller sales.

Payers: each borrower has a pool of regular payers (3 + Poisson(10·size)
of them, skewed so that a few pay most) who make a share ``ρ_i`` of the
sales; the other sales come from a large pool of consumers, a quarter of
them anonymous (no counterparty). A sale is refunded (part or all, within
ten days) with a probability that rises in stress. Purchases from a few
suppliers take about 65 % of receipts; transfers to and from the owner's
own account and ``other`` flows are occasional. Every drawdown appears as a
``loan_disbursement`` and every paid instalment as a ``loan_repayment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.records import Direction, TransactionKind
from jiebei_credit.synthetic._borrowers import Borrowers
from jiebei_credit.synthetic._calendar import MonthGrid
from jiebei_credit.synthetic._seasons import DayPicker, month_of_year_factor, seconds_of_day

__all__ = ["COUNTERPARTY_PREFIXES", "Flows", "merchant_flows"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

KINDS: Final = tuple(k.value for k in TransactionKind)
DIRECTIONS: Final = tuple(d.value for d in Direction)
SALE, REFUND, PURCHASE, TRANSFER = (KINDS.index(k) for k in ("sale", "refund", "purchase", "transfer"))
DISBURSE, REPAY, OTHER = (KINDS.index(k) for k in ("loan_disbursement", "loan_repayment", "other"))
IN, OUT = DIRECTIONS.index("in"), DIRECTIONS.index("out")

#: Sale count and sale amount multiples by regime (normal, stressed, distressed).
COUNT: Final = np.array([1.0, 0.75, 0.5])
AMOUNT: Final = np.array([1.0, 0.7, 0.45])
#: Refund probability per sale by regime.
REFUND_P: Final = np.array([0.012, 0.02, 0.035])
PURCHASE_RATIO: Final = 0.65
PURCHASE_ROWS: Final = 0.4  # purchase rows per sale row
TRANSFER_RATE: Final = 0.25  # rows per month
OTHER_RATE: Final = 0.08
ANONYMOUS: Final = 0.25
#: Counterparty code segments, in this order: regular payers, consumers, suppliers, own accounts, lender.
COUNTERPARTY_PREFIXES: Final = ("R", "C", "S", "A", "JB")
CONSUMERS_PER_BORROWER: Final = 10


@dataclass(frozen=True, slots=True)
class Flows:
    """Transaction rows (unsorted, compact dtypes) and the size of each counterparty code segment."""

    borrower: npt.NDArray[np.int32]
    seconds: IntArray  # seconds since 1970-01-01
    amount: FloatArray
    kind: npt.NDArray[np.int8]
    direction: npt.NDArray[np.int8]
    counterparty: npt.NDArray[np.int32]  # -1 when missing, else a code in the concatenated segments
    segments: tuple[int, ...]


class _Parts:
    """Accumulates row blocks in compact dtypes."""

    def __init__(self) -> None:
        self.cols: tuple[list[npt.NDArray[np.generic]], ...] = ([], [], [], [], [], [])

    def add(self, who: IntArray, sec: IntArray, amount: FloatArray, kind: int | IntArray,
            direction: int | IntArray, cp: IntArray | int) -> None:
        m = who.size
        self.cols[0].append(who.astype(np.int32))
        self.cols[1].append(sec.astype(np.int64))
        self.cols[2].append(amount.astype(np.float64))
        self.cols[3].append(np.broadcast_to(np.asarray(kind, dtype=np.int8), (m,)))
        self.cols[4].append(np.broadcast_to(np.asarray(direction, dtype=np.int8), (m,)))
        self.cols[5].append(np.broadcast_to(np.asarray(cp, dtype=np.int32), (m,)))

    def flows(self, segments: tuple[int, ...]) -> Flows:
        c = [np.concatenate(col) for col in self.cols]
        return Flows(borrower=c[0], seconds=c[1], amount=c[2], kind=c[3], direction=c[4],
                     counterparty=c[5], segments=segments)


def _cells(counts: IntArray, n: int, n_months: int) -> tuple[IntArray, IntArray]:
    """Borrower and month of each row, from row counts per (borrower, month) cell."""
    c = counts.reshape(n, n_months)
    who = np.repeat(np.arange(n, dtype=np.int64), c.sum(axis=1))
    month = np.repeat(np.tile(np.arange(n_months, dtype=np.int64), n), counts.reshape(-1))
    return who, month


#: Largest single flow, CNY (half the records' plausibility ceiling).
MAX_FLOW: Final = 5_000_000.0


def _money(x: FloatArray) -> FloatArray:
    """Amounts rounded to the fen, within [0.01, MAX_FLOW]."""
    return np.clip(np.round(x, 2), 0.01, MAX_FLOW)


def merchant_flows(
    rng: np.random.Generator,
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
    sales_per_month: float,
    loan_flows: tuple[IntArray, IntArray, FloatArray, IntArray],
) -> Flows:
    """All transaction rows of ``[start, end)``.

    ``loan_flows`` holds ``(borrower, day, amount, kind)`` of the
    disbursements and repayments.
    """
    n = b.n
    n_months = grid.months_before(end)
    st = states[:, :n_months].astype(np.int64)
    size = np.sqrt(b.receipts / np.median(b.receipts))  # n >= 1: check_borrowers
    size = np.clip(size / max(float(np.mean(size)), 1e-12), 0.2, 5.0)
    season = month_of_year_factor(b.industry, grid, n_months)
    growth = rng.normal(0.004 - 0.004 * b.risk, 0.01)
    trend = np.exp(growth[:, None] * np.arange(n_months)[None, :])
    noise = np.exp(b.volatility[:, None] * rng.standard_normal((n, n_months)))
    mean_count = sales_per_month * size[:, None] * season * COUNT[st]
    receipts = b.receipts[:, None] * season * trend * noise * AMOUNT[st] * COUNT[st]
    per_sale = receipts / np.maximum(mean_count, 1.0)
    picker = DayPicker(grid, n_months)

    def place(who: IntArray, month: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        day = picker.sample(rng, b.industry[who], month)
        sec = day * 86400 + seconds_of_day(rng, b.industry[who])
        return sec, (day >= start) & (day < end)

    # sales
    who, month = _cells(rng.poisson(mean_count).reshape(-1), n, n_months)
    sec, ok = place(who, month)
    who, month, sec = who[ok], month[ok], sec[ok]
    amount = _money(per_sale[who, month] * rng.lognormal(-0.125, 0.5, who.size))
    n_regular = 3 + rng.poisson(10.0 * size)
    reg_offset = np.concatenate([[0], np.cumsum(n_regular)[:-1]]).astype(np.int64)
    n_reg_total = int(n_regular.sum())
    n_consumers = CONSUMERS_PER_BORROWER * n
    rho = rng.beta(4.0, 3.0, n)
    regular = rng.random(who.size) < rho[who]
    k = np.floor(n_regular[who] * rng.random(who.size) ** 2).astype(np.int64)
    consumer = n_reg_total + rng.integers(0, max(n_consumers, 1), who.size)
    anonymous = ~regular & (rng.random(who.size) < ANONYMOUS)
    cp = np.where(regular, reg_offset[who] + k, np.where(anonymous, -1, consumer))
    del k, consumer, anonymous, regular
    out = _Parts()
    out.add(who, sec, amount, SALE, IN, cp)
    # refunds of some sales, within ten days
    refunded = np.flatnonzero(rng.random(who.size) < REFUND_P[st[who, month]])
    r_sec = sec[refunded] + rng.integers(3600, 10 * 86400, refunded.size)
    r_amt = _money(amount[refunded] * rng.uniform(0.2, 1.0, refunded.size))
    keep = r_sec < end * 86400
    out.add(who[refunded][keep], r_sec[keep], r_amt[keep], REFUND, OUT, cp[refunded][keep])
    del who, month, sec, amount, cp
    # purchases from a few suppliers
    supp_base = n_reg_total + n_consumers
    n_supp = 1 + rng.poisson(2.0, n)
    supp_offset = supp_base + np.concatenate([[0], np.cumsum(n_supp)[:-1]]).astype(np.int64)
    p_mean = PURCHASE_ROWS * mean_count
    p_who, p_month = _cells(rng.poisson(p_mean).reshape(-1), n, n_months)
    p_sec, ok = place(p_who, p_month)
    p_who, p_month, p_sec = p_who[ok], p_month[ok], p_sec[ok]
    per_purchase = PURCHASE_RATIO * receipts / np.maximum(p_mean, 1.0)
    p_amt = _money(per_purchase[p_who, p_month] * rng.lognormal(-0.08, 0.4, p_who.size))
    p_cp = supp_offset[p_who] + rng.integers(0, n_supp[p_who])
    out.add(p_who, p_sec, p_amt, PURCHASE, OUT, p_cp)
    del p_who, p_month, p_sec, p_amt, p_cp
    # transfers with the owner's own account, and other flows
    own_base = supp_base + int(n_supp.sum())
    for kind, rate in ((TRANSFER, TRANSFER_RATE), (OTHER, OTHER_RATE)):
        t_who, t_month = _cells(rng.poisson(rate, size=n * n_months), n, n_months)
        t_sec, ok = place(t_who, t_month)
        t_who, t_sec = t_who[ok], t_sec[ok]
        scale = 0.2 if kind == TRANSFER else 0.01
        t_amt = _money(scale * b.receipts[t_who] * rng.lognormal(-0.3, 0.8, t_who.size))
        t_dir = np.where(rng.random(t_who.size) < 0.45, IN, OUT)
        if kind == TRANSFER:
            t_cp = np.where(rng.random(t_who.size) < 0.7, own_base + t_who, -1)
        else:
            t_cp = np.full(t_who.size, -1)
        out.add(t_who, t_sec, t_amt, kind, t_dir, t_cp)
    # loan disbursements and repayments
    lender = own_base + n
    l_who, l_day, l_amt, l_kind = loan_flows
    disbursed = l_kind == DISBURSE
    l_hour = np.where(disbursed, rng.integers(9 * 3600, 22 * 3600, l_who.size),
                      rng.integers(6 * 3600, 10 * 3600, l_who.size))
    out.add(l_who, l_day * 86400 + l_hour, l_amt, l_kind, np.where(disbursed, IN, OUT), lender)
    return out.flows((n_reg_total, n_consumers, int(n_supp.sum()), n, 1))
