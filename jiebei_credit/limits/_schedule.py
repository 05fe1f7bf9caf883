"""Public repayment schedules: :func:`schedules` (many loans) and :func:`schedule` (one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._types import DateLike, Dates, IntegerOrVector, ScalarOrVector
from jiebei_credit._validation import DATE_MAX, fail, offending, single
from jiebei_credit.limits import _engine
from jiebei_credit.limits._checks import (
    FloatArray,
    IntArray,
    Method,
    amount_array,
    annual_rate_array,
    broadcast,
    matched,
    method_codes,
    start_dates,
    term_array,
)
from jiebei_credit.limits._money import add_months, fen, month_parts


@dataclass(frozen=True, slots=True)
class Loans:
    """Validated per-loan inputs, broadcast to one length."""

    amount: FloatArray  # CNY: the principal, or the payment for max_principal
    i: FloatArray  # monthly rate
    n: IntArray
    code: IntArray
    scalar: bool  # every argument was a scalar

    @property
    def p_fen(self) -> FloatArray:
        return fen(self.amount)


def loans(
    amount: object,
    annual_rate: object,
    term_months: object,
    method: object,
    *,
    func: str,
    amount_name: str = "principal",
) -> Loans:
    """Validate and broadcast the loan parameters shared by the schedule functions."""
    matched(func, **{amount_name: amount, "annual_rate": annual_rate, "term_months": term_months,
                     "method": method})
    a, a_one = amount_array(amount, func=func, name=amount_name)
    if amount_name == "principal":
        frac = np.abs(a * 100.0 - np.round(a * 100.0)).reshape(-1)
        if (frac > 1e-6).any():
            raise fail(
                func, "principal", "must be a whole number of fen (0.01 CNY)",
                offending(frac > 1e-6, a.reshape(-1)), "Round the principal with round_fen first.",
            )
    r, r_one = annual_rate_array(annual_rate, func=func)
    n, n_one = term_array(term_months, func=func)
    code, c_one = method_codes(method, func=func)
    args = {amount_name: a, "annual_rate": r, "term_months": n, "method": code}
    for name, arr in args.items():
        if arr.ndim > 1:
            raise fail(func, name, "must be a single value or a 1-D array", f"shape {arr.shape}",
                       "Flatten it first.")
    a_b, r_b, n_b, c_b = broadcast(func, **args)
    return Loans(
        amount=a_b.reshape(-1).astype(np.float64),
        i=r_b.reshape(-1) / 12.0,
        n=n_b.reshape(-1).astype(np.int64),
        code=c_b.reshape(-1).astype(np.int64),
        scalar=a_one and r_one and n_one and c_one,
    )


def check_last_due(
    ln: Loans, dates: npt.NDArray[np.datetime64], *, func: str, one: bool
) -> None:
    """Refuse loans whose last due date (start + term months) falls after ``DATE_MAX``."""
    if dates.size == 0:
        return
    month, dom, tod = month_parts(dates)
    last = add_months(month, dom, tod, ln.n)
    late = last > DATE_MAX.to_datetime64()
    if late.any():
        rule = (f"must leave the last due date (start + term_months months) on or before "
                f"{DATE_MAX.date()}, the end of the library's date range")
        if one:
            first = pd.Timestamp(dates[0])
            shown = first.date() if first == first.normalize() else first
            got = f"{shown} with term_months {int(ln.n[0])} (last due date {pd.Timestamp(last[0]).date()})"
        else:
            got = offending(late, dates.astype("datetime64[D]").astype(str))
        raise fail(func, "start", rule, got, "Start earlier or shorten the term.")


def schedules(
    principal: ScalarOrVector,
    annual_rate: ScalarOrVector,
    term_months: IntegerOrVector,
    *,
    method: Method | npt.ArrayLike,
    start: DateLike | Dates,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Repayment schedules of many loans at once, in one long frame.

    Parameters
    ----------
    principal : array_like of float
        Principal of each loan, CNY, a whole number of fen, in ``[0, 1e8]``.
    annual_rate : float or array_like of float
        Nominal annual rate of each loan as a decimal, in ``[0, 3.65]``.
        For a daily rate use ``annual_rate(daily, basis=360)``.
    term_months : int or array_like of int
        Number of monthly instalments, 1 to 60.
    method : str or array_like of str
        ``"equal_installment"`` (等额本息), ``"equal_principal"`` (等额本金)
        or ``"interest_first"`` (先息后本), for all loans or one per loan.
    start : date or array_like of dates
        Drawdown date of each loan (or one date for all): ``Timestamp``,
        ``datetime``, ``date``, ``numpy.datetime64`` or an ISO 8601 string
        (a time of day is kept). Numbers are never dates; ``"today"`` and
        time-zone aware dates are refused; every due date must lie in the
        library's range, 1950-01-01 to 2100-12-31.
    date_format : str, optional
        ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO 8601
        (``"2025-01-31"``) when not given.

    Returns
    -------
    pandas.DataFrame
        One row per instalment, ordered by loan then ``seq``, with a
        ``RangeIndex`` and the columns ``loan`` (int64, 0-based position of
        the loan in the inputs), ``seq`` (int64, 1-based), ``due_on``
        (``datetime64[ns]``), ``payment``, ``principal``, ``interest`` and
        ``balance`` (float64 CNY; ``balance`` is what remains after the
        instalment).

    Raises
    ------
    InvalidInputError
        If an input is of the wrong type (a bool is not a number, ``12.0`` is
        not a term), out of range, not a whole number of fen, an unknown
        method, a missing, unreadable or time-zone-aware date, a date whose
        last due date leaves the date range, if the array lengths differ or
        Series arguments carry different indexes (loans are matched by
        position).

    See Also
    --------
    schedule : The same for one loan.
    payment, max_principal : Largest instalment and its inverse.

    Notes
    -----
    Monthly rate ``i = annual_rate / 12`` (so ``annual_rate = daily × 360``
    gives ``i = 30 × daily``). Balance ``b_0 = P``; for instalment ``k``:

    * interest ``I_k = ⌊b_{k−1}·i⌉`` (every amount is rounded to the fen,
      half up; see :func:`round_fen`);
    * equal instalment: payment ``A = ⌊P·i·(1+i)^n / ((1+i)^n − 1)⌉``
      (``P/n`` when ``i = 0``), principal ``A − I_k``;
    * equal principal: principal ``⌊P/n⌉``;
    * interest first: principal ``0``;
    * the last instalment's principal is the remaining balance (it absorbs
      the rounding residual), so the principal column sums exactly, in fen,
      to ``P``; payment = principal + interest.

    A regular principal is clipped to ``[0, b_{k−1}]``, which only binds for
    loans of a few fen. Due dates are ``start + k`` calendar months on the
    same day of month, clipped to the month's last day (``pandas.DateOffset``
    semantics: 2025-01-31 → 2025-02-28).

    The loop runs over instalment positions (at most 60), never over loans.

    References
    ----------
    .. [1] DOMAIN.md, "Pricing and repayment": formulas and test vector.

    Examples
    --------
    >>> from jiebei_credit.limits import schedules
    >>> s = schedules([1200, 1000], 0.12, [3, 2],
    ...               method=["equal_principal", "interest_first"],
    ...               start=["2025-01-31", "2025-03-15"])
    >>> s[["loan", "seq", "payment", "principal", "interest"]]
       loan  seq  payment  principal  interest
    0     0    1    412.0      400.0      12.0
    1     0    2    408.0      400.0       8.0
    2     0    3    404.0      400.0       4.0
    3     1    1     10.0        0.0      10.0
    4     1    2   1010.0     1000.0      10.0
    >>> s["due_on"].dt.strftime("%Y-%m-%d").tolist()[:3]
    ['2025-02-28', '2025-03-31', '2025-04-30']
    """
    matched("schedules", principal=principal, annual_rate=annual_rate, term_months=term_months,
            method=method, start=start)
    ln = loans(principal, annual_rate, term_months, method, func="schedules")
    dates, one = start_dates(start, func="schedules", date_format=date_format)
    if one:
        dates = np.repeat(dates, ln.p_fen.size)
    elif dates.size != ln.p_fen.size:
        raise fail("schedules", "start", "must be one date or one per loan",
                   f"{dates.size} dates for {ln.p_fen.size} loans", "Pass a date per loan.")
    check_last_due(ln, dates, func="schedules", one=False)
    return frame(ln, dates, with_loan=True)


def frame(ln: Loans, dates: npt.NDArray[np.datetime64], *, with_loan: bool) -> pd.DataFrame:
    rows = _engine.run(ln.p_fen, ln.i, ln.n, ln.code)
    month, dom, tod = month_parts(dates)
    due = np.empty(rows.seq.size, dtype="datetime64[ns]")
    ends = np.cumsum(ln.n)
    for s in range(0, ln.n.size, _engine.BLOCK):  # blocks of loans keep temporaries small
        e = min(s + _engine.BLOCK, ln.n.size)
        r0, r1 = int(ends[s] - ln.n[s]), int(ends[e - 1])
        n = ln.n[s:e]
        due[r0:r1] = add_months(np.repeat(month[s:e], n), np.repeat(dom[s:e], n),
                                np.repeat(tod[s:e], n), rows.seq[r0:r1])
    data: dict[str, Any] = {}
    if with_loan:
        data["loan"] = rows.loan
    data.update(seq=rows.seq, due_on=due)
    for name in ("payment", "principal", "interest", "balance"):
        fen_amounts = getattr(rows, name)  # fresh arrays of this call: convert in place
        data[name] = np.divide(fen_amounts, 100.0, out=fen_amounts)
    return pd.DataFrame(data, copy=False)


def schedule(
    principal: float,
    annual_rate: float,
    term_months: int,
    *,
    method: Method,
    start: DateLike,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Repayment schedule of one loan.

    Parameters
    ----------
    principal : float
        Principal, CNY, a whole number of fen, in ``[0, 1e8]``.
    annual_rate : float
        Nominal annual rate as a decimal, in ``[0, 3.65]``; monthly rate is
        ``annual_rate / 12``.
    term_months : int
        Number of monthly instalments, 1 to 60.
    method : {"equal_installment", "equal_principal", "interest_first"}
        等额本息, 等额本金 or 先息后本.
    start : date
        Drawdown date (naive), read as in :func:`schedules`.
    date_format : str, optional
        ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO 8601
        (``"2025-01-31"``) when not given.

    Returns
    -------
    pandas.DataFrame
        One row per instalment with columns ``seq``, ``due_on``, ``payment``,
        ``principal``, ``interest``, ``balance`` and a ``RangeIndex``.

    Raises
    ------
    InvalidInputError
        If an argument is not a single value, or is refused as in
        :func:`schedules`.

    See Also
    --------
    schedules : Many loans at once; this function is that one implementation
        applied to a single loan, so the rules in its Notes apply here.

    Notes
    -----
    DOMAIN test vector (P = 10 000, 0.04 %/day, i = 1.2 %, n = 12): equal
    instalment ``PMT = 899.75`` and total interest 797.05; equal principal
    total interest 780.00; interest first 1 440.00.

    Examples
    --------
    >>> from jiebei_credit.limits import annual_rate, schedule
    >>> s = schedule(10_000, annual_rate(0.0004), 12,
    ...              method="equal_installment", start="2025-01-15")
    >>> float(s.loc[0, "payment"]), round(float(s["interest"].sum()), 2)
    (899.75, 797.05)
    >>> round(float(s["principal"].sum()), 2)
    10000.0
    >>> s[["payment", "principal", "interest", "balance"]].iloc[-1].tolist()
    [899.8, 889.13, 10.67, 0.0]
    """
    for name, value in (("principal", principal), ("annual_rate", annual_rate),
                        ("term_months", term_months), ("method", method), ("start", start)):
        single(value, func="schedule", name=name, fix="Use schedules(...) for many loans.")
    ln = loans(principal, annual_rate, term_months, method, func="schedule")
    dates, _ = start_dates(start, func="schedule", date_format=date_format)
    check_last_due(ln, dates, func="schedule", one=True)
    return frame(ln, dates, with_loan=False)
