"""Bins fixed by hand: ``user_bins`` at fit and ``with_bins`` on a fitted card (issue 17 item 8)."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard, WOETransformer

BINS = {"util": [0.25, 0.5, 0.75], "city": [["a"], ["b", "c", "d"]]}


def _data(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"util": rng.random(n), "inq": rng.poisson(1.0, n).astype(float),
                      "city": rng.choice(list("abcd"), n)})
    lin = -3 + 2 * X["util"] + 0.5 * X["inq"] + (X["city"] == "a")
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-lin))).astype(int))
    return X, y


def test_user_bins_fix_the_bins_and_their_counts():
    X, y = _data()
    card = Scorecard(binning=BinningParams(max_bins=4), user_bins=BINS).fit(X, y)
    util, city = card.binnings_["util"], card.binnings_["city"]
    assert util.edges == (0.25, 0.5, 0.75)
    assert city.groups == (("a",), ("b", "c", "d"))
    # counts per bin are the rows in each bin (independent count with pandas)
    counts = pd.cut(X["util"], [-np.inf, 0.25, 0.5, 0.75, np.inf], right=False).value_counts(sort=False)
    np.testing.assert_array_equal(np.add(util.goods, util.bads), counts.to_numpy())
    assert city.bads[0] == y[X["city"] == "a"].sum()


def test_with_bins_equals_a_fit_with_the_same_user_bins():
    X, y = _data()
    card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
    before = card.to_dict()
    new = card.with_bins(BINS, X, y)
    assert new is not card
    assert card.to_dict() == before  # the original card is untouched
    assert new.binnings_["inq"].edges == card.binnings_["inq"].edges  # other bins unchanged
    direct = Scorecard(binning=BinningParams(max_bins=4), user_bins=BINS).fit(X, y)
    # the other column's bins coincide (the same data gives the same optimal bins), so the cards do
    assert direct.binnings_["inq"] == new.binnings_["inq"]
    assert new.to_dict() == direct.to_dict()


def test_with_bins_refits_only_on_the_data_supplied():
    X, y = _data()
    card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
    X2, y2 = _data(seed=1)
    new = card.with_bins({"util": [0.5]}, X2, y2)
    assert new.binnings_["inq"].edges == card.binnings_["inq"].edges
    assert new.n_obs_ == len(X2)
    # counts of the kept bins are recounted on the new data
    assert sum(new.binnings_["inq"].goods) + sum(new.binnings_["inq"].bads) == len(X2)


def test_user_bins_round_trip_through_to_dict_and_sql():
    X, y = _data()
    card = Scorecard(binning=BinningParams(max_bins=4), user_bins=BINS).fit(X, y)
    d = json.loads(json.dumps(card.to_dict()))
    assert d["params"]["user_bins"] == BINS
    back = Scorecard.from_dict(d)
    assert back.to_dict() == card.to_dict()
    con = sqlite3.connect(":memory:")
    try:
        X.rename_axis("id").reset_index().to_sql("features", con, index=False)
        got = dict(con.execute(card.to_sql("features", key="id")).fetchall())
    finally:
        con.close()
    np.testing.assert_allclose([got[k] for k in X.index], card.points(X).to_numpy(), rtol=0, atol=1e-9)


def test_woe_transformer_accepts_the_same_user_bins():
    X, y = _data()
    woe = WOETransformer(user_bins=BINS).fit(X, y)
    assert woe.binnings_["util"].edges == (0.25, 0.5, 0.75)
    assert woe.binnings_["city"].groups == (("a",), ("b", "c", "d"))


@pytest.mark.parametrize(
    ("bins", "message"),
    [
        ({"util": [0.5, 0.25]}, r"user_bins\['util'\] must be strictly increasing edges"),
        ({"util": [0.5, np.inf]}, r"user_bins\['util'\]\[1\] must be a finite number"),
        ({"city": [["a", "b"], ["b", "c", "d"]]}, r"user_bins\['city'\] must be disjoint, non-empty groups"),
        ({"nope": [1.0]}, r"user_bins must name columns of X; got unknown columns 'nope'"),
        ({"city": [["a"], ["b"]]}, (r"column 'city' must hold only categories of its user_bins groups; "
                                    r"got 2 other categories: 'c', 'd'")),
        ({"util": [2.0, 3.0]}, r"user_bins for column 'util' must give every bin rows; got empty bins 1, 2"),
        ({"city": [0.5]}, r"user_bins for column 'city' must be groups of categories"),
        ({"util": [["a"]]}, r"user_bins for column 'util' must be edges"),
    ],
)
def test_user_bins_are_validated(bins, message):
    X, y = _data()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: " + message):
        Scorecard(user_bins=bins).fit(X, y)


def test_bin_feature_accepts_the_same_user_bins():
    from jiebei_credit.scorecard import bin_feature

    X, y = _data()
    b = bin_feature(X["util"], y, user_bins=BINS["util"], name="util")
    card = Scorecard(binning=BinningParams(max_bins=4), user_bins=BINS).fit(X, y)
    assert b.edges == card.binnings_["util"].edges
    assert b.goods == card.binnings_["util"].goods
    assert b.bads == card.binnings_["util"].bads
    g = bin_feature(X["city"], y, user_bins=BINS["city"])
    assert g.groups == (("a",), ("b", "c", "d"))
    with pytest.raises(InvalidInputError, match=r"^bin_feature: user_bins\['x'\] must be strictly "
                       r"increasing"):
        bin_feature(X["util"], y, user_bins=[0.5, 0.1])
