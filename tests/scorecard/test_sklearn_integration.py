"""Scorecard and WOETransformer inside scikit-learn: default scoring, set_output, metadata routing.

Expected values come from independent computations: a manual loop over the
same folds scored with ``sklearn.metrics.roc_auc_score`` (scikit-learn's own
AUC), and the transformer fitted on its own outside the container.
Routing is switched on only inside ``sklearn.config_context``, so no test
leaves scikit-learn's global configuration changed.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import check_set_output_transform, check_set_output_transform_pandas

from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.scorecard import BinningParams, Scorecard, WOETransformer

CV = StratifiedKFold(3)  # scikit-learn's default splitter for classifiers, unshuffled: same folds everywhere
GRID = {"binning__max_bins": [2, 6]}


def _binning(max_bins, monotonic="cv"):
    """The scorecard's default binning with ``max_bins`` and ``monotonic`` set, as ``set_params`` does."""
    return dataclasses.replace(Scorecard().binning, max_bins=max_bins, monotonic=monotonic)


def _data(n: int = 3000, seed: int = 11) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "util": rng.random(n),
            "inq": rng.poisson(1.2, n).astype(float),
            "region": rng.choice(["east", "west", "north", "south"], n),
        }
    )
    risk = X["region"].map({"east": 0.0, "west": 0.4, "north": 0.8, "south": 1.2})
    # a U-shaped effect of util: two monotone bins cannot follow it, six can, so the candidates of
    # GRID differ under monotonic='auto' (the default 'cv' may take finer bins whatever max_bins is)
    logit = -2.5 + 3.0 * (X["util"] - 0.5) ** 2 * 4 + 0.4 * X["inq"] + risk
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    # weights that change the fit: rows in the west count four times
    w = np.where(X["region"] == "west", 4.0, 1.0) * rng.integers(1, 3, n)
    return X, y, w


def _manual_cv(max_bins: int, X, y, w, *, fit_weighted: bool, score_weighted: bool,
               monotonic: str = "cv") -> list[float]:
    """Per-fold AUC of a card fitted on each training fold (the independent oracle)."""
    out = []
    for train, test in CV.split(X, y):
        card = Scorecard(binning=_binning(max_bins, monotonic)).fit(
            X.iloc[train], y.iloc[train], sample_weight=w[train] if fit_weighted else None
        )
        out.append(roc_auc_score(y.iloc[test], card.predict_proba(X.iloc[test])[:, 1],
                                 sample_weight=w[test] if score_weighted else None))
    return out


# ---------------------------------------------------------------- default scoring ---


def test_cross_val_score_default_scoring_is_the_auc_of_each_fold():
    X, y, w = _data()
    scores = cross_val_score(Scorecard(), X, y, cv=CV)
    assert np.isfinite(scores).all()
    assert len(set(scores.round(12))) == 3
    # oracle: the same folds, scikit-learn's roc_auc_score on predict_proba
    np.testing.assert_allclose(scores, _manual_cv(6, X, y, w, fit_weighted=False, score_weighted=False),
                               rtol=1e-12)


def test_grid_search_default_scoring_ranks_real_candidates():
    X, y, w = _data()
    grid = GridSearchCV(Scorecard(), {**GRID, "binning__monotonic": ["auto"]}, cv=CV).fit(X, y)
    means = grid.cv_results_["mean_test_score"]
    assert np.isfinite(means).all()
    expected = [np.mean(_manual_cv(m, X, y, w, fit_weighted=False, score_weighted=False, monotonic="auto"))
                for m in GRID["binning__max_bins"]]
    np.testing.assert_allclose(means, expected, rtol=1e-12)
    # the two candidates differ (two bins cannot follow the U shape), and the better one wins
    assert abs(means[0] - means[1]) > 0.01
    best = GRID["binning__max_bins"][int(np.argmax(expected))]
    assert grid.best_params_ == {"binning__max_bins": best, "binning__monotonic": "auto"}
    assert best == 6


def test_grid_search_over_whole_binning_records():
    X, y, _ = _data()
    records = [BinningParams(max_bins=2), BinningParams(max_bins=6, monotonic="none")]
    grid = GridSearchCV(Scorecard(), {"binning": records}, cv=CV).fit(X, y)
    # oracle: the same folds fitted by hand, AUC by scikit-learn
    expected = []
    for p in records:
        scores = []
        for train, test in CV.split(X, y):
            card = Scorecard(binning=p).fit(X.iloc[train], y.iloc[train])
            scores.append(roc_auc_score(y.iloc[test], card.predict_proba(X.iloc[test])[:, 1]))
        expected.append(np.mean(scores))
    np.testing.assert_allclose(grid.cv_results_["mean_test_score"], expected, rtol=1e-12)
    assert grid.best_params_ == {"binning": records[int(np.argmax(expected))]}
    assert grid.best_estimator_.binning == records[int(np.argmax(expected))]


def test_nested_binning_params_through_clone_pipeline_and_search():
    X, y, _ = _data(1500)
    card = Scorecard(binning=BinningParams(max_bins=3, unseen="worst"))
    twin = clone(card)
    assert twin.binning == card.binning
    assert twin.get_params() == card.get_params()
    assert twin.get_params()["binning__unseen"] == "worst"
    # a pipeline routes step__binning__field to the step's record (replaced, never changed)
    pipe = make_pipeline(WOETransformer(binning=BinningParams(max_bins=3)), LogisticRegression())
    before = pipe[0].binning
    pipe.set_params(woetransformer__binning__max_bins=5)
    assert pipe[0].binning == BinningParams(max_bins=5)
    assert before == BinningParams(max_bins=3)
    assert pipe.get_params()["woetransformer__binning__max_bins"] == 5
    # each candidate of a nested search is a clone whose record has the searched field
    grid = GridSearchCV(Scorecard(), {"binning__max_bins": [3, 6]}, cv=CV, refit=False).fit(X, y)
    assert [c["binning__max_bins"] for c in grid.cv_results_["params"]] == [3, 6]
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.set_params: binning__bins must name a "
                       r"field of BinningParams \(max_bins, .*\); got 1 unknown: 'bins'\.$"):
        Scorecard().set_params(binning__bins=3)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.set_params: binning__max_bins needs binning "
                       r"to be a BinningParams; got binning=None\. Set binning=BinningParams\(\.\.\.\) "
                       r"first\.$"):
        Scorecard(binning=None).set_params(binning__max_bins=3)
    with pytest.raises(InvalidInputError, match=r"^BinningParams: max_bins must be an integer >= 1; "
                       r"got 0\.$"):
        Scorecard().set_params(binning__max_bins=0)


def test_pipeline_score_is_the_card_score():
    X, y, _ = _data(1500)
    pipe = make_pipeline(Scorecard()).fit(X, y)
    card = Scorecard().fit(X, y)
    # oracle: scikit-learn's AUC of the card's PD
    assert math.isclose(pipe.score(X, y), roc_auc_score(y, card.predict_proba(X)[:, 1]), rel_tol=1e-12)


# ------------------------------------------------------------------- set_output ---


def test_column_transformer_set_output_pandas_accepts_the_transformer():
    X, y, _ = _data(1500)
    ct = ColumnTransformer([("woe", WOETransformer(binning=BinningParams(max_bins=4)), ["util", "inq"]),
                            ("keep", "passthrough",
                            ["region"])]).set_output(transform="pandas")
    out = ct.fit_transform(X, y)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["woe__util", "woe__inq", "keep__region"]
    # oracle: the transformer fitted alone on the same columns
    alone = WOETransformer(
        binning=BinningParams(max_bins=4)).fit(X[["util", "inq"]], y).transform(X[["util", "inq"]])
    np.testing.assert_array_equal(out[["woe__util", "woe__inq"]].to_numpy(), alone.to_numpy())
    pd.testing.assert_index_equal(out.index, X.index)
    assert list(ct.get_feature_names_out()) == list(out.columns)


def test_pipeline_set_output_pandas_hands_named_woe_columns_on():
    X, y, _ = _data(1500)
    pipe = make_pipeline(WOETransformer(binning=BinningParams(max_bins=4)),
                         LogisticRegression()).set_output(transform="pandas")
    pipe.fit(X, y)
    assert list(pipe[-1].feature_names_in_) == ["util", "inq", "region"]
    assert pipe[0].set_output(transform="default") is pipe[0]


def test_set_output_is_kept_by_clone_and_refuses_other_containers():
    # _sklearn_output_config is the attribute scikit-learn's protocol reads and clone copies
    t = WOETransformer().set_output(transform="pandas")
    assert clone(t)._sklearn_output_config == {"transform": "pandas"}
    assert t.set_output() is t  # None leaves the choice unchanged
    assert t._sklearn_output_config == {"transform": "pandas"}
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.set_output: transform must be one of "
                       r"'default', 'pandas'; got 'polars'\. transform always returns a pandas DataFrame"):
        WOETransformer().set_output(transform="polars")


def test_sklearn_set_output_checks():
    # scikit-learn's own set_output checks (estimator_checks_generator does not yield them)
    check_set_output_transform("WOETransformer", WOETransformer())
    # the pandas check also transforms an unnamed array with a transformer fitted on named columns
    # (col0 … col4): the library refuses to match columns by position once it has seen names
    with pytest.raises(SchemaError, match=r"^WOETransformer\.transform: 5 schema problems:\n  X\.col0: "
                       r"column is missing"):
        check_set_output_transform_pandas("WOETransformer", WOETransformer())


def test_get_feature_names_out():
    X, y, _ = _data(600)
    t = WOETransformer().fit(X, y)
    assert list(t.get_feature_names_out()) == ["util", "inq", "region"]
    assert list(t.get_feature_names_out(["util", "inq", "region"])) == ["util", "inq", "region"]
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.get_feature_names_out: input_features "
                       r"must be the columns seen in fit, in order; got 'inq', 'util', 'region'\."):
        t.get_feature_names_out(["inq", "util", "region"])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        WOETransformer().get_feature_names_out()


# ------------------------------------------------------------- metadata routing ---


def test_weighted_grid_search_with_routing_matches_a_manual_weighted_loop():
    X, y, w = _data()
    with sklearn.config_context(enable_metadata_routing=True):
        card = Scorecard().set_fit_request(sample_weight=True).set_score_request(sample_weight=True)
        grid = GridSearchCV(card, GRID, cv=CV).fit(X, y, sample_weight=w)
    expected = [np.mean(_manual_cv(m, X, y, w, fit_weighted=True, score_weighted=True))
                for m in GRID["binning__max_bins"]]
    np.testing.assert_allclose(grid.cv_results_["mean_test_score"], expected, rtol=1e-12)
    assert grid.best_params_ == {"binning__max_bins": GRID["binning__max_bins"][int(np.argmax(expected))]}
    assert math.isclose(grid.best_score_, max(expected), rel_tol=1e-12)
    # the weights reached both fit and score: the unweighted loop gives other numbers
    unweighted = [np.mean(_manual_cv(m, X, y, w, fit_weighted=False, score_weighted=False))
                  for m in GRID["binning__max_bins"]]
    assert not np.allclose(expected, unweighted, rtol=1e-6)


def test_cross_validate_routes_weights_to_fit_and_score():
    X, y, w = _data()
    with sklearn.config_context(enable_metadata_routing=True):
        card = (Scorecard(binning=_binning(6)).set_fit_request(sample_weight=True)
                .set_score_request(sample_weight=True))
        res = cross_validate(card, X, y, params={"sample_weight": w}, cv=CV)
        fit_only = (Scorecard(binning=_binning(6)).set_fit_request(sample_weight=True)
                    .set_score_request(sample_weight=False))
        res_fit_only = cross_validate(fit_only, X, y, params={"sample_weight": w}, cv=CV)
    np.testing.assert_allclose(res["test_score"],
                               _manual_cv(6, X, y, w, fit_weighted=True, score_weighted=True), rtol=1e-12)
    np.testing.assert_allclose(res_fit_only["test_score"],
                               _manual_cv(6, X, y, w, fit_weighted=True, score_weighted=False), rtol=1e-12)


def test_pipeline_routes_weights_to_the_transformer():
    X, y, w = _data(1500)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            WOETransformer(binning=BinningParams(max_bins=4)).set_fit_request(sample_weight=True),
            LogisticRegression().set_fit_request(sample_weight=True))
        pipe.fit(X, y, sample_weight=w)
    # oracle: the transformer fitted alone with the weights
    assert pipe[0].binnings_ == WOETransformer(
        binning=BinningParams(max_bins=4)).fit(X, y, sample_weight=w).binnings_
    assert pipe[0].binnings_ != WOETransformer(binning=BinningParams(max_bins=4)).fit(X, y).binnings_


def test_without_routing_weights_still_reach_fit():
    X, y, w = _data()
    # routing off (scikit-learn's default): GridSearchCV passes sample_weight to fit and, as the
    # default scorer (Scorecard.score) accepts it, to score too (scikit-learn 1.9, tested version)
    grid = GridSearchCV(Scorecard(), GRID, cv=CV).fit(X, y, sample_weight=w)
    expected = [np.mean(_manual_cv(m, X, y, w, fit_weighted=True, score_weighted=True))
                for m in GRID["binning__max_bins"]]
    np.testing.assert_allclose(grid.cv_results_["mean_test_score"], expected, rtol=1e-12)


def test_unrequested_weights_raise_sklearns_own_error():
    X, y, w = _data(900)
    with sklearn.config_context(enable_metadata_routing=True):
        with pytest.raises(UnsetMetadataPassedError, match=r"\[sample_weight\] are passed but are not "
                           r"explicitly set as requested or not requested for Scorecard\.fit"):
            GridSearchCV(Scorecard(), GRID, cv=CV).fit(X, y, sample_weight=w)
        with pytest.raises(UnsetMetadataPassedError, match=r"for Scorecard\.score"):
            cross_validate(Scorecard().set_fit_request(sample_weight=True), X, y,
                           params={"sample_weight": w}, cv=CV)
        with pytest.raises(UnsetMetadataPassedError, match=r"for WOETransformer\.fit"):
            make_pipeline(WOETransformer(), LogisticRegression().set_fit_request(sample_weight=True)).fit(
                X, y, sample_weight=w)


def test_requests_survive_clone_independently():
    with sklearn.config_context(enable_metadata_routing=True):
        card = Scorecard().set_fit_request(sample_weight=True)
        twin = clone(card)
        assert twin.get_metadata_routing().consumes("fit", ["sample_weight"]) == {"sample_weight"}
        twin.set_fit_request(sample_weight=False).set_score_request(sample_weight="w")
        assert card.get_metadata_routing().consumes("fit", ["sample_weight"]) == {"sample_weight"}
        assert twin.get_metadata_routing().consumes("fit", ["sample_weight"]) == set()
        assert twin.get_metadata_routing().consumes("score", ["w"]) == {"w"}
        # an alias equal to the parameter's name is a plain request, as in scikit-learn
        named = Scorecard().set_score_request(sample_weight="sample_weight")
        assert named.get_metadata_routing().consumes("score", ["sample_weight"]) == {"sample_weight"}
        # a call without arguments leaves the requests as they are
        assert card.set_fit_request().get_metadata_routing().consumes("fit", ["sample_weight"]) == {
            "sample_weight"}


@pytest.mark.parametrize("value", [3, "not an identifier", 0.5, ["w"]])
def test_invalid_request_values_are_refused(value):
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.set_fit_request: sample_weight must be True "
                       r"\(route it\), False \(do not\), None \(refuse it if passed\) or the name"):
        Scorecard().set_fit_request(sample_weight=value)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.set_fit_request: sample_weight must be"):
        WOETransformer().set_fit_request(sample_weight=value)
