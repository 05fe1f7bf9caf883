"""Rate conversions: daily ↔ annual (simple) and nominal ↔ effective (compound)."""

from __future__ import annotations

from typing import Final, overload

import numpy as np

from jiebei_credit._types import ScalarOrVector
from jiebei_credit._validation import integer, real_array
from jiebei_credit.limits._checks import (
    MAX_DAILY_RATE,
    RATE_FIX,
    FloatArray,
    annual_rate_array,
    basis_value,
    scalar_or_array,
)

#: Most compounding periods a year accepted (a period of about half a minute).
MAX_PERIODS_PER_YEAR: Final = 1_000_000


@overload
def annual_rate(daily_rate: float, *, basis: int = 360) -> float: ...
@overload
def annual_rate(daily_rate: ScalarOrVector, *, basis: int = 360) -> float | FloatArray: ...
def annual_rate(daily_rate: ScalarOrVector, *, basis: int = 360) -> float | FloatArray:
    """Simple annual rate of a daily rate: ``daily_rate × basis``.

    Parameters
    ----------
    daily_rate : float or array_like
        Daily rate as a decimal (``0.0004`` is 0.04 % a day), in ``[0, 0.01]``.
    basis : {360, 365}, default 360
        Days per year of the contract's day count.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar input, an array of the same shape otherwise.

    Raises
    ------
    InvalidInputError
        If a rate is not a real number (booleans, complex numbers, strings
        and durations are not), is not finite or lies outside ``[0, 0.01]``,
        or ``basis`` is not the integer 360 or 365.

    See Also
    --------
    daily_rate : The inverse.
    effective_rate : Compound (effective) annual rate of a periodic rate.

    Notes
    -----
    ``annual = daily × basis`` is the simple (non-compounded) annualisation
    that lenders quote: 0.04 % a day is 14.4 % on a 360-day basis and 14.6 %
    on a 365-day basis. It is not the effective annual rate; see
    :func:`annualized_rate` for the rate on the principal actually outstanding.

    Examples
    --------
    >>> from jiebei_credit.limits import annual_rate
    >>> annual_rate(0.0004)
    0.144
    >>> annual_rate(0.0004, basis=365)
    0.146
    >>> annual_rate([0.0002, 0.0005])
    array([0.072, 0.18 ])
    """
    b = basis_value(basis, func="annual_rate")
    arr, scalar = real_array(daily_rate, func="annual_rate", name="daily_rate", low=0.0,
                             high=MAX_DAILY_RATE, fix=RATE_FIX)
    return scalar_or_array(_clean(arr * b), scalar)


@overload
def daily_rate(annual_rate: float, *, basis: int = 360) -> float: ...
@overload
def daily_rate(annual_rate: ScalarOrVector, *, basis: int = 360) -> float | FloatArray: ...
def daily_rate(annual_rate: ScalarOrVector, *, basis: int = 360) -> float | FloatArray:
    """Daily rate of a simple annual rate: ``annual_rate / basis``.

    Parameters
    ----------
    annual_rate : float or array_like
        Simple annual rate as a decimal, in ``[0, 3.65]``.
    basis : {360, 365}, default 360
        Days per year of the contract's day count.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar input, an array of the same shape otherwise.

    Raises
    ------
    InvalidInputError
        If a rate is not a real number, is not finite or lies outside
        ``[0, 3.65]``, or ``basis`` is not the integer 360 or 365.

    Notes
    -----
    ``daily = annual / basis``; ``daily_rate(annual_rate(d)) == d`` up to
    floating-point rounding.

    Examples
    --------
    >>> from jiebei_credit.limits import daily_rate
    >>> daily_rate(0.144)
    0.0004
    >>> daily_rate(0.146, basis=365)
    0.0004
    """
    b = basis_value(basis, func="daily_rate")
    arr, scalar = annual_rate_array(annual_rate, func="daily_rate")
    return scalar_or_array(_clean(arr / b), scalar)


@overload
def effective_rate(nominal_rate: float, *, periods_per_year: int = 12) -> float: ...
@overload
def effective_rate(
    nominal_rate: ScalarOrVector, *, periods_per_year: int = 12
) -> float | FloatArray: ...
def effective_rate(nominal_rate: ScalarOrVector, *, periods_per_year: int = 12) -> float | FloatArray:
    """Effective annual rate of a nominal rate compounded ``periods_per_year`` times.

    Parameters
    ----------
    nominal_rate : float or array_like
        Nominal annual rate (periodic rate × periods per year), in ``[0, 3.65]``.
    periods_per_year : int, default 12
        Compounding periods per year: 12 for monthly instalments, 360 or 365
        for daily interest.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar input, an array of the same shape otherwise.

    Raises
    ------
    InvalidInputError
        If a rate is not a real number or is out of range, or
        ``periods_per_year`` is not an integer in ``[1, 1 000 000]``.

    Notes
    -----
    ``effective = (1 + nominal / m)^m − 1`` with ``m = periods_per_year``.
    The DOMAIN test vector: 1.2 % a month is 14.4 % nominal and
    ``1.012^12 − 1 = 15.39 %`` effective.

    Examples
    --------
    >>> from jiebei_credit.limits import effective_rate
    >>> round(effective_rate(0.144), 6)
    0.153895
    """
    m = _periods(periods_per_year, func="effective_rate")
    arr, scalar = annual_rate_array(nominal_rate, func="effective_rate", name="nominal_rate")
    return scalar_or_array(np.expm1(m * np.log1p(arr / m)), scalar)


@overload
def nominal_rate(effective_rate: float, *, periods_per_year: int = 12) -> float: ...
@overload
def nominal_rate(
    effective_rate: ScalarOrVector, *, periods_per_year: int = 12
) -> float | FloatArray: ...
def nominal_rate(effective_rate: ScalarOrVector, *, periods_per_year: int = 12) -> float | FloatArray:
    """Nominal annual rate that compounds to a given effective annual rate.

    Parameters
    ----------
    effective_rate : float or array_like
        Effective annual rate as a decimal, ``>= 0``.
    periods_per_year : int, default 12
        Compounding periods per year.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar input, an array of the same shape otherwise.

    Raises
    ------
    InvalidInputError
        If a rate is not a real number, is negative or not finite, or
        ``periods_per_year`` is not an integer in ``[1, 1 000 000]``.

    Notes
    -----
    ``nominal = m · ((1 + effective)^(1/m) − 1)``, the inverse of
    :func:`effective_rate`.

    Examples
    --------
    >>> from jiebei_credit.limits import nominal_rate
    >>> round(nominal_rate(0.15389462), 6)
    0.144
    """
    m = _periods(periods_per_year, func="nominal_rate")
    arr, scalar = real_array(effective_rate, func="nominal_rate", name="effective_rate", low=0.0,
                             high=1e6, fix=RATE_FIX)
    return scalar_or_array(m * np.expm1(np.log1p(arr) / m), scalar)


def _periods(value: object, *, func: str) -> int:
    return integer(value, func=func, name="periods_per_year", low=1, high=MAX_PERIODS_PER_YEAR,
                   fix="Use 12 for monthly periods, 360 or 365 for daily ones.")


#: Significant digits kept by the rate conversions (float64 holds 15 reliably).
_SIGNIFICANT: Final = 15


def _clean(x: FloatArray) -> FloatArray:
    """Round to 15 significant digits: drops binary noise (0.0004 × 360 → 0.144).

    Rounds like ``np.round(x, d)`` with ``d`` set per element from its
    magnitude, so small rates keep their precision (a fixed number of
    decimals would not). Zeros, non-finite values and values too small to
    scale are returned unchanged.
    """
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        mag = np.floor(np.log10(np.abs(x)))
        scale = 10.0 ** np.where(np.isfinite(mag), _SIGNIFICANT - 1 - mag, 0.0)
        out = np.rint(x * scale) / scale
    return np.where(np.isfinite(out), out, x)
