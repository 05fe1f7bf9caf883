"""Scorecard: points/score consistency, SQL, round-trip, signs, reasons, sklearn."""

from __future__ import annotations

import json
import math
import sqlite3

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.scorecard import BinningParams, Scaling, Scorecard


def _data(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "util": rng.random(n),
            "inq": rng.poisson(1.5, n).astype(float),
            "region": rng.choice(["east", "west", "north", "south"], n),
            "noise": rng.normal(size=n),
        },
        index=np.arange(n) * 3,
    )
    X.loc[X.index[::11], "util"] = np.nan
    X.loc[X.index[::23], "inq"] = -1.0  # special: no bureau record
    risk = {"east": 0.0, "west": 0.4, "north": 0.8, "south": 1.2}
    logit = -3 + 2.5 * X["util"].fillna(0.9) + 0.5 * X["inq"].clip(lower=0) + X["region"].map(risk)
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index)
    return X, y


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    # min_iv=0.02 (the default is 0): the tests read the IV filter's drop of "noise"
    card = Scorecard(
        binning=BinningParams(max_bins=5), special_values={"inq": (-1.0,)}, min_iv=0.02).fit(X, y)
    return card, X, y


def test_scaling_constants():
    # factor = 20 / ln 2 = 28.8539..., offset = 600 - factor * ln 50 = 487.1229... (DESIGN.md)
    s = Scaling()
    assert math.isclose(s.factor, 20 / math.log(2))
    assert round(s.offset, 4) == 487.1229
    assert math.isclose(s.score_from_pd(1 / 51), 600.0)  # PD 1/51 is 50:1 good:bad
    assert math.isclose(s.score_from_pd(1 / 101), 600 + 20 * math.log2(100 / 50))
    # R scorecard: 600 at 1:19 bad:good, PDO 50, i.e. PD 0.05; doubling bad:good odds loses 50
    r = Scaling.r_scorecard()
    assert math.isclose(r.score_from_pd(0.05), 600.0)
    assert math.isclose(r.score_from_pd(2 / 21), 550.0)
    with pytest.raises(InvalidInputError, match=r"^Scaling: odds must be one of 'good:bad', "
                       r"'bad:good'; got 'x'\.$"):
        Scaling(odds="x")


def test_model_keeps_informative_features_and_drops_noise(fitted):
    card, _X, _y = fitted
    assert set(card.features_) == {"util", "inq", "region"}
    assert (card.coef_ < 0).all()
    s = card.summary()
    assert s.iloc[0]["feature"] == "(intercept)"
    noise = s.set_index("feature").loc["noise"]
    assert noise["status"] == "dropped (iv)"
    assert "IV" in noise["reason"]
    assert s.attrs["aic"] == card.aic_
    assert 0 < s.attrs["pseudo_r2"] < 1


def test_score_is_sum_of_table_points(fitted):
    card, X, _y = fitted
    t = card.table()
    idx = {f: card.binnings_[f].bin_index(X[f]) for f in card.features_}
    by_hand = sum(t[t["feature"] == f]["points"].to_numpy()[idx[f]] for f in card.features_)
    np.testing.assert_array_equal(card.points(X).to_numpy(), by_hand)
    assert card.points(X).index.equals(X.index)


def test_score_matches_logistic_regression(fitted):
    card, X, _y = fitted
    # score = offset + factor * ln(good:bad) with ln(good:bad) = -(b0 + sum b_j woe_j)
    woe = np.column_stack([card.binnings_[f].woe(X[f]) for f in card.features_])
    log_odds_bad = card.intercept_ + woe @ card.coef_
    expected = card.scaling.offset - card.scaling.factor * log_odds_bad
    np.testing.assert_allclose(card.points(X), expected, rtol=1e-12)
    np.testing.assert_allclose(card.predict_proba(X)[:, 1], 1 / (1 + np.exp(-log_odds_bad)), rtol=1e-9)


def test_rounded_points_give_integer_scores():
    X, y = _data(2000, seed=1)
    card = Scorecard(round_points=True, binning=BinningParams(max_bins=4)).fit(X, y)
    s = card.points(X)
    assert (s == np.round(s)).all()
    assert all(float(p).is_integer() for pts in card.points_.values() for p in pts)


def test_round_trip_gives_identical_scores_and_reasons(fitted):
    card, X, _y = fitted
    back = Scorecard.from_dict(json.loads(json.dumps(card.to_dict())))
    pd.testing.assert_series_equal(back.points(X), card.points(X))
    pd.testing.assert_frame_equal(back.explain(X.iloc[:50]), card.explain(X.iloc[:50]))
    pd.testing.assert_frame_equal(back.table(), card.table())


@pytest.mark.parametrize("round_points", [True, False])
def test_sql_matches_python_exactly(round_points):
    X, y = _data(1500, seed=2)
    card = Scorecard(round_points=round_points, special_values={"inq": (-1.0,)}).fit(X, y)
    con = sqlite3.connect(":memory:")
    rows = X.reset_index(names="id")
    con.execute("CREATE TABLE features (id INTEGER, util REAL, inq REAL, region TEXT, noise REAL)")
    con.executemany(
        "INSERT INTO features VALUES (?, ?, ?, ?, ?)",
        [
            (int(r.id), None if pd.isna(r.util) else float(r.util), float(r.inq), r.region, float(r.noise))
            for r in rows.itertuples()
        ],
    )
    # out-of-range values fall in the edge bins in both engines
    con.execute("INSERT INTO features VALUES (-1, 99.0, 1e6, 'east', 0.0)")
    extra = pd.DataFrame({"util": [99.0], "inq": [1e6], "region": ["east"], "noise": [0.0]}, index=[-1])
    sql = card.to_sql("features", key="id")
    got = pd.DataFrame(con.execute(sql).fetchall(), columns=["id", "score"]).set_index("id")["score"]
    expected = card.points(pd.concat([X, extra]))
    assert (got.loc[expected.index].to_numpy() == expected.to_numpy()).all()


def test_sql_unseen_category_gives_null():
    X, y = _data(1000)
    card = Scorecard(binning=BinningParams(unseen="raise")).fit(X, y)
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE features (util REAL, inq REAL, region TEXT)")
    con.execute("INSERT INTO features VALUES (0.5, 1.0, 'mars')")
    assert con.execute(card.to_sql()).fetchall() == [(None,)]


def test_wrong_sign_feature_is_dropped_and_reported():
    # Simpson's paradox by construction: b = a + noise, risk rises with a and falls with b
    # given a (log-odds of bad 4a - 1.5b - 2). Marginally b tracks a, so its WOE says "high b
    # = risky"; jointly its coefficient on WOE turns positive, and the sign check drops it.
    rng = np.random.default_rng(0)
    n = 8000
    a = rng.random(n)
    b = a + rng.normal(0, 0.3, n)
    y = (rng.random(n) < 1 / (1 + np.exp(2 - 4 * a + 1.5 * b))).astype(int)
    X = pd.DataFrame({"a": a, "b": b})
    card = Scorecard(max_correlation=1.0, binning=BinningParams(max_bins=5)).fit(X, y)
    assert card.features_ == ("a",)
    assert (card.coef_ < 0).all()
    [(feature, step, reason)] = card.drops_
    assert (feature, step) == ("b", "sign")
    assert reason.startswith("coefficient +")
    summ = card.summary().set_index("feature")
    assert summ.loc["b", "status"] == "dropped (sign)"
    # refit without b: the coefficients are those of a one-feature fit
    alone = Scorecard(binning=BinningParams(max_bins=5)).fit(X[["a"]], y)
    np.testing.assert_allclose(card.coef_, alone.coef_, rtol=1e-12)


def test_correlation_filter_drops_one_of_two_identical_woe_columns():
    X, y = _data()
    X = X.assign(util_copy=X["util"] * 2 + 1)  # same bins, same WOE, same IV
    card = Scorecard(binning=BinningParams(max_bins=5)).fit(X, y)
    steps = {f: step for f, step, _ in card.drops_}
    assert "correlation" in {steps.get("util"), steps.get("util_copy")}
    # exactly one of the pair goes; the other stays in the model
    assert sum(steps.get(f) == "correlation" for f in ("util", "util_copy")) == 1
    assert sum(f in card.features_ for f in ("util", "util_copy")) == 1


def test_explain_orders_by_points_lost(fitted):
    card, X, _y = fitted
    ex = card.explain(X.iloc[:200], top=2)
    assert list(ex.columns) == [
        "row",
        "rank",
        "feature",
        "bin",
        "points",
        "points_lost",
        "reason",
        "reason_zh",
    ]
    assert (ex["points_lost"] > 0).all()
    assert ex.groupby("row")["rank"].max().max() <= 2
    for _, g in ex.groupby("row"):
        assert g["points_lost"].is_monotonic_decreasing
        assert list(g["rank"]) == list(range(1, len(g) + 1))
    # points lost is the best bin's points minus this bin's
    first = ex.iloc[0]
    pts = card.points_[first["feature"]]
    assert math.isclose(first["points_lost"], max(pts) - first["points"])
    # texts fall back to the column name outside the features catalog
    assert first["reason"].startswith(first["feature"] + ": ")
    ex2 = card.explain(X.iloc[:5], descriptions={f: (f"EN {f}", f"中文 {f}") for f in card.features_})
    assert ex2["reason_zh"].str.startswith("中文").all()


@settings(max_examples=20)
@given(top=st.integers(1, 4), seed=st.integers(0, 1000))
def test_explain_top_reasons_are_the_largest_losses(fitted, top, seed):
    card, X, _y = fitted
    rows = X.sample(20, random_state=seed)
    ex = card.explain(rows, top=top)
    for label, g in ex.groupby("row"):
        losses = sorted(
            (
                max(card.points_[f]) - card.points_[f][card.binnings_[f].bin_index(rows.loc[[label], f])[0]]
                for f in card.features_
            ),
            reverse=True,
        )
        expected = [v for v in losses if v > 0][:top]
        np.testing.assert_allclose(g["points_lost"], expected)


def test_sklearn_clone_pipeline_and_grid_search():
    X, y = _data(3000, seed=5)
    card = Scorecard(binning=BinningParams(max_bins=4))
    assert clone(card).get_params() == card.get_params()
    pipe = make_pipeline(FunctionTransformer(lambda d: d.drop(columns="noise")), Scorecard()).fit(X, y)
    assert pipe.predict_proba(X).shape == (len(X), 2)

    def auc(est, X_, y_):
        return roc_auc_score(y_, est.predict_proba(X_)[:, 1])

    grid = GridSearchCV(Scorecard(), {"binning__max_bins": [2, 5]}, scoring=auc, cv=3).fit(X, y)
    assert grid.best_params_["binning__max_bins"] in (2, 5)
    assert grid.best_estimator_.binning.max_bins == grid.best_params_["binning__max_bins"]
    # the search picked the max_bins with the best mean cross-validated AUC
    res = grid.cv_results_
    best = int(np.argmax(res["mean_test_score"]))
    assert grid.best_params_ == res["params"][best]
    assert grid.best_score_ == res["mean_test_score"][best]
    assert roc_auc_score(y, grid.predict_proba(X)[:, 1]) > 0.6


def test_errors():
    X, y = _data(500)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Scorecard().points(X)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: X must leave at least one "
                       r"feature to fit \(no "
                       r"feature is left to fit\); got 4 feature\(s\), all dropped: 'util \(iv\)', "):
        Scorecard(min_iv=10.0).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: selection must be one of 'none', "
                       r"'forward', "
                       r"'stepwise'; got 'all'\.$"):
        Scorecard(selection="all").fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.set_params: params must be parameters "
                       r"of Scorecard "
                       r"\(scaling, binning, .*\); got unknown parameters 'pdo'\.$"):
        Scorecard().set_params(pdo=3)


def test_forward_and_stepwise_selection():
    X, y = _data(3000, seed=6)
    for selection in ("forward", "stepwise"):
        for criterion in ("pvalue", "aic"):
            card = Scorecard(selection=selection, criterion=criterion, min_iv=0.0).fit(X, y)
            assert {"util", "region"} <= set(card.features_)


def test_input_not_mutated(fitted):
    card, X, y = fitted
    before = X.copy()
    card.points(X)
    card.explain(X.iloc[:10])
    Scorecard().fit(X, y)
    pd.testing.assert_frame_equal(X, before)


def test_set_params_after_fit_does_not_desync_points_score_and_probability():
    X, y = _data(3000, seed=7)
    card = Scorecard(binning=BinningParams(max_bins=4), round_points=True).fit(X, y)
    fitted_dict = card.to_dict()
    score = card.points(X)
    proba = card.predict_proba(X)
    other = Scaling.r_scorecard()
    card.set_params(scaling=other, round_points=False)  # parameters for the next fit only
    assert card.scaling_ == Scaling()
    assert card.round_points_ is True
    pd.testing.assert_series_equal(card.points(X), score)
    np.testing.assert_array_equal(card.predict_proba(X), proba)
    # probability and log-odds still follow from the score with the fitted scaling
    bad = card.predict_proba(X)[:, 1]
    np.testing.assert_allclose(bad, Scaling().pd_from_score(card.points(X).to_numpy()), rtol=1e-12)
    assert not np.allclose(bad, other.pd_from_score(card.points(X).to_numpy()))
    np.testing.assert_allclose(card.decision_function(X), np.log(bad / (1 - bad)), rtol=1e-9, atol=1e-12)
    # to_dict keeps both the new parameters and the fitted scaling; from_dict restores both
    d = card.to_dict()
    # the card's header covers the scaling it embeds: the four fields alone (card payload version 5)
    fields = ("base_score", "base_odds", "pdo", "odds")
    assert d["params"]["scaling"] == {k: v for k, v in other.to_dict().items() if k in fields}
    assert d["params"]["round_points"] is False
    assert d["scaling"] == {k: v for k, v in Scaling().to_dict().items() if k in fields}
    assert d["round_points"] is True
    fitted_part = {k: v for k, v in fitted_dict.items() if k != "params"}
    assert {k: v for k, v in d.items() if k != "params"} == fitted_part
    back = Scorecard.from_dict(json.loads(json.dumps(d)))
    assert back.scaling == other
    assert back.round_points is False
    assert back.scaling_ == Scaling()
    assert back.round_points_ is True
    pd.testing.assert_series_equal(back.points(X), score)
    np.testing.assert_array_equal(back.predict_proba(X), proba)
    assert back.to_dict() == d
    # a refit uses the new parameters
    card.fit(X, y)
    assert card.scaling_ == other
    assert card.round_points_ is False
    refit_bad = card.predict_proba(X)[:, 1]
    np.testing.assert_allclose(refit_bad, other.pd_from_score(card.points(X).to_numpy()), rtol=1e-12)


def test_from_dict_rejects_bad_payloads_with_library_errors(fitted):
    card, _X, _y = fitted
    d = json.loads(json.dumps(card.to_dict()))
    with pytest.raises(
        InvalidInputError, match=r"^Scorecard\.from_dict: d must have schema .* version 6; got "
            r"schema .* version 2\. "
    ):
        Scorecard.from_dict({**d, "version": 2})
    one = r"^Scorecard\.from_dict: d must be a valid Scorecard payload; got 1 problem:\n  - "
    with pytest.raises(InvalidInputError, match=one + r"d must have every key; got missing keys 'coef'\.\n"):
        Scorecard.from_dict({k: v for k, v in d.items() if k != "coef"})
    with pytest.raises(InvalidInputError, match=one + r"d must have only the keys .*; got unknown "
                       r"keys 'extra'\.\n"):
        Scorecard.from_dict({**d, "extra": 1})
    params = d["params"]
    with pytest.raises(InvalidInputError, match=one + r"params must have every key; got missing "
                       r"keys 'max_bins'"):
        Scorecard.from_dict({**d, "params": {k: v for k, v in params.items() if k != "max_bins"}})
    with pytest.raises(InvalidInputError, match=one + r"params must have only the keys .*; got "
                       r"unknown keys 'colour'"):
        Scorecard.from_dict({**d, "params": {**params, "colour": "red"}})
    with pytest.raises(InvalidInputError, match=one + r"params must be a mapping; got a list of 0 items\."):
        Scorecard.from_dict({**d, "params": []})
    with pytest.raises(InvalidInputError, match=one + r"intercept must be a finite number; got None\."):
        Scorecard.from_dict({**d, "intercept": None})
    first = next(iter(d["binnings"]))
    binnings = {**d["binnings"], first: {k: v for k, v in d["binnings"][first].items() if k != "goods"}}
    with pytest.raises(InvalidInputError, match=one + rf"binnings\['{first}'\] must have every key; "
                       rf"got missing "
                       r"keys 'goods'\."):
        Scorecard.from_dict({**d, "binnings": binnings})
