"""Gains table against a hand-computed table and an independent pandas computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from tests.strategies import scored_samples


def test_hand_computed_table() -> None:
    # 10 borrowers, scorecard points (higher = safer), bands [-inf,560), [560,600), [600,inf).
    y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0]
    points = [500, 540, 555, 560, 580, 590, 610, 630, 650, 700]
    t = jc.metrics.gains_table(y, points, edges=[560, 600], higher="safer")
    # Hand: band 1 = {500, 540, 555}: 3 rows, 2 bads; band 2 = {560, 580, 590}: 3 rows, 1 bad;
    # band 3 = {610, 630, 650, 700}: 4 rows, 1 bad. B = 4, G = 6, overall bad rate 0.4.
    assert t.index.tolist() == ["[-inf, 560)", "[560, 600)", "[600, inf)"]
    assert t["count"].tolist() == [3, 3, 4]
    assert t["bads"].tolist() == [2, 1, 1]
    assert t["goods"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(t["bad_rate"], [2 / 3, 1 / 3, 1 / 4])
    np.testing.assert_allclose(t["cum_bad_share"], [2 / 4, 3 / 4, 4 / 4])
    np.testing.assert_allclose(t["cum_good_share"], [1 / 6, 3 / 6, 6 / 6])
    np.testing.assert_allclose(t["cum_count_share"], [0.3, 0.6, 1.0])
    np.testing.assert_allclose(t["cum_bad_rate"], [2 / 3, 3 / 6, 4 / 10])
    np.testing.assert_allclose(t["lift"], [(2 / 3) / 0.4, (1 / 3) / 0.4, 0.25 / 0.4])
    np.testing.assert_allclose(t["cum_lift"], [(2 / 3) / 0.4, 0.5 / 0.4, 1.0])
    np.testing.assert_allclose(t["ks"], [abs(0.5 - 1 / 6), abs(0.75 - 0.5), 0.0])
    assert t["score_min"].tolist() == [500, 560, 610]
    assert t["score_max"].tolist() == [555, 590, 700]
    assert t["lower"].tolist() == [-np.inf, 560, 600]


def test_riskier_orders_highest_band_first() -> None:
    y = [0, 0, 1, 1]
    pd_ = [0.01, 0.02, 0.3, 0.5]
    t = jc.metrics.gains_table(y, pd_, edges=[0.1], higher="riskier")
    assert t.index.tolist() == ["[0.1, inf)", "[-inf, 0.1)"]
    assert t["bads"].tolist() == [2, 0]
    assert t["cum_bad_share"].tolist() == [1.0, 1.0]


def test_quantile_bands_have_about_equal_counts() -> None:
    rng = np.random.default_rng(7)
    score = rng.normal(size=1000)  # no ties: ten bands of exactly 100 rows
    y = (rng.random(1000) < 0.2).astype(int)
    y[:2] = [0, 1]
    t = jc.metrics.gains_table(y, score, bins=10, higher="riskier")
    assert t["count"].tolist() == [100] * 10


def test_ties_merge_quantile_bands() -> None:
    # Half the rows share one value: the quantile cuts collapse, fewer than 4 bands remain.
    y = [1, 0, 0, 0, 1, 0, 0, 1]
    score = [1, 1, 1, 1, 2, 3, 4, 5]
    t = jc.metrics.gains_table(y, score, bins=4, higher="riskier")
    assert t["count"].sum() == 8
    assert (t["count"] > 0).all()
    assert len(t) == 3  # [-inf, 2), [2, 4), [4, inf)


def test_empty_band_from_edges_has_zero_count_and_nan_rate() -> None:
    t = jc.metrics.gains_table([1, 0], [1.0, 2.0], edges=[5, 6], higher="safer")
    assert t["count"].tolist() == [2, 0, 0]
    assert np.isnan(t["bad_rate"].iloc[1])


@given(scored_samples(), st.integers(1, 12), st.sampled_from(["riskier", "safer"]))
def test_matches_independent_pandas_computation(
    sample: tuple[np.ndarray, np.ndarray], bins: int, higher: str
) -> None:
    y, score = sample
    t = jc.metrics.gains_table(y, score, bins=bins, higher=higher)  # type: ignore[arg-type]
    # Independent: assign bands with pd.cut on the table's own edges, group, then cumulate.
    edges = sorted(set(t["lower"]) | set(t["upper"]))
    band = pd.cut(score, bins=edges, right=False, labels=False)
    df = pd.DataFrame({"y": y, "band": band})
    g = df.groupby("band")["y"].agg(["size", "sum"]).reindex(range(len(edges) - 1), fill_value=0)
    if higher == "riskier":
        g = g.iloc[::-1]
    assert t["count"].tolist() == g["size"].tolist()
    assert t["bads"].tolist() == g["sum"].tolist()
    cum_bad = g["sum"].cumsum() / y.sum()
    cum_good = (g["size"] - g["sum"]).cumsum() / (len(y) - y.sum())
    np.testing.assert_allclose(t["cum_bad_share"], cum_bad, atol=1e-12)
    np.testing.assert_allclose(t["ks"], (cum_bad - cum_good).abs(), atol=1e-12)
    assert t["cum_bad_share"].iloc[-1] == pytest.approx(1.0)
    assert t["ks"].max() <= jc.metrics.ks(y, score, higher="riskier") + 1e-12
    assert len(t) <= bins


def test_rejects_bad_band_parameters() -> None:
    with pytest.raises(InvalidInputError, match=r"gains_table: bins must be an integer >= 1; got 0"):
        jc.metrics.gains_table([1, 0], [1, 2], bins=0, higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"gains_table: edges must be strictly increasing; got 1 value \(1.0\) at position 1\.",
    ):
        jc.metrics.gains_table([1, 0], [1, 2], edges=[3, 1], higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"edges must be finite; got 1 value \(-inf\) at position 0\. Cut points are finite; the "
        r"outer bands are already open-ended\.",
    ):
        jc.metrics.gains_table([1, 0], [1, 2], edges=[-np.inf, 1], higher="riskier")
    with pytest.raises(InvalidInputError, match=r"higher must be one of 'riskier', 'safer'"):
        jc.metrics.gains_table([1, 0], [1, 2], higher="up")  # type: ignore[arg-type]


def test_many_edges_give_the_same_bands_as_pandas_cut() -> None:
    # More than 64 cut points takes the binary-search path; few take the comparison path.
    rng = np.random.default_rng(5)
    score = np.round(rng.normal(600, 50, 5000))
    y = (rng.random(5000) < 0.1).astype(int)
    for n_edges in (3, 64, 65, 200):
        edges = np.linspace(450, 750, n_edges)
        t = jc.metrics.gains_table(y, score, edges=edges, higher="safer")
        band = pd.cut(score, bins=[-np.inf, *edges, np.inf], right=False, labels=False)
        counts = np.bincount(band, minlength=n_edges + 1)
        assert t["count"].tolist() == counts.tolist()
