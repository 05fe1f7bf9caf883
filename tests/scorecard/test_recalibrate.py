"""Scorecard.recalibrate: a new card with the same bins, its lineage and its fingerprint (issue 15, item 5).

Expected numbers come from independent implementations: statsmodels' GLM
with the card's log-odds as an offset (calibration in the large) and its
Logit on ``[1, log-odds]`` (intercept and slope), and from the score
equations of a logistic fit with an intercept (the fitted mean equals the
observed rate). SQL is evaluated by the standard library's ``sqlite3``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit import metrics
from jiebei_credit.errors import DataWarning, InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.scorecard import BinningParams, LineageRecord, Scorecard

FIXTURES = Path(__file__).parent / "fixtures"


def _data(n=6000, seed=0, shift=0.0, slope=1.0):
    """Development-like rows and outcomes whose true log-odds are ``shift + slope · base``."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "util": rng.random(n).round(3),
            "inq": rng.poisson(1.2, n).astype(float),
            "city": rng.choice(list("abcde"), n, p=[0.3, 0.25, 0.2, 0.15, 0.1]),
        },
        index=pd.RangeIndex(100, 100 + n),
    )
    X.loc[X.index[::13], "util"] = np.nan
    base = -2.4 + 1.8 * X["util"].fillna(0.8) + 0.35 * X["inq"] + 0.5 * X["city"].isin(["d", "e"])
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-(shift + slope * base)))).astype(int), index=X.index)
    return X, y


X_DEV, Y_DEV = _data()
# unpenalised: the tests below use that the development fit is the maximum-likelihood one
CARD = Scorecard(binning=BinningParams(max_bins=4), penalty="none").fit(X_DEV, Y_DEV)
# a year later: defaults up (shift 0.6) and the risk spread compressed (slope 0.7)
X_NOW, Y_NOW = _data(5000, seed=1, shift=0.6, slope=0.7)


def _log_odds(card, X):
    """The card's log-odds of bad per row (from its points, as predict_proba converts them)."""
    return np.asarray(card.decision_function(X), dtype=np.float64)


def _sql_points(card, frame):
    con = sqlite3.connect(":memory:")
    try:
        frame.rename_axis("id").reset_index().to_sql("features", con, index=False)
        got = dict(con.execute(card.to_sql("features", key="id")).fetchall())
    finally:
        con.close()
    return np.array([got[k] for k in frame.index], dtype=np.float64)


def test_intercept_matches_statsmodels_offset_fit_and_the_bad_rate():
    new = CARD.recalibrate(X_NOW, Y_NOW, method="intercept", as_of="2025-06-30")
    x = _log_odds(CARD, X_NOW)
    ref = sm.GLM(Y_NOW.to_numpy(), np.ones((len(x), 1)), family=sm.families.Binomial(),
                 offset=x).fit(tol=1e-12)
    a = float(ref.params[0])
    rec = new.lineage_[-1]
    assert math.isclose(rec.intercept, a, rel_tol=1e-8, abs_tol=1e-10)
    assert rec.slope == 1.0
    # calibration_slope computes the same calibration intercept from the PDs (its own row-level fit)
    pd_old = CARD.predict_proba(X_NOW)[:, 1]
    assert math.isclose(rec.intercept, metrics.calibration_slope(Y_NOW, pd_old).intercept, rel_tol=1e-8)
    # score equation of a logistic fit with an intercept: mean fitted PD = observed bad rate
    assert math.isclose(new.predict_proba(X_NOW)[:, 1].mean(), Y_NOW.mean(), rel_tol=1e-10)
    assert math.isclose(rec.bad_rate, Y_NOW.mean(), rel_tol=1e-12)
    assert math.isclose(rec.mean_pd, pd_old.mean(), rel_tol=1e-12)
    # the slope is untouched: same coefficients, intercept shifted by a
    np.testing.assert_array_equal(new.coef_, CARD.coef_)
    assert math.isclose(new.intercept_, CARD.intercept_ + a, rel_tol=1e-8)
    np.testing.assert_allclose(_log_odds(new, X_NOW), x + a, rtol=0, atol=1e-9)


def test_weighted_intercept_matches_the_weighted_bad_rate():
    w = np.random.default_rng(7).integers(1, 5, len(X_NOW)).astype(float)
    new = CARD.recalibrate(X_NOW, Y_NOW, sample_weight=w)
    x = _log_odds(CARD, X_NOW)
    ref = sm.GLM(Y_NOW.to_numpy(), np.ones((len(x), 1)), family=sm.families.Binomial(), offset=x,
                 freq_weights=w).fit(tol=1e-12)
    assert math.isclose(new.lineage_[-1].intercept, float(ref.params[0]), rel_tol=1e-8)
    pd_new = new.predict_proba(X_NOW)[:, 1]
    assert math.isclose(np.dot(w, pd_new) / w.sum(), np.dot(w, Y_NOW) / w.sum(), rel_tol=1e-10)


def test_logistic_matches_statsmodels_and_folds_into_the_card():
    new = CARD.recalibrate(X_NOW, Y_NOW, method="logistic")
    x = _log_odds(CARD, X_NOW)
    ref = sm.Logit(Y_NOW.to_numpy(), sm.add_constant(x)).fit(method="newton", tol=1e-12, disp=0)
    a, b = (float(v) for v in ref.params)
    rec = new.lineage_[-1]
    assert math.isclose(rec.intercept, a, rel_tol=1e-7, abs_tol=1e-9)
    assert math.isclose(rec.slope, b, rel_tol=1e-7)
    r = metrics.calibration_slope(Y_NOW, CARD.predict_proba(X_NOW)[:, 1])
    assert math.isclose(rec.slope, r.slope, rel_tol=1e-7)
    assert math.isclose(rec.intercept, r.recalibration_intercept, rel_tol=1e-7, abs_tol=1e-9)
    assert 0.5 < b < 0.9  # the data were generated with a compressed spread (slope 0.7)
    # coefficients b·β, intercept b·β0 + a; bins and WOE unchanged
    np.testing.assert_allclose(new.coef_, b * CARD.coef_, rtol=1e-7)
    assert math.isclose(new.intercept_, b * CARD.intercept_ + a, rel_tol=1e-7)
    assert new.binnings_ == CARD.binnings_
    assert new.features_ == CARD.features_
    np.testing.assert_allclose(_log_odds(new, X_NOW), a + b * x, rtol=0, atol=1e-8)
    # the intercept is in the model, so here too the mean PD is the bad rate
    assert math.isclose(new.predict_proba(X_NOW)[:, 1].mean(), Y_NOW.mean(), rel_tol=1e-9)
    # Wald z of the features unchanged: standard errors scale with b
    np.testing.assert_allclose(new.std_errors_, b * CARD.std_errors_, rtol=1e-12)
    np.testing.assert_array_equal(new.p_values_[1:], CARD.p_values_[1:])


def test_the_original_card_and_the_inputs_are_untouched():
    before = copy.deepcopy(CARD.to_dict())
    X, y = X_NOW.copy(), Y_NOW.copy()
    CARD.recalibrate(X, y, method="logistic")
    assert CARD.to_dict() == before
    assert CARD.lineage_ == ()
    pd.testing.assert_frame_equal(X, X_NOW)
    pd.testing.assert_series_equal(y, Y_NOW)


@pytest.mark.parametrize("method", ["intercept", "logistic"])
@pytest.mark.parametrize("round_points", [False, True])
def test_sql_explain_and_to_dict_stay_exact(method, round_points):
    card = Scorecard(binning=BinningParams(max_bins=4), round_points=round_points).fit(X_DEV, Y_DEV)
    new = card.recalibrate(X_NOW, Y_NOW, method=method)
    rows = X_NOW.head(300)
    pts = new.points(rows).to_numpy()
    # SQL equals points (to the bit on rounded cards, to 1e-9 otherwise: SQLite adds the same doubles)
    np.testing.assert_allclose(_sql_points(new, rows), pts, rtol=0, atol=1e-9)
    if round_points:
        assert np.all(pts == np.round(pts))
    # explain: each reason's points and points lost are read off the new points table, and the
    # score is every feature's best points minus the points lost
    ex = new.explain(rows, top=len(new.features_))
    best = {f: max(new.points_[f]) for f in new.features_}
    np.testing.assert_allclose(ex["points"] + ex["points_lost"], ex["feature"].map(best), rtol=0, atol=1e-9)
    lost = ex.groupby("row")["points_lost"].sum().reindex(rows.index, fill_value=0.0)
    np.testing.assert_allclose(sum(best.values()) - lost.to_numpy(), pts, rtol=0, atol=1e-9)
    # to_dict / from_dict: the same card, scores and fingerprint
    d = json.loads(json.dumps(new.to_dict()))
    back = Scorecard.from_dict(d)
    assert back.to_dict() == new.to_dict()
    assert back.fingerprint() == new.fingerprint()
    pd.testing.assert_series_equal(back.points(rows), new.points(rows))
    assert back.lineage_ == new.lineage_


def test_a_chain_of_recalibrations_keeps_the_chain():
    first = CARD.recalibrate(X_NOW, Y_NOW, method="intercept", as_of=dt.date(2025, 3, 31))
    X2, y2 = _data(4000, seed=2, shift=0.9, slope=0.6)
    second = first.recalibrate(X2, y2, method="logistic", as_of=pd.Timestamp("2025-09-30"))
    assert len(second.lineage_) == 2
    assert second.lineage_[0] == first.lineage_[0]
    assert second.lineage_[0].parent == CARD.fingerprint()
    assert second.lineage_[1].parent == first.fingerprint()
    assert [r.method for r in second.lineage_] == ["intercept", "logistic"]
    assert [r.as_of for r in second.lineage_] == [dt.date(2025, 3, 31), dt.date(2025, 9, 30)]
    assert [r.n for r in second.lineage_] == [5000, 4000]
    d = second.to_dict()
    assert [r["as_of"] for r in d["lineage"]] == ["2025-03-31", "2025-09-30"]
    assert Scorecard.from_dict(json.loads(json.dumps(d))).lineage_ == second.lineage_
    assert len({CARD.fingerprint(), first.fingerprint(), second.fingerprint()}) == 3


def test_recalibrating_on_the_development_data_changes_nothing():
    # the development fit is the maximum-likelihood fit: a = 0 and b = 1 on its own data
    new = CARD.recalibrate(X_DEV, Y_DEV, method="logistic")
    rec = new.lineage_[0]
    assert abs(rec.intercept) < 1e-8
    assert abs(rec.slope - 1.0) < 1e-8
    np.testing.assert_allclose(new.points(X_DEV), CARD.points(X_DEV), rtol=0, atol=1e-6)


@given(seed=st.integers(0, 2**16), shift=st.floats(-1.0, 1.0), slope=st.floats(0.4, 1.6),
       method=st.sampled_from(["intercept", "logistic"]))
def test_recalibrated_log_odds_are_a_plus_b_times_the_old(seed, shift, slope, method):
    X, y = _data(1500, seed=seed, shift=shift, slope=slope)
    new = CARD.recalibrate(X, y, method=method)
    rec = new.lineage_[-1]
    np.testing.assert_allclose(_log_odds(new, X), rec.intercept + rec.slope * _log_odds(CARD, X),
                               rtol=0, atol=1e-8)
    # the score equation of the intercept holds for both methods
    assert math.isclose(new.predict_proba(X)[:, 1].mean(), y.mean(), rel_tol=1e-8)
    assert Scorecard.from_dict(new.to_dict()).to_dict() == new.to_dict()


def test_unseen_values_are_scored_by_the_policy_and_warned_once():
    X = X_NOW.copy()
    X.loc[X.index[:40], "city"] = "zz"  # a city the card never saw: the policy scores it
    with pytest.warns(DataWarning, match=r"^Scorecard\.recalibrate: values not seen"):
        new = CARD.recalibrate(X, Y_NOW)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the same warning again; the value is checked
        assert math.isclose(new.predict_proba(X)[:, 1].mean(), Y_NOW.mean(), rel_tol=1e-10)


# ------------------------------------------------------------ fingerprint ---


def test_fingerprint_is_the_sha256_of_the_canonical_json():
    d = CARD.to_dict()
    text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert CARD.fingerprint() == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_fingerprint_ignores_dict_order_and_survives_a_round_trip():
    def reverse(node):
        if isinstance(node, dict):
            return {k: reverse(node[k]) for k in reversed(list(node))}
        if isinstance(node, list):
            return [reverse(v) for v in node]
        return node

    shuffled = reverse(json.loads(json.dumps(CARD.to_dict())))
    assert list(shuffled) != list(CARD.to_dict())
    assert Scorecard.from_dict(shuffled).fingerprint() == CARD.fingerprint()


def test_fingerprint_is_the_same_in_another_process():
    payload = json.dumps(CARD.to_dict())
    code = ("import json, sys; from jiebei_credit.scorecard import Scorecard; "
            "print(Scorecard.from_dict(json.loads(sys.stdin.read())).fingerprint())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.strip() == CARD.fingerprint()


def test_fingerprint_changes_with_the_card():
    other = Scorecard(binning=BinningParams(max_bins=3)).fit(X_DEV, Y_DEV)
    assert other.fingerprint() != CARD.fingerprint()


# ------------------------------------------------------------- bad input ---


def test_an_unfitted_card_is_refused():
    with pytest.raises(NotFittedError, match=r"^Scorecard\.recalibrate: this Scorecard is not fitted"):
        Scorecard().recalibrate(X_NOW, Y_NOW)
    with pytest.raises(NotFittedError, match=r"^Scorecard\.fingerprint: "):
        Scorecard().fingerprint()


@pytest.mark.parametrize("y", [np.zeros(5000, dtype=int), np.ones(5000, dtype=int)])
def test_one_class_is_refused(y):
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: y must hold both classes, "
                       r"1 \(bad\) and 0 \(good\); got only (goods|bads)"):
        CARD.recalibrate(X_NOW, y)


def test_one_class_by_weight_is_refused():
    w = Y_NOW.to_numpy() * 1.0  # every good has weight 0
    with pytest.raises(InvalidInputError, match=r"y must hold both classes.*only bads"):
        CARD.recalibrate(X_NOW, Y_NOW, sample_weight=w)


def test_misaligned_y_is_refused():
    shifted = Y_NOW.set_axis(Y_NOW.index + 1)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: y "):
        CARD.recalibrate(X_NOW, shifted)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: y must have one value per row"):
        CARD.recalibrate(X_NOW, Y_NOW.to_numpy()[:-1])
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: sample_weight "):
        CARD.recalibrate(X_NOW, Y_NOW, sample_weight=np.ones(3))


def test_a_y_in_another_order_is_aligned_by_label():
    # a Series is matched to X by index label, as fit does: the same fit, not a silent mismatch
    a = CARD.recalibrate(X_NOW, Y_NOW).lineage_[0]
    b = CARD.recalibrate(X_NOW, Y_NOW.iloc[::-1]).lineage_[0]
    assert a == b


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "isotonic"}, r"method must be one of 'intercept', 'logistic'; got 'isotonic'"),
        ({"method": None}, r"method must be one of 'intercept', 'logistic'"),
        ({"as_of": "today"}, r"as_of relative words such as 'now' or 'today'"),
        ({"as_of": "2025-13-01"}, r"as_of "),
        ({"as_of": [2025]}, r"as_of must be a single date"),
        ({"as_of": "2025-01-01 10:00"}, r"as_of must be a date without a time of day"),
    ],
)
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: " + message):
        CARD.recalibrate(X_NOW, Y_NOW, **kwargs)


def test_a_missing_feature_is_a_schema_error():
    with pytest.raises(SchemaError, match="util"):
        CARD.recalibrate(X_NOW.drop(columns="util"), Y_NOW)


def test_a_target_that_is_not_binary_is_refused():
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.recalibrate: y "):
        CARD.recalibrate(X_NOW, Y_NOW * 2)


def test_logistic_needs_two_scores_and_no_separation():
    X = X_NOW.assign(util=0.5, inq=1.0, city="a")  # one score for every row
    with pytest.raises(InvalidInputError, match=r"X must get at least two distinct scores"):
        CARD.recalibrate(X, Y_NOW, method="logistic")
    # one score is fine for calibration in the large
    new = CARD.recalibrate(X, Y_NOW, method="intercept")
    assert math.isclose(new.predict_proba(X)[0, 1], Y_NOW.mean(), rel_tol=1e-10)
    risky = pd.Series((_log_odds(CARD, X_NOW) > np.median(_log_odds(CARD, X_NOW))).astype(int),
                      index=X_NOW.index)
    with pytest.raises(InvalidInputError, match=r"X must not have scores that separate the outcomes"):
        CARD.recalibrate(X_NOW, risky, method="logistic")


def test_a_card_that_ranks_backwards_is_refused():
    x = _log_odds(CARD, X_NOW)
    rng = np.random.default_rng(5)
    backwards = pd.Series((rng.random(len(x)) < 1 / (1 + np.exp(x + 2.0))).astype(int), index=X_NOW.index)
    with pytest.raises(InvalidInputError, match=r"y must be ranked by the card in its own direction.*"
                       r"Rebuild the card"):
        CARD.recalibrate(X_NOW, backwards, method="logistic")


# ------------------------------------------------------------ lineage record ---


def test_lineage_record_round_trips_and_checks_its_fields():
    rec = LineageRecord(parent="ab" * 32, method="logistic", as_of=dt.date(2025, 1, 31), n=10,
                        bad_rate=0.2, mean_pd=0.1, intercept=0.3, slope=0.8)
    assert LineageRecord.from_dict(json.loads(json.dumps(rec.to_dict()))) == rec
    bad = {**rec.to_dict(), "parent": "XYZ"}
    with pytest.raises(InvalidInputError, match=r"^LineageRecord\.from_dict: d\.parent must be a "
                       r"fingerprint"):
        LineageRecord.from_dict(bad)
    with pytest.raises(InvalidInputError, match=r"d\.slope must be a finite number > 0; got -1"):
        LineageRecord.from_dict({**rec.to_dict(), "slope": -1.0})
    with pytest.raises(InvalidInputError, match=r"d must have exactly the keys"):
        LineageRecord.from_dict({**rec.to_dict(), "extra": 1})


def test_a_tampered_lineage_is_refused_by_from_dict():
    twice = CARD.recalibrate(X_NOW, Y_NOW).recalibrate(X_NOW, Y_NOW, method="logistic")
    d = json.loads(json.dumps(twice.to_dict()))
    d["lineage"][0]["method"] = "isotonic"
    d["lineage"][1]["as_of"] = "yesterday"
    with pytest.raises(InvalidInputError, match=r"(?s)got 2 problems:.*lineage\[0\]\.method must be one of "
                       r"'intercept', 'logistic'.*lineage\[1\]\.as_of"):
        Scorecard.from_dict(d)


# -------------------------------------------------------------- version 4 ---


def _frozen_card(version):
    """A frozen payload of that version, the card it loads to (checked to score as that release did), and
    the six rows it was scored on."""
    d = json.loads((FIXTURES / f"card_v{version}.json").read_text())
    ref = json.loads((FIXTURES / f"card_v{version}_scores.json").read_text())
    assert d["version"] == version
    card = Scorecard.from_dict(d)
    rows = pd.DataFrame(ref["rows"]).astype({"util": "float64"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # 'zz' is an unseen city, scored by the policy
        assert card.points(rows).tolist() == ref["points"]
        assert card.predict_proba(rows)[:, 1].tolist() == ref["pd"]
    return d, card, rows


def test_a_version_4_card_still_loads_and_scores_identically():
    # frozen output of Scorecard.to_dict() of the release before lineage and sources (version 4),
    # with the points and PDs that release gave on six rows (special, missing, rare, unseen values)
    d, card, rows = _frozen_card(4)
    assert card.lineage_ == ()
    assert card.data_sources() == ("unknown",)  # a version-4 card was never told its sources
    assert card.data_categories() == ("unknown",)
    again = card.to_dict()
    assert again["version"] == 6
    assert again["lineage"] == []
    assert Scorecard.from_dict(again).to_dict() == again
    # everything a version-4 payload held is kept as it was
    assert {k: v for k, v in again.items() if k in d and k not in ("version", "params")} == {
        k: v for k, v in d.items() if k not in ("version", "params")}
    # parameters added since take their defaults (cv_*: unused without monotonic='cv')
    assert again["params"] == {**d["params"], "feature_sources": None, "cv_max_bins": 20,
                               "cv_min_bin_share": 0.005}
    # and it can be recalibrated like any card
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        new = card.recalibrate(rows, [1, 0, 1, 0, 0, 1], method="intercept")
    assert new.lineage_[0].parent == card.fingerprint()


def test_a_version_5_card_still_loads_and_scores_identically():
    # frozen output of Scorecard.to_dict() of the release before the cv_ binning fields (version 5):
    # an L2-penalised card (its standard errors and p-values written as NaN) with sources and one
    # recalibration, and the points and PDs that release gave on six rows
    d, card, _ = _frozen_card(5)
    assert all(math.isnan(v) for v in d["p_values"])
    assert np.isnan(card.p_values_).all()
    assert np.isnan(card.std_errors_).all()
    assert len(card.lineage_) == 1
    assert card.data_sources() == ("inquiries", "merchants", "repayments")
    again = card.to_dict()
    assert again["version"] == 6
    # undefined estimates are now null (strict JSON), so a payload equals itself after a round trip
    assert again["p_values"] == [None] * len(d["p_values"])
    assert Scorecard.from_dict(json.loads(json.dumps(again))).to_dict() == again
    assert again["params"] == {**d["params"], "cv_max_bins": 20, "cv_min_bin_share": 0.005}
    assert again["lineage"] == d["lineage"]
    assert again["binnings"] == d["binnings"]
    assert card.fingerprint() == Scorecard.from_dict(again).fingerprint()


def test_a_card_saved_before_the_penalty_existed_keeps_an_unpenalised_fit_in_its_params():
    # a version-3 payload has no penalty parameters: they take the defaults of that time
    # (unpenalised), not today's, so the parameters still describe the stored fit
    d = json.loads((FIXTURES / "card_v3.json").read_text())
    assert "penalty" not in d["params"]
    assert "penalty_strength" not in d["params"]
    card = Scorecard.from_dict(d)
    assert (card.penalty, card.penalty_strength) == ("none", "cv")
    assert card.binning.monotonic == d["params"]["monotonic"]
