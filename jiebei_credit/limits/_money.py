"""Fen rounding and calendar-month arithmetic, the two primitives of schedules."""

from __future__ import annotations

from typing import Final, overload

import numpy as np
import numpy.typing as npt

from jiebei_credit._types import ScalarOrVector
from jiebei_credit._validation import real_array
from jiebei_credit.limits._checks import MAX_AMOUNT, FloatArray, IntArray, scalar_or_array

#: Tolerance, in fen, for binary representation error at a half fen: a value
#: within ``1e-5`` fen below ``k + 0.5`` is treated as the tie and rounded up.
#: Exact for amounts up to 10**8 CNY (float64 spacing there is 2e-6 fen).
TIE_TOLERANCE_FEN: Final = 1e-5
_HALF: Final = 0.5 + TIE_TOLERANCE_FEN


def half_up(x_fen: FloatArray) -> FloatArray:
    """Round amounts given in fen to whole fen, half up (ties toward +inf)."""
    return np.floor(x_fen + _HALF)


def fen(x_yuan: FloatArray) -> FloatArray:
    """Whole fen of yuan amounts that are already whole fen."""
    return np.round(x_yuan * 100.0)


@overload
def round_fen(amount: float) -> float: ...
@overload
def round_fen(amount: ScalarOrVector) -> float | FloatArray: ...
def round_fen(amount: ScalarOrVector) -> float | FloatArray:
    """Round CNY amounts to the fen (0.01), half up.

    Parameters
    ----------
    amount : float or array_like
        Amounts in CNY (yuan), in ``[-1e8, 1e8]``.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar, an array of the input's shape otherwise.

    Raises
    ------
    InvalidInputError
        If an amount is not a real number (booleans, complex numbers,
        strings and durations are not), is missing or infinite, or lies
        outside ``[-1e8, 1e8]``.

    Notes
    -----
    ``round_fen(x) = floor(100·x + 0.5 + 1e-5) / 100``. The ``1e-5`` fen
    tolerance absorbs binary representation error, so that ``1.005`` (stored
    as ``1.00499999999999989…``) rounds to ``1.01`` as a cashier would round
    it; Python's ``round`` gives ``1.0``. Ties go toward ``+inf``; schedule
    amounts are never negative.

    The tolerance is exact only while float64 resolves a hundred-thousandth
    of a fen, that is for amounts up to 10**8 CNY (the library's money range):
    larger amounts are refused rather than rounded wrongly (``1e308`` would
    overflow to ``inf``).

    Examples
    --------
    >>> from jiebei_credit.limits import round_fen
    >>> round_fen(1.005), round_fen(2.675), round_fen(899.7543)
    (1.01, 2.68, 899.75)
    >>> round_fen([0.125, 0.124])
    array([0.13, 0.12])
    """
    arr, scalar = real_array(amount, func="round_fen", name="amount", low=-MAX_AMOUNT, high=MAX_AMOUNT,
                             fix="Amounts are CNY (yuan); the fen tolerance holds up to 1e8.")
    return scalar_or_array(half_up(arr * 100.0) / 100.0, scalar)


_NS_PER_DAY: Final = 86_400 * 10**9


def month_parts(start: npt.NDArray[np.datetime64]) -> tuple[IntArray, IntArray, IntArray]:
    """Split dates into (months since 1970-01, 0-based day of month, ns since midnight)."""
    day = start.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    dom = (day - month.astype("datetime64[D]")).astype(np.int64)
    tod = (start.astype("datetime64[ns]") - day.astype("datetime64[ns]")).astype(np.int64)
    return month.astype(np.int64), dom, tod


def add_months(
    month: IntArray, dom: IntArray, tod: IntArray, k: IntArray
) -> npt.NDArray[np.datetime64]:
    """Add ``k`` calendar months, keeping the day of month clipped to month end.

    ``month``, ``dom`` and ``tod`` come from :func:`month_parts`. Same result
    as ``pandas.DateOffset(months=k)``: 2025-01-31 + 1 month is 2025-02-28,
    and the time of day is kept. Month starts and lengths are read from a
    small table covering the months involved, so the work per date is
    integer arithmetic.
    """
    target = month + k
    if target.size == 0:
        return np.empty(0, dtype="datetime64[ns]")
    lo, hi = int(target.min()), int(target.max())
    months = np.arange(lo, hi + 2, dtype=np.int64).astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    pos = target - lo
    start = first[pos]
    length = first[pos + 1] - start
    days = start + np.minimum(dom, length - 1)
    ns = days * _NS_PER_DAY + tod
    out: npt.NDArray[np.datetime64] = ns.view("datetime64[ns]")
    return out
