"""Reject inference (issue 15 item 7): by-hand oracles, properties and hostile inputs.

The tiny card has one feature with two values: ``util`` 0.8 (risky: 100
accepted rows, 40 bads) and 0.2 (safe: 150 rows, 15 bads). Two bins and an
unpenalised logistic fit on their WOE make a saturated model, whose maximum
likelihood PD in each bin is the bin's observed bad rate: 0.4 and 0.1. Every
expected number below follows from those counts and the formulas in the
docstring of ``reject_inference``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import DataWarning, InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.scorecard import BinningParams, Scorecard, reject_inference

RISKY, SAFE = 0.8, 0.2
PD_RISKY, PD_SAFE = 40 / 100, 15 / 150  # observed bad rates = saturated-model MLE


def _accepted() -> tuple[pd.DataFrame, pd.Series]:
    util = [RISKY] * 100 + [SAFE] * 150
    bad = [1] * 40 + [0] * 60 + [1] * 15 + [0] * 135
    index = pd.Index([f"a{i}" for i in range(250)])
    return pd.DataFrame({"util": util}, index=index), pd.Series(bad, index=index)


XA, YA = _accepted()
# unpenalised, so the card is saturated: its PD per bin is the bin's bad rate
CARD = Scorecard(binning=BinningParams(max_bins=2), penalty="none").fit(XA, YA)
#: 5 risky rejects (one beyond every accepted value), then 4 safe ones
XR = pd.DataFrame({"util": [RISKY, RISKY, 0.9, RISKY, RISKY, SAFE, SAFE, 0.1, SAFE]},
                  index=[f"r{i}" for i in range(9)])
IS_RISKY = np.array([True] * 5 + [False] * 4)
NA, NR = len(XA), len(XR)


def test_the_tiny_card_is_saturated():
    # the oracle every other test leans on: PD per bin = the bin's bad rate
    p = CARD.predict_proba(pd.DataFrame({"util": [RISKY, SAFE]}))[:, 1]
    np.testing.assert_allclose(p, [PD_RISKY, PD_SAFE], rtol=1e-7)


# ------------------------------------------------------------------ fuzzy ---


def test_fuzzy_by_hand():
    X, y, w = reject_inference(CARD, XA, YA, XR, method="fuzzy")
    assert len(X) == NA + 2 * NR
    assert X.index.equals(pd.RangeIndex(NA + 2 * NR))
    assert y.index.equals(X.index)
    assert w.index.equals(X.index)
    p = np.where(IS_RISKY, PD_RISKY, PD_SAFE)
    # each reject as a bad with weight p, then as a good with weight 1 - p
    np.testing.assert_array_equal(y.to_numpy()[NA:], [1] * NR + [0] * NR)
    np.testing.assert_allclose(w.to_numpy()[NA:], np.concatenate([p, 1 - p]), rtol=1e-7)
    np.testing.assert_array_equal(X["util"].to_numpy()[NA:], np.tile(XR["util"].to_numpy(), 2))


def test_fuzzy_uplift_and_reject_weight_by_hand():
    _, _, w = reject_inference(CARD, XA, YA, XR, method="fuzzy", uplift=2.0, reject_weight=0.5)
    # p' = min(1, 2 p): 0.8 and 0.2; weights 0.5 p' and 0.5 (1 - p')
    p = np.where(IS_RISKY, 0.8, 0.2)
    np.testing.assert_allclose(w.to_numpy()[NA:], 0.5 * np.concatenate([p, 1 - p]), rtol=1e-7)
    _, _, w3 = reject_inference(CARD, XA, YA, XR, method="fuzzy", uplift=3.0)
    # 3 * 0.4 = 1.2 is capped at 1: a risky reject is a bad with weight 1, a good with weight 0
    np.testing.assert_allclose(w3.to_numpy()[NA:NA + 5], 1.0)
    np.testing.assert_allclose(w3.to_numpy()[NA + NR:NA + NR + 5], 0.0, atol=1e-12)


# ------------------------------------------------------------- parcelling ---


def test_parcelling_by_hand():
    X, y, w = reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2, seed=3)
    # bands: the weighted median of the 250 accepted scores is the safe score, so the
    # bands are the two bins; risky band: k = floor(5 * 0.4 + 0.5) = 2 bads,
    # safe band: floor(4 * 0.1 + 0.5) = 0 bads
    yr = y.to_numpy()[NA:]
    assert len(X) == NA + NR
    assert int(yr[IS_RISKY].sum()) == 2
    assert int(yr[~IS_RISKY].sum()) == 0
    np.testing.assert_array_equal(w.to_numpy()[NA:], 1.0)


def test_parcelling_uplift_by_hand():
    _, y, _ = reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2, uplift=2.0)
    # risky: floor(5 * 0.8 + 0.5) = 4; safe: floor(4 * 0.2 + 0.5) = 1
    yr = y.to_numpy()[NA:]
    assert int(yr[IS_RISKY].sum()) == 4
    assert int(yr[~IS_RISKY].sum()) == 1


def test_parcelling_weighted_bad_rate_by_hand():
    # the 40 risky bads weigh 2: risky band rate 80 / 140 = 4/7, k = floor(5 * 4/7 + 0.5) = 3;
    # band edge: weighted median of a total of 290 (risky 140 < 145), still the safe score
    wa = pd.Series(np.where((XA["util"] == RISKY) & (YA == 1), 2.0, 1.0), index=XA.index)
    _, y, w = reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2, sample_weight=wa)
    yr = y.to_numpy()[NA:]
    assert int(yr[IS_RISKY].sum()) == 3
    assert int(yr[~IS_RISKY].sum()) == 0
    np.testing.assert_array_equal(w.to_numpy()[:NA], wa.to_numpy())


def test_parcelling_one_band_uses_the_overall_bad_rate():
    # one band: rate 55 / 250 = 0.22, k = floor(9 * 0.22 + 0.5) = floor(2.48) = 2
    _, y, _ = reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=1)
    assert int(y.to_numpy()[NA:].sum()) == 2


def test_parcelling_is_deterministic_by_seed():
    runs = [reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2, seed=s)[1] for s in (5, 5)]
    pd.testing.assert_series_equal(runs[0], runs[1])
    g1 = reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2,
                          seed=np.random.default_rng(5))[1]
    pd.testing.assert_series_equal(runs[0], g1)
    picks = {tuple(reject_inference(CARD, XA, YA, XR, method="parcelling", n_bands=2, seed=s)[1][NA:])
             for s in range(20)}
    # 2 bads among 5 risky rejects: C(5, 2) = 10 possible draws; 20 seeds hit more than one
    assert len(picks) > 1
    assert all(sum(t) == 2 for t in picks)


# ------------------------------------------------------------ hard cutoff ---


def test_hard_cutoff_by_hand():
    _, y, w = reject_inference(CARD, XA, YA, XR, method="hard_cutoff", cutoff=0.3)
    # PD 0.4 > 0.3: bad; PD 0.1: good
    np.testing.assert_array_equal(y.to_numpy()[NA:], IS_RISKY.astype(int))
    np.testing.assert_array_equal(w.to_numpy()[NA:], 1.0)
    _, y_default, _ = reject_inference(CARD, XA, YA, XR, method="hard_cutoff")
    # the default cutoff 0.5 is above both PDs: every reject good
    assert int(y_default.to_numpy()[NA:].sum()) == 0


# ------------------------------------------------------------- properties ---

reject_rows = st.lists(st.sampled_from([0.05, 0.1, SAFE, 0.5, RISKY, 0.95]), min_size=1, max_size=30)
methods = st.sampled_from(["fuzzy", "parcelling", "hard_cutoff"])


@given(values=reject_rows, method=methods, r=st.floats(0.1, 5.0), u=st.floats(0.5, 3.0))
def test_accepted_rows_unchanged_and_inputs_not_mutated(values, method, r, u):
    xr = pd.DataFrame({"util": values})
    before = (XA.copy(), YA.copy(), xr.copy())
    X, y, w = reject_inference(CARD, XA, YA, xr, method=method, reject_weight=r, uplift=u)
    pd.testing.assert_frame_equal(X.iloc[:NA], XA.reset_index(drop=True))
    np.testing.assert_array_equal(y.to_numpy()[:NA], YA.to_numpy())
    np.testing.assert_array_equal(w.to_numpy()[:NA], 1.0)
    pd.testing.assert_frame_equal(XA, before[0])
    pd.testing.assert_series_equal(YA, before[1])
    pd.testing.assert_frame_equal(xr, before[2])
    assert y.dtype == np.int64
    assert w.dtype == np.float64
    assert set(np.unique(y)) <= {0, 1}
    # every reject carries a total weight r, whatever the method
    np.testing.assert_allclose(w.to_numpy()[NA:].sum(), r * len(values), rtol=1e-12)


@given(values=reject_rows, u=st.floats(0.5, 3.0))
def test_fuzzy_weighted_bads_equal_the_sum_of_pds(values, u):
    xr = pd.DataFrame({"util": values})
    _, y, w = reject_inference(CARD, XA, YA, xr, method="fuzzy", uplift=u)
    p = np.minimum(1.0, u * CARD.predict_proba(xr)[:, 1])
    wr, yr = w.to_numpy()[NA:], y.to_numpy()[NA:]
    np.testing.assert_allclose(wr[yr == 1].sum(), p.sum(), rtol=1e-12)
    n = len(values)
    np.testing.assert_allclose(wr[:n] + wr[n:], 1.0, rtol=1e-12)  # 1 per reject


@given(values=reject_rows, seed=st.integers(0, 2**32))
def test_parcelling_bad_count_per_band_does_not_depend_on_the_seed(values, seed):
    xr = pd.DataFrame({"util": values})
    risky = CARD.predict_proba(xr)[:, 1] > 0.25  # in the risky bin (PD 0.4), not the safe one (0.1)
    _, y, _ = reject_inference(CARD, XA, YA, xr, method="parcelling", n_bands=2, seed=seed)
    yr = y.to_numpy()[NA:]
    assert int(yr[risky].sum()) == int(np.floor(risky.sum() * PD_RISKY + 0.5))
    assert int(yr[~risky].sum()) == int(np.floor((~risky).sum() * PD_SAFE + 0.5))


def test_y_series_in_another_order_is_matched_by_label():
    shuffled = YA.sample(frac=1.0, random_state=0)
    a = reject_inference(CARD, XA, YA, XR, method="fuzzy")
    b = reject_inference(CARD, XA, shuffled, XR, method="fuzzy")
    pd.testing.assert_series_equal(a[1], b[1])


def test_rejected_columns_in_another_order_follow_the_accepted_order():
    xa = XA.assign(other=1.0)
    card = Scorecard(binning=BinningParams(max_bins=2)).fit(xa, YA)
    xr = XR.assign(other=2.0)[["other", "util"]]
    X, _, _ = reject_inference(card, xa, YA, xr, method="hard_cutoff")
    assert list(X.columns) == ["util", "other"]
    np.testing.assert_array_equal(X["other"].to_numpy()[NA:], 2.0)


def test_refit_on_the_result():
    X, y, w = reject_inference(CARD, XA, YA, XR, method="fuzzy")
    new = Scorecard(binning=BinningParams(max_bins=2), penalty="none").fit(X, y, sample_weight=w)
    # fuzzy rejects add bads at each bin's own PD: the bin rates, hence the PDs, stay put
    np.testing.assert_allclose(new.predict_proba(pd.DataFrame({"util": [RISKY, SAFE]}))[:, 1],
                               [PD_RISKY, PD_SAFE], rtol=1e-6)


# --------------------------------------------------------------- hostile ---


def test_unfitted_card():
    with pytest.raises(NotFittedError, match=r"reject_inference: card is not fitted yet"):
        reject_inference(Scorecard(), XA, YA, XR)


def test_not_a_card():
    with pytest.raises(InvalidInputError,
                       match=r"reject_inference: card must be a fitted Scorecard; got a dict"):
        reject_inference({}, XA, YA, XR)  # type: ignore[arg-type]


def test_unknown_method():
    with pytest.raises(InvalidInputError, match=r"reject_inference: method must be one of 'fuzzy', "
                       r"'parcelling', 'hard_cutoff'; got 'augmentation'"):
        reject_inference(CARD, XA, YA, XR, method="augmentation")  # type: ignore[arg-type]


def test_frames_required():
    with pytest.raises(InvalidInputError, match=r"X_rejected must be a pandas DataFrame; got a ndarray"):
        reject_inference(CARD, XA, YA, XR.to_numpy())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"X_accepted must be a pandas DataFrame; got a list"):
        reject_inference(CARD, [[0.2]], YA, XR)  # type: ignore[arg-type]


def test_empty_rejects():
    with pytest.raises(InvalidInputError, match=r"X_rejected must have at least one row; got 0 rows"):
        reject_inference(CARD, XA, YA, XR.iloc[:0])


def test_rejected_columns_differ():
    with pytest.raises(SchemaError, match=r"2 schema problems") as err:
        reject_inference(CARD, XA, YA, XR.rename(columns={"util": "utilisation"}))
    assert [(p.column, p.rule.split(";")[0]) for p in err.value.problems] == [
        ("util", "column is missing"), ("utilisation", "column is not in X_accepted")]


def test_misaligned_y():
    with pytest.raises(InvalidInputError, match=r"y_accepted must have one value per row of X_accepted "
                       r"\(250\); got 249 values"):
        reject_inference(CARD, XA, YA.iloc[1:].to_numpy(), XR)
    other = YA.set_axis([f"b{i}" for i in range(NA)])
    with pytest.raises(InvalidInputError, match=r"y_accepted must have the same index labels as X_accepted"):
        reject_inference(CARD, XA, other, XR)


def test_one_class_y():
    with pytest.raises(InvalidInputError, match=r"y_accepted must hold both bads \(1\) and goods \(0\); "
                       r"got 250 goods and no bads"):
        reject_inference(CARD, XA, YA * 0, XR)


def test_y_not_binary():
    with pytest.raises(InvalidInputError, match=r"y_accepted must hold 1 \(bad\) or 0 \(good\)"):
        reject_inference(CARD, XA, YA * 2, XR)


@pytest.mark.parametrize(("weights", "message"), [
    (np.full(NA, -1.0), r"sample_weight must lie >= 0"),
    (np.ones(NA - 1), r"sample_weight must have one value per row \(250\); got 249 values"),
    (np.zeros(NA), r"sample_weight must have a positive total"),
    (np.full(NA, np.nan), r"sample_weight must not be missing \(NaN\)"),
])
def test_bad_sample_weight(weights, message):
    with pytest.raises(InvalidInputError, match=rf"reject_inference: {message}"):
        reject_inference(CARD, XA, YA, XR, sample_weight=weights)


def test_weights_leaving_one_class():
    w = np.where(YA.to_numpy() == 1, 0.0, 1.0)
    with pytest.raises(InvalidInputError, match=r"y_accepted must hold both bads.*with a positive weight"):
        reject_inference(CARD, XA, YA, XR, sample_weight=w)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"uplift": 0.0}, r"uplift must be a finite number > 0; got 0.0 \(float\)"),
    ({"uplift": True}, r"uplift must be a finite number > 0; got True \(a bool\)"),
    ({"uplift": float("nan")}, r"uplift must be a finite number > 0"),
    ({"reject_weight": -1}, r"reject_weight must be a finite number > 0; got -1"),
    ({"n_bands": 0}, r"n_bands must be an integer >= 1; got 0"),
    ({"n_bands": 2.0}, r"n_bands must be an integer >= 1; got 2.0 \(float\)"),
    ({"cutoff": 1.5}, r"cutoff must be a finite number in \[0, 1\]; got 1.5"),
    ({"seed": -1}, r"seed must be a non-negative integer or a numpy.random.Generator below 2\*\*63"),
])
def test_bad_parameters(kwargs, message):
    with pytest.raises(InvalidInputError, match=rf"reject_inference: {message}"):
        reject_inference(CARD, XA, YA, XR, **kwargs)


def test_rejects_missing_a_model_feature_and_duplicate_columns():
    dup = pd.concat([XR, XR], axis=1)
    with pytest.raises(SchemaError, match=r"column names must be unique"):
        reject_inference(CARD, XA, YA, dup)
    xa, xr = XA.rename(columns={"util": "u"}), XR.rename(columns={"util": "u"})
    with pytest.raises(SchemaError, match=r"X.util: column is missing"):
        reject_inference(CARD, xa, YA, xr)


def test_missing_target_and_bad_column_names():
    with pytest.raises(InvalidInputError, match=r"reject_inference: y_accepted is required"):
        reject_inference(CARD, XA, None, XR)
    with pytest.raises(SchemaError, match=r"column names must be strings"):
        reject_inference(CARD, XA.set_axis([0], axis=1), YA, XR)


def test_unseen_reject_values_warn_through_the_card():
    xr = pd.DataFrame({"util": [np.nan, RISKY]})
    with pytest.warns(DataWarning, match=r"unseen"):
        _, _, w = reject_inference(CARD, XA, YA, xr, method="fuzzy")
    with pytest.warns(DataWarning, match=r"unseen"):
        p = CARD.predict_proba(xr)[:, 1]
    # the unseen value takes the PD the card's own policy gives it, like any other reject
    np.testing.assert_array_equal(w.to_numpy()[NA:NA + 2], p)
