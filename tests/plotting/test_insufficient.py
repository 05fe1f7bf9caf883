"""A PSI result without evidence is drawn in grey, with its status in the title."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

import jiebei_credit as jc
from jiebei_credit.metrics import PSIResult
from jiebei_credit.plotting import plot_psi


def test_an_insufficient_psi_result_is_drawn_in_grey() -> None:
    table = jc.metrics.psi([1.0, 2.0, 3.0], [1.0, 2.0, 2.0], edges=[2.0]).table
    ax = plot_psi(PSIResult(value=float("nan"), status="insufficient", table=table, empty_bins=()))
    assert ax.get_title() == "PSI = nan (insufficient)"
    assert to_hex(ax.title.get_color()) == "#8c8c8c"
    plt.close(ax.figure)
