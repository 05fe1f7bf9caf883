"""Values not seen in development: the ``unseen`` policies, row flags, persistence, SQL and reasons.

Minimal reproduction of issue 17 item 1: with the old default ``unseen="raise"``
one new category (even in a column whose card pools rare categories) or one
missing value in a column that had none in training failed the whole batch.
"""

from __future__ import annotations

import json
import math
import sqlite3
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard

FIXTURES = Path(__file__).parent / "fixtures"


def _data(n: int = 4000, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """``util`` (numeric, never missing) and ``city`` (three common and four rare categories)."""
    rng = np.random.default_rng(seed)
    util = rng.random(n)
    city = rng.choice(list("abcdefg"), n, p=[0.4, 0.3, 0.25, 0.02, 0.015, 0.01, 0.005])
    lin = -1.5 + 1.5 * util + np.where(city == "a", -0.5, 0.4)
    y = (rng.random(n) < 1 / (1 + np.exp(-lin))).astype(int)
    return pd.DataFrame({"util": util, "city": city}), y


NEW = pd.DataFrame({"util": [0.2, np.nan, 0.7], "city": ["a", "b", "zz"]}, index=[10, 11, 12])


def _neutral(card: Scorecard) -> float:
    """Points of WOE 0: offset/m - factor * intercept/m (class docstring formula with w = 0)."""
    m = len(card.features_)
    return card.scaling_.offset / m - card.scaling_.factor * card.intercept_ / m


def _bin_points(card: Scorecard, f: str, value: object) -> float:
    return card.points_[f][int(card.binnings_[f].bin_index(pd.Series([value]))[0])]


@pytest.fixture(scope="module")
def fitted() -> dict[str, Scorecard]:
    X, y = _data()
    return {u: Scorecard(binning=BinningParams(max_bins=4, min_category_share=0.05, unseen=u)).fit(X, y)
            for u in ("raise", "worst", "neutral", "missing", "rare")}


def test_default_never_fails_and_uses_the_rare_bin(fitted):
    X, y = _data()
    card = Scorecard(binning=BinningParams(max_bins=4, min_category_share=0.05)).fit(X, y)
    assert card.binning.unseen == "rare"
    b = card.binnings_["city"]
    # d, e, f, g are each below 5 % of the rows: pooled into one bin, recorded as rare_bin
    assert b.rare_bin >= 0
    assert {"d", "e", "f", "g"} <= set(b.groups[b.rare_bin])
    with pytest.warns(DataWarning, match=r"^Scorecard\.points: values not seen in development were scored "
                      r"with unseen='rare' \('util': 1 row, 'city': 1 row\); Scorecard\.unseen_flags\(X\)"):
        got = card.points(NEW)
    # row 11: NaN in a column without a missing bin -> neutral; row 12: new category -> rare bin
    assert got.loc[11] == pytest.approx(_neutral(card) + _bin_points(card, "city", "b"), rel=1e-12)
    assert got.loc[12] == pytest.approx(_bin_points(card, "util", 0.7) + card.points_["city"][b.rare_bin],
                                        rel=1e-12)
    assert got.loc[10] == _bin_points(card, "util", 0.2) + _bin_points(card, "city", "a")
    assert card.to_dict()["params"]["unseen"] == "rare"


def test_transformer_and_bin_feature_default_never_fail_either():
    # the same default as the card: a pipeline with WOETransformer scores the batch too
    from jiebei_credit.scorecard import WOETransformer, bin_feature

    X, y = _data()
    woe = WOETransformer(binning=BinningParams(max_bins=4, min_category_share=0.05)).fit(X, y)
    assert woe.binning.unseen == "rare"
    with pytest.warns(DataWarning, match=r"^WOETransformer\.transform: values not seen in development were "
                      r"scored with unseen='rare' \('util': 1 row, 'city': 1 row\); "
                      r"WOETransformer\.unseen_flags\(X\)"):
        got = woe.transform(NEW)
    assert woe.unseen_flags(NEW).to_numpy().tolist() == [[False, False], [True, False], [False, True]]
    city = woe.binnings_["city"]
    # new category 'zz' -> the pooled rare bin's WOE; NaN util (no missing bin) -> neutral, WOE 0
    assert got.loc[12, "city"] == city.table["woe"].iloc[city.rare_bin]
    assert got.loc[11, "util"] == 0.0
    b = bin_feature(X["city"], y, binning=BinningParams(max_bins=4, min_category_share=0.05))
    assert b.unseen == "rare"
    assert b.woe(["zz"])[0] == b.table["woe"].iloc[b.rare_bin]


def test_each_policy_scores_as_documented(fitted):
    raise_ = fitted["raise"]
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.points: column 'util' must hold only values "
                       r"seen in training \(unseen='raise'\); got unseen missing: 1 value \(nan\) "
                       r"at row 11\."):
        raise_.points(NEW)
    for policy, card in fitted.items():
        if policy == "raise":
            continue
        with pytest.warns(DataWarning):
            got = card.points(NEW)
        b = card.binnings_["city"]
        util_pts = np.asarray(card.points_["util"])
        city_pts = np.asarray(card.points_["city"])
        neutral = _neutral(card)
        # expected points of the NaN (util) and of the new category (city) per the policy's definition
        nan_pts, new_pts = {
            "worst": (util_pts.min(), city_pts.min()),  # lowest WOE = fewest points (negative coef)
            "neutral": (neutral, neutral),
            "missing": (neutral, neutral),  # no missing bin was fitted in either column
            "rare": (neutral, city_pts[b.rare_bin]),
        }[policy]
        assert got.loc[11] == pytest.approx(nan_pts + _bin_points(card, "city", "b"), rel=1e-12), policy
        assert got.loc[12] == pytest.approx(_bin_points(card, "util", 0.7) + new_pts, rel=1e-12), policy


def test_missing_policy_uses_the_missing_bin_when_fitted():
    X, y = _data()
    X = X.assign(city=X["city"].where(np.arange(len(X)) % 10 > 0, None))  # 10 % missing at fit
    card = Scorecard(binning=BinningParams(max_bins=4, min_category_share=0.05, unseen="missing")).fit(X, y)
    b = card.binnings_["city"]
    assert b.has_missing
    with pytest.warns(DataWarning, match=r"'city': 1 row"):
        got = card.points(NEW.iloc[[2]])
    assert got.iloc[0] == pytest.approx(_bin_points(card, "util", 0.7) + card.points_["city"][-1], rel=1e-12)


def test_flags_mark_the_rows_the_policy_scored(fitted):
    flags = fitted["rare"].unseen_flags(NEW)
    assert list(flags.columns) == list(fitted["rare"].features_)
    assert flags.index.equals(NEW.index)
    assert flags["util"].tolist() == [False, True, False]
    assert flags["city"].tolist() == [False, False, True]
    # flags do not depend on the policy, and raise does not raise for them
    pd.testing.assert_frame_equal(fitted["raise"].unseen_flags(NEW), flags)


def test_seen_rows_do_not_warn(fitted):
    X, _ = _data(50, seed=9)
    X = X[X["city"].isin(["a", "b", "c"])]
    fitted["rare"].points(X)  # warnings are errors in the test suite: none may be issued


def test_explain_says_value_not_seen_in_development(fitted):
    card = fitted["rare"]
    ex = card.explain(NEW, top=10)
    city = ex[(ex["row"] == 12) & (ex["feature"] == "city")]
    if len(city):  # the rare bin costs points unless it is the best bin
        label = card.binnings_["city"].labels[card.binnings_["city"].rare_bin]
        assert city["reason"].iloc[0] == f"city: value not seen in development (scored as {label})"
        assert city["reason_zh"].iloc[0] == f"city：开发样本中未出现的取值（按 {label} 计分）"
    worst = fitted["worst"].explain(NEW, top=10)
    util = worst[(worst["row"] == 11) & (worst["feature"] == "util")]
    assert len(util) == 1  # the worst bin always costs points
    assert util["reason"].iloc[0].startswith("util: value not seen in development (scored as ")
    assert "开发样本中未出现的取值" in util["reason_zh"].iloc[0]
    seen = worst[worst["row"] == 10]
    assert not seen["reason"].str.contains("not seen").any()


@pytest.mark.parametrize("policy", ["raise", "worst", "neutral", "missing", "rare"])
def test_sql_applies_the_same_policy(fitted, policy):
    card = fitted[policy]
    rows = pd.concat([NEW, pd.DataFrame({"util": [np.nan, 0.1], "city": [None, "e"]}, index=[13, 14])])
    con = sqlite3.connect(":memory:")
    try:
        rows.rename_axis("id").reset_index().to_sql("features", con, index=False)
        got = dict(con.execute(card.to_sql("features", key="id")).fetchall())
    finally:
        con.close()
    for k in rows.index:
        if policy == "raise" and rows.loc[[k]].pipe(card.unseen_flags).to_numpy().any():
            assert got[k] is None  # the row points refuses has a NULL score
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # the policy's warning; the value is checked
            want = float(card.points(rows.loc[[k]]).iloc[0])
        assert math.isclose(got[k], want, rel_tol=0, abs_tol=1e-9), (policy, k)


def test_policy_round_trips_through_to_dict(fitted):
    for card in fitted.values():
        d = json.loads(json.dumps(card.to_dict()))
        assert d["version"] == 6
        back = Scorecard.from_dict(d)
        assert back.binning.unseen == card.binning.unseen
        assert back.binnings_["city"].rare_bin == card.binnings_["city"].rare_bin
        assert back.to_dict() == card.to_dict()


def test_a_version_3_card_still_loads_and_keeps_its_policy():
    # frozen output of Scorecard.to_dict() before the unseen policies (payload version 3)
    d = json.loads((FIXTURES / "card_v3.json").read_text())
    assert d["version"] == 3
    card = Scorecard.from_dict(d)
    assert card.binning.unseen == "raise"
    assert all(b.unseen == "raise" for b in card.binnings_.values())
    assert card.binnings_["city"].rare_bin == -1  # version 3 did not record the pooled bin
    # scores are the stored points of each value's bin (bins read off the stored labels)
    X = pd.DataFrame({"util": [0.05, np.nan], "city": ["a", "g"]})
    pts = d["points"]
    assert card.features_ == ("city", "util")
    assert card.points(X).tolist() == [0.0 + pts["city"][2] + pts["util"][0],
                                       0.0 + pts["city"][1] + pts["util"][4]]
    with pytest.raises(InvalidInputError, match="unseen='raise'"):
        card.points(X.assign(city="new"))
    again = card.to_dict()
    assert again["version"] == 6
    assert Scorecard.from_dict(again).to_dict() == again
