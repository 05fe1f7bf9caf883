"""The oracle, driver and hostile strategies of the hostile-input suites.

The oracle states the library's documented input rules (those of
``jiebei_credit._validation``) independently, so a test can tell whether an
argument must be accepted or refused. The driver calls a public function and
checks the invariants every call must keep: no input mutated,
``warnings.filters`` unchanged, and any exception a ``JiebeiCreditError``
naming the function and the argument. Used by ``tests/limits/test_hostile.py``
and ``tests/synthetic/test_hostile.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import numbers
import warnings
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from jiebei_credit.errors import JiebeiCreditError

METHODS = ("equal_installment", "equal_principal", "interest_first")
MAX_AMOUNT = 1e8
DATE_MIN, DATE_MAX = pd.Timestamp("1950-01-01"), pd.Timestamp("2100-12-31")

# ------------------------------------------------------------ the oracle ---


class Refused(Exception):
    """The oracle's verdict: the library must refuse this input."""


def _unwrap(v: Any) -> Any:
    return v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v


def real_ok(v: Any, low: float | None = None, high: float | None = None, low_open: bool = False) -> float:
    """The documented rule for a real parameter; ``Refused`` when it is broken."""
    v = _unwrap(v)
    if isinstance(v, bool | np.bool_ | np.timedelta64) or not isinstance(v, numbers.Real):
        raise Refused
    try:
        f = float(v)
    except OverflowError:
        raise Refused from None
    if not math.isfinite(f) or (low is not None and (f <= low if low_open else f < low)):
        raise Refused
    if high is not None and f > high:
        raise Refused
    return f


def int_ok(v: Any, low: int, high: int) -> int:
    """The documented rule for an integer parameter: ints and numpy ints only (``12.0`` is refused)."""
    v = _unwrap(v)
    if isinstance(v, bool | np.bool_ | np.timedelta64) or not isinstance(v, int | np.integer):
        raise Refused
    if not low <= int(v) <= high:
        raise Refused
    return int(v)


def _many(v: Any) -> bool:
    return isinstance(v, list | tuple | pd.Series | pd.Index | pd.DataFrame | Mapping | set | frozenset) or (
        isinstance(v, np.ndarray) and v.ndim > 0)


def reals_ok(v: Any, low: float | None = None, high: float | None = None, low_open: bool = False,
             *, one_d: bool = False) -> tuple[np.ndarray, bool]:
    """The rule for a scalar-or-array of reals: float64 values (shape kept) and whether it was a scalar."""
    if not _many(v):
        return np.asarray(real_ok(v, low, high, low_open)), True
    if isinstance(v, pd.DataFrame | Mapping | set | frozenset):
        raise Refused
    if isinstance(v, pd.Series | pd.Index):
        dtype = v.dtype
        if (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype)
                or isinstance(dtype, pd.CategoricalDtype) or dtype.kind in "mM"
                or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype)):
            raise Refused
        if pd.api.types.is_numeric_dtype(dtype):
            values = v.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.array([real_ok(x) for x in v.to_numpy(dtype=object)])
        shape: tuple[int, ...] = values.shape
    else:
        arr = np.asarray(v, dtype=object)
        shape = arr.shape
        if one_d and arr.ndim != 1:
            raise Refused
        if isinstance(v, np.ndarray) and v.dtype.kind in "bcmMUSV":
            raise Refused
        values = np.array([real_ok(x) for x in arr.reshape(-1)], dtype=np.float64).reshape(shape)
    flat = values.reshape(-1)
    if (~np.isfinite(flat)).any():
        raise Refused
    for x in flat:
        real_ok(float(x), low, high, low_open)
    return values.reshape(shape), False


def ints_ok(v: Any, low: int, high: int) -> tuple[np.ndarray, bool]:
    """The rule for a scalar-or-1-D array of integers."""
    if not _many(v):
        return np.asarray(int_ok(v, low, high)), True
    if isinstance(v, pd.DataFrame | Mapping | set | frozenset):
        raise Refused
    if isinstance(v, pd.Series | pd.Index):
        integers = pd.api.types.is_integer_dtype(v.dtype) and not v.isna().any()
        if not integers and not pd.api.types.is_object_dtype(v.dtype):
            raise Refused
        items = list(v.to_numpy(dtype=object))
    else:
        arr = np.asarray(v, dtype=object)
        if arr.ndim != 1:
            raise Refused
        if isinstance(v, np.ndarray) and v.dtype.kind not in "iuO":
            raise Refused
        items = list(arr)
    if not items:
        return np.zeros(0, dtype=np.int64), False
    return np.array([int_ok(x, low, high) for x in items], dtype=np.int64), False


def methods_ok(v: Any) -> tuple[list[str], bool]:
    if not _many(v) and not isinstance(v, pd.Categorical):
        v = _unwrap(v)
        if isinstance(v, str) and v in METHODS:
            return [str(v)], True
        raise Refused
    if isinstance(v, pd.DataFrame | Mapping | set | frozenset):
        raise Refused
    items = list(np.asarray(v, dtype=object).reshape(-1)) if not isinstance(v, pd.Series) else list(
        v.astype(object))
    if isinstance(v, np.ndarray) and v.ndim != 1:
        raise Refused
    if any(not (isinstance(x, str) and x in METHODS) for x in items):
        raise Refused
    return [str(x) for x in items], False


def date_ok(v: Any, *, time_ok: bool) -> pd.Timestamp:
    """The documented rule for one date."""
    v = _unwrap(v)
    if isinstance(v, bool | np.bool_ | numbers.Number | bytes) or v is None:
        raise Refused
    if isinstance(v, str):
        if v.strip().lower() in {"now", "today", "yesterday", "tomorrow"}:
            raise Refused
        try:
            ts = pd.to_datetime(v, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            raise Refused from None
    elif isinstance(v, pd.Timestamp | dt.date | np.datetime64):
        if pd.isna(v) or getattr(v, "tzinfo", None) is not None:
            raise Refused
        if isinstance(v, np.datetime64):
            day = v.astype("datetime64[D]")
            if not np.datetime64("1950-01-01") <= day <= np.datetime64("2100-12-31"):
                raise Refused
        elif not dt.date(1950, 1, 1) <= (v.date() if isinstance(v, dt.datetime) else v) <= dt.date(
                2100, 12, 31):
            raise Refused
        ts = pd.Timestamp(v)
    else:
        raise Refused
    if ts.tzinfo is not None or not DATE_MIN <= ts <= DATE_MAX + pd.Timedelta(days=1) - pd.Timedelta(1):
        raise Refused
    if not time_ok and ts != ts.normalize():
        raise Refused
    return ts


# -------------------------------------------------------------- the driver ---


def _snapshot(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return value.copy(deep=True)
    if isinstance(value, np.ndarray):
        return value.copy()
    try:
        return copy.deepcopy(value)
    except TypeError:
        return value


def _same(a: Any, b: Any) -> bool:
    """Whether a mutable input is unchanged (immutable scalars cannot change)."""
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b) and a.index.equals(b.index) and list(
            a.columns) == list(b.columns) and (a.dtypes == b.dtypes).all()
    if isinstance(a, pd.Series | pd.Index):
        return type(a) is type(b) and a.dtype == b.dtype and a.equals(b) and (
            not isinstance(a, pd.Series) or a.index.equals(b.index))
    if isinstance(a, pd.api.extensions.ExtensionArray):
        return pd.Series(a).equals(pd.Series(b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and (
            repr(a.tolist()) == repr(b.tolist()))
    if isinstance(a, list | dict | set):
        return repr(a) == repr(b)
    return True


def call(func: Callable[..., Any], *args: Any, names: tuple[str, ...], public: str = "",
         **kwargs: Any) -> tuple[bool, Any]:
    """Call ``func``; return ``(True, result)`` or ``(False, error)`` after the invariants.

    Invariants: no argument mutated, ``warnings.filters`` unchanged, and any
    exception is a ``JiebeiCreditError`` naming the function and one of ``names``.
    """
    before = [_snapshot(a) for a in (*args, *kwargs.values())]
    filters = list(warnings.filters)
    try:
        out = func(*args, **kwargs)
        ok = True
    except JiebeiCreditError as exc:
        text = str(exc)
        public = public or getattr(func, "__qualname__", func.__name__).split(".")[0]
        assert text.startswith(public), text
        assert any(n in text for n in names), (names, text)
        out, ok = exc, False
    assert warnings.filters == filters
    for b, a in zip(before, (*args, *kwargs.values()), strict=True):
        assert _same(b, a), f"input mutated: {a!r:.80}"
    return ok, out


def expect(verdict: Callable[[], Any], func: Callable[..., Any], *args: Any, names: tuple[str, ...],
           public: str = "", **kwargs: Any) -> Any:
    """Run the oracle, then the call; the outcomes must match. Returns the oracle's value and the result."""
    try:
        meaning = verdict()
        valid = True
    except Refused:
        meaning, valid = None, False
    ok, out = call(func, *args, names=names, public=public, **kwargs)
    if valid:
        assert ok, f"valid input refused: {out}"
    else:
        assert not ok, f"invalid input accepted, returned {out!r:.200}"
    return meaning, out if ok else None


# ------------------------------------------------------ hostile strategies ---

WRONG_TYPES = [
    True, False, np.True_, 1 + 0j, np.complex128(0.01), "0.01", "12", b"1", None, pd.NA, pd.NaT,
    np.datetime64("NaT", "ns"), pd.Timedelta(days=1), np.timedelta64(12, "D"), dt.timedelta(days=1),
    pd.Timestamp("2025-01-01"), dt.date(2025, 1, 1), Decimal("0.01"), [0.01], (12,), {"x": 0.01},
    {0.01}, object(), np.array([0.01, 0.02]),
]
NON_FINITE = [math.nan, math.inf, -math.inf, np.float32("nan"), np.float64("-inf")]
EXTREME = [1e308, -1e308, 5e-324, -5e-324, 2**63, 2**64, -(2**63) - 1, 10**400, -0.0, 1e-300,
           0.1 + 0.2, -1, -0.01]


def numpy_forms(x: float | int) -> list[Any]:
    """The same number as numpy scalars and 0-d arrays (every one acceptable)."""
    out: list[Any] = [np.float64(x), np.array(x)]
    if isinstance(x, int):
        out += [np.int64(x), np.int32(x) if abs(x) < 2**31 else np.int64(x)]
        if 0 <= x < 2**16:
            out.append(np.uint16(x))
    else:
        out += [np.float32(x), Fraction(x)]
    return out


def hostile_scalar(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        valid,
        valid.flatmap(lambda x: st.sampled_from(numpy_forms(x))),
        valid.map(float),
        st.sampled_from(WRONG_TYPES),
        st.sampled_from(NON_FINITE),
        st.sampled_from(EXTREME),
    )


def _containers(values: list[Any]) -> list[Any]:
    """The same values in every container the library is asked to read."""
    n = len(values)
    floats = all(isinstance(v, float | int) and not isinstance(v, bool) for v in values)
    out: list[Any] = [list(values), tuple(values), np.asarray(values, dtype=object),
                      pd.Series(values, dtype=object),
                      pd.Series(values, dtype=object, index=[0] * n)]  # duplicated index
    if floats:
        out += [np.asarray(values, dtype=np.float64), pd.Series(values, dtype=np.float64),
                pd.Series(values, dtype="Float64"), pd.Series(values, dtype="double[pyarrow]"),
                pd.Index(values, dtype=np.float64), pd.Series(values, index=[f"r{k}" for k in range(n)],
                                                             dtype=np.float64)]
        if all(float(v).is_integer() and abs(v) < 2**53 for v in values):
            ints = [int(v) for v in values]
            out += [np.asarray(ints, dtype=np.int64), pd.Series(ints, dtype="Int64"),
                    pd.Series(ints, dtype="int64[pyarrow]"), pd.Series(ints, dtype="category")]
    return out


def hostile_array(valid: st.SearchStrategy[Any], *, min_size: int = 0, max_size: int = 4
                  ) -> st.SearchStrategy[Any]:
    """Arrays of valid values, in many containers, sometimes with one element corrupted."""
    bad_item = st.sampled_from([True, np.True_, math.nan, math.inf, "0.01", None, 1 + 0j,
                                np.timedelta64(1, "D"), pd.Timestamp("2025-01-01"), 1e308, -1.0])

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        values = draw(st.lists(valid, min_size=min_size, max_size=max_size))
        if values and draw(st.booleans()):
            values[draw(st.integers(0, len(values) - 1))] = draw(bad_item)
        return draw(st.sampled_from(_containers(values)))

    whole = st.sampled_from([
        np.array([True, False]), np.array([0.01 + 0j]), np.array([1, 2], dtype="timedelta64[D]"),
        np.array(["2025-01-01"], dtype="datetime64[D]"), np.array(["0.01"]), np.zeros((2, 2)),
        pd.Series([True], dtype="boolean"), pd.Series([0.01, None], dtype="Float64"),
        pd.DataFrame({"a": [0.01]}), {"a": 0.01}, {0.01}, "0.01", [[0.01], [0.02, 0.03]],
    ])
    return st.one_of(build(), whole)


valid_daily = st.floats(0, 0.01, allow_nan=False)
valid_annual = st.one_of(st.sampled_from([0.0, 0.144, 0.24]), st.floats(0, 0.36, allow_nan=False))
valid_terms = st.sampled_from([1, 2, 3, 6, 12, 24, 60])
valid_principal = st.one_of(st.sampled_from([0.0, 0.01, 1_000.0, 10_000.0]),
                            st.integers(0, 100_000_000).map(lambda f: f / 100))
hostile_methods = st.one_of(
    st.sampled_from(METHODS), st.sampled_from(METHODS).map(np.str_),
    st.sampled_from(["Equal_Installment", "equal installment", "", "bullet", b"interest_first", None, 0, True,
                     1.5, ["equal_installment"]]),
)
hostile_dates = st.one_of(
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)).map(pd.Timestamp),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)).map(lambda d: np.datetime64(d, "D")),
    st.sampled_from([
        20250131, 20250131.0, np.int64(20250131), 1_738_281_600_000_000_000, True, "now", "today", " Today ",
        "2262-01-01", "1677-09-22", "1949-12-31", "2101-01-01", "0001-01-01", "9999-12-31", "31/01/2025",
        "2025-02-30", "", "not a date", None, pd.NaT, np.datetime64("NaT", "ns"), math.nan, b"2025-01-31",
        pd.Timestamp("2025-01-31", tz="Asia/Shanghai"), dt.datetime(2025, 1, 31, 9, 30),
        "2025-01-31T09:30", np.datetime64("2262-04-12", "D"), np.datetime64("2025-01-31T00:00:00.5"),
        pd.Timedelta(days=3), dt.time(9, 30), ["2025-01-31"], {"d": "2025-01-31"},
    ]),
)
