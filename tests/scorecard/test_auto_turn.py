"""``monotonic='auto_turn'``: a peak or valley only when a likelihood-ratio test accepts it.

Expected binnings come from the brute force of ``test_optimal`` (every
contiguous partition, strict trends, the documented smoothed IV); the
likelihood-ratio statistic ``G`` comes from scipy's
``chi2_contingency(..., lambda_="log-likelihood")`` on the bin-by-class table,
an implementation independent of the library's.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from scipy.stats import chi2, chi2_contingency

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import BinningParams, BinStats, Scorecard, bin_feature, optimal_binning
from tests.scorecard.test_optimal import _iv, _trend_ok
from tests.strategies import fine_bin_counts

#: The test's level, as documented in ``bin_feature`` (Notes).
ALPHA = 0.05


def best_partition(goods, bads, trends, *, max_bins=6, s=0.5):
    """Brute force: the bins (as fine-bin index ranges) of highest IV among ``trends``, and that IV.

    No share or count floors beyond one good and one bad per bin (the defaults of
    ``optimal_binning`` with ``min_bin_share=0``); ties keep the first found, fewest bins first.
    """
    n = len(goods)
    best, best_bounds = -math.inf, None
    for k in range(1, min(max_bins, n) + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            bounds = [0, *cuts, n]
            segs = [(sum(goods[a:c]), sum(bads[a:c])) for a, c in itertools.pairwise(bounds)]
            if k > 1:
                if any(g < 1 or b < 1 for g, b in segs):
                    continue
                r = [math.log(g + s) - math.log(b + s) for g, b in segs]
                if not any(_trend_ok(r, t) for t in trends):
                    continue
            iv = _iv(segs, [], s)
            if iv > best + 1e-12:
                best, best_bounds = iv, bounds
    return best_bounds, best


def g_statistic(goods, bads):
    """Likelihood-ratio statistic of a binned table against one bin (scipy's G-test)."""
    table = np.column_stack([goods, bads])
    if table.shape[0] < 2:
        return 0.0
    stat, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return float(stat)


def _stats(goods, bads):
    n = len(goods)
    return BinStats(kind="numeric", edges=tuple(float(e) for e in range(1, n)), goods=tuple(goods),
                    bads=tuple(bads))  # fmt: skip


# A feature whose bad rate falls, then rises (WOE rises, then falls: a peak in WOE): bad rates
# 40 %, 20 %, 10 %, 10 %, 20 %, 40 % over six values, 100 rows each.
U_GOODS = [60.0, 80.0, 90.0, 90.0, 80.0, 60.0]
U_BADS = [40.0, 20.0, 10.0, 10.0, 20.0, 40.0]


def _rows(goods, bads):
    x = np.repeat(np.arange(1.0, len(goods) + 1), np.add(goods, bads).astype(int))
    y = np.concatenate([np.r_[np.zeros(int(g)), np.ones(int(b))] for g, b in zip(goods, bads, strict=True)])
    return x, y.astype(int)


def test_auto_turn_finds_the_u_shape():
    x, y = _rows(U_GOODS, U_BADS)
    turned = bin_feature(x, y, binning=BinningParams(monotonic="auto_turn", min_bin_share=0.0))
    plain = bin_feature(x, y, binning=BinningParams(min_bin_share=0.0))  # the default: monotone only
    # brute force over peak and valley partitions: values 3 and 4 have equal bad rates, so a
    # strict trend merges them; the rest stay apart -> bins {1}, {2}, {3, 4}, {5}, {6}
    bounds, iv = best_partition(U_GOODS, U_BADS, ("peak", "valley"))
    assert bounds == [0, 1, 2, 4, 5, 6]
    assert turned.trend == "peak"
    assert turned.edges == (2.0, 3.0, 5.0, 6.0)  # fine bin t holds the value t + 1
    assert math.isclose(turned.iv, iv, rel_tol=1e-12)
    # the best monotone binning (brute force) is what the default returns, with a lower IV: the
    # data are symmetric, so ascending ({1} | {2..6}) ties with its mirror image and wins the tie
    asc_bounds, asc_iv = best_partition(U_GOODS, U_BADS, ("ascending",))
    _, desc_iv = best_partition(U_GOODS, U_BADS, ("descending",))
    assert asc_bounds == [0, 1, 6]
    assert math.isclose(asc_iv, desc_iv, rel_tol=1e-12)
    assert plain.trend == "ascending"
    assert plain.edges == (2.0,)
    assert math.isclose(plain.iv, asc_iv, rel_tol=1e-12)
    assert plain.iv < turned.iv
    # and the turn passes the test: G gain (scipy) above the chi-square quantile
    gain = g_statistic(turned.goods, turned.bads) - g_statistic(plain.goods, plain.bads)
    df = max(1, len(turned.edges) - len(plain.edges) + 1)
    assert gain > chi2.ppf(1 - ALPHA, df)


def test_auto_turn_rejects_a_turn_in_noise():
    # a weak dip: bad rates 30 %, 25 %, 30 % on 40 rows each. The peak binning has a higher IV
    # than any monotone one, but its G gain is far below the 5 % quantile of chi-square
    goods, bads = [28.0, 30.0, 28.0], [12.0, 10.0, 12.0]
    stats = _stats(goods, bads)
    peak = optimal_binning(stats, binning=BinningParams(monotonic="peak", min_bin_share=0.0))
    mono = optimal_binning(stats, binning=BinningParams(monotonic="auto", min_bin_share=0.0))
    assert peak.iv > mono.iv
    gain = g_statistic(peak.goods, peak.bads) - g_statistic(mono.goods, mono.bads)
    assert gain < chi2.ppf(1 - ALPHA, max(1, len(peak.edges) - len(mono.edges) + 1))
    turned = optimal_binning(stats, binning=BinningParams(monotonic="auto_turn", min_bin_share=0.0))
    assert turned == mono


def test_auto_turn_on_categories_is_ascending():
    # categories are ordered by WOE, so WOE ascends: the same binning as 'auto'
    x = np.array(["a"] * 50 + ["b"] * 50 + ["c"] * 50)
    y = np.r_[np.tile([0, 0, 0, 0, 1], 10), np.tile([0, 1], 25), np.tile([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 5)]
    assert bin_feature(x, y, binning=BinningParams(monotonic="auto_turn")) == bin_feature(x, y)


def test_auto_turn_message_names_the_choices():
    with pytest.raises(InvalidInputError, match="auto_turn"):
        BinningParams(monotonic="auto_turns")


@given(counts=fine_bin_counts(max_fine=8))
def test_auto_turn_is_monotone_or_an_accepted_turn(counts):
    assume(counts["goods"].sum() > 0 and counts["bads"].sum() > 0)  # no fixed bins here
    stats = _stats(list(counts["goods"]), list(counts["bads"]))
    b = {t: optimal_binning(stats, binning=BinningParams(monotonic=t, min_bin_share=0.0))
         for t in ("auto", "auto_turn", "ascending", "descending", "peak", "valley")}  # fmt: skip
    chosen, mono = b["auto_turn"], b["auto"]
    # the chosen trend's IV is at least each monotone candidate's
    assert chosen.iv >= b["ascending"].iv - 1e-12
    assert chosen.iv >= b["descending"].iv - 1e-12
    if chosen.trend in ("peak", "valley"):
        # a turn is kept only when it is the best turn, beats the monotone IV, and passes the test
        assert chosen.iv == max(b["peak"].iv, b["valley"].iv)
        assert chosen.iv > mono.iv
        gain = g_statistic(chosen.goods, chosen.bads) - g_statistic(mono.goods, mono.bads)
        df = max(1, len(chosen.edges) - len(mono.edges) + 1)
        assert gain > chi2.ppf(1 - ALPHA, df) - 1e-9
    else:
        assert chosen == mono


def test_scorecard_with_auto_turn_keeps_the_peak_and_round_trips():
    x, y = _rows(U_GOODS, U_BADS)
    X = pd.DataFrame({"u": x})
    card = Scorecard(binning=BinningParams(monotonic="auto_turn", min_bin_share=0.0)).fit(X, pd.Series(y))
    # the card's binning is bin_feature's (same data, same parameters): the peak found above
    assert card.binnings_["u"].trend == "peak"
    assert card.binnings_["u"].edges == (2.0, 3.0, 5.0, 6.0)
    again = Scorecard.from_dict(card.to_dict())
    assert again.get_params()["binning__monotonic"] == "auto_turn"
    pd.testing.assert_series_equal(again.points(X), card.points(X))
