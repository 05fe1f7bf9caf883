"""Plots of tables: a binning, a calibration table, a PSI result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from jiebei_credit._lights import check_status
from jiebei_credit._validation import choice, fail
from jiebei_credit.metrics import PSIResult
from jiebei_credit.plotting._common import (
    BAD,
    CURRENT,
    GOOD,
    LIGHTS,
    REFERENCE,
    check_axes,
    numbers,
    require_columns,
    target_axes,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

class BinningTable(Protocol):
    """What :func:`plot_binning` needs from a fitted binning: its bin table.

    :class:`jiebei_credit.scorecard.Binning` satisfies it.
    """

    @property
    def table(self) -> pd.DataFrame:
        """One row per bin with ``label``, ``count``, ``bad_rate`` and ``woe``."""
        ...


BinningLine = Literal["bad_rate", "woe"]
#: Allowed values of ``line``.
BINNING_LINES: tuple[BinningLine, ...] = ("bad_rate", "woe")


def plot_binning(binning: BinningTable, *, line: BinningLine = "bad_rate", ax: Axes | None = None) -> Axes:
    """Plot a binning: bars of row counts per bin and a line of bad rate or WOE.

    The title is the binning's feature name (its ``name``; "Binning" when it
    has none) with its IV.

    Parameters
    ----------
    binning : Binning
        A fitted binning with a ``table`` DataFrame holding ``label``,
        ``count``, ``bad_rate`` and ``woe`` (e.g.
        :class:`jiebei_credit.scorecard.Binning`).
    line : {"bad_rate", "woe"}, default "bad_rate"
        What the line on the right-hand axis shows.
    ax : matplotlib.axes.Axes, optional
        Axes for the bars; a new figure is made when omitted. The line is on
        a twin Axes sharing its x axis.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the bars.

    Raises
    ------
    InvalidInputError
        If ``binning`` has no usable ``table`` or ``line`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> import jiebei_credit as jc
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=1000)
    >>> y = (rng.random(1000) < 1 / (1 + np.exp(2 + x))).astype(int)
    >>> from jiebei_credit.plotting import plot_binning
    >>> ax = plot_binning(jc.scorecard.bin_feature(x, y, binning=jc.scorecard.BinningParams(max_bins=4)))
    >>> len(ax.patches) == len(ax.get_xticklabels())
    True
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_binning"
    check_axes(ax, func=func)
    shown: BinningLine = choice(line, BINNING_LINES, func=func, name="line")
    table = getattr(binning, "table", None)
    if table is None:
        raise fail(func, "binning", "must have a table (a fitted scorecard.Binning)",
                   f"a {type(binning).__name__}")
    table = require_columns(table, ("label", "count", shown), func=func, what="binning.table")
    counts = numbers(table, "count", func=func, what="binning.table")
    values = numbers(table, shown, func=func, what="binning.table")
    ax = target_axes(ax, func=func)
    x = np.arange(len(table))
    ax.bar(x, counts, color=GOOD, alpha=0.6, label="count")
    ax.set_xticks(x, [str(v) for v in table["label"]], rotation=30, ha="right")
    ax.set_ylabel("rows")
    twin = ax.twinx()
    twin.plot(x, values, color=BAD, marker="o", label="bad rate" if shown == "bad_rate" else "WOE")
    twin.set_ylabel("bad rate" if shown == "bad_rate" else "WOE = ln(good share / bad share)")
    if shown == "woe":
        twin.axhline(0.0, color=REFERENCE, linewidth=0.8)
    iv = getattr(binning, "iv", None)
    name = getattr(binning, "name", None)
    title = "Binning" if name is None else str(name)
    ax.set_title(f"{title} (IV = {iv:.3f})" if isinstance(iv, float) else title)
    return ax


def plot_calibration(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Plot observed default rate (with its Jeffreys interval) against PD per grade.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`jiebei_credit.metrics.calibration_table`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: PD per grade as a line, observed default rates as
        points with error bars; grades whose one-sided Jeffreys p-value is
        below 0.05 (PD too low) are drawn in red.

    Raises
    ------
    InvalidInputError
        If ``table`` is not a calibration table.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> t = jc.metrics.calibration_table([0, 0, 0, 1, 0, 1, 1, 0], [0.1] * 4 + [0.4] * 4,
    ...                                  grades=["A"] * 4 + ["B"] * 4)
    >>> from jiebei_credit.plotting import plot_calibration
    >>> ax = plot_calibration(t)
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['A', 'B']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_calibration"
    cols = ("default_rate", "pd_mean", "ci_lower", "ci_upper", "jeffreys_p")
    check_axes(ax, func=func)
    t = require_columns(table, cols, func=func, what="table")
    rate, lower, upper, pd_mean, jeffreys = (
        numbers(t, c, func=func, what="table")
        for c in ("default_rate", "ci_lower", "ci_upper", "pd_mean", "jeffreys_p")
    )
    ax = target_axes(ax, func=func)
    x = np.arange(len(t))
    err = np.vstack((rate - lower, upper - rate))
    ax.plot(x, pd_mean, color=REFERENCE, marker="_",
            markersize=14, linestyle="--", label="PD (mean per grade)")
    ax.errorbar(x, rate, yerr=err, fmt="none", ecolor=GOOD, capsize=3, label="Jeffreys interval")
    low = jeffreys < 0.05
    ax.scatter(x[~low], rate[~low], color=GOOD, zorder=3, label="observed default rate")
    if low.any():
        ax.scatter(x[low], rate[low], color=BAD, zorder=3, label="PD too low (p < 0.05)")
    names = [str(g) for g in t.index]
    long_names = max(len(n) for n in names) > 6
    ax.set_xticks(x, names, rotation=30 if long_names else 0, ha="right" if long_names else "center")
    ax.set_xlabel(str(t.index.name or "grade"))
    ax.set_ylabel("default rate")
    ax.set_title("Calibration by grade")
    ax.legend(loc="upper left")
    return ax


def plot_psi(result: PSIResult, *, ax: Axes | None = None) -> Axes:
    """Plot a PSI result: reference and current shares per bin, side by side.

    Parameters
    ----------
    result : PSIResult
        Output of :func:`jiebei_credit.metrics.psi` (or one entry of a
        stability report).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; the title gives the PSI and its traffic light,
        and bins empty in a sample are marked with ``*``.

    Raises
    ------
    InvalidInputError
        If ``result`` is not a PSIResult.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> r = jc.metrics.psi([1, 2, 3, 4], [1, 1, 2, 4], edges=[2, 3], smoothing=0)
    >>> from jiebei_credit.plotting import plot_psi
    >>> ax = plot_psi(r)
    >>> ax.get_title()
    'PSI = 0.347 (red)'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_psi"
    if not isinstance(result, PSIResult):
        raise fail(func, "result", "must be a PSIResult (from jiebei_credit.metrics.psi)",
                   f"a {type(result).__name__}")
    status = check_status(result.status, func=func, name="result.status")
    t = require_columns(result.table, ("reference_share", "current_share", "empty"), func=func,
                        what="result.table")
    reference, current = (numbers(t, c, func=func, what="result.table")
                        for c in ("reference_share", "current_share"))
    check_axes(ax, func=func)
    if not isinstance(result.value, float | int) or isinstance(result.value, bool):
        raise fail(func, "result.value", "must be a number", repr(result.value)[:60])
    ax = target_axes(ax, func=func)
    x = np.arange(len(t))
    width = 0.4
    ax.bar(x - width / 2, reference, width, color=REFERENCE, label="reference")
    ax.bar(x + width / 2, current, width, color=CURRENT, label="current")
    names = [f"{b}*" if bool(empty) else str(b) for b, empty in zip(t.index, t["empty"], strict=True)]
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.set_ylabel("share of rows")
    ax.set_title(f"PSI = {result.value:.3f} ({status})", color=LIGHTS[status])
    ax.legend(loc="best")
    return ax
