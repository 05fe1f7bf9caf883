"""Scoring fast path, bin lookup, unseen values, score/odds/PD conversions and reason texts."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.scorecard import Binning, BinningParams, Scaling, Scorecard


def _table_sum(card, X):
    """Reference score: each row's table points added in feature order, starting at 0."""
    t = card.table()
    total = np.zeros(len(X))
    for f in card.features_:
        pts = t[t["feature"] == f]["points"].to_numpy()
        total = total + pts[card.binnings_[f].bin_index(X[f])]
    return total


def _frame(n, seed):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.poisson(2.0, n).astype(float),
            "c": rng.choice(["x", "y", "z"], n),
        }
    )
    X.loc[X.index[::9], "a"] = np.nan
    X.loc[X.index[::17], "b"] = -1.0  # special value
    logit = -2 + X["a"].fillna(1.0) + 0.3 * X["b"].clip(lower=0) + X["c"].map({"x": 0, "y": 0.5, "z": 1})
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def test_score_over_many_row_blocks_is_the_table_sum():
    # 100 000 rows cross several row blocks of the scoring loop; missing, special and
    # categorical values included, unrounded points (the strictest case for exact equality)
    X, y = _frame(100_000, 0)
    card = Scorecard(special_values={"b": (-1.0,)}).fit(X, y)
    assert set(card.features_) == {"a", "b", "c"}
    np.testing.assert_array_equal(card.points(X).to_numpy(), _table_sum(card, X))


def test_score_with_many_edges_uses_the_same_points():
    # up to 19 inner edges: the bin lookup switches from edge comparisons to the grid search
    X, y = _frame(50_000, 1)
    card = Scorecard(binning=BinningParams(max_bins=20, min_bin_share=0.0, monotonic="none"),
                     special_values={"b": (-1.0,)}).fit(
        X, y
    )
    assert max(len(card.binnings_[f].edges) for f in card.features_ if f != "c") > 12
    np.testing.assert_array_equal(card.points(X).to_numpy(), _table_sum(card, X))
    small = X.iloc[:37]
    np.testing.assert_array_equal(card.points(small).to_numpy(), _table_sum(card, small))


@settings(max_examples=25)
@given(
    edges=st.lists(st.floats(-1e3, 1e3), min_size=0, max_size=25, unique=True),
    n=st.sampled_from([5, 1000, 70_000]),
    seed=st.integers(0, 1000),
)
def test_bin_index_matches_searchsorted(edges, n, seed):
    # reference: numpy's binary search; few and many edges, small and multi-block inputs
    e = np.sort(np.asarray(edges, dtype=float))
    rng = np.random.default_rng(seed)
    pool = np.concatenate([e, np.nextafter(e, np.inf), np.nextafter(e, -np.inf), [np.nan, -5e3, 5e3]])
    x = np.where(rng.random(n) < 0.5, rng.choice(pool, n), rng.uniform(-1.2e3, 1.2e3, n))
    x[0] = -7.0  # special value
    k = e.size + 1
    b = Binning(
        kind="numeric",
        edges=tuple(e),
        special_values=(-7.0,),
        special_bins=(k,),
        has_missing=True,
        goods=(1.0,) * (k + 2),
        bads=(1.0,) * (k + 2),
        labels=tuple(str(i) for i in range(k + 2)),
    )
    expected = np.searchsorted(e, x, side="right")
    expected[np.isnan(x)] = k + 1
    expected[x == -7.0] = k
    np.testing.assert_array_equal(b.bin_index(x), expected)


def test_unseen_missing_and_special_values_when_scoring():
    rng = np.random.default_rng(2)
    n = 4000
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.poisson(2.0, n).astype(float)})
    y = (rng.random(n) < 1 / (1 + np.exp(2 - X["a"] - 0.3 * X["b"]))).astype(int)
    new = pd.DataFrame({"a": [0.1, np.nan, 0.2], "b": [1.0, 2.0, -1.0]}, index=[10, 11, 12])
    strict = Scorecard(special_values={"b": (-1.0,)}, binning=BinningParams(unseen="raise")).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.points: column 'a' must hold only "
                       r"values seen in training "
                       r"\(unseen='raise'\); got unseen missing: 1 value \(nan\) at row 11\. Refit"):
        strict.points(new)
    worst = Scorecard(special_values={"b": (-1.0,)}, binning=BinningParams(unseen="worst")).fit(X, y)
    with pytest.warns(DataWarning, match=r"unseen='worst' \('a': 1 row, 'b': 1 row\)"):
        got = worst.points(new)
    # unseen values take the points of the feature's lowest-WOE bin
    lo = {f: worst.points_[f][int(np.argmin(worst.binnings_[f].woe_values))] for f in ("a", "b")}
    assert got.loc[11] == 0.0 + lo["a"] + worst.points_["b"][int(worst.binnings_["b"].bin_index([2.0])[0])]
    assert got.loc[12] == 0.0 + worst.points_["a"][int(worst.binnings_["a"].bin_index([0.2])[0])] + lo["b"]
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.points: column 'a' must not hold "
                       r"infinities; got 1 "
                       r"value \(inf\) at row 10\."):
        worst.points(new.assign(a=[np.inf, 0.0, 0.0]))


def test_positional_arrays_must_have_the_fitted_width():
    X, y = _frame(3000, 3)
    card = Scorecard().fit(X[["a", "b"]].to_numpy(), y)
    assert card.points(X[["a", "b"]].to_numpy()).shape == (3000,)
    with pytest.raises(InvalidInputError, match="X has 1 features, but Scorecard is expecting 2 features"):
        card.predict_proba(X[["a"]].to_numpy())


def test_scaling_conversions_in_both_conventions():
    s = Scaling()  # 600 at 50:1 good:bad, PDO 20
    assert math.isclose(s.odds_from_score(600.0), 50.0)
    assert math.isclose(s.odds_from_score(620.0), 100.0)  # +PDO doubles the odds
    assert math.isclose(s.score_from_odds(25.0), 580.0)
    assert math.isclose(s.pd_from_score(600.0), 1 / 51)  # PD = 1 / (1 + good:bad odds)
    r = Scaling.r_scorecard()  # 600 at 1:19 bad:good, PDO 50
    assert math.isclose(r.odds_from_score(600.0), 1 / 19)
    assert math.isclose(r.odds_from_score(550.0), 2 / 19)  # -PDO doubles the bad:good odds
    assert math.isclose(r.score_from_odds(1 / 38), 650.0)
    assert math.isclose(r.pd_from_score(600.0), 0.05)  # bad:good 1:19 is PD 1/20
    scores = np.array([450.0, 512.5, 600.0, 733.0])
    for sc in (s, r):
        np.testing.assert_allclose(sc.score_from_odds(sc.odds_from_score(scores)), scores, rtol=1e-12)
        np.testing.assert_allclose(sc.score_from_pd(sc.pd_from_score(scores)), scores, rtol=1e-12)
        assert Scaling.from_dict(json.loads(json.dumps(sc.to_dict()))) == sc
    with pytest.raises(InvalidInputError, match="odds must be finite and > 0"):
        s.score_from_odds([1.0, 0.0])


def test_card_converts_scores_with_its_scaling():
    X, y = _frame(3000, 4)
    card = Scorecard(scaling=Scaling.r_scorecard(), round_points=True).fit(X, y)
    score = card.points(X).to_numpy()
    pd_ = card.predict_proba(X)[:, 1]
    np.testing.assert_allclose(pd_, card.scaling.pd_from_score(score), rtol=1e-12)
    # bad:good odds = PD / (1 - PD)
    np.testing.assert_allclose(card.scaling.odds_from_score(score), pd_ / (1 - pd_), rtol=1e-10)
    np.testing.assert_allclose(card.decision_function(X), np.log(pd_ / (1 - pd_)), rtol=1e-9, atol=1e-12)


def test_explain_uses_feature_catalog_texts():
    # columns named like catalog features get the catalog's English and Chinese texts;
    # other columns fall back to the column name
    catalog = jc.features.CATALOG
    X, y = _frame(4000, 5)
    X = X.rename(columns={"a": "util_now", "b": "inq_count_30d"})
    card = Scorecard(special_values={"inq_count_30d": (-1.0,)}).fit(X, y)
    ex = card.explain(X.iloc[:300], top=3)
    for feature in ("util_now", "inq_count_30d", "c"):
        rows = ex[ex["feature"] == feature]
        assert len(rows) > 0
        en = catalog[feature].description.rstrip(".") if feature in catalog else feature
        zh = catalog[feature].description_zh.rstrip("。") if feature in catalog else feature
        np.testing.assert_array_equal(rows["reason"], en + ": " + rows["bin"])
        np.testing.assert_array_equal(rows["reason_zh"], zh + "：" + rows["bin"])
    assert "c" not in catalog


def test_round_trip_keeps_scores_and_reasons_for_a_full_card():
    X, y = _frame(5000, 6)
    card = Scorecard(special_values={"b": (-1.0,)}, binning=BinningParams(unseen="worst"),
                     round_points=True).fit(X, y)
    back = Scorecard.from_dict(json.loads(json.dumps(card.to_dict())))
    new = X.iloc[:200].assign(c=["w", *X["c"].iloc[1:200]])  # an unseen category
    with pytest.warns(DataWarning, match="values not seen in development"):
        pd.testing.assert_series_equal(back.points(new), card.points(new))
    pd.testing.assert_frame_equal(back.explain(new), card.explain(new))
    pd.testing.assert_frame_equal(back.summary(), card.summary())
    assert back.summary().attrs == card.summary().attrs
    assert back.to_dict() == card.to_dict()


def _explain_reference(card, X, top, descriptions):
    """Reasons row by row in plain Python: the documented meaning of ``explain``."""
    records = []
    for label in X.index:
        losses = []
        for j, f in enumerate(card.features_):
            pts = card.points_[f]
            k = int(card.binnings_[f].bin_index(X.loc[[label], f])[0])
            new = bool(card.unseen_flags(X.loc[[label]])[f].iloc[0])
            losses.append((max(pts) - pts[k], j, f, k, new))
        losses.sort(key=lambda t: (-t[0], t[1]))  # most points lost first, ties in model order
        kept = [t for t in losses if t[0] > 0][:top]
        for rank, (lost, _j, f, k, new) in enumerate(kept, start=1):
            en, zh = descriptions.get(f, (f, f))
            b = card.binnings_[f].labels[k]
            # a value not seen in development says so, with the bin its policy scored it in
            why, why_zh = (b, b)
            if new:
                why = f"value not seen in development (scored as {b})"
                why_zh = f"开发样本中未出现的取值（按 {b} 计分）"
            records.append({
                "row": label, "rank": rank, "feature": f, "bin": b, "points": card.points_[f][k],
                "points_lost": lost, "reason": f"{en.rstrip('.')}: {why}",
                "reason_zh": f"{zh.rstrip('。')}：{why_zh}",
            })  # fmt: skip
    out = pd.DataFrame(records)
    return out.astype({"rank": np.int64, "points": np.float64, "points_lost": np.float64})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explain_matches_row_by_row_reference(seed):
    rng = np.random.default_rng(seed)
    X, y = _frame(3000, 10 + seed)
    X["d"] = rng.integers(0, 6, len(X)).astype(float)
    card = Scorecard(
        binning=BinningParams(max_bins=int(rng.integers(3, 7)),
                              unseen="worst"), min_iv=0.0, max_correlation=1.0,
        special_values={"b": (-1.0,)}, round_points=bool(seed % 2),
    ).fit(X, y)  # fmt: skip
    rows = X.sample(150, random_state=seed).assign(c=lambda d: d["c"].where(d.index % 7 > 0, "new"))
    rows.index = rows.index * 5 + 3
    descriptions = {f: (f"EN {f}.", f"中文 {f}。") for f in card.features_[:2]}
    for top in (1, 2, 10):
        got = card.explain(rows, top=top, descriptions=descriptions)
        assert len(got) > 0
        pd.testing.assert_frame_equal(got, _explain_reference(card, rows, top, descriptions))


def test_errors_name_the_public_function_called():
    from jiebei_credit.scorecard import WOETransformer, bin_feature

    X, y = _frame(2000, 21)
    X["b"] = X["b"].fillna(0.0)
    card = Scorecard(min_iv=0.0, max_correlation=1.0, binning=BinningParams(unseen="raise")).fit(X, y)
    woe = WOETransformer(binning=BinningParams(unseen="raise")).fit(X, y)
    new_cat = X.iloc[:20].assign(c="new")
    new_nan = X.iloc[:20].assign(b=np.nan)  # numeric column without a missing bin
    inf = X.iloc[:20].assign(a=np.inf)
    for bad in (new_cat, new_nan, inf):
        for name, call in [
            ("Scorecard.points", card.points),
            ("Scorecard.predict_proba", card.predict_proba),
            ("Scorecard.decision_function", card.decision_function),
            ("Scorecard.explain", card.explain),
            ("WOETransformer.transform", woe.transform),
            ("WOETransformer.bin_index", woe.bin_index),
        ]:
            with pytest.raises(InvalidInputError, match=rf"^{name}: column "):
                call(bad)
    with pytest.raises(InvalidInputError, match=r"^Binning\.bin_index: column 'c' "):
        card.binnings_["c"].bin_index(new_cat["c"])
    with pytest.raises(InvalidInputError, match=r"^Binning\.woe: column 'c' "):
        card.binnings_["c"].woe(new_cat["c"])
    with pytest.raises(InvalidInputError, match=r"^bin_feature: x must not hold infinities; got 1 "
                       r"value \(inf\) "
                       r"at position 0\."):
        bin_feature([np.inf, 1.0, 2.0], [0, 1, 0])
    with pytest.raises(InvalidInputError, match=r"^bin_feature: y must hold 1 \(bad\) or 0 "
                       r"\(good\); got 1 value "
                       r"\(2\.0\) at position 1\."):
        bin_feature([0.0, 1.0, 2.0], [0, 2, 0])
    with pytest.raises(InvalidInputError, match=r"^bin_feature: special_values must hold finite "
                       r"numbers for a "
                       r"numeric feature; got 'a'\."):
        bin_feature([0.0, 1.0, 2.0], [0, 1, 0], special_values=("a",))
