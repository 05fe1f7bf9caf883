"""Annualised rate of a loan's cash flows (PBoC Announcement [2021] No. 3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from jiebei_credit._types import Dates, Vector
from jiebei_credit._validation import (
    choice,
    date_format_param,
    fail,
    float_vector,
    many,
    offending,
    same_index,
)
from jiebei_credit._validation import dates as read_dates
from jiebei_credit.limits._checks import MAX_AMOUNT, FloatArray, basis_value
from jiebei_credit.limits._money import add_months, month_parts

AnnualizedMethod = Literal["irr", "simple"]
Period = Literal["month", "day"]
Kind = Literal["nominal", "effective"]

_FUNC = "annualized_rate"
_GRID = 400


def annualized_rate(
    dates: Dates,
    amounts: Vector,
    *,
    method: AnnualizedMethod = "irr",
    basis: int = 360,
    period: Period = "month",
    kind: Kind = "nominal",
    date_format: str | None = None,
) -> float:
    """Annualised rate on the principal actually outstanding, from a loan's cash flows.

    Parameters
    ----------
    dates : array_like of dates
        Date of each cash flow (any order): ``Timestamp``, ``datetime``,
        ``date``, ``numpy.datetime64`` or ISO 8601 strings, without a time of
        day. Numbers are never dates; no flow may precede the drawdown.
    amounts : array_like of float
        Cash flows seen from the borrower's costs: money the borrower
        **receives** is negative (the drawdown, net of any fee deducted up
        front), money the borrower **pays** is positive (instalments,
        interest, fees, penalty interest). Flows on the same date may be
        given separately or summed. Each in ``[-1e8, 1e8]``.
    method : {"irr", "simple"}, default "irr"
        ``"irr"``: compound rate, the internal rate of return.
        ``"simple"``: simple interest on the outstanding principal; must be
        labelled "simple" when disclosed.
    basis : {360, 365}, default 360
        Days per year: used for the days left over after whole months
        (``period="month"``), for the length of a period (``period="day"``)
        and for the simple method's year fractions.
    period : {"month", "day"}, default "month"
        Compounding period of the IRR and unit of time. ``"month"``: time is
        counted in calendar months from the first flow (the schedule's
        due-date rule, so instalments fall on whole periods) plus leftover
        days ``/ (basis / 12)``; 12 periods a year. ``"day"``: time is
        counted in days; ``basis`` periods a year.
    kind : {"nominal", "effective"}, default "nominal"
        ``"nominal"``: periodic rate × periods per year (the number the
        disclosure rule shows). ``"effective"``: ``(1 + periodic)^periods − 1``.
        Only ``"nominal"`` exists for the simple method.
    date_format : str, optional
        ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO 8601
        (``"2025-01-31"``) when not given.

    Returns
    -------
    float
        The annual rate as a decimal.

    Raises
    ------
    InvalidInputError
        If the lengths differ, fewer than two flows are given, an amount is
        not a finite real number in ``[-1e8, 1e8]``, a date is missing,
        unreadable, has a time of day or precedes the drawdown (the earliest
        negative amount), every flow falls on one day, the flows are all of
        one sign (no rate balances them), several rates balance them (the IRR
        is ambiguous), or an option is unknown.

    See Also
    --------
    schedules : Build the instalments whose rate this recovers.
    check_pricing : Compare the rate with a legal ceiling.

    Notes
    -----
    IRR: with ``t_k`` the time of flow ``k`` in periods from the drawdown,
    solve ``0 = Σ_k CF_k · (1 + r)^(−t_k)`` for the periodic rate ``r`` by
    bisection to full double precision (no third-party solver is imported,
    so a first call changes no process-wide state)
    after locating sign changes on a grid of 400 rates between about −99 %
    and +1 000 % a period. The nominal annual rate is ``r · m`` and the
    effective annual rate ``(1 + r)^m − 1`` with ``m`` periods per year.

    Simple: interest accrues as ``principal · R · Δτ`` (``Δτ`` in years)
    between flows, is not compounded, and each payment settles accrued
    interest first and principal second (the "US rule"). ``R`` is the rate
    at which the flows leave nothing owed. For loans whose payments always
    cover the accrued interest and fall on whole months, this equals the
    nominal IRR with ``period="month"``.

    The announcement asks for the rate on all borrower costs (interest and
    directly related fees) relative to the principal actually outstanding,
    by IRR or by simple interest labelled as such. Total interest divided by
    the principal is not an annual rate.

    References
    ----------
    .. [1] People's Bank of China Announcement [2021] No. 3 on the disclosure
       of annualised loan rates (中国人民银行公告〔2021〕第3号).

    Examples
    --------
    The DOMAIN test vector: 10 000 for 12 months at 0.04 % a day, equal
    instalments.

    >>> from jiebei_credit.limits import annual_rate, annualized_rate, schedule
    >>> s = schedule(10_000, annual_rate(0.0004), 12,
    ...              method="equal_installment", start="2025-01-15")
    >>> dates = ["2025-01-15", *s["due_on"]]
    >>> amounts = [-10_000.0, *s["payment"]]
    >>> round(annualized_rate(dates, amounts), 4)
    0.144
    >>> round(annualized_rate(dates, amounts, kind="effective"), 4)
    0.1539
    >>> round(annualized_rate(dates, amounts, method="simple"), 4)
    0.144

    A 200 fee deducted from the drawdown raises the rate:

    >>> round(annualized_rate(dates, [-9_800.0, *s["payment"]]), 4)
    0.1828
    """
    method = choice(method, ("irr", "simple"), func=_FUNC, name="method")
    period = choice(period, ("month", "day"), func=_FUNC, name="period")
    kind = choice(kind, ("nominal", "effective"), func=_FUNC, name="kind")
    b = basis_value(basis, func=_FUNC)
    if method == "simple" and kind == "effective":
        raise fail(_FUNC, "kind", "must be 'nominal' for method='simple' (simple interest does not "
                   "compound)", "'effective'", "Use kind='nominal', or method='irr'.")
    fmt = date_format_param(date_format, func=_FUNC)
    t, cf = _flows(dates, amounts, period=period, basis=b, date_format=fmt)
    per_year = 12 if period == "month" else b
    if method == "simple":
        return _simple(t / per_year, cf)
    r = _irr(t, cf)
    if kind == "nominal":
        return float(r * per_year)
    return float(np.expm1(per_year * np.log1p(r)))


def _flows(
    dates: Any, amounts: Vector, *, period: Period, basis: int, date_format: str | None
) -> tuple[FloatArray, FloatArray]:
    """Times (periods from the drawdown, sorted) and amounts."""
    for name, value in (("dates", dates), ("amounts", amounts)):
        if not many(value):
            raise fail(_FUNC, name, "must be a list, array or Series with one value per cash flow",
                       repr(value)[:60], "Pass the drawdown and every repayment.")
    same_index({"dates": dates, "amounts": amounts}, func=_FUNC)
    d = read_dates(dates, func=_FUNC, name="dates", date_format=date_format, whole_days=True)
    a, _ = float_vector(amounts, func=_FUNC, name="amounts", low=-MAX_AMOUNT, high=MAX_AMOUNT,
                        allow_empty=True, fix="Amounts are CNY: the drawdown negative, payments positive.")
    if d.size != a.size:
        raise fail(_FUNC, "amounts", "must have one value per date", f"{d.size} dates and {a.size} amounts",
                   "Pass one date per cash flow.")
    if a.size < 2:
        raise fail(_FUNC, "amounts", "must hold at least two cash flows (a drawdown and a repayment)",
                   f"{a.size}", "Pass the drawdown and every repayment.")
    if not (a < 0).any() or not (a > 0).any():
        sign = "positive or zero" if not (a < 0).any() else "negative or zero"
        raise fail(_FUNC, "amounts", "must hold a drawdown (negative) and a repayment (positive), so "
                   "that a rate can balance them", f"every amount {sign}",
                   "Money the borrower receives (the drawdown) is negative, money the borrower pays "
                   "is positive.")
    drawn = d[a < 0].min()
    early = d < drawn
    if early.any():
        raise fail(_FUNC, "dates", "must not precede the drawdown (the earliest negative amount, on "
                   f"{str(drawn)[:10]})", offending(early, d.astype("datetime64[D]").astype(str)),
                   "A repayment or fee before the money is lent has no rate; check the dates and signs.")
    if (d == drawn).all():
        raise fail(_FUNC, "dates", "must span at least one day (a rate needs time between the "
                   "drawdown and a repayment)", f"every flow on {str(drawn)[:10]}")
    order = np.argsort(d, kind="stable")
    d, a = d[order], a[order]
    days = (d - d[0]).astype("timedelta64[D]").astype(np.float64)
    if period == "day":
        return days, a
    month, dom, tod = (x.repeat(a.size) for x in month_parts(d[:1]))
    approx = (d.astype("datetime64[M]").astype(np.int64) - month).clip(min=0)
    whole = approx - (add_months(month, dom, tod, approx) > d)
    anchor = add_months(month, dom, tod, whole)
    left = (d - anchor).astype("timedelta64[D]").astype(np.float64)
    return whole + left / (basis / 12.0), a


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """The root of ``f`` in ``[lo, hi]``, where ``f`` changes sign, by bisection.

    Halves the bracket until its ends are adjacent floats (full double
    precision; at most 200 halvings).
    """
    f_lo = f(lo)
    if f_lo == 0.0:
        return lo
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            return mid
        f_mid = f(mid)
        if f_mid == 0.0:
            return mid
        if (f_mid < 0.0) == (f_lo < 0.0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _irr(t: FloatArray, cf: FloatArray) -> float:
    span = max(float(t.max()), 1.0)
    # log(1 + r) on a grid, kept where (1 + r)^(±t) stays finite.
    lo, hi = max(np.log(0.01), -600.0 / span), min(np.log(11.0), 600.0 / span)
    g = np.linspace(lo, hi, _GRID)
    npv = (cf[None, :] * np.exp(-g[:, None] * t[None, :])).sum(axis=1)
    sign = np.sign(npv)
    exact = np.flatnonzero(sign == 0)
    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)

    def f(x: float) -> float:
        return float((cf * np.exp(-x * t)).sum())

    roots = [float(g[k]) for k in exact]
    roots += [_bisect(f, float(g[k]), float(g[k + 1])) for k in change]
    if not roots:
        raise fail(_FUNC, "amounts", f"must be balanced by a periodic rate between {np.expm1(lo):.0%} "
                   f"and {np.expm1(hi):.0%}", "flows that no periodic rate between them balances",
                   "Check the signs (drawdown negative, payments positive) and that the payments "
                   "are of the size of the principal.")
    if len(roots) > 1:
        shown = ", ".join(f"{np.expm1(x):.6g}" for x in roots[:5])
        raise fail(_FUNC, "amounts", "must be balanced by one periodic rate (the cash flows change "
                   "sign more than once and the IRR is ambiguous)",
                   f"{len(roots)} periodic rates balance them ({shown})",
                   "Net the flows of each date, or use method='simple'.")
    return float(np.expm1(roots[0]))


def _simple(tau: FloatArray, cf: FloatArray) -> float:
    def owed(rate: float) -> float:
        principal = interest = 0.0
        prev = tau[0]
        for when, amount in zip(tau.tolist(), cf.tolist(), strict=True):
            interest += principal * rate * (when - prev)
            prev = when
            if amount < 0:
                principal -= amount
            else:
                paid = min(amount, interest)
                interest -= paid
                principal -= amount - paid
        return principal + interest

    lo, hi = -0.99, 100.0
    f_lo, f_hi = owed(lo), owed(hi)
    if f_lo * f_hi > 0:
        raise fail(_FUNC, "amounts", f"must leave nothing owed after the last flow at a simple "
                   f"annual rate between {lo:.0%} and {hi:.0%}", "flows that no such rate settles",
                   "Check the signs (drawdown negative, payments positive).")
    if f_lo == 0:
        return lo
    return _bisect(owed, lo, hi)
