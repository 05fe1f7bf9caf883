"""Checks of the feature table ``X`` shared by the estimators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.scorecard._checks import listing

__all__ = ["as_frame", "check_shape", "require_columns"]


def as_frame(func: str, X: Any, *, n_features: int | None = None) -> pd.DataFrame:
    """A DataFrame view of ``X`` (2-D arrays get columns ``x0, x1, …``).

    ``n_features``, when given, is the column count a positional (array)
    input must have: arrays are matched to the training columns by position,
    DataFrames by name.
    """
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise InvalidInputError(
            f"{func}: sparse input is not supported; pass a DataFrame or a dense array (X.toarray())."
        )
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not isinstance(c, str)]
        if bad:
            raise SchemaError(
                [
                    Problem(
                        table="X",
                        column=None,
                        row=None,
                        value=listing(bad),
                        rule="column names must be strings; rename the columns",
                    )
                ],
                context=func,
            )
        if X.columns.has_duplicates:
            dup = sorted(set(X.columns[X.columns.duplicated()]))
            raise SchemaError(
                [
                    Problem(
                        table="X",
                        column=None,
                        row=None,
                        value=listing(dup),
                        rule="column names must be unique",
                    )
                ],
                context=func,
            )
        frame = X
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise InvalidInputError(
                f"{func}: X must be a DataFrame or a 2-D array, got shape {arr.shape}. Reshape your "
                "data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) for a single row."
            )
        if pd.api.types.is_complex_dtype(arr.dtype):
            raise InvalidInputError(f"{func}: Complex data not supported; X holds complex numbers.")
        if n_features is not None and arr.shape[1] != n_features:
            owner = func.split(".")[0]
            raise InvalidInputError(
                f"{func}: X has {arr.shape[1]} features, but {owner} is expecting {n_features} "
                "features as input (array columns are matched by position); pass the columns "
                "seen in fit."
            )
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    complex_cols = [c for c in frame.columns if pd.api.types.is_complex_dtype(frame[c].dtype)]
    if complex_cols:
        raise InvalidInputError(
            f"{func}: Complex data not supported; columns {listing(complex_cols)} hold complex numbers."
        )
    return frame


def check_shape(func: str, frame: pd.DataFrame) -> None:
    """Raise unless the training frame has at least one row and one column."""
    n, k = frame.shape
    if n == 0 or k == 0:
        what = "sample(s)" if n == 0 else "feature(s)"
        raise InvalidInputError(
            f"{func}: Found array with 0 {what} (shape=({n}, {k})) while a minimum of 1 is required."
        )


def require_columns(func: str, X: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise a :class:`SchemaError` naming every missing column."""
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise SchemaError(
            [
                Problem(
                    table="X",
                    column=c,
                    row=None,
                    value=None,
                    rule="column is missing; pass every column the model was fitted on",
                )
                for c in missing
            ],
            context=func,
        )
