"""The instalment engine: one vectorised implementation of the three methods.

Everything is computed in whole fen held in float64 (exact for integers below
2**53), so sums of fen amounts are exact. Loans are processed together: the
only Python loop runs over instalment positions (at most 60), never over loans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from jiebei_credit.limits._checks import FloatArray, IntArray
from jiebei_credit.limits._money import half_up

#: Method codes, in the order of ``METHODS``.
EQUAL_INSTALLMENT: Final = 0
EQUAL_PRINCIPAL: Final = 1
INTEREST_FIRST: Final = 2


def annuity_factor(i: FloatArray, n: IntArray) -> FloatArray:
    """Equal-instalment payment per unit of principal: ``i / (1 − (1+i)^−n)``, ``1/n`` at 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        f = i / -np.expm1(-n * np.log1p(i))
    return np.where(i > 0, f, 1.0 / n)


def regular_payment(p_fen: FloatArray, factor: FloatArray) -> FloatArray:
    """Rounded level payment of an equal-instalment loan, in fen."""
    return half_up(p_fen * factor)


def principal_part(p_fen: FloatArray, n: IntArray) -> FloatArray:
    """Rounded principal part of an equal-principal loan, in fen."""
    return half_up(p_fen / n)


@dataclass(frozen=True, slots=True)
class Rows:
    """Long-format schedule arrays (fen), one row per instalment."""

    loan: IntArray
    seq: IntArray
    payment: FloatArray
    principal: FloatArray
    interest: FloatArray
    balance: FloatArray


#: Loans (or values) per block: long chains of numpy operations run about
#: three times faster when their temporaries stay in the CPU cache.
BLOCK: Final = 16_384


def run(p_fen: FloatArray, i: FloatArray, n: IntArray, code: IntArray) -> Rows:
    """Build every instalment of every loan.

    Parameters are per-loan arrays of equal length: principal in whole fen,
    monthly rate, number of instalments and method code. Rows are ordered by
    loan, then instalment.

    Rules, for the balance ``b`` before instalment ``k`` (``b = P`` at ``k = 1``):

    * interest ``I_k = half_up(b · i)``;
    * regular principal: equal instalment ``half_up(P·a(i, n)) − I_k``; equal
      principal ``half_up(P / n)``; interest first ``0``; clipped to ``[0, b]``;
    * the last instalment's principal is the whole remaining balance;
    * payment = principal + interest; the balance falls by the principal.
    """
    m = p_fen.size
    offsets = np.cumsum(n) - n
    total = int(n.sum())
    cols = [np.empty(total) for _ in range(4)]  # payment, principal, interest, balance
    for s in range(0, m, BLOCK):
        e = min(s + BLOCK, m)
        r0, r1 = int(offsets[s]), (int(offsets[e]) if e < m else total)
        _block(p_fen[s:e], i[s:e], n[s:e], code[s:e], offsets[s:e] - r0,
               [c[r0:r1] for c in cols])
    loan = np.repeat(np.arange(m, dtype=np.int64), n)
    seq = np.arange(total, dtype=np.int64) - np.repeat(offsets, n) + 1
    return Rows(loan=loan, seq=seq, payment=cols[0], principal=cols[1], interest=cols[2],
                balance=cols[3])


def _block(
    p_fen: FloatArray, i: FloatArray, n: IntArray, code: IntArray, offsets: IntArray,
    out: list[FloatArray],
) -> None:
    """Fill one block's rows (``out`` are views of the result columns)."""
    pay, prin, intr, bal = out
    order = np.argsort(-n, kind="stable")  # longest terms first: active loans are a prefix
    n_s, p_s, i_s, code_s = n[order], p_fen[order], i[order], code[order]
    ei = code_s == EQUAL_INSTALLMENT
    ep = code_s == EQUAL_PRINCIPAL
    is_ei = ei.astype(np.float64)
    base = np.zeros(n.size)
    base[ei] = regular_payment(p_s[ei], annuity_factor(i_s[ei], n_s[ei]))
    base[ep] = principal_part(p_s[ep], n_s[ep])
    longest = int(n_s[0]) if n.size else 0
    active = np.searchsorted(-n_s, -np.arange(1, longest + 1), side="right")
    row0 = offsets[order]
    b = p_s.copy()
    for k in range(1, longest + 1):
        c = int(active[k - 1])
        bk = b[:c]
        interest = half_up(bk * i_s[:c])
        regular = np.clip(base[:c] - is_ei[:c] * interest, 0.0, bk)
        principal = np.where(n_s[:c] == k, bk, regular)
        bk -= principal
        rows = row0[:c] + (k - 1)
        pay[rows] = principal + interest
        prin[rows] = principal
        intr[rows] = interest
        bal[rows] = bk


def largest_payment(p_fen: FloatArray, i: FloatArray, n: IntArray, code: IntArray) -> FloatArray:
    """Largest instalment of each loan's schedule, in fen (same engine as :func:`run`)."""
    rows = run(p_fen, i, n, code)
    starts = np.cumsum(n) - n
    return np.maximum.reduceat(rows.payment, starts) if rows.payment.size else np.zeros(0)
