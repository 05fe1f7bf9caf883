"""The limits subpackage's ranges, bound to the library's one set of rules.

Every check goes through :mod:`jiebei_credit._validation`, so a rate, an
amount, a term, a method or a date is refused here exactly as anywhere else,
with the one message format. This module only declares what is specific to
limits (the ranges below) and the return convention of its functions.
"""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from jiebei_credit._validation import (
    MAX_AMOUNT,
    FloatArray,
    IntArray,
    choice_codes,
    date,
    date_format_param,
    dates,
    fail,
    integer,
    integer_array,
    many,
    real_array,
    same_index,
)

__all__ = [
    "BASES",
    "MAX_AMOUNT",
    "MAX_ANNUAL_RATE",
    "MAX_DAILY_RATE",
    "MAX_TERM_MONTHS",
    "METHODS",
    "RATE_FIX",
    "FloatArray",
    "IntArray",
    "Method",
    "amount_array",
    "annual_rate_array",
    "basis_value",
    "broadcast",
    "matched",
    "method_codes",
    "scalar_or_array",
    "start_dates",
    "term_array",
]

Method = Literal["equal_installment", "equal_principal", "interest_first"]
METHODS: Final[tuple[str, ...]] = get_args(Method)

#: Largest annual rate accepted anywhere (a daily 1 % on a 365-day basis,
#: the ceiling of the ``daily_rate`` column of the records tables).
MAX_ANNUAL_RATE: Final = 3.65
#: Largest daily rate accepted.
MAX_DAILY_RATE: Final = 0.01
#: Longest term accepted, in months.
MAX_TERM_MONTHS: Final = 60
#: Day-count bases accepted.
BASES: Final = (360, 365)

RATE_FIX: Final = "Rates are decimals: 0.144 is 14.4 % a year, 0.0004 is 0.04 % a day."
TERM_FIX: Final = "Pass the number of monthly instalments as an integer, e.g. 3, 6 or 12."


def annual_rate_array(value: object, *, func: str, name: str = "annual_rate") -> tuple[FloatArray, bool]:
    """Nominal annual rates in ``[0, MAX_ANNUAL_RATE]`` and whether ``value`` was a scalar."""
    return real_array(value, func=func, name=name, low=0.0, high=MAX_ANNUAL_RATE, fix=RATE_FIX)


def amount_array(
    value: object, *, func: str, name: str, positive: bool = False
) -> tuple[FloatArray, bool]:
    """Amounts in CNY within ``[0, MAX_AMOUNT]`` (``(0, MAX_AMOUNT]`` if ``positive``)."""
    return real_array(value, func=func, name=name, low=0.0, high=MAX_AMOUNT, low_open=positive,
                      fix="Amounts are CNY (yuan) as numbers.")


def term_array(value: object, *, func: str, name: str = "term_months") -> tuple[IntArray, bool]:
    """Terms as integers in ``[1, MAX_TERM_MONTHS]`` (``12.0`` and ``True`` are refused)."""
    return integer_array(value, func=func, name=name, low=1, high=MAX_TERM_MONTHS, fix=TERM_FIX)


def basis_value(basis: object, *, func: str) -> int:
    """The day-count basis: the integer 360 or 365."""
    fix = "Use the day-count basis of the contract."
    b = integer(basis, func=func, name="basis", fix=fix)
    if b not in BASES:
        raise fail(func, "basis", "must be 360 or 365 (days per year)", repr(b), fix)
    return b


def method_codes(method: object, *, func: str) -> tuple[IntArray, bool]:
    """Codes 0, 1, 2 (order of ``METHODS``) of one method name or of an array of names."""
    return choice_codes(method, METHODS, func=func, name="method",
                        fix="Spell the repayment method as in the records tables.")


def broadcast(func: str, **arrays: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """Broadcast 1-D arrays of one length and scalars together, naming the culprit on failure."""
    sizes = {k: v.size for k, v in arrays.items() if v.ndim == 1}
    if len(set(sizes.values())) > 1:
        first = next(iter(sizes))
        key = next(k for k, n in sizes.items() if n != sizes[first])
        shown = ", ".join(f"{k} {n}" for k, n in sizes.items())
        raise fail(func, key, f"must have the same length as {first}, or be a single value",
                   f"lengths {shown}", "Pass one value per loan, or a single value for all.")
    return [np.ascontiguousarray(a) for a in np.broadcast_arrays(*arrays.values())]


def start_dates(
    value: object, *, func: str, name: str = "start", date_format: str | None = None
) -> tuple[npt.NDArray[np.datetime64], bool]:
    """Drawdown dates as ``datetime64[ns]`` (a time of day is kept), and whether one was given."""
    fmt = date_format_param(date_format, func=func)
    if many(value):
        return dates(value, func=func, name=name, date_format=fmt), False
    one = date(value, func=func, name=name, date_format=fmt, whole_day=False)
    return np.array([one.to_datetime64()], dtype="datetime64[ns]"), True


def scalar_or_array(result: FloatArray, scalar: bool) -> float | FloatArray:
    """The return convention: a Python float for all-scalar input, else an ndarray."""
    if scalar:
        return float(result.reshape(-1)[0])
    return result


def matched(func: str, **values: object) -> None:
    """Refuse Series arguments whose indexes differ (loans are matched by position)."""
    same_index(values, func=func)
