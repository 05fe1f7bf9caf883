"""plot_vintage and plot_roll_rates draw the numbers the monitoring functions compute."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.monitoring import RollRates, VintageTable, roll_rates, vintage_table
from jiebei_credit.plotting import plot_roll_rates, plot_vintage


@pytest.fixture(autouse=True)
def _no_show_no_save(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plotting functions must not show or save figures")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(Figure, "savefig", refuse)
    yield
    plt.close("all")


@cache
def records() -> jc.records.RecordSet:
    return jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2023-12-31", seed=11).records


@cache
def vintage() -> VintageTable:
    return vintage_table(records(), as_of="2024-01-01", measure="balance")


@cache
def rolls() -> RollRates:
    return roll_rates(records(), dates=["2023-09-30", "2023-10-31", "2023-11-30"])


def test_plot_vintage_draws_one_curve_per_cohort() -> None:
    vt = vintage()
    ax = plot_vintage(vt)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [str(c) for c in vt.shares.index]
    for line, (_, row) in zip(lines, vt.shares.iterrows(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), vt.shares.columns.to_numpy(dtype=float))
        # the y values are the shares, NaN (not drawn) where the cell is not observable, never 0
        np.testing.assert_array_equal(line.get_ydata(), row.to_numpy(dtype=float))
    assert ax.get_xlabel() == "month on book"
    assert "principal 30+ DPD" in ax.get_ylabel()
    assert ax.get_title() == "Vintage curves, 30+ DPD, as of 2024-01-01"


def test_plot_vintage_gives_every_cohort_its_own_colour() -> None:
    # more cohorts than the default colour cycle has colours (10): none may repeat
    records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2026-01-01", seed=1).records
    vt = vintage_table(records, as_of="2026-01-01", cohort="quarter")
    assert len(vt.shares) > 10
    ax = plot_vintage(vt)
    colours = [matplotlib.colors.to_hex(line.get_color()) for line in ax.get_lines()]
    assert len(set(colours)) == len(colours)
    plt.close(ax.figure)


def test_plots_draw_on_the_given_axes() -> None:
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_vintage(vintage(), ax=left) is left
    assert plot_roll_rates(rolls(), ax=right) is right
    assert len(fig.axes) == 3  # the two Axes and the heatmap's colour bar; no new figure
    assert plt.get_fignums() == [fig.number]


def test_plot_roll_rates_draws_the_matrix() -> None:
    rr = rolls()
    for period in (0, -1):
        ax = plot_roll_rates(rr, period=period)
        image = ax.get_images()[0].get_array()
        matrix = rr.matrix(period).to_numpy()
        np.testing.assert_array_equal(np.ma.filled(image, np.nan), matrix)
        texts = [t.get_text() for t in ax.texts]
        assert texts == [f"{100 * v:.1f}%" for v in matrix.reshape(-1) if not np.isnan(v)]
        assert [t.get_text() for t in ax.get_xticklabels()] == list(rr.states)
        totals = rr.counts.to_numpy().reshape(2, 5, 6)[period].sum(axis=1)
        assert [t.get_text() for t in ax.get_yticklabels()] == [
            f"{b} (n = {n})" for b, n in zip(rr.buckets, totals, strict=True)]
    start, end = rr.periods[0]
    title = plot_roll_rates(rr, period=0).get_title()
    assert title == f"Roll rates {start.date()} to {end.date()} (accounts)"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plot_vintage(rolls()), r"^plot_vintage: table must be a VintageTable"),
        (lambda: plot_vintage(vintage().shares), r"^plot_vintage: table must be a VintageTable"),
        (lambda: plot_vintage(vintage_table(records(), as_of="2023-01-15")),
         r"^plot_vintage: table must hold at least one cohort"),
        (lambda: plot_roll_rates(vintage()), r"^plot_roll_rates: result must be a RollRates"),
        (lambda: plot_roll_rates(rolls(), period=2),
         r"^plot_roll_rates: period must be an integer in \[-2, 1\]"),
        (lambda: plot_roll_rates(rolls(), period=0.0), r"^plot_roll_rates: period must be an integer"),
        (lambda: plot_vintage(vintage(), ax="left"), r"^plot_vintage: ax must be a matplotlib Axes or None"),
    ],
)
def test_bad_input_is_refused(call: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()  # type: ignore[operator]


def test_returns_axes() -> None:
    assert isinstance(plot_vintage(vintage()), Axes)
    assert isinstance(plot_roll_rates(rolls()), Axes)
