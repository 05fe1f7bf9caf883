"""The feature table ``X``, the target ``y`` and the weights, as every estimator reads them.

All checks go through :mod:`jiebei_credit._validation`. When ``X`` is a
DataFrame and ``y`` (or ``sample_weight``) a Series, they are matched by
index label, never by position: the same labels in another order are
aligned to ``X``, different labels are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import Problem, SchemaError

__all__ = [
    "as_frame", "check_both_classes", "check_shape", "fit_data", "one_column", "require_columns", "target",
    "weights",
]

#: Largest total of ``sample_weight``: frequency weights count rows, and beyond this
#: the information matrix of the fit would lose its digits.
MAX_TOTAL_WEIGHT = 1e15


def _is_sparse(X: Any) -> bool:
    return hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse")


def as_frame(func: str, X: Any, *, n_features: int | None = None) -> pd.DataFrame:
    """A DataFrame view of ``X`` (2-D arrays get columns ``x0, x1, …``).

    ``n_features``, when given, is the column count a positional (array)
    input must have: arrays are matched to the training columns by position,
    DataFrames by name. Messages keep the phrases scikit-learn's estimator
    checks look for ("sparse", "Reshape your data", "Complex data not
    supported", "X has 1 features, but … is expecting").
    """
    if _is_sparse(X):
        raise V.fail(func, "X", "must be a DataFrame or a dense 2-D array (sparse input is not supported)",
                     f"a {type(X).__name__}", "Convert it with X.toarray().")
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not isinstance(c, str)]
        if bad:
            raise SchemaError([Problem(table="X", column=None, row=None, value=V.show(bad),
                                       rule="column names must be strings; rename the columns")],
                              context=func)
        if X.columns.has_duplicates:
            dup = sorted(set(X.columns[X.columns.duplicated()]))
            raise SchemaError([Problem(table="X", column=None, row=None, value=V.show(dup),
                                       rule="column names must be unique")], context=func)
        frame = X
    else:
        if X is None or isinstance(X, str | bytes | pd.Series):
            got = "a Series" if isinstance(X, pd.Series) else V.show([X])
            raise V.fail(func, "X", "must be a DataFrame or a 2-D array", got,
                         "Pass X.to_frame() for a single feature.")
        try:
            arr = np.asarray(X)
        except (TypeError, ValueError) as exc:
            raise V.fail(func, "X", "must be a DataFrame or a 2-D array",
                         f"a {type(X).__name__} ({exc})") from None
        if arr.ndim != 2:
            raise V.fail(func, "X", "must be a DataFrame or a 2-D array", f"an array of shape {arr.shape}",
                         "Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) for "
                         "a single row.")
        if pd.api.types.is_complex_dtype(arr.dtype):
            raise V.fail(func, "X", "must hold real numbers, text or categories (Complex data not supported)",
                         f"complex numbers (dtype {arr.dtype})")
        if n_features is not None and arr.shape[1] != n_features:
            owner = func.split(".")[0]
            raise V.fail(func, "X", f"must have the {n_features} columns seen in fit (array columns are "
                         "matched by position)",
                         f"X has {arr.shape[1]} features, but {owner} is expecting {n_features} features as "
                         "input", "Pass the columns seen in fit, or a DataFrame with their names.")
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    complex_cols = [c for c in frame.columns if pd.api.types.is_complex_dtype(frame[c].dtype)]
    if complex_cols:
        raise V.fail(func, "X", "must hold real numbers, text or categories (Complex data not supported)",
                     f"complex numbers in columns {V.show(complex_cols)}")
    return frame


def check_shape(func: str, frame: pd.DataFrame) -> None:
    """Raise unless the training frame has at least one row and one column."""
    n, k = frame.shape
    if n == 0 or k == 0:
        what = "sample(s)" if n == 0 else "feature(s)"
        raise V.fail(func, "X", "must have at least one row and one column",
                     f"{n} rows and {k} columns (Found array with 0 {what} (shape=({n}, {k})) while a "
                     "minimum of 1 is required)")


def require_columns(func: str, X: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise a :class:`SchemaError` naming every missing column."""
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise SchemaError(
            [Problem(table="X", column=c, row=None, value=None,
                     rule="column is missing; pass every column the model was fitted on") for c in missing],
            context=func,
        )


def named_columns_exist(func: str, X: pd.DataFrame,
                        named: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Every column a parameter names (``(parameter, columns)`` pairs) is a column of ``X``."""
    for param, columns in named:
        unknown = [c for c in columns if c not in X.columns]
        if unknown:
            raise V.fail(func, param, "must name columns of X",
                         f"unknown columns {V.show(unknown, len(unknown))}",
                         f"X has {V.show(list(X.columns), X.shape[1])}.")


def _index(X: Any) -> pd.Index | None:
    """The labels rows are matched on: a DataFrame's or Series' index, else none (positions)."""
    return X.index if isinstance(X, pd.DataFrame | pd.Series) else None


def _match(func: str, name: str, values: V.FloatArray, index: pd.Index | None, n: int,
           reference: pd.Index | None, ref_name: str) -> V.FloatArray:
    """``values`` in the row order of the reference: by label when both are indexed, else by position."""
    if reference is not None and index is not None:
        out: V.FloatArray = np.asarray(V.align_to(reference, values, index, func=func, name=name,
                                                  reference_name=ref_name), dtype=np.float64)
        return out
    if values.size != n:
        raise V.fail(func, name, f"must have one value per row of {ref_name} ({n})", f"{values.size} values")
    return values


def _classify(func: str, y: Any) -> None:
    """Refuse continuous and multi-class numeric targets in scikit-learn's words."""
    dtype = getattr(y, "dtype", None)
    if dtype is None or isinstance(y, pd.DataFrame) or pd.api.types.is_bool_dtype(dtype):
        return
    if not (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)):
        return
    if isinstance(y, pd.Series):
        arr = np.asarray(y.to_numpy(dtype=np.float64, na_value=np.nan))
        index: pd.Index | None = y.index
    else:
        arr = np.asarray(y, dtype=np.float64)
        index = None
        if arr.ndim != 1:
            return
    seen = arr[np.isfinite(arr)]
    if seen.size and np.any(seen != np.round(seen)):
        frac = np.isfinite(arr) & (arr != np.round(arr))
        raise V.fail(func, "y", "must hold 1 (bad) or 0 (good), not a continuous target",
                     V.offending(frac, arr, index), "Recode the target to 0/1.")
    distinct = np.unique(seen)
    if distinct.size > 2:
        other = np.isfinite(arr) & (arr != 0.0) & (arr != 1.0)
        raise V.fail(func, "y", "must hold 1 (bad) or 0 (good): Only binary classification is supported",
                     V.offending(other, arr, index), "Recode the target to 0/1.")


def target(func: str, y: Any, n: int, reference: pd.Index | None, ref_name: str = "X") -> V.FloatArray:
    """The target as float64 0.0/1.0 in the row order of ``X`` (see the module docstring)."""
    if y is None:
        raise V.fail(func, "y", "is required (1 for bad, 0 for good)",
                     f"None ({func} requires y to be passed, but the target y is None)",
                     "Pass the outcome of every row.")
    _classify(func, y)
    yv, index = V.binary_target(y, func=func, allow_empty=True)
    return _match(func, "y", yv, index, n, reference, ref_name)


def weights(func: str, sample_weight: Any, n: int, reference: pd.Index | None,
            ref_name: str = "X") -> V.FloatArray | None:
    """Non-negative finite weights with a positive total, in the row order of ``X`` (or None)."""
    if sample_weight is None:
        return None
    w, index = V.float_vector(sample_weight, func=func, name="sample_weight", low=0.0, allow_empty=True,
                              fix="Weights are non-negative frequencies.")
    w = _match(func, "sample_weight", w, index, n, reference, ref_name)
    total = float(w.sum())
    if n and not total > 0.0:
        raise V.fail(func, "sample_weight", "must not be all zero", f"{n} zero weights",
                     "Give some rows a positive weight.")
    if not total <= MAX_TOTAL_WEIGHT:
        raise V.fail(func, "sample_weight", f"must sum to at most {MAX_TOTAL_WEIGHT:g} (weights count rows)",
                     f"a total of {total:g}", "Rescale the weights.")
    return w


def check_both_classes(func: str, goods: float, bads: float) -> None:
    """Raise when the target holds only goods or only bads (by weight)."""
    if goods <= 0 or bads <= 0:
        only = "goods (0)" if bads <= 0 else "bads (1)"
        raise V.fail(func, "y", "must hold both classes, 1 (bad) and 0 (good)",
                     f"only {only}, one class (total weight of goods {goods:g}, bads {bads:g})",
                     "WOE needs both classes.")


def fit_data(func: str, X: Any, y: Any, sample_weight: Any) -> tuple[pd.DataFrame, V.FloatArray,
                                                                      V.FloatArray | None]:
    """``X`` as a frame, and ``y`` and the weights matched to its rows, every rule checked."""
    frame = as_frame(func, X)
    check_shape(func, frame)
    reference = _index(X)
    yv = target(func, y, len(frame), reference)
    w = weights(func, sample_weight, len(frame), reference)
    wts = np.ones_like(yv) if w is None else w
    check_both_classes(func, float(((1 - yv) * wts).sum()), float((yv * wts).sum()))
    return frame, yv, w


def one_column(func: str, x: Any, y: Any, sample_weight: Any, name: str) -> tuple[V.FloatArray,
                                                                                  V.FloatArray | None]:
    """The target and weights of one feature ``x``, matched to it like :func:`fit_data`."""
    if isinstance(x, pd.DataFrame):
        raise V.fail(func, name, "must be one-dimensional (a Series or 1-D array)",
                     f"a DataFrame with {x.shape[1]} columns", "Pass a single column.")
    try:
        n = len(x)
    except TypeError:
        raise V.fail(func, name, "must be a Series or a 1-D array", repr(x)) from None
    reference = _index(x)
    return (target(func, y, n, reference, ref_name=name),
            weights(func, sample_weight, n, reference, ref_name=name))
