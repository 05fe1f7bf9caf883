"""plot_psi_over_time draws the PSI that monitoring.psi_over_time computes, with its lights."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.monitoring import PSIOverTime, psi_over_time
from jiebei_credit.plotting import plot_psi_over_time

# The traffic-light colours of the plotting module (its documented palette)
GREEN, AMBER, RED = "#55A868", "#E1A33B", "#C44E52"


@pytest.fixture(autouse=True)
def _no_show_no_save(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plotting functions must not show or save figures")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(Figure, "savefig", refuse)
    yield
    plt.close("all")


def _result() -> PSIOverTime:
    rng = np.random.default_rng(0)
    when = pd.to_datetime(["2024-01-10"] * 800 + ["2024-03-05"] * 800 + ["2024-04-20"] * 800)
    values = np.r_[rng.normal(0, 1, 800), rng.normal(0.4, 1, 800), rng.normal(1.2, 1, 800)]
    return psi_over_time(rng.normal(0, 1, 4000), values, when)


def test_draws_one_marker_per_non_empty_period_in_its_light() -> None:
    r = _result()
    assert r.table["status"].tolist() == ["green", "insufficient", "amber", "red"]
    ax = plot_psi_over_time(r)
    (points,) = ax.collections
    offsets = points.get_offsets()
    drawn = r.table.loc[r.table["n"] > 0]
    np.testing.assert_allclose(offsets[:, 1], drawn["psi"].to_numpy())
    np.testing.assert_allclose(offsets[:, 0], date2num(drawn.index.to_pydatetime()))
    np.testing.assert_allclose(points.get_facecolors(), [to_rgba(c) for c in (GREEN, AMBER, RED)])
    line, amber, red = ax.get_lines()
    assert np.isnan(line.get_ydata()[1])  # the empty month breaks the line, it is not drawn at 0
    assert amber.get_ydata()[0] == pytest.approx(0.1)
    assert red.get_ydata()[0] == pytest.approx(0.25)
    assert ax.get_title() == "PSI by period (MS)"


def test_draws_on_the_given_axes() -> None:
    _, ax = plt.subplots()
    assert plot_psi_over_time(_result(), ax=ax) is ax


def test_wrong_types_are_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^plot_psi_over_time: result must be a PSIOverTime"):
        plot_psi_over_time(_result().table)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^plot_psi_over_time: ax must be a matplotlib Axes or None"):
        plot_psi_over_time(_result(), ax="left")  # type: ignore[arg-type]
