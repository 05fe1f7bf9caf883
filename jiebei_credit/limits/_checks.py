"""Argument checks shared by the limits modules.

Each rule (allowed range, allowed values) is declared once here and used both
to check and to write the error message, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError

Method = Literal["equal_installment", "equal_principal", "interest_first"]
METHODS: Final[tuple[str, ...]] = get_args(Method)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest annual rate accepted anywhere (a daily 1 % on a 365-day basis,
#: the ceiling of the ``daily_rate`` column of the records tables).
MAX_ANNUAL_RATE: Final = 3.65
#: Largest daily rate accepted.
MAX_DAILY_RATE: Final = 0.01
#: Largest amount (principal, payment, income, cap) accepted, CNY.
MAX_AMOUNT: Final = 1e8
#: Longest term accepted, in months.
MAX_TERM_MONTHS: Final = 60
#: Day-count bases accepted.
BASES: Final = (360, 365)

_SHOW = 5


def show_values(values: Sequence[Any] | npt.NDArray[Any], total: int) -> str:
    """Return ``"a, b, c (N values)"`` for the first few offending values."""
    shown = ", ".join(repr(_plain(v)) for v in list(values)[:_SHOW])
    more = ", ..." if total > _SHOW else ""
    noun = "value" if total == 1 else "values"
    return f"{shown}{more} ({total} {noun})"


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def fail(func: str, name: str, rule: str, got: str, fix: str) -> InvalidInputError:
    """Build the standard message: caller, parameter, rule, values, fix."""
    return InvalidInputError(f"{func}: {name} {rule}; got {got}. {fix}")


def as_float_array(value: object, *, func: str, name: str) -> FloatArray:
    """Convert ``value`` to a float64 array, rejecting non-numbers and NaN/inf."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{func}: {name} must be a number or an array of numbers; got {value!r:.80}. "
            "Pass floats (CNY amounts, decimal rates)."
        ) from exc
    bad = ~np.isfinite(arr)
    if bad.any():
        raise fail(
            func, name, "must be finite", _at_positions(arr, bad),
            "Replace missing or infinite values before calling.",
        )
    return arr


def _at_positions(arr: npt.NDArray[Any], mask: npt.NDArray[np.bool_]) -> str:
    flat = np.asarray(arr).reshape(-1)
    pos = np.flatnonzero(np.asarray(mask).reshape(-1))
    if flat.size == 1:
        return show_values(flat[pos], pos.size)
    shown = ", ".join(repr(_plain(v)) for v in flat[pos[:_SHOW]])
    where = ", ".join(map(str, pos[:_SHOW].tolist()))
    more = ", ..." if pos.size > _SHOW else ""
    plural = "s" if pos.size > 1 else ""
    return f"{shown}{more} at position{plural} {where}{more} ({pos.size} value{plural})"


def check_range(
    arr: FloatArray,
    *,
    func: str,
    name: str,
    lo: float,
    hi: float,
    lo_open: bool = False,
    fix: str,
) -> None:
    """Raise unless every value lies in ``[lo, hi]`` (``(lo, hi]`` if ``lo_open``)."""
    bad = (arr <= lo) if lo_open else (arr < lo)
    bad |= arr > hi
    if bad.any():
        left = "(" if lo_open else "["
        raise fail(func, name, f"must lie in {left}{lo:g}, {hi:g}]", _at_positions(arr, bad), fix)


RATE_FIX: Final = "Rates are decimals: 0.144 is 14.4 % a year, 0.0004 is 0.04 % a day."


def annual_rate_array(value: object, *, func: str, name: str = "annual_rate") -> FloatArray:
    arr = as_float_array(value, func=func, name=name)
    check_range(arr, func=func, name=name, lo=0.0, hi=MAX_ANNUAL_RATE, fix=RATE_FIX)
    return arr


def amount_array(
    value: object, *, func: str, name: str, positive: bool = False
) -> FloatArray:
    arr = as_float_array(value, func=func, name=name)
    check_range(
        arr, func=func, name=name, lo=0.0, hi=MAX_AMOUNT, lo_open=positive,
        fix="Amounts are CNY (yuan) as floats.",
    )
    return arr


def term_array(value: object, *, func: str, name: str = "term_months") -> IntArray:
    arr = as_float_array(value, func=func, name=name)
    bad = (arr != np.round(arr)) | (arr < 1) | (arr > MAX_TERM_MONTHS)
    if bad.any():
        raise fail(
            func, name, f"must be a whole number of months in [1, {MAX_TERM_MONTHS}]",
            _at_positions(arr, bad), "Pass the number of monthly instalments, e.g. 3, 6 or 12.",
        )
    return arr.astype(np.int64)


def basis_value(basis: object, *, func: str) -> int:
    if isinstance(basis, bool) or basis not in BASES:
        raise fail(
            func, "basis", "must be 360 or 365 (days per year)", repr(basis),
            "Use the day-count basis of the contract.",
        )
    return int(basis)


def method_codes(method: object, *, func: str) -> IntArray:
    """Map a method name or an array of names to codes 0, 1, 2 (order of METHODS).

    Categoricals are mapped through their categories and numpy string arrays
    by comparison, so a million names never become a million Python objects.
    """
    known = pd.Index(list(METHODS))
    if isinstance(method, pd.Series | pd.Index | pd.Categorical) and isinstance(
        method.dtype, pd.CategoricalDtype
    ):
        cat = pd.Categorical(method)
        lookup = np.append(known.get_indexer(cat.categories), -1)
        codes = lookup[cat.codes]  # code -1 (missing) reads the appended -1
        shape: tuple[int, ...] = (len(cat),)
    else:
        arr = np.asarray(method)
        shape, flat = arr.shape, arr.reshape(-1)
        if flat.dtype.kind == "U":
            codes = np.full(flat.size, -1, dtype=np.int64)
            for k, name in enumerate(METHODS):
                codes[flat == name] = k
        else:
            codes = known.get_indexer(pd.Index(flat.astype(object), dtype=object))
    bad = codes < 0
    if bad.any():
        values = np.asarray(method, dtype=object).reshape(-1)
        raise fail(
            func, "method", f"must be one of {', '.join(map(repr, METHODS))}",
            _at_positions(values, bad), "Spell the repayment method as in the records tables.",
        )
    out: IntArray = np.asarray(codes, dtype=np.int64).reshape(shape)
    return out


def choice(value: object, allowed: Sequence[Hashable], *, func: str, name: str) -> None:
    if isinstance(value, Hashable) and value in allowed:
        return
    raise fail(
        func, name, f"must be one of {', '.join(map(repr, allowed))}", repr(value),
        "Check the spelling.",
    )


def broadcast(func: str, **arrays: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """Broadcast same-length arrays (or scalars) together, naming the culprit on failure."""
    try:
        out = np.broadcast_arrays(*arrays.values())
    except ValueError as exc:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise InvalidInputError(
            f"{func}: array arguments must have the same length or be scalars; got shapes "
            f"{shapes}. Pass one value per loan, or a single value for all."
        ) from exc
    return [np.ascontiguousarray(a) for a in out]


def as_dates(value: object, *, func: str, name: str) -> npt.NDArray[np.datetime64]:
    """Convert a date or an array of dates to naive ``datetime64[ns]``."""
    try:
        if np.ndim(value) == 0:  # type: ignore[arg-type]
            idx = pd.DatetimeIndex([pd.Timestamp(value)])  # type: ignore[arg-type]
        else:
            idx = pd.DatetimeIndex(pd.to_datetime(np.asarray(value).reshape(-1)))
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInputError(
            f"{func}: {name} must be dates (str, datetime, numpy or pandas dates); "
            f"got {value!r:.80}. Pass ISO dates such as '2025-01-31'."
        ) from exc
    if idx.tz is not None:
        raise fail(
            func, name, "must be naive dates (no time zone)", f"time zone {idx.tz}",
            "Convert with .tz_localize(None); dates are read as China business dates.",
        )
    nat = np.asarray(idx.isna())
    if nat.any():
        raise fail(func, name, "must not be missing", _at_positions(np.asarray(idx), nat),
                   "Drop or fill the missing dates.")
    out = idx.to_numpy().astype("datetime64[ns]")
    return out.reshape(()) if np.ndim(value) == 0 else out  # type: ignore[arg-type]


def scalar_or_array(result: FloatArray, scalar: bool) -> float | FloatArray:
    """The return convention: a Python float for all-scalar input, else an ndarray."""
    if scalar:
        return float(result.reshape(-1)[0])
    return result
