"""Shared plumbing: the lazy matplotlib import and the target Axes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from jiebei_credit.errors import InvalidInputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Colours used throughout: goods, bads, reference, current, and the three traffic lights.
GOOD = "#4C72B0"
BAD = "#C44E52"
REFERENCE = "#8C8C8C"
CURRENT = "#DD8452"
LIGHTS = {"green": "#55A868", "amber": "#E1A33B", "red": "#C44E52"}


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


def target_axes(ax: Axes | None, *, func: str) -> Axes:
    """The caller's Axes, or a new figure's Axes when ``ax`` is None."""
    if ax is None:
        _, new_ax = pyplot().subplots(layout="constrained")
        return new_ax  # type: ignore[no-any-return]
    from matplotlib.axes import Axes as AxesType

    if not isinstance(ax, AxesType):
        raise InvalidInputError(
            f"{func}: ax must be a matplotlib Axes or None; got {type(ax).__name__}."
        )
    return ax


def require_columns(table: object, columns: Iterable[str], *, func: str, what: str) -> pd.DataFrame:
    """Check that ``table`` is a DataFrame with ``columns`` (the output of a metrics function)."""
    if not isinstance(table, pd.DataFrame):
        raise InvalidInputError(
            f"{func}: {what} must be a DataFrame; got {type(table).__name__}."
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InvalidInputError(
            f"{func}: {what} lacks columns {missing}; pass the output of the matching "
            "jiebei_credit function unchanged."
        )
    if table.empty:
        raise InvalidInputError(f"{func}: {what} has no rows; nothing to plot.")
    return table
