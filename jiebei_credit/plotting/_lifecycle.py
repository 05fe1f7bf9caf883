"""Plots of portfolio performance: vintage curves, a roll-rate heatmap and PSI over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jiebei_credit._validation import fail, integer
from jiebei_credit.monitoring import PSIOverTime, RollRates, VintageTable
from jiebei_credit.plotting._common import LIGHTS, REFERENCE, target_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_vintage(table: VintageTable, *, ax: Axes | None = None) -> Axes:
    """Plot vintage curves: one line per cohort, cumulative bad share against month on book.

    Parameters
    ----------
    table : VintageTable
        Output of :func:`jiebei_credit.monitoring.vintage_table`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: one line per cohort (labelled with the cohort),
        x = month on book, y = the cohort's cumulative share ``min_dpd`` or more
        days past due. Cells not yet observable are NaN and not drawn.

    Raises
    ------
    InvalidInputError
        If ``table`` is not a VintageTable or has no cohort.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> from jiebei_credit.monitoring import vintage_table
    >>> from jiebei_credit.plotting import plot_vintage
    >>> records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2024-12-31",
    ...                                          seed=1).records
    >>> ax = plot_vintage(vintage_table(records, as_of="2024-07-01", cohort="quarter"))
    >>> [line.get_label() for line in ax.get_lines()]
    ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1', '2024Q2']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_vintage"
    if not isinstance(table, VintageTable):
        raise fail(func, "table", "must be a VintageTable (the output of monitoring.vintage_table)",
                   type(table).__name__)
    shares = table.shares
    if shares.empty:
        raise fail(func, "table", "must hold at least one cohort", "an empty VintageTable",
                   "Pass a later as_of or records with loans drawn before it.")
    ax = target_axes(ax, func=func)
    mob = shares.columns.to_numpy(dtype=np.float64)
    values = shares.to_numpy(dtype=np.float64)
    for label, row in zip(shares.index, values, strict=True):
        ax.plot(mob, row, marker="." if len(mob) <= 24 else None, label=str(label))
    what = "principal" if table.measure == "balance" else "loans"
    ax.set_xlabel("month on book")
    ax.set_ylabel(f"cumulative share of {what} {table.min_dpd}+ DPD")
    ax.set_title(f"Vintage curves, {table.min_dpd}+ DPD, as of {table.as_of.date()}")
    ax.set_ylim(bottom=0.0)
    ax.legend(title="cohort", loc="upper left", fontsize="small", ncols=1 + len(values) // 12)
    return ax


def plot_roll_rates(result: RollRates, *, period: int = -1, ax: Axes | None = None) -> Axes:
    """Plot one roll-rate matrix as a heatmap, each cell annotated with its rate.

    Parameters
    ----------
    result : RollRates
        Output of :func:`jiebei_credit.monitoring.roll_rates`.
    period : int, default -1
        Position of the period to draw (0 is the first, -1 the last).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: rows are the buckets at the period's start,
        columns the states at its end (``closed`` last), colour and text the
        rate in percent; rows without accounts are blank and marked ``n = 0``.

    Raises
    ------
    InvalidInputError
        If ``result`` is not a RollRates or ``period`` is not the position of
        one of its periods.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> from jiebei_credit.monitoring import roll_rates
    >>> from jiebei_credit.plotting import plot_roll_rates
    >>> records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2024-12-31",
    ...                                          seed=1).records
    >>> ax = plot_roll_rates(roll_rates(records, dates=["2024-03-31", "2024-04-30"]))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['current', '1-30', '31-60', '61-90', '90+', 'closed']
    >>> ax.get_title()
    'Roll rates 2024-03-31 to 2024-04-30 (accounts)'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_roll_rates"
    if not isinstance(result, RollRates):
        raise fail(func, "result", "must be a RollRates (the output of monitoring.roll_rates)",
                   type(result).__name__)
    n = len(result.dates) - 1
    p = integer(period, func=func, name="period", low=-n, high=n - 1,
                fix="Periods are numbered from 0; -1 is the last.")
    matrix = result.matrix(p).to_numpy(dtype=np.float64)
    start, end = result.periods[p]
    ax = target_axes(ax, func=func)
    image = ax.imshow(matrix, cmap="Reds", vmin=0.0, vmax=1.0, aspect="auto")
    ax.figure.colorbar(image, ax=ax, label="rate")
    totals = result.counts.to_numpy().reshape(n, len(result.buckets), -1)[p].sum(axis=1)
    for i, j in np.ndindex(matrix.shape):
        if not np.isnan(matrix[i, j]):
            ax.text(j, i, f"{100 * matrix[i, j]:.1f}%", ha="center", va="center", fontsize="small",
                    color="white" if matrix[i, j] > 0.6 else "black")
    ax.set_xticks(np.arange(len(result.states)), list(result.states))
    ax.set_yticks(np.arange(len(result.buckets)),
                  [f"{b} (n = {int(c)})" for b, c in zip(result.buckets, totals, strict=True)])
    ax.set_xlabel(f"state on {end.date()}")
    ax.set_ylabel(f"bucket on {start.date()}")
    weight = "outstanding principal" if result.measure == "balance" else "accounts"
    ax.set_title(f"Roll rates {start.date()} to {end.date()} ({weight})")
    return ax


def plot_psi_over_time(result: PSIOverTime, *, ax: Axes | None = None) -> Axes:
    """Plot the PSI of each period, coloured by its traffic light, with the two cut-offs.

    Parameters
    ----------
    result : PSIOverTime
        Output of :func:`jiebei_credit.monitoring.psi_over_time`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: a grey line through the PSI of each period
        (x = first day of the period), one marker per period coloured green,
        amber or red, and dashed horizontal lines at the amber and red
        cut-offs. Periods without rows (PSI NaN) are not drawn and break the
        line.

    Raises
    ------
    InvalidInputError
        If ``result`` is not a PSIOverTime.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.monitoring import psi_over_time
    >>> from jiebei_credit.plotting import plot_psi_over_time
    >>> rng = np.random.default_rng(0)
    >>> when = pd.to_datetime(["2024-01-15"] * 500 + ["2024-03-10"] * 500)
    >>> result = psi_over_time(rng.normal(size=2000), rng.normal(size=1000), when)
    >>> ax = plot_psi_over_time(result)
    >>> ax.get_title(), ax.get_ylabel()
    ('PSI by period (MS)', 'PSI')
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_psi_over_time"
    if not isinstance(result, PSIOverTime):
        raise fail(func, "result", "must be a PSIOverTime (the output of monitoring.psi_over_time)",
                   type(result).__name__)
    ax = target_axes(ax, func=func)
    table = result.table
    x = table.index.to_numpy()
    y = table["psi"].to_numpy(dtype=np.float64)
    ax.plot(x, y, color=REFERENCE, linewidth=1.0, zorder=1)
    colours = [LIGHTS[str(s)] for s in table["status"]]
    drawn = ~np.isnan(y)
    ax.scatter(x[drawn], y[drawn], c=[c for c, d in zip(colours, drawn, strict=True) if d], zorder=2)
    amber, red = result.thresholds
    ax.axhline(amber, color=LIGHTS["amber"], linestyle="--", linewidth=1.0, label=f"amber {amber:g}")
    ax.axhline(red, color=LIGHTS["red"], linestyle="--", linewidth=1.0, label=f"red {red:g}")
    ax.set_xlabel("period start")
    ax.set_ylabel("PSI")
    ax.set_title(f"PSI by period ({result.freq})")
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="upper left", fontsize="small")
    return ax
