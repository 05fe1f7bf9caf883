"""Input checks shared by the scorecard modules.

Each allowed-value rule is declared once (a ``Literal`` type or a bound) and
used both to check and to write the message, so messages cannot drift from
the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from jiebei_credit.errors import InvalidInputError

Monotonic = Literal["auto", "ascending", "descending", "peak", "valley", "none"]
Unseen = Literal["raise", "worst"]
Kind = Literal["auto", "numeric", "categorical"]

#: How many offending values or rows a message lists before the count.
SHOWN = 5

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


def listing(values: Sequence[Any]) -> str:
    """``'a, b, c'`` for the first few values, with ``', …'`` if more."""
    shown = ", ".join(repr(v) for v in values[:SHOWN])
    return shown + (", …" if len(values) > SHOWN else "")


def check_choice(func: str, name: str, value: Any, literal: Any) -> None:
    """Raise unless ``value`` is one of the strings of the ``Literal`` type."""
    allowed = get_args(literal)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(
            f"{func}: {name}={value!r} is not allowed; use one of {', '.join(map(repr, allowed))}."
        )


def check_int(func: str, name: str, value: Any, *, minimum: int) -> int:
    """Raise unless ``value`` is an integer ``>= minimum`` (bools are rejected)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidInputError(f"{func}: {name}={value!r} must be an integer >= {minimum}.")
    return int(value)


def check_float(
    func: str, name: str, value: Any, *, low: float, high: float, high_open: bool = False
) -> float:
    """Raise unless ``value`` is a real number in ``[low, high]`` (or ``[low, high)``)."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    v = float(value) if ok else float("nan")
    inside = low <= v < high if high_open else low <= v <= high
    if not inside:
        bracket = ")" if high_open else "]"
        raise InvalidInputError(f"{func}: {name}={value!r} must be a number in [{low:g}, {high:g}{bracket}.")
    return v


def positions(index: pd.Index | None, mask: np.ndarray[Any, np.dtype[np.bool_]]) -> list[Any]:
    """Index labels (or positions without an index) where ``mask`` is true."""
    where = np.flatnonzero(mask)[:SHOWN]
    if index is None:
        return [int(i) for i in where]
    labels = [index[i] for i in where]
    return [v.item() if isinstance(v, np.generic) else v for v in labels]


def rows_text(index: pd.Index | None, mask: np.ndarray[Any, np.dtype[np.bool_]]) -> str:
    """``'3 rows (rows 4, 9, 12)'`` for a mask of offending rows."""
    n = int(mask.sum())
    return f"{n} row{'s' if n != 1 else ''} (rows {listing(positions(index, mask))})"


def as_target(func: str, y: Any, n: int | None = None) -> FloatArray:
    """Return the target as float64 0.0/1.0; anything but 0/1 (1 = bad) raises.

    Messages use scikit-learn's wording where one exists ("requires y to be
    passed", "Only binary classification is supported", "continuous"), so
    tools that recognise those errors keep working.
    """
    if y is None:
        raise InvalidInputError(
            f"{func} requires y to be passed, but the target y is None; pass 1 for bad, 0 for good."
        )
    index = y.index if isinstance(y, pd.Series) else None
    if isinstance(y, pd.DataFrame):
        raise InvalidInputError(f"{func}: y must be one-dimensional (a Series or array), got a DataFrame.")
    raw = y if isinstance(y, pd.Series) else np.asarray(y)
    if pd.api.types.is_complex_dtype(raw.dtype):
        raise InvalidInputError(f"{func}: Complex data not supported; y must be 1 (bad) or 0 (good).")
    try:
        arr = (
            y.to_numpy(dtype="float64", na_value=np.nan)
            if isinstance(y, pd.Series)
            else np.asarray(raw, dtype=np.float64)
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{func}: y must hold 1 for bad and 0 for good; it holds non-numeric values ({exc})."
        ) from None
    if arr.ndim != 1:
        raise InvalidInputError(f"{func}: y must be one-dimensional, got shape {arr.shape}.")
    if n is not None and arr.shape[0] != n:
        raise InvalidInputError(f"{func}: y has {arr.shape[0]} rows but x has {n}; pass one target per row.")
    bad = ~((arr == 0.0) | (arr == 1.0))
    if bad.any():
        vals = arr[bad]
        finite = vals[np.isfinite(vals)]
        if finite.size and np.any(finite != np.round(finite)):
            what = "y looks continuous"
        elif np.unique(arr[~np.isnan(arr)]).size > 2:
            what = "Only binary classification is supported"
        else:
            what = "the target is not 0/1"
        raise InvalidInputError(
            f"{func}: {what}: y must be 1 (bad) or 0 (good); {rows_text(index, bad)} hold other "
            f"values ({listing([float(v) for v in vals])}); recode the target or drop those rows."
        )
    return arr


def as_weights(func: str, weights: Any, n: int) -> FloatArray | None:
    """Return non-negative finite float64 weights (or ``None``)."""
    if weights is None:
        return None
    index = weights.index if isinstance(weights, pd.Series) else None
    try:
        w = (
            weights.to_numpy(dtype="float64", na_value=np.nan)
            if isinstance(weights, pd.Series)
            else np.asarray(weights, dtype=np.float64)
        )
    except (TypeError, ValueError):
        raise InvalidInputError(f"{func}: sample_weight must be numeric.") from None
    if w.ndim != 1 or w.shape[0] != n:
        raise InvalidInputError(
            f"{func}: sample_weight must have one value per row ({n}), got shape {w.shape}."
        )
    bad = ~(np.isfinite(w) & (w >= 0))
    if bad.any():
        raise InvalidInputError(
            f"{func}: sample_weight must be finite and >= 0; {rows_text(index, bad)} are not "
            f"({listing([float(v) for v in w[bad]])})."
        )
    if n > 0 and not (w > 0).any():
        raise InvalidInputError(
            f"{func}: every sample_weight is zero; at least one row needs a positive weight."
        )
    return w


def check_both_classes(func: str, goods: float, bads: float) -> None:
    """Raise when the target holds only goods or only bads (by weight)."""
    if goods <= 0 or bads <= 0:
        only = "goods (0)" if bads <= 0 else "bads (1)"
        raise InvalidInputError(
            f"{func}: y holds only {only}, one class (total weight of goods {goods:g}, "
            f"bads {bads:g}); WOE needs both classes."
        )
