"""Fine binning: value conversion, special values and quantile pre-bins."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._bands import quantile_cuts
from jiebei_credit.scorecard._params import RULES

FloatArray = V.FloatArray

__all__ = ["Category", "quantile_edges"]

Category = str | int | float | bool
T = TypeVar("T")


def py_scalar(v: Any) -> Any:
    """A numpy scalar as the matching Python scalar; other values unchanged."""
    return v.item() if isinstance(v, np.generic) else v


def category_key(v: Any) -> tuple[str, Any]:
    """Sort key that orders categories of mixed types deterministically."""
    return (type(v).__name__, v)


def detect_kind(x: Any) -> Literal["numeric", "categorical"]:
    """Feature type from the dtype.

    Integer and float dtypes (nullable too) are numeric; bool, text, category
    and the rest are categorical. Object data (e.g. a list with ``None``) is
    numeric when every non-missing value is an integer or float.
    """
    arr = x if isinstance(x, pd.Series | pd.Index | np.ndarray) else np.asarray(x, dtype=object)
    dtype = arr.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "categorical"
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return "numeric"
    if pd.api.types.is_object_dtype(dtype):
        inferred = pd.api.types.infer_dtype(arr, skipna=True)
        if inferred in ("integer", "floating", "mixed-integer-float"):
            return "numeric"
    return "categorical"


def as_float(func: str, x: Any, name: str) -> tuple[FloatArray, pd.Index | None]:
    """Numeric feature values as float64 with NaN for missing (read-only; may share memory).

    Real numbers only (``None``, NaN and ``pd.NA`` are missing): booleans,
    complex numbers, dates, durations, text and infinities are refused,
    naming the rows.
    """
    arr, index = V.float_vector(
        x, func=func, name=name, allow_nan=True, allow_inf=True, allow_empty=True,
        fix="A numeric binning takes numbers; pass kind='categorical' (or categorical=[...]) for text or "
            "category values.",
    )  # fmt: skip
    inf = np.isinf(arr)
    if inf.any():
        raise V.fail(func, name, "must not hold infinities", V.offending(inf, arr, index),
                     "Replace them with NaN (missing) or a finite cap.")
    return arr, index


#: Python types a category may have (numpy scalars are read as these).
CATEGORY_TYPES = (str, bool, int, float)


def _dtype_problem(dtype: Any) -> str:
    """Why a column of this dtype cannot hold categories, or ''."""
    text = str(dtype)
    if pd.api.types.is_complex_dtype(dtype) or "complex" in text:
        return f"complex numbers (dtype {dtype}; Complex data not supported)"
    if pd.api.types.is_timedelta64_dtype(dtype) or text.startswith("duration"):
        return f"durations (dtype {dtype}); convert them to numbers, e.g. x.dt.days"
    if (pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype)
            or text.startswith(("timestamp", "date32", "date64", "time32", "time64"))):
        return (f"dates (dtype {dtype}); a date is not a feature: turn it into an age or a duration, "
                "e.g. (as_of - x).dt.days")
    if isinstance(dtype, pd.IntervalDtype):
        return f"intervals (dtype {dtype}); use their left or right end, or their text"
    return ""


def as_series(func: str, x: Any, name: str) -> pd.Series:
    """Categorical feature values as a Series (a caller's Series is returned as it is, never modified).

    Categories are text, integers, floats or booleans; missing values
    (``None``, NaN, ``pd.NA``, ``NaT``) have their own bin. Infinities,
    complex numbers, dates, durations, bytes and other objects are refused,
    naming the rows.
    """
    arr, index = V.vector(x, func=func, name=name, allow_empty=True)
    problem = _dtype_problem(arr.dtype) if not isinstance(x, pd.Series) else ""
    if problem:
        raise V.fail(func, name, "must hold text, integers, finite numbers or booleans", problem)
    s = x if isinstance(x, pd.Series) else pd.Series(np.asarray(arr, dtype=object), dtype=object)
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories
        problem = _dtype_problem(cats.dtype)
        bad_cats = [] if problem else [c for c in cats if not _category_ok(V.plain(c))]
        if problem or bad_cats:
            raise V.fail(func, name, "must hold text, integers, finite numbers or booleans",
                         problem or f"categories {V.show(bad_cats, len(bad_cats))}",
                         "Convert the categories to text or numbers.")
        return s
    problem = _dtype_problem(getattr(dtype, "pyarrow_dtype", dtype))
    if problem:
        raise V.fail(func, name, "must hold text, integers, finite numbers or booleans", problem)
    if pd.api.types.is_float_dtype(dtype):
        values = np.asarray(s.to_numpy(dtype=np.float64, na_value=np.nan))
        inf = np.isinf(values)
        if inf.any():
            raise V.fail(func, name, "must not hold infinities", V.offending(inf, values, index),
                         "Replace them with NaN (missing) or a finite cap.")
        return s
    if not pd.api.types.is_object_dtype(dtype):
        return s  # integers, booleans, text (numpy, nullable or pyarrow-backed)
    obj = s.to_numpy(dtype=object)
    kinds = pd.api.types.infer_dtype(obj, skipna=True)
    if kinds in ("string", "integer", "boolean", "empty"):
        return s
    types = np.frompyfunc(type, 1, 1)(obj) if obj.size else obj
    odd = [t for t in pd.unique(types) if not issubclass(t, (*CATEGORY_TYPES, np.generic, type(None)))
           or issubclass(t, complex | np.complexfloating | np.datetime64 | np.timedelta64 | bytes)]
    bad = np.isin(types, np.asarray(odd, dtype=object)) if odd else np.zeros(obj.size, dtype=bool)
    missing = np.asarray(s.isna(), dtype=bool)
    bad &= ~missing
    if bad.any():
        raise V.fail(func, name, "must hold text, integers, finite numbers or booleans",
                     V.offending(bad, obj, index),
                     "Complex numbers, dates, durations and other objects are not features: convert "
                     "them to numbers or text (a date to an age).")
    inf = np.asarray(s.isin([np.inf, -np.inf]), dtype=bool)
    if inf.any():
        raise V.fail(func, name, "must not hold infinities", V.offending(inf, obj, index),
                     "Replace them with NaN (missing) or a finite cap.")
    return s


def _category_ok(v: Any) -> bool:
    return isinstance(v, CATEGORY_TYPES) and not (isinstance(v, float) and not math.isfinite(v))


#: A number as SQLite reads text (optional sign, digits, a point, an exponent; spaces around).
_SQL_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def sql_clashes(categories: Sequence[Category]) -> list[tuple[Category, Category]]:
    """Pairs of distinct categories that an SQL engine could not tell apart.

    A text column (``TEXT`` affinity, which is how pandas' ``to_sql`` stores
    object columns) stores numbers as their text, and numbers compare with
    text after conversion, so ``1`` and ``"1"`` (or ``" 1.0"``) become one
    value; floats keep 15 significant digits as text, so ``0.3`` and
    ``0.30000000000000004`` do too. Python keeps them apart, so the card's SQL
    could not score like :meth:`Scorecard.points`. Booleans are the numbers
    ``0`` and ``1`` in SQL.
    """
    numbers: dict[str, Category] = {}  # 15-digit text of each number
    texts: list[tuple[str, Category]] = []
    out: list[tuple[Category, Category]] = []
    for c in categories:
        if isinstance(c, str):
            if _SQL_NUMBER.match(c):
                texts.append((f"{float(c):.15g}", c))
            continue
        key = f"{float(c):.15g}"
        other = numbers.setdefault(key, c)
        if other is not c:
            out.append((other, c))
    out += [(numbers[key], c) for key, c in texts if key in numbers]
    return out


def check_specials(func: str, kind: str, special_values: Any, name: str = "special_values") -> tuple[
        Category, ...]:
    """Special values as a tuple of distinct Python scalars valid for ``kind``."""
    values = RULES["special_values"](special_values, func, name)
    if isinstance(values, dict):
        raise V.fail(func, name, "must be a list-like of values here", "a mapping")
    if kind == "numeric":
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            raise V.fail(func, name, "must hold finite numbers for a numeric feature", V.show(bad, len(bad)),
                         "Use numeric special values such as -999, or treat the feature as categorical.")
    seen: set[Any] = set()
    repeated = []
    for v in values:
        if v in seen:
            repeated.append(v)
        seen.add(v)
    if repeated:
        raise V.fail(func, name, "must not repeat a value (1, 1.0 and True are the same value)",
                     f"repeats of {V.show(repeated)}")
    return tuple(values)


def quantile_edges(
    x: Any,
    *,
    n_prebins: int = 50,
    special_values: Sequence[float] = (),
    sample_size: int | None = 100_000,
    seed: int = 0,
) -> FloatArray:
    """Fine-bin edges at the quantiles of the regular values of ``x``.

    Parameters
    ----------
    x : array-like of numbers, shape (n,)
        Feature values; NaN (and ``pd.NA``) are missing and ignored, as are
        the ``special_values``.
    n_prebins : int, default 50
        Number of quantile bins aimed at; ties give fewer.
    special_values : tuple of float, default ()
        Values excluded from the quantiles.
    sample_size : int or None, default 100_000
        Above this many regular values, the quantiles are taken on a uniform
        random sample (with replacement) of this size drawn with ``seed``;
        ``None`` always uses every value.
    seed : int, default 0
        Seed of the sample.

    Returns
    -------
    numpy.ndarray of float64
        Sorted distinct edges ``e_1 < … < e_m``; fine bin ``t`` is
        ``[e_t, e_{t+1})`` with ``e_0 = -inf`` and ``e_{m+1} = +inf``.

    Notes
    -----
    The edges are the ``k / n_prebins`` quantiles (``k = 1 … n_prebins − 1``,
    method ``inverted_cdf``), without duplicates and without the minimum
    (which would leave an empty first bin). Each edge is then replaced by the
    number with the fewest significant digits between the next smaller value
    (excluded) and the quantile (included), which splits the values in the
    same way and reads better in labels.

    Examples
    --------
    >>> quantile_edges([1, 2, 3, 4, 5, 6, 7, 8], n_prebins=4)
    array([3., 5., 7.])
    """
    func = "quantile_edges"
    n_prebins = RULES["n_prebins"](n_prebins, func, "n_prebins")
    sample_size = RULES["sample_size"](sample_size, func, "sample_size")
    seed = RULES["seed"](seed, func, "seed")
    if sample_size is not None and sample_size < n_prebins:
        raise V.fail(func, "sample_size", f"must be None or an integer >= n_prebins ({n_prebins})",
                     repr(sample_size), "Raise sample_size or lower n_prebins.")
    specials = check_specials(func, "numeric", special_values)
    arr, _ = as_float(func, x, "x")
    return fine_edges(arr, n_prebins=n_prebins, specials=specials, sample_size=sample_size, seed=seed)


def fine_edges(
    arr: FloatArray, *, n_prebins: int, specials: Sequence[Category], sample_size: int | None, seed: int
) -> FloatArray:
    """:func:`quantile_edges` of values and parameters already checked."""
    regular = arr[~np.isnan(arr)]
    if specials:
        regular = regular[~np.isin(regular, np.asarray(specials, dtype=np.float64))]
    if regular.size == 0:
        return np.empty(0, dtype=np.float64)
    srt = np.sort(regular)
    if sample_size is not None and srt.size > sample_size:
        # drawn from the sorted values, so the sample does not depend on the row order
        rng = np.random.default_rng(seed)
        srt = np.sort(srt[rng.integers(0, srt.size, size=sample_size)])
    # the inverted_cdf quantiles k / n_prebins: the ceil(k n / n_prebins)-th smallest values
    upper = quantile_cuts(srt, n_prebins, rule="inverted_cdf", presorted=True)
    lower = srt[np.searchsorted(srt, upper, side="left") - 1]
    return np.array([short_edge(lo, hi) for lo, hi in zip(lower, upper, strict=True)], dtype=np.float64)


def short_edge(lo: float, hi: float) -> float:
    """The number with the fewest significant digits in ``(lo, hi]``.

    An edge anywhere in ``(lo, hi]`` splits the values exactly like ``hi``
    when ``lo`` and ``hi`` are adjacent observed values, so the shortest one
    gives the most readable bin labels.

    Examples
    --------
    >>> short_edge(1.23456, 1.25981)
    1.25
    >>> short_edge(3.0, 4.0)
    4.0
    """
    lo, hi = float(lo), float(hi)
    if lo < 0.0 <= hi:
        return 0.0
    top = math.floor(math.log10(abs(hi)))
    for digits in range(1, 18):
        d = float(f"{hi:.{digits}g}")
        if lo < d <= hi:
            return d
        q = 10.0 ** (top - digits + 1)
        if q > 0.0 and math.isfinite(hi / q):  # q underflows to 0 for subnormal values
            d = float(f"{math.floor(hi / q) * q:.{digits}g}")
            if lo < d <= hi:
                return d
    return hi
