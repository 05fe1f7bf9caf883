"""Loan-level delinquency status on a date, shared by vintages and roll rates.

A loan book is the loans table and the instalments table as day numbers,
the instalments sorted by loan, so that every per-loan quantity is a
segment reduction over one sorted array (no per-loan Python loop).

Definitions (the portfolio-analytics conventions of the library): an instalment is ``k``
days past due on status date ``t`` iff ``due_on + k <= t <= paid_on``, with
``paid_on`` open-ended while unpaid; a loan's DPD on ``t`` is the largest
such ``k`` over its instalments, i.e. ``t`` minus the earliest due date
still unpaid on ``t``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._keys import order_by, positions
from jiebei_credit._validation import BoolArray, FloatArray, IntArray, fail
from jiebei_credit.records import RecordSet

__all__ = [
    "NEVER",
    "LoanBook",
    "day_numbers",
    "loan_book",
    "month_end_day",
    "month_numbers",
]

#: Day number standing for "never" (an open instalment's clearance day); far
#: from the int64 limit so that adding a number of days cannot overflow.
NEVER: Final = np.int64(2**40)


def day_numbers(values: npt.NDArray[np.datetime64]) -> IntArray:
    """Whole days since 1970-01-01 of datetime64 values; NaT becomes :data:`NEVER`."""
    days = values.astype("datetime64[D]").view(np.int64).copy()
    days[np.isnat(values)] = NEVER
    return days


def month_numbers(days: IntArray) -> IntArray:
    """Calendar month of each day number, as months since 1970-01."""
    return days.astype("datetime64[D]").astype("datetime64[M]").view(np.int64)


def month_end_day(months: IntArray) -> IntArray:
    """Day number of the last day of each month number."""
    return (months + 1).astype("datetime64[M]").astype("datetime64[D]").view(np.int64) - 1


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LoanBook:
    """Loans and their instalments as arrays, the instalments sorted by loan.

    Attributes
    ----------
    drawn, principal : ndarray, one per loan
        Drawdown day number and original principal.
    code : ndarray of int64, one per instalment
        Position of the instalment's loan (non-decreasing).
    due, paid : ndarray of int64, one per instalment
        Due and clearance day numbers; ``paid`` is :data:`NEVER` while open.
    principal_due : ndarray of float64, one per instalment
    """

    drawn: IntArray
    principal: FloatArray
    code: IntArray
    due: IntArray
    paid: IntArray
    principal_due: FloatArray

    @property
    def n_loans(self) -> int:
        """Number of loans."""
        return int(self.drawn.size)

    def _starts(self) -> IntArray:
        c = self.code
        return np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else np.zeros(0, dtype=np.int64)

    def loan_min(self, values: IntArray) -> IntArray:
        """Per-loan minimum of one value per instalment (:data:`NEVER` for a loan without any)."""
        out = np.full(self.n_loans, NEVER, dtype=np.int64)
        starts = self._starts()
        if starts.size:
            out[self.code[starts]] = np.minimum.reduceat(values, starts)
        return out

    def loan_max(self, values: IntArray) -> IntArray:
        """Per-loan maximum of one value per instalment (``-NEVER`` for a loan without any)."""
        out = np.full(self.n_loans, -NEVER, dtype=np.int64)
        starts = self._starts()
        if starts.size:
            out[self.code[starts]] = np.maximum.reduceat(values, starts)
        return out

    def loan_sum(self, values: FloatArray) -> FloatArray:
        """Per-loan sum of one value per instalment."""
        return np.bincount(self.code, weights=values, minlength=self.n_loans).astype(np.float64)

    def dpd_on(self, t: int) -> IntArray:
        """Days past due of each loan on status day ``t`` (0 when none is past due)."""
        late = (self.due < t) & (self.paid >= t)
        earliest = self.loan_min(np.where(late, self.due, NEVER))
        return np.where(earliest < NEVER, t - earliest, 0).astype(np.int64)

    def closed_on(self, t: int) -> BoolArray:
        """Whether each loan is fully repaid on day ``t``: every instalment cleared on or before ``t``."""
        return self.loan_max(self.paid) <= t

    def outstanding_on(self, t: int) -> FloatArray:
        """Principal of each loan not yet repaid on day ``t`` (instalments cleared after ``t``)."""
        return self.loan_sum(np.where(self.paid > t, self.principal_due, 0.0))

    def first_reach(self, min_dpd: int, before: int) -> IntArray:
        """First day each loan is ``min_dpd`` or more days past due, if before day ``before``, else NEVER.

        An instalment is ``min_dpd`` or more days past due on ``[due + min_dpd, paid]``,
        so it first is on ``due + min_dpd`` iff ``paid >= due + min_dpd``.
        """
        reach = self.due + min_dpd
        hit = (self.paid >= reach) & (reach < before)
        return self.loan_min(np.where(hit, reach, NEVER))


def loan_book(records: object, *, func: str, before: pd.Timestamp | None = None) -> LoanBook:
    """The loan book of ``records``, point in time at ``before`` when given.

    With ``before``, nothing dated on or after it is read: loans drawn on or
    after it are dropped, instalments due on or after it are dropped (they
    cannot be past due on a day before it), and a clearance dated on or after
    it is treated as not yet known (the instalment is open).
    """
    if not isinstance(records, RecordSet):
        raise fail(func, "records", "must be a jiebei_credit.records.RecordSet", type(records).__name__,
                   "Build one with RecordSet.from_frames(...).")
    loans = records.loans
    inst = records.installments
    if loans is None or inst is None:
        missing = [t for t in ("loans", "installments") if t not in records]
        raise fail(func, "records", "must hold the loans and installments tables",
                   f"a RecordSet lacking {', '.join(missing)} (tables: {', '.join(records.tables)})",
                   "Pass loans= and installments= to RecordSet.from_frames.")
    drawn = day_numbers(loans["drawn_on"].to_numpy(dtype="datetime64[ns]"))
    principal = loans["principal"].to_numpy(dtype=np.float64)
    code = positions(loans["loan_id"], inst["loan_id"])
    due = day_numbers(inst["due_on"].to_numpy(dtype="datetime64[ns]"))
    paid = day_numbers(inst["paid_on"].to_numpy(dtype="datetime64[ns]"))
    principal_due = inst["principal_due"].to_numpy(dtype=np.float64)
    if before is not None:
        cut = int(day_numbers(np.array([before.to_datetime64()], dtype="datetime64[ns]"))[0])
        keep_loan = drawn < cut
        new_pos = np.cumsum(keep_loan) - 1
        keep = keep_loan[code] & (due < cut)
        code = new_pos[code[keep]]
        due, paid, principal_due = due[keep], paid[keep], principal_due[keep]
        paid = np.where(paid < cut, paid, NEVER)
        drawn, principal = drawn[keep_loan], principal[keep_loan]
    order = order_by(code, due)
    return LoanBook(drawn=drawn, principal=principal, code=code[order], due=due[order],
                    paid=paid[order], principal_due=principal_due[order])
