"""Shared plumbing: the lazy matplotlib import and the target Axes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jiebei_credit._validation import FloatArray, fail, float_vector

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Colours used throughout: goods, bads, reference, current, and the three traffic lights.
GOOD = "#4C72B0"
BAD = "#C44E52"
REFERENCE = "#8C8C8C"
CURRENT = "#DD8452"
LIGHTS = {"green": "#55A868", "amber": "#E1A33B", "red": "#C44E52", "insufficient": "#8C8C8C"}


def pyplot() -> Any:
    """``matplotlib.pyplot``, imported on first use."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "jiebei_credit.plotting needs matplotlib, which is not installed; install the plot "
            "extra: pip install 'jiebei-credit[plot]'."
        ) from exc
    return plt


def check_axes(ax: object, *, func: str) -> Axes | None:
    """``ax`` if it is a matplotlib Axes or None, checked before anything is drawn."""
    if ax is None:
        return None
    from matplotlib.axes import Axes as AxesType

    if not isinstance(ax, AxesType):
        raise fail(func, "ax", "must be a matplotlib Axes or None", f"{type(ax).__name__}")
    return ax


def target_axes(ax: Axes | None, *, func: str) -> Axes:
    """The caller's Axes (checked), or a new figure's Axes when ``ax`` is None."""
    checked = check_axes(ax, func=func)
    if checked is None:
        _, new_ax = pyplot().subplots(layout="constrained")
        return new_ax  # type: ignore[no-any-return]
    return checked


def require_columns(table: object, columns: Iterable[str], *, func: str, what: str) -> pd.DataFrame:
    """Check that ``table`` is a non-empty DataFrame with ``columns`` (a metrics function's output)."""
    if not isinstance(table, pd.DataFrame):
        raise fail(func, what, "must be a DataFrame", f"a {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise fail(func, what, "must have the columns of the matching jiebei_credit output",
                   f"a table lacking columns {missing}", "Pass that output unchanged.")
    if table.empty:
        raise fail(func, what, "must have rows", "an empty table", "Nothing to plot.")
    return table


#: Widest range of scores drawn on an axis: half the largest float, so that axis ranges, margins
#: and bin widths, computed in floats, stay finite.
MAX_SPAN = float(np.finfo(np.float64).max) / 2.0


def drawable(values: FloatArray, *, func: str, name: str) -> FloatArray:
    """``values`` if their range fits an axis (largest minus smallest below :data:`MAX_SPAN`)."""
    if values.size and not float(values.max()) / 2.0 - float(values.min()) / 2.0 < MAX_SPAN / 2.0:
        raise fail(func, name, "must span less than half the largest float (8.99e+307) to be drawn",
                   f"values from {float(values.min()):.4g} to {float(values.max()):.4g}",
                   "Axis ranges and bin widths are floats; rescale the score.")
    return values


def numbers(table: pd.DataFrame, column: str, *, func: str, what: str) -> FloatArray:
    """A column of a table as finite-or-NaN floats, refused (naming it) otherwise."""
    values, _ = float_vector(table[column] if table.columns.is_unique else table.loc[:, [column]].iloc[:, 0],
                             func=func, name=f"{what}[{column!r}]", allow_nan=True)
    return np.asarray(values, dtype=np.float64)
