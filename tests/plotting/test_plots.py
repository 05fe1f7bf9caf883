"""Plots draw the numbers the metrics compute, on the caller's Axes, and never show or save."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats
from sklearn.metrics import roc_curve as sk_roc_curve

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.plotting import (
    plot_binning,
    plot_calibration,
    plot_ks,
    plot_psi,
    plot_roc,
    plot_score_distribution,
)


@pytest.fixture(autouse=True)
def _no_show_no_save(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plotting functions must not show or save figures")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(Figure, "savefig", refuse)
    yield
    plt.close("all")


@pytest.fixture
def sample() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    n = 600
    y = (rng.random(n) < 0.2).astype(int)
    points = np.round(rng.normal(620, 35, n) - 45 * y)
    return y, points


def test_plot_roc_draws_the_roc_curve(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, points = sample
    _, ax = plt.subplots()
    figures = plt.get_fignums()
    out = plot_roc(y, points, higher="safer", ax=ax, label="model")
    assert out is ax
    assert plt.get_fignums() == figures  # drew on the given Axes, made no figure
    fpr, tpr, _ = sk_roc_curve(y, -points, drop_intermediate=False)  # sklearn: higher = bad
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), fpr, atol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), tpr, atol=1e-12)
    area = jc.metrics.auc(y, points, higher="safer")
    assert ax.get_legend().get_texts()[0].get_text() == f"model (AUC = {area:.3f})"
    plot_roc(y, points + 1.0, higher="safer", ax=ax)
    assert len(ax.get_lines()) == 3  # two curves, one shared diagonal


def test_plot_roc_without_ax_makes_a_new_figure(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, points = sample
    before = len(plt.get_fignums())
    ax = plot_roc(y, points, higher="safer")
    assert isinstance(ax, Axes)
    assert len(plt.get_fignums()) == before + 1


def test_plot_ks_marks_the_ks_statistic(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, points = sample
    ax = plot_ks(y, points, higher="safer")
    expected = stats.ks_2samp(points[y == 1], points[y == 0], method="asymp").statistic
    title = ax.get_title()
    assert title.startswith(f"KS = {expected:.3f} at score ")
    segment = ax.collections[0].get_segments()[0]
    assert abs(segment[1, 1] - segment[0, 1]) == pytest.approx(expected)


def test_plot_score_distribution_heights_are_densities(sample: tuple[np.ndarray, np.ndarray]) -> None:
    y, points = sample
    ax = plot_score_distribution(y, points, bins=12)
    assert len(ax.patches) == 24
    edges = np.histogram_bin_edges(points, bins=12)
    goods, _ = np.histogram(points[y == 0], bins=edges, density=True)
    heights = [p.get_height() for p in ax.patches[:12]]
    np.testing.assert_allclose(heights, goods)


def test_plot_binning_with_a_real_binning() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    x[:40] = np.nan
    y = (rng.random(2000) < 1 / (1 + np.exp(2 + x))).astype(int)
    binning = jc.scorecard.bin_feature(x, y, binning=jc.scorecard.BinningParams(max_bins=5))
    table = binning.table
    ax = plot_binning(binning)
    np.testing.assert_allclose([p.get_height() for p in ax.patches], table["count"])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(binning.labels)
    twin = next(a for a in ax.figure.axes if a is not ax)
    np.testing.assert_allclose(twin.get_lines()[0].get_ydata(), table["bad_rate"])
    assert ax.get_title() == f"Binning (IV = {binning.iv:.3f})"
    ax = plot_binning(binning, line="woe")
    twin = next(a for a in ax.figure.axes if a is not ax)
    np.testing.assert_allclose(twin.get_lines()[0].get_ydata(), table["woe"])


def test_plot_binning_titles_with_the_feature_name() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"util_90d": rng.random(1500), "inq": rng.poisson(1.0, 1500)})
    y = (rng.random(1500) < 0.05 + 0.3 * X["util_90d"]).astype(int)
    named = jc.scorecard.bin_feature(X["util_90d"], y, binning=jc.scorecard.BinningParams(max_bins=4),
                                     name="util_90d")
    assert plot_binning(named).get_title() == f"util_90d (IV = {named.iv:.3f})"
    # the binnings a fitted transformer holds carry their column's name
    fitted = jc.scorecard.WOETransformer(
        binning=jc.scorecard.BinningParams(max_bins=3)).fit(X, y).binnings_["inq"]
    assert plot_binning(fitted).get_title() == f"inq (IV = {fitted.iv:.3f})"
    plt.close("all")


def test_plot_calibration_points_and_intervals() -> None:
    grades = ["A"] * 200 + ["B"] * 200
    y = np.r_[np.ones(3), np.zeros(197), np.ones(40), np.zeros(160)]
    pd_ = np.r_[np.full(200, 0.02), np.full(200, 0.1)]
    t = jc.metrics.calibration_table(y, pd_, grades=grades)
    ax = plot_calibration(t)
    # B: 40 defaults of 200 at PD 10 %: Jeffreys p far below 0.05, drawn as "PD too low".
    offsets = [c.get_offsets() for c in ax.collections if c.get_label().startswith(("observed", "PD too"))]
    points = np.vstack(offsets)
    np.testing.assert_allclose(sorted(points[:, 1]), sorted(t["default_rate"]))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "PD too low (p < 0.05)" in labels
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), t["pd_mean"])


def test_plot_psi_bars_are_the_shares() -> None:
    r = jc.metrics.psi([1.0, 1.5, 5.0], [5.0, 6.0, 7.0], edges=[2, 4])
    ax = plot_psi(r)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights[:3], r.table["reference_share"])
    np.testing.assert_allclose(heights[3:], r.table["current_share"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["[-inf, 2)*", "[2, 4)*", "[4, inf)"]
    assert ax.get_title() == f"PSI = {r.value:.3f} ({r.status})"


def test_bad_arguments() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"plot_roc: ax must be a matplotlib"
        r" Axes or None; got str",
    ):
        plot_roc([0, 1], [0.1, 0.2], ax="left", higher="riskier")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"plot_binning: binning must have a table"):
        plot_binning(object())
    with pytest.raises(
        InvalidInputError,
        match=r"plot_binning: line must be one of"
        r" 'bad_rate', 'woe'",
    ):
        plot_binning(object(), line="iv")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError,
        match=r"plot_calibration: table must have the columns of the matching jiebei_credit output; "
        r"got a table lacking columns \['jeffreys_p'\]",
    ):
        plot_calibration(pd.DataFrame(columns=["default_rate", "pd_mean", "ci_lower", "ci_upper"]))
    with pytest.raises(InvalidInputError, match=r"plot_psi: result must be a PSIResult"):
        plot_psi(0.12)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError,
        match=r"plot_score_distribution: bins must"
        r" be an integer in \[1, 10000\]; got 0\.",
    ):
        plot_score_distribution([0, 1], [1.0, 2.0], bins=0)
    with pytest.raises(
        InvalidInputError,
        match=r"plot_ks: y must hold both bads \(1\) and goods \(0\); got 2 goods and no bads",
    ):
        plot_ks([0, 0], [1.0, 2.0], higher="riskier")


def test_missing_matplotlib_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'jiebei-credit\[plot\]'"):
        plot_roc([0, 1], [0.1, 0.2], higher="riskier")


def test_importing_the_library_does_not_import_matplotlib() -> None:
    code = (
        "import sys, jiebei_credit, jiebei_credit.plotting, jiebei_credit.monitoring;"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_public_names_are_pinned() -> None:
    import jiebei_credit.plotting as jcp

    assert sorted(jcp.__all__) == [
        "plot_binning",
        "plot_calibration",
        "plot_ks",
        "plot_psi",
        "plot_psi_over_time",
        "plot_roc",
        "plot_roll_rates",
        "plot_score_distribution",
        "plot_vintage",
    ]
