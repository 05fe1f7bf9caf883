"""Column checks for the applicant and line frames of :func:`assign` and :func:`review_line`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits._checks import FloatArray, show_values

_SHOW = 5


def categorical(
    codes: npt.NDArray[np.integer[Any]], categories: Sequence[str]
) -> pd.Categorical[str]:
    """A categorical from integer codes (fast path for large outputs)."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=pd.Index(list(categories))
    )


def require_frame(frame: object, *, func: str, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(
            f"{func}: {name} must be a pandas DataFrame; got {type(frame).__name__}. "
            "Build one with pd.DataFrame({...})."
        )
    if not frame.columns.is_unique:
        dup = frame.columns[frame.columns.duplicated()].unique().tolist()
        raise InvalidInputError(
            f"{func}: {name} has duplicated columns {dup}. Rename or drop the duplicates."
        )
    return frame


def require_columns(
    frame: pd.DataFrame, required: Sequence[str], *, func: str, name: str, hint: str = ""
) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        have = ", ".join(map(repr, list(frame.columns)[:20]))
        raise InvalidInputError(
            f"{func}: {name} is missing required column(s) {', '.join(map(repr, missing))}; "
            f"it has {have}. {hint}".rstrip()
        )


def rows_text(frame: pd.DataFrame, mask: npt.NDArray[np.bool_]) -> str:
    labels = frame.index[mask]
    shown = ", ".join(repr(x.item() if isinstance(x, np.generic) else x) for x in labels[:_SHOW])
    more = ", ..." if labels.size > _SHOW else ""
    return f"rows {shown}{more}"


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    func: str,
    lo: float,
    hi: float,
    lo_open: bool = False,
    rule: str | None = None,
    fix: str,
) -> FloatArray:
    """A column as float64, every value finite and in ``[lo, hi]`` (``(lo, hi]``).

    The array may share memory with the frame: read it, never write to it.
    """
    s = frame[column]
    if is_bool_dtype(s.dtype) or not is_numeric_dtype(s.dtype):
        raise InvalidInputError(
            f"{func}: column {column!r} must be numeric; got dtype {s.dtype}. "
            "Convert it with pd.to_numeric."
        )
    arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (arr > hi) | ((arr <= lo) if lo_open else (arr < lo))
    if bad.any():
        left = "(" if lo_open else "["
        what = rule or f"must be finite and lie in {left}{lo:g}, {hi:g}]"
        n = int(bad.sum())
        raise InvalidInputError(
            f"{func}: column {column!r} {what}; {n} row{'s' if n > 1 else ''} break"
            f"{'' if n > 1 else 's'} it ({rows_text(frame, bad)}; values "
            f"{show_values(arr[bad], n)}). {fix}"
        )
    return arr


def category_column(
    frame: pd.DataFrame, column: str, allowed: Sequence[str], *, func: str, fix: str
) -> None:
    """Check that every value of a text column is one of ``allowed``."""
    s = frame[column]
    ok = s.isin(list(allowed)).to_numpy(dtype=bool)
    if not ok.all():
        bad = ~ok
        n = int(bad.sum())
        raise InvalidInputError(
            f"{func}: column {column!r} must be one of {', '.join(map(repr, allowed))}; "
            f"{n} row{'s' if n > 1 else ''} break{'' if n > 1 else 's'} it "
            f"({rows_text(frame, bad)}; values {show_values(s.to_numpy()[bad], n)}). {fix}"
        )
