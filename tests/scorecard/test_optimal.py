"""The optimal merge equals brute force over every contiguous partition.

The brute force below is an independent implementation of the objective
documented in ``docs/user_guide/04_binning.rst`` ("The objective"): smoothed
shares with the table's own bin count ``K`` in the denominators, strict WOE
trends, and the single-bin fallback.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jiebei_credit.scorecard import BinningParams, BinStats, optimal_binning
from tests.strategies import fine_bin_counts

TRENDS = ["auto", "ascending", "descending", "peak", "valley", "none"]


def _iv(segments, fixed, s):
    g_tot = sum(g for g, _ in segments + fixed)
    b_tot = sum(b for _, b in segments + fixed)
    k = len(segments) + len(fixed)
    total = 0.0
    for g, b in segments + fixed:
        p = (g + s) / (g_tot + k * s)
        q = (b + s) / (b_tot + k * s)
        total += (p - q) * math.log(p / q)
    return total


def _trend_ok(r, trend):
    up = [b > a for a, b in itertools.pairwise(r)]
    down = [b < a for a, b in itertools.pairwise(r)]
    k = len(up)
    return {
        "ascending": all(up),
        "descending": all(down),
        "auto": all(up) or all(down),
        "none": True,
        "peak": any(all(up[:t]) and all(down[t:]) for t in range(k + 1)),
        "valley": any(all(down[:t]) and all(up[t:]) for t in range(k + 1)),
    }[trend]


def brute_force(goods, bads, fixed, *, max_bins, min_share, min_goods, min_bads, trend, s=0.5):
    """Best IV over every contiguous partition into at most ``max_bins`` bins meeting the constraints.

    Partitions are enumerated as ``C(n - 1, k - 1)`` cut sets for ``k <= max_bins``, which is
    every partition the merge may return, and stays tractable for more fine bins.
    """
    n = len(goods)
    total = sum(goods) + sum(bads) + sum(g + b for g, b in fixed)
    best = -math.inf
    for k in range(1, min(max_bins, n) + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            bounds = [0, *cuts, n]
            segs = [(sum(goods[a:c]), sum(bads[a:c])) for a, c in itertools.pairwise(bounds)]
            if k > 1:
                if any(
                    g + b <= 0 or (g + b) / total < min_share or g < min_goods or b < min_bads
                    for g, b in segs
                ):
                    continue
                r = [math.log(g + s) - math.log(b + s) for g, b in segs]
                if not _trend_ok(r, trend):
                    continue
            best = max(best, _iv(segs, fixed, s))
    return best


def _check_merge(counts, *, trend, max_bins, min_share, min_goods, min_bads):
    """Fit the merge on ``counts`` (fixed bins as special values) and compare with brute force."""
    goods, bads = list(counts["goods"]), list(counts["bads"])
    fixed = list(zip(counts["fixed_goods"], counts["fixed_bads"], strict=True))
    # numeric BinStats with edges 1..n-1 puts fine bin t at value t; fixed bins are special values
    n = len(goods)
    stats = BinStats(
        kind="numeric",
        edges=tuple(float(e) for e in range(1, n)),
        goods=tuple(goods),
        bads=tuple(bads),
        special_values=tuple(float(-1 - k) for k in range(len(fixed))),
        special_goods=tuple(g for g, _ in fixed),
        special_bads=tuple(b for _, b in fixed),
    )
    binning = optimal_binning(
        stats,
        binning=BinningParams(max_bins=max_bins, min_bin_share=min_share, monotonic=trend,
                              min_bin_goods=min_goods, min_bin_bads=min_bads, min_category_share=0.0),
    )
    expected = brute_force(
        goods, bads, fixed, max_bins=max_bins, min_share=min_share, min_goods=min_goods,
        min_bads=min_bads, trend=trend,
    )  # fmt: skip
    assert math.isclose(binning.iv, expected, rel_tol=1e-12, abs_tol=1e-12)
    # the returned bins themselves meet every constraint
    k = binning.n_regular
    assert k <= max_bins
    table = binning.table
    regular = table.iloc[:k]
    if k > 1:
        assert (regular["count"] / table["count"].sum() >= min_share).all()
        assert (regular["goods"] >= min_goods).all()
        assert (regular["bads"] >= min_bads).all()
        assert _trend_ok(list(regular["woe"]), trend if trend != "auto" else binning.trend)


@given(
    counts=fine_bin_counts(max_fine=9),
    trend=st.sampled_from(TRENDS),
    max_bins=st.integers(1, 7),
    min_share=st.sampled_from([0.0, 0.05, 0.1, 0.2]),
    min_goods=st.integers(0, 3),
    min_bads=st.integers(0, 3),
)
def test_merge_matches_brute_force(counts, trend, max_bins, min_share, min_goods, min_bads):
    _check_merge(
        counts, trend=trend, max_bins=max_bins, min_share=min_share, min_goods=min_goods,
        min_bads=min_bads,
    )  # fmt: skip


@given(counts=fine_bin_counts(max_fine=9))
def test_auto_is_the_better_of_ascending_and_descending(counts):
    assume(counts["goods"].sum() > 0 and counts["bads"].sum() > 0)  # no fixed bins here
    n = counts["goods"].size
    stats = BinStats(
        kind="numeric",
        edges=tuple(float(e) for e in range(1, n)),
        goods=tuple(counts["goods"]),
        bads=tuple(counts["bads"]),
    )
    ivs = {
        t: optimal_binning(stats, binning=BinningParams(monotonic=t, min_bin_share=0.0)).iv
        for t in ("auto", "ascending", "descending", "peak", "none")
    }
    assert ivs["auto"] == max(ivs["ascending"], ivs["descending"])
    # relaxing the constraint never lowers the optimum
    assert ivs["peak"] >= ivs["auto"] - 1e-12
    assert ivs["none"] >= ivs["peak"] - 1e-12


def test_hand_computed_two_bin_table():
    # fine bins: x < 1 has 3 goods / 1 bad, x >= 1 has 1 good / 3 bads; s = 0.5, K = 2:
    # p = 3.5/5 = 0.7, q = 1.5/5 = 0.3 -> WOE = ln(7/3) = 0.847298, IV term = 0.4 * 0.847298
    stats = BinStats(kind="numeric", edges=(1.0,), goods=(3.0, 1.0), bads=(1.0, 3.0))
    b = optimal_binning(stats, binning=BinningParams(min_bin_share=0.0))
    np.testing.assert_allclose(b.table["woe"], [math.log(7 / 3), -math.log(7 / 3)], rtol=1e-12)
    np.testing.assert_allclose(b.table["iv"], [0.4 * math.log(7 / 3)] * 2, rtol=1e-12)
    assert math.isclose(b.iv, 0.8 * math.log(7 / 3), rel_tol=1e-12)
    assert b.trend == "descending"


@settings(max_examples=30)
@given(
    counts=fine_bin_counts(max_fine=16),
    trend=st.sampled_from(TRENDS),
    max_bins=st.integers(1, 5),
    min_share=st.sampled_from([0.0, 0.03, 0.08]),
    min_goods=st.integers(0, 2),
    min_bads=st.integers(0, 2),
)
def test_merge_matches_brute_force_with_more_fine_bins(
    counts, trend, max_bins, min_share, min_goods, min_bads
):
    # more fine bins than the test above: many candidate predecessors per boundary and
    # ties in bad rate, which exercise the sorted running maxima of the dynamic programme
    _check_merge(
        counts, trend=trend, max_bins=max_bins, min_share=min_share, min_goods=min_goods,
        min_bads=min_bads,
    )  # fmt: skip


def test_merge_with_ties_in_bad_rate():
    # ten identical fine bins: merged bins of equal length have exactly equal WOE, so strict
    # trends must reject equal neighbours; compared with the brute force
    goods, bads = [9.0] * 10, [1.0] * 10
    stats = BinStats(kind="numeric", edges=tuple(float(e) for e in range(1, 10)),
                     goods=tuple(goods), bads=tuple(bads))  # fmt: skip
    for trend in ("ascending", "descending", "peak", "valley", "none"):
        b = optimal_binning(stats, binning=BinningParams(monotonic=trend, min_bin_share=0.0, max_bins=4))
        expected = brute_force(goods, bads, [], max_bins=4, min_share=0.0, min_goods=1,
                               min_bads=1, trend=trend)  # fmt: skip
        assert math.isclose(b.iv, expected, rel_tol=1e-12, abs_tol=1e-15)
        if trend != "none":
            assert (np.diff(b.table["woe"].to_numpy()) != 0).all()  # strict: no equal neighbours
