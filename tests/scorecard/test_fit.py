"""The logistic fit of Scorecard: statsmodels equality, weights, separation, steps, summary."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import assume, given
from hypothesis import strategies as st

from jiebei_credit.errors import ConvergenceWarning, InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard


def _credit(n=6000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "util": rng.random(n),
            "inq": rng.poisson(1.5, n).astype(float),
            "tenure": rng.integers(1, 60, n).astype(float),
            "region": rng.choice(["east", "west", "north"], n),
        }
    )
    X.loc[X.index[::13], "util"] = np.nan
    logit = -2.5 + 2.0 * X["util"].fillna(0.8) + 0.4 * X["inq"] - 0.02 * X["tenure"]
    logit += X["region"].map({"east": 0.0, "west": 0.3, "north": 0.6})
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


def _woe(card, X):
    return np.column_stack([card.binnings_[f].woe(X[f]) for f in card.features_])


def test_estimates_equal_statsmodels_logit_on_rows():
    # the card fits on collapsed bin combinations; statsmodels fits the same WOE matrix row
    # by row: identical rows add identically to the likelihood, so all estimates agree
    X, y = _credit()
    card = Scorecard(binning=BinningParams(max_bins=5), penalty="none").fit(X, y)
    assert len(card.features_) == 4
    ref = sm.Logit(y.to_numpy(), sm.add_constant(_woe(card, X))).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose([card.intercept_, *card.coef_], ref.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(card.std_errors_, ref.bse, rtol=1e-7)
    np.testing.assert_allclose(card.p_values_, ref.pvalues, rtol=1e-6, atol=1e-300)
    assert math.isclose(card.log_likelihood_, ref.llf, rel_tol=1e-10)
    assert math.isclose(card.null_log_likelihood_, ref.llnull, rel_tol=1e-10)
    assert math.isclose(card.aic_, ref.aic, rel_tol=1e-10)
    assert math.isclose(card.pseudo_r2_, ref.prsquared, rel_tol=1e-8)
    assert card.n_obs_ == len(X)


def test_weighted_estimates_equal_statsmodels_glm_with_frequency_weights():
    X, y = _credit(4000, seed=1)
    w = np.random.default_rng(2).integers(1, 4, len(X)).astype(float)
    card = Scorecard(binning=BinningParams(max_bins=4), penalty="none").fit(X, y, sample_weight=w)
    ref = sm.GLM(
        y.to_numpy(), sm.add_constant(_woe(card, X)), family=sm.families.Binomial(), freq_weights=w
    ).fit(tol=1e-12)
    np.testing.assert_allclose([card.intercept_, *card.coef_], ref.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(card.std_errors_, ref.bse, rtol=1e-7)
    assert math.isclose(card.log_likelihood_, ref.llf, rel_tol=1e-10)
    assert math.isclose(card.aic_, ref.aic, rel_tol=1e-10)
    assert card.n_obs_ == w.sum()


def test_integer_weights_equal_duplicated_rows():
    # integer features (fewer distinct values than pre-bins) give the same fine bins for
    # the weighted and the duplicated table, so the two cards must agree
    rng = np.random.default_rng(3)
    n = 3000
    X = pd.DataFrame({"a": rng.integers(0, 30, n).astype(float), "b": rng.integers(0, 20, n).astype(float)})
    y = (rng.random(n) < 1 / (1 + np.exp(2 - 0.08 * X["a"] - 0.05 * X["b"]))).astype(int)
    w = rng.integers(1, 4, n)
    rows = np.repeat(np.arange(n), w)
    weighted = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y, sample_weight=w.astype(float))
    dup = Scorecard(binning=BinningParams(max_bins=4)).fit(
        X.iloc[rows].reset_index(drop=True), y.iloc[rows].reset_index(drop=True))
    assert weighted.binnings_ == dup.binnings_
    np.testing.assert_allclose(weighted.coef_, dup.coef_, rtol=1e-9)
    np.testing.assert_allclose(weighted.std_errors_, dup.std_errors_, rtol=1e-9)
    assert math.isclose(weighted.log_likelihood_, dup.log_likelihood_, rel_tol=1e-12)


@st.composite
def _small_tables(draw, weighted=False):
    """2-3 integer features with few distinct values (rows repeat bin combinations) and a 0/1 target."""
    n = draw(st.integers(150, 600))
    k = draw(st.integers(2, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = pd.DataFrame({f"x{j}": rng.integers(0, draw(st.integers(3, 7)), n).astype(float) for j in range(k)})
    beta = np.array([draw(st.floats(-1.0, 1.0)) for _ in range(k)])
    logit = draw(st.floats(-2.0, 0.0)) + (X.to_numpy() - 2.0) @ beta
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    w = rng.integers(1, 5, n).astype(float) if weighted else None
    return X, pd.Series(y), w


def _fit_quietly(X, y, w=None):
    """The card, or None when the fit warns or raises (quasi-separation, nothing to fit)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            card = Scorecard(
                binning=BinningParams(max_bins=4), min_iv=0.0, max_correlation=1.0, penalty="none",
            ).fit(X, y, sample_weight=w)
        except InvalidInputError:
            return None
    return None if caught else card


def _reference(fit):
    """A statsmodels fit on the rows, or None when statsmodels itself warns."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit()
        values = (res.params, res.bse, res.pvalues, res.llf, res.llnull, res.aic)
    return None if caught or not np.all(np.isfinite(np.concatenate(values[:3]))) else res


@given(_small_tables())
def test_collapsed_fit_equals_statsmodels_logit_on_rows(data):
    # the card fits a GLM on the distinct bin combinations (two rows each, weighted by their
    # bads and goods); the reference is statsmodels' Logit on every row of the same WOE columns
    X, y, _ = data
    card = _fit_quietly(X, y)
    assume(card is not None)
    exog = sm.add_constant(_woe(card, X), has_constant="add")
    ref = _reference(lambda: sm.Logit(y.to_numpy(), exog).fit(method="newton", tol=1e-12, disp=0))
    assume(ref is not None)
    np.testing.assert_allclose([card.intercept_, *card.coef_], ref.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(card.std_errors_, ref.bse, rtol=1e-7)
    np.testing.assert_allclose(card.p_values_, ref.pvalues, rtol=1e-6, atol=1e-12)
    assert math.isclose(card.log_likelihood_, ref.llf, rel_tol=1e-10)
    # Logit's llnull comes from its own iterative fit of the intercept-only model (agreeing to
    # about 1e-10); the exact value is B ln(B/N) + G ln(G/N)
    b, n = float(y.sum()), float(len(y))
    assert math.isclose(card.null_log_likelihood_, b * math.log(b / n) + (n - b) * math.log(1 - b / n))
    assert math.isclose(card.null_log_likelihood_, ref.llnull, rel_tol=1e-8)
    assert math.isclose(card.aic_, ref.aic, rel_tol=1e-10)
    assert math.isclose(card.pseudo_r2_, ref.prsquared, rel_tol=1e-6, abs_tol=1e-10)
    assert card.n_obs_ == len(X)


@given(_small_tables(weighted=True))
def test_collapsed_weighted_fit_equals_statsmodels_glm_on_rows(data):
    # reference: GLM (binomial, logit link) on every row with the sample weights as
    # frequency weights; McFadden's pseudo-R2 is 1 - llf / llnull of that fit
    X, y, w = data
    card = _fit_quietly(X, y, w)
    assume(card is not None)
    exog = sm.add_constant(_woe(card, X), has_constant="add")
    model = sm.GLM(y.to_numpy(), exog, family=sm.families.Binomial(), freq_weights=w)
    # IRLS until no coefficient moves by 1e-12 (its default stops on the deviance, which leaves
    # the coefficients, hence the standard errors, about 1e-7 off)
    ref = _reference(lambda: model.fit(tol=1e-12, tol_criterion="params"))
    assume(ref is not None)
    np.testing.assert_allclose([card.intercept_, *card.coef_], ref.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(card.std_errors_, ref.bse, rtol=1e-7)
    np.testing.assert_allclose(card.p_values_, ref.pvalues, rtol=1e-6, atol=1e-12)
    assert math.isclose(card.log_likelihood_, ref.llf, rel_tol=1e-10)
    assert math.isclose(card.null_log_likelihood_, ref.llnull, rel_tol=1e-10)
    assert math.isclose(card.aic_, ref.aic, rel_tol=1e-10)
    assert math.isclose(card.pseudo_r2_, ref.pseudo_rsquared(kind="mcf"), rel_tol=1e-7, abs_tol=1e-12)
    assert card.n_obs_ == w.sum()


def _forward_reference(y, woe, criterion, p_enter=0.05):
    """Greedy forward selection with statsmodels' Logit on the rows of the WOE columns ``woe``."""

    def logit(feats):
        exog = np.column_stack([np.ones(len(y)), *(woe[f] for f in feats)])
        return sm.Logit(y, exog).fit(method="newton", tol=1e-12, disp=0)

    chosen, current = [], logit([])
    while rest := [f for f in woe if f not in chosen]:
        fits = {f: logit([*chosen, f]) for f in rest}
        if criterion == "pvalue":
            f = min(fits, key=lambda f: fits[f].pvalues[-1])
            enters = fits[f].pvalues[-1] < p_enter
        else:
            f = min(fits, key=lambda f: fits[f].aic)
            enters = fits[f].aic < current.aic
        if not enters:
            break
        chosen.append(f)
        current = fits[f]
    return chosen


def test_forward_selection_follows_statsmodels_pvalues_and_aic():
    # reference: forward selection written in the test with statsmodels' Logit on the rows of
    # the card's WOE columns (entry: smallest p-value below p_enter, or largest AIC drop)
    X, y = _credit(5000, seed=11)
    X = X.assign(noise=np.random.default_rng(12).normal(size=len(X)))
    for criterion in ("pvalue", "aic"):
        card = Scorecard(binning=BinningParams(max_bins=4), min_iv=0.0, selection="forward",
                         criterion=criterion).fit(X, y)
        candidates = [*card.features_, *(f for f, step, _ in card.drops_ if step == "forward")]
        woe = {f: card.binnings_[f].woe(X[f]) for f in candidates}
        chosen = _forward_reference(y.to_numpy(), woe, criterion)
        assert list(card.features_) == chosen, criterion
        assert len(chosen) < len(candidates)  # the selection did reject something


def test_fit_keeps_warning_filters_and_never_imports_statsmodels():
    # importing statsmodels installs process-wide warning filters (and removing them again is
    # not thread-safe), so the fit computes its estimates itself: a fresh process has the
    # same filters before and after a fit, and statsmodels is never loaded
    code = (
        "import sys, json, warnings\n"
        "import numpy as np, pandas as pd, scipy.special\n"
        "import jiebei_credit\n"
        "from jiebei_credit.scorecard import Scorecard\n"
        "before_import = 'statsmodels' in sys.modules\n"
        "filters = list(warnings.filters)\n"
        "rng = np.random.default_rng(0)\n"
        "X = pd.DataFrame({'a': rng.random(2000)})\n"
        "y = (rng.random(2000) < 0.1 + 0.3 * X['a']).astype(int)\n"
        "Scorecard().fit(X, y)\n"
        "print(json.dumps({'before': before_import, 'after': 'statsmodels' in sys.modules,\n"
        "                  'same': filters == warnings.filters}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == {"before": False, "after": False, "same": True}


def test_concurrent_fits_leave_warning_filters_alone_and_lose_no_warning():
    # repro: the fit wrapped statsmodels in warnings.catch_warnings, which swaps the module's
    # filters and showwarning for the whole process; with threads fitting, warnings the main
    # thread emitted in the meantime were recorded into a fit's private list (lost) and filters
    # were left behind. The test installs its own showwarning hook (restored afterwards) and
    # warns from the main thread while four threads fit.
    X, y = _credit(3000, seed=9)
    seen: list[str] = []
    errors: list[BaseException] = []

    def record(message, category, filename, lineno, file=None, line=None):
        seen.append(f"{category.__name__}: {message}")

    def fit():
        try:
            for _ in range(3):
                Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with warnings.catch_warnings():  # the test's own changes are undone on exit
        warnings.simplefilter("always")
        warnings.showwarning = record
        before = list(warnings.filters)
        threads = [threading.Thread(target=fit) for _ in range(4)]
        for t in threads:
            t.start()
        sent = 0
        while any(t.is_alive() for t in threads):
            warnings.warn(f"main thread {sent}", UserWarning, stacklevel=1)
            sent += 1
            time.sleep(0.002)
        for t in threads:
            t.join()
        after = list(warnings.filters)
        hook = warnings.showwarning
    assert not errors
    assert sent > 10
    assert after == before
    assert hook is record
    assert seen == [f"UserWarning: main thread {k}" for k in range(sent)]


def test_perfect_prediction_raises():
    # bads exactly below 100: pure bins (allowed by min_bin_goods/bads = 0) give WOE that
    # separates the classes, and the likelihood has no maximum
    x = np.arange(1.0, 201.0)  # the 50 quantile pre-bins put an edge at 100
    X = pd.DataFrame({"leak": x})
    y = (x < 100).astype(int)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: X must not predict y perfectly; got the "
                       r"WOE of 'leak', which classifies every bad and every good correctly .* leakage"):
        Scorecard(binning=BinningParams(min_bin_goods=0, min_bin_bads=0)).fit(X, y)


def test_quasi_separation_warns():
    # two binary features; the cell (0, 0) holds only bads and (1, 1) only goods, the other
    # two cells are mixed: the direction -(woe_a + woe_b) separates the pure cells and is
    # zero on the mixed ones, so the coefficients diverge (quasi-complete separation)
    cells = {(0, 0): (0, 40), (0, 1): (20, 20), (1, 0): (20, 20), (1, 1): (40, 0)}  # (goods, bads)
    rows = [(a, b, 0) for (a, b), (g, _) in cells.items() for _ in range(g)]
    rows += [(a, b, 1) for (a, b), (_, bd) in cells.items() for _ in range(bd)]
    df = pd.DataFrame(rows, columns=["a", "b", "y"]).astype(float)
    with pytest.warns(ConvergenceWarning, match="quasi-separate the target") as record:
        Scorecard(binning=BinningParams(min_bin_share=0.0), penalty="none").fit(df[["a", "b"]], df["y"])
    # warnings statsmodels emits on the way (its ConvergenceWarning, numpy RuntimeWarnings;
    # which ones depends on its version) are translated, not passed on: only ours reaches
    # the caller, once
    assert [w.category for w in record] == [ConvergenceWarning]


def test_perfectly_collinear_woe_raises():
    # a copy of a feature has the same bins and exactly the same WOE; with max_correlation=1
    # the filter keeps both and the fit has no unique solution
    X, y = _credit(3000, seed=4)
    X = X.assign(util_copy=X["util"])
    with pytest.raises(InvalidInputError, match="perfectly collinear"):
        Scorecard(max_correlation=1.0).fit(X[["util", "util_copy", "inq"]], y)


def test_every_drop_step_is_reported_with_its_reason():
    X, y = _credit(6000, seed=5)
    rng = np.random.default_rng(6)
    X = X.assign(
        noise=rng.normal(size=len(X)),  # IV below min_iv
        util_twin=X["util"] * 3.0 - 1.0,  # same bins as util: |corr| 1
        inq_echo=X["inq"] + rng.poisson(2.0, len(X)),  # correlated with inq, below 0.7
    )
    # min_iv is set: the default (0) keeps every feature, so the "iv" step would not show
    # unpenalised, so the summary has standard errors and p-values to show
    card = Scorecard(max_vif=1.2, binning=BinningParams(max_bins=5), min_iv=0.02, penalty="none").fit(X, y)
    steps = {f: s for f, s, _ in card.drops_}
    assert steps["noise"] == "iv"
    assert "correlation" in (steps.get("util_twin"), steps.get("util"))
    assert "vif" in steps.values()
    summ = card.summary()
    assert list(summ.columns) == [
        "feature",
        "status",
        "coefficient",
        "std_error",
        "p_value",
        "iv",
        "vif",
        "reason",
    ]
    assert summ.iloc[0]["feature"] == "(intercept)"
    model = summ[summ["status"] == "model"]
    assert list(model["feature"][1:]) == list(card.features_)
    assert model["std_error"].notna().all()
    assert model["p_value"].between(0, 1).all()
    assert (model["vif"][1:] <= 1.2).all()
    dropped = summ[summ["status"].str.startswith("dropped")]
    assert list(dropped["feature"]) == [f for f, _, _ in card.drops_]
    assert list(dropped["status"]) == [f"dropped ({s})" for _, s, _ in card.drops_]
    assert dropped["reason"].str.len().gt(0).all()
    reasons = dict(zip(dropped["feature"], dropped["reason"], strict=True))
    assert reasons["noise"].startswith("IV ")
    assert any(r.startswith("VIF ") and r.endswith("> 1.2") for r in reasons.values())
    assert set(summ.attrs) == {"aic", "pseudo_r2", "log_likelihood", "null_log_likelihood", "n_obs"}
    # AIC = -2 llf + 2 (k + 1)
    assert math.isclose(summ.attrs["aic"], -2 * card.log_likelihood_ + 2 * (len(card.features_) + 1))


def test_constant_woe_is_dropped_before_the_fit():
    # with min_iv=0 a one-bin column (IV 0) passes the IV filter; its WOE is constant and
    # would make the fit singular, so it is dropped as 'constant'
    X, y = _credit(2000, seed=10)
    card = Scorecard(min_iv=0.0).fit(X.assign(flat=1.0), y)
    # the reason names the one bin (every value of 'flat' falls in (-inf, inf))
    assert ("flat", "constant", "one bin on every row ([-inf, inf)): nothing to fit") in card.drops_


def test_vif_equals_inverse_correlation_diagonal():
    # reference: VIF_j = 1 / (1 - R^2_j) from regressing WOE_j on the other WOE columns
    X, y = _credit(5000, seed=7)
    X = X.assign(inq2=X["inq"] + np.random.default_rng(8).poisson(1.0, len(X)))
    card = Scorecard(binning=BinningParams(max_bins=4), min_iv=0.0, max_correlation=0.95).fit(X, y)
    W = _woe(card, X)
    for j in range(W.shape[1]):
        others = sm.add_constant(np.delete(W, j, axis=1))
        r2 = sm.OLS(W[:, j], others).fit().rsquared
        assert math.isclose(card.vif_[j], 1 / (1 - r2), rel_tol=1e-8)


def test_fit_does_not_warn_on_ordinary_data():
    X, y = _credit(3000, seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Scorecard().fit(X, y)


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "message"),
    [
        (None, None, {}, (r"^Scorecard\.fit: y is required .*Scorecard\.fit requires y to be passed, but the "
         r"target y is None")),
        (None, "cont", {}, r"^Scorecard\.fit: y must hold 1 \(bad\) or 0 \(good\), not a continuous target"),
        (None, "three", {}, (r"^Scorecard\.fit: y must hold 1 \(bad\) or 0 \(good\): Only binary "
            r"classification "
         r"is supported; got 10 values \(2\.0")),
        (None, "ok", {"sample_weight": "zeros"}, (r"^Scorecard\.fit: sample_weight must not be all "
            r"zero; got 50 "
         "zero weights")),
        ("empty_cols", "ok", {}, r"Found array with 0 feature\(s\) \(shape=\(50, 0\)\)"),
        ("empty_rows", "none", {}, r"Found array with 0 sample\(s\) \(shape=\(0, 2\)\)"),
        ("complex", "ok", {}, "Complex data not supported"),
        ("sparse", "ok", {}, "sparse input is not supported"),
        ("1d", "ok", {}, "Reshape your data"),
    ],
)
def test_input_errors(X, y, kwargs, message):
    from scipy import sparse

    rng = np.random.default_rng(0)
    base = rng.normal(size=(50, 2))
    frames = {
        None: base,
        "empty_cols": np.empty((50, 0)),
        "empty_rows": np.empty((0, 2)),
        "complex": base + 1j,
        "sparse": sparse.csr_matrix(base),
        "1d": base[:, 0],
    }
    targets = {
        None: None,
        "ok": np.tile([0, 1], 25),
        "none": np.empty(0),
        "cont": rng.random(50),
        "three": np.tile([0, 1, 2, 1, 0], 10),
    }
    if kwargs.get("sample_weight") == "zeros":
        kwargs = {"sample_weight": np.zeros(50)}
    with pytest.raises(InvalidInputError, match=message):
        Scorecard().fit(frames[X], targets[y], **kwargs)
