"""Input checks shared by the metrics, monitoring and plotting functions.

Every check raises :class:`~jiebei_credit.errors.InvalidInputError` with a
message that names the calling function, the parameter, the rule, a few
offending values or rows with their count, and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: How many offending rows or values a message lists before summarising.
EXAMPLES = 5


def one_of(func: str, name: str, value: object, options: Sequence[object]) -> None:
    """Check that ``value`` is one of ``options`` (the rule and the message share them)."""
    if isinstance(value, str | int | float | bool | None) and value in options:
        return
    allowed = ", ".join(repr(o) for o in options)
    raise InvalidInputError(f"{func}: {name} must be one of {allowed}; got {value!r}.")


def where(mask: BoolArray, index: pd.Index | None) -> str:
    """Describe the rows where ``mask`` holds: ``"rows 3, 18, …"`` (labels or positions)."""
    hits = np.flatnonzero(mask)
    shown = hits[:EXAMPLES]
    if index is not None:
        text = ", ".join(repr(index[i]) for i in shown)
        word = "rows"
    else:
        text = ", ".join(str(int(i)) for i in shown)
        word = "positions"
    more = ", …" if hits.size > EXAMPLES else ""
    return f"{word} {text}{more}"


def some_values(values: npt.NDArray[Any]) -> str:
    """A few distinct values, for a message."""
    distinct = pd.unique(pd.Series(values, dtype=object))
    text = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in distinct[:EXAMPLES])
    more = ", …" if len(distinct) > EXAMPLES else ""
    return text + more


def as_vector(x: object, *, func: str, name: str) -> tuple[npt.NDArray[Any], pd.Index | None]:
    """Return ``x`` as a non-empty 1-D array and, for a Series, its index."""
    if isinstance(x, pd.DataFrame):
        raise InvalidInputError(
            f"{func}: {name} must be one-dimensional (a Series or 1-D array); got a DataFrame "
            f"with {x.shape[1]} columns. Pass a single column."
        )
    index: pd.Index | None = None
    if isinstance(x, pd.Series):
        index = x.index
        arr: npt.NDArray[Any] = x.to_numpy()
    elif isinstance(x, pd.Index):
        arr = x.to_numpy()
    else:
        arr = np.asarray(x)
    if arr.ndim != 1:
        raise InvalidInputError(
            f"{func}: {name} must be one-dimensional; got an array of shape {arr.shape}. "
            "Pass a 1-D array or a Series."
        )
    if arr.size == 0:
        raise InvalidInputError(f"{func}: {name} is empty; pass at least one value.")
    return arr, index


def as_float(x: object, *, func: str, name: str) -> tuple[FloatArray, pd.Index | None]:
    """Return ``x`` as a float64 1-D array (missing values as NaN) and its index."""
    arr, index = as_vector(x, func=func, name=name)
    if arr.dtype == np.float64:
        return arr, index  # read-only use: no copy
    if isinstance(x, pd.Series) and (
        pd.api.types.is_numeric_dtype(x.dtype) or pd.api.types.is_bool_dtype(x.dtype)
    ):
        return x.to_numpy(dtype=np.float64, na_value=np.nan), index
    if arr.dtype.kind in "biuf":
        return arr.astype(np.float64), index
    series_object = not isinstance(x, pd.Series) or pd.api.types.is_object_dtype(x.dtype)
    if arr.dtype.kind == "O" and series_object:
        converted = pd.to_numeric(pd.Series(arr, dtype=object), errors="coerce")
        bad = converted.isna().to_numpy() & ~pd.isna(arr)
        if not bad.any():
            return converted.to_numpy(dtype=np.float64, na_value=np.nan), index
        raise InvalidInputError(
            f"{func}: {name} must be numeric; found {int(bad.sum())} non-numeric values "
            f"({some_values(arr[bad])}) at {where(bad, index)}. Convert the column to numbers."
        )
    dtype = x.dtype if isinstance(x, pd.Series) else arr.dtype
    raise InvalidInputError(
        f"{func}: {name} must be numeric; got dtype {dtype}. Convert it to float or int."
    )


def _reject_nan(arr: FloatArray, index: pd.Index | None, *, func: str, name: str, fix: str) -> None:
    nan = np.isnan(arr)
    if nan.any():
        raise InvalidInputError(
            f"{func}: {name} has {int(nan.sum())} missing (NaN) values at {where(nan, index)}; {fix}"
        )


def check_binary(y: object, *, func: str, name: str = "y") -> tuple[BoolArray, pd.Index | None]:
    """Return ``y == 1`` as a bool array after checking that ``y`` holds only 0 and 1."""
    raw, raw_index = as_vector(y, func=func, name=name)
    if raw.dtype == np.bool_:
        return raw, raw_index
    if raw.dtype.kind in "iu" and raw.min() >= 0 and raw.max() <= 1:
        return raw == 1, raw_index
    arr, index = as_float(y, func=func, name=name)
    _reject_nan(
        arr, index, func=func, name=name,
        fix="drop the rows whose outcome is not observed before calling it.",
    )
    bad = (arr != 0.0) & (arr != 1.0)
    if bad.any():
        raise InvalidInputError(
            f"{func}: {name} must hold 1 (bad) or 0 (good); found {int(bad.sum())} other values "
            f"({some_values(arr[bad])}) at {where(bad, index)}. Recode the target to 0/1."
        )
    return arr == 1.0, index


def check_finite(x: object, *, func: str, name: str) -> tuple[FloatArray, pd.Index | None]:
    """Return ``x`` as float64 after checking that every value is finite."""
    arr, index = as_float(x, func=func, name=name)
    if np.isfinite(arr).all():
        return arr, index
    _reject_nan(arr, index, func=func, name=name, fix="drop or impute those rows first.")
    inf = np.isinf(arr)
    if inf.any():
        raise InvalidInputError(
            f"{func}: {name} has {int(inf.sum())} infinite values at {where(inf, index)}; "
            "replace them with finite values first."
        )
    return arr, index


def check_probability(x: object, *, func: str, name: str) -> tuple[FloatArray, pd.Index | None]:
    """Return ``x`` as float64 after checking that every value lies in [0, 1]."""
    arr, index = as_float(x, func=func, name=name)
    _reject_nan(arr, index, func=func, name=name, fix="drop or impute those rows first.")
    bad = ~((arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        raise InvalidInputError(
            f"{func}: {name} must be a probability in [0, 1]; found {int(bad.sum())} values "
            f"outside ({some_values(arr[bad])}) at {where(bad, index)}. Pass PDs, not scores "
            "or percentages."
        )
    return arr, index


def check_weights(w: object, n: int, *, func: str, name: str = "sample_weight") -> FloatArray:
    """Return finite, non-negative weights of length ``n`` with a positive total."""
    arr, index = check_finite(w, func=func, name=name)
    if arr.size != n:
        raise InvalidInputError(
            f"{func}: {name} has {arr.size} rows but y has {n}; pass one weight per row."
        )
    neg = arr < 0.0
    if neg.any():
        raise InvalidInputError(
            f"{func}: {name} must be >= 0; found {int(neg.sum())} negative values "
            f"({some_values(arr[neg])}) at {where(neg, index)}."
        )
    if not arr.sum() > 0.0:
        raise InvalidInputError(f"{func}: {name} sums to 0; give some rows a positive weight.")
    return arr


def check_aligned(
    func: str,
    first: tuple[str, int, pd.Index | None],
    second: tuple[str, int, pd.Index | None],
) -> None:
    """Check that two vectors have the same length and, if both are Series, the same index."""
    name_a, len_a, index_a = first
    name_b, len_b, index_b = second
    if len_a != len_b:
        raise InvalidInputError(
            f"{func}: {name_a} has {len_a} rows but {name_b} has {len_b}; pass one value per row "
            "of the same sample."
        )
    if index_a is not None and index_b is not None and not index_a.equals(index_b):
        raise InvalidInputError(
            f"{func}: {name_a} and {name_b} are Series with different indexes; align them first, "
            f"e.g. {name_b}.reindex({name_a}.index)."
        )


def check_both_classes(
    is_bad: BoolArray, *, func: str, weight: FloatArray | None = None
) -> tuple[float, float]:
    """Return the (weighted) number of bads and goods; both must be positive."""
    if weight is None:
        n_bad = float(np.count_nonzero(is_bad))
        n_good = float(is_bad.size) - n_bad
    else:
        n_bad = float(weight[is_bad].sum())
        n_good = float(weight[~is_bad].sum())
    for count, what in ((n_bad, "bads (y == 1)"), (n_good, "goods (y == 0)")):
        if count <= 0.0:
            extra = " with a positive weight" if weight is not None else ""
            raise InvalidInputError(
                f"{func}: y has no {what}{extra}; the statistic needs at least one bad and one "
                "good. Evaluate on a sample that contains both outcomes."
            )
    return n_bad, n_good


def binary_and_score(
    y: object,
    score: object,
    *,
    func: str,
    score_name: str = "score",
    probability: bool = False,
) -> tuple[BoolArray, FloatArray, pd.Index | None]:
    """Validate a target and a score (or PD) of the same sample."""
    is_bad, y_index = check_binary(y, func=func)
    if probability:
        s, s_index = check_probability(score, func=func, name=score_name)
    else:
        s, s_index = check_finite(score, func=func, name=score_name)
    check_aligned(func, ("y", is_bad.size, y_index), (score_name, s.size, s_index))
    return is_bad, s, y_index if y_index is not None else s_index


def check_int(value: object, *, func: str, name: str, minimum: int) -> int:
    """Check a plain integer parameter (``bool`` is not accepted)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidInputError(f"{func}: {name} must be an integer >= {minimum}; got {value!r}.")
    return int(value)


def check_edges(edges: object, *, func: str, name: str = "edges") -> FloatArray:
    """Interior cut points: finite, strictly increasing, at least one."""
    arr, _ = as_float(edges, func=func, name=name)
    odd = ~np.isfinite(arr)
    if odd.any():
        raise InvalidInputError(
            f"{func}: {name} must be finite interior cut points (the outer bands are already "
            f"open-ended); got {some_values(arr[odd])}. Drop -inf, inf and NaN."
        )
    if (np.diff(arr) <= 0.0).any():
        raise InvalidInputError(
            f"{func}: {name} must be strictly increasing; got {arr.tolist()[:10]}. "
            "Sort them and drop duplicates."
        )
    return arr


def check_float(value: object, *, func: str, name: str, low: float, high: float) -> float:
    """A finite real parameter in ``[low, high]``."""
    if not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        if np.isfinite(v) and low <= v <= high:
            return v
    raise InvalidInputError(
        f"{func}: {name} must be a number in [{low:g}, {high:g}]; got {value!r}."
    )
