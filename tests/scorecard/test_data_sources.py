"""A fitted card knows its data sources and categories (issue 16, item 5).

The tables and PIPL data categories a card reads are those of the catalog
entries (``features.FeatureSpec``) of its model features; a consent-limited
extraction (``features.extract(..., sources=card.data_sources())``) must give
every column the card scores with, value for value.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.features import CATALOG, FeatureFamily, FeatureSpec, catalog, extract, specs_for
from jiebei_credit.scorecard import BinningParams, Scorecard

MODEL = ["zhima_latest", "receipts_monthly_mean_45d", "inq_count_45d", "util_now"]


@pytest.fixture(scope="module")
def portfolio():
    p = jc.synthetic.simulate_portfolio(1500, start="2023-01-01", end="2024-07-01", seed=3)
    ids = p.records["borrowers"]["borrower_id"].to_numpy()
    obs = pd.DataFrame({"borrower_id": ids, "as_of": pd.Timestamp("2024-03-01")},
                       index=pd.Index([f"app-{k}" for k in range(len(ids))]))
    X = extract(p.records, obs, windows=(45,))
    return p.records, obs, X


def _target(X, seed=0):
    """Outcomes that depend on every column (standardised), so each enters the model."""
    z = (X - X.mean()) / X.std()
    logit = -1.0 + z.fillna(0.0).to_numpy() @ np.r_[-0.9, -0.7, 0.8, 0.7, 0.6][: X.shape[1]]
    rng = np.random.default_rng(seed)
    return pd.Series((rng.random(len(X)) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index)


@pytest.fixture(scope="module")
def card(portfolio):
    _, _, X = portfolio
    frame = X[MODEL].assign(vat_sales=np.random.default_rng(1).gamma(2.0, 1.0, len(X)))
    card = Scorecard(binning=BinningParams(max_bins=3), feature_sources=specs_for(frame.columns))
    return card.fit(frame, _target(frame)), frame


def test_catalog_features_have_their_tables_and_categories(card):
    fitted, _ = card
    assert set(fitted.features_) == {*MODEL, "vat_sales"}
    # expected: the catalog entries of the model features (FeatureSpec.sources / .category)
    specs = catalog((45,))
    tables = {t for f in MODEL for t in specs[f].sources}
    categories = {specs[f].category for f in MODEL}
    assert fitted.data_sources() == tuple(sorted(tables | {"unknown"}))
    assert fitted.data_categories() == tuple(sorted(categories | {"unknown"}))
    assert "financial_account_flows" in fitted.data_categories()  # receipts: PIPL Art. 28 sensitive
    for f in MODEL:
        assert fitted.feature_sources_[f] == (specs[f].sources, specs[f].category)
    assert fitted.feature_sources_["vat_sales"] == (("unknown",), "unknown")  # a user column, not described


def test_sources_are_kept_by_to_dict(card):
    fitted, frame = card
    d = json.loads(json.dumps(fitted.to_dict()))
    assert d["feature_sources"]["inq_count_45d"] == {"tables": ["inquiries"], "category": "inquiries"}
    assert d["feature_sources"]["vat_sales"] == {"tables": ["unknown"], "category": "unknown"}
    # the parameter keeps only the entries of the card's columns
    assert sorted(d["params"]["feature_sources"]) == sorted(MODEL)
    back = Scorecard.from_dict(d)
    assert back.data_sources() == fitted.data_sources()
    assert back.data_categories() == fitted.data_categories()
    assert back.to_dict() == d
    # a refit of the rebuilt card describes its columns the same way
    refit = Scorecard(**back.get_params(deep=False)).fit(frame, _target(frame))
    assert refit.feature_sources_ == fitted.feature_sources_


def test_recalibration_keeps_the_sources(card):
    fitted, frame = card
    new = fitted.recalibrate(frame, _target(frame, seed=5))
    assert new.feature_sources_ == fitted.feature_sources_


def test_a_consent_limited_extraction_gives_every_column_the_card_needs(portfolio):
    records, obs, X = portfolio
    card = Scorecard(
        binning=BinningParams(max_bins=3), feature_sources=catalog((45,))).fit(X[MODEL], _target(X[MODEL]))
    assert "unknown" not in card.data_sources()
    assert card.missing_sources(card.data_sources()) == ()
    limited = extract(records, obs, windows=(45,), sources=card.data_sources())
    assert set(card.features_) <= set(limited.columns)
    assert len(limited.columns) < len(X.columns)  # the consent really limited the extraction
    pd.testing.assert_frame_equal(limited[list(card.features_)], X[list(card.features_)])
    pd.testing.assert_series_equal(card.points(limited), card.points(X))
    # without one of the tables the card's features are not all extracted, and the card says which
    dropped = card.data_sources()[0]
    fewer = [t for t in card.data_sources() if t != dropped]
    assert card.missing_sources(fewer) == (dropped,)
    short = extract(records, obs, windows=(45,), sources=fewer)
    assert not set(card.features_) <= set(short.columns)


def test_user_family_specs_describe_their_columns(portfolio):
    records, obs, _ = portfolio
    spec = FeatureSpec(name="inq_total", family="my_inq", window=None, unit="count",
                       description="Inquiries before as_of.", description_zh="观测日前查询次数",
                       sources=("inquiries",), category="inquiries", nan_meaning="never NaN")
    fam = FeatureFamily("my_inq", ("inquiries",), (spec,),
                        lambda view: {"inq_total": view.events("inquiries").count()})
    frame = extract(records, obs, windows=(45,), families=["zhima", fam])[["zhima_latest", "inq_total"]]
    y = _target(frame)
    by_list = Scorecard(
        binning=BinningParams(max_bins=3), feature_sources=[*CATALOG.values(), *fam.features]).fit(frame, y)
    by_lookup = Scorecard(binning=BinningParams(max_bins=3),
                          feature_sources=specs_for(frame.columns, families=[fam])).fit(frame, y)
    assert set(by_list.features_) == {"zhima_latest", "inq_total"}
    assert by_list.feature_sources_ == by_lookup.feature_sources_
    assert by_list.data_sources() == ("inquiries", "zhima_scores")
    assert by_list.data_categories() == ("inquiries", "third_party_score")
    limited = extract(records, obs, windows=(45,), families=["zhima", fam], sources=by_list.data_sources())
    assert set(by_list.features_) <= set(limited.columns)


def test_the_caller_can_describe_a_user_column_by_hand():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"vat_sales": rng.random(2000)})
    y = (rng.random(2000) < 0.1 + 0.3 * X["vat_sales"]).astype(int)
    sources = {"vat_sales": {"tables": ["vat_invoices"], "category": "tax_records"}}
    card = Scorecard(binning=BinningParams(max_bins=3), feature_sources=sources).fit(X, y)
    assert card.data_sources() == ("vat_invoices",)
    assert card.data_categories() == ("tax_records",)
    assert card.missing_sources(["vat_invoices", "loans"]) == ()
    card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
    assert card.missing_sources(["vat_invoices"]) == ("unknown",)


def test_specs_for_finds_any_window_and_leaves_unknown_columns_out():
    specs = specs_for(pd.Index(["inq_count_7d", "dpd_now", "inq_count_x", "mine", "util_mean_9999d"]))
    assert list(specs) == ["inq_count_7d", "dpd_now"]
    assert specs["inq_count_7d"] == catalog((7,))["inq_count_7d"]
    assert specs["dpd_now"] == CATALOG["dpd_now"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("catalog", r"feature_sources must be None, a mapping of column names to sources"),
        ({1: {"tables": ["a"], "category": "b"}}, r"feature_sources must map column names \(strings\)"),
        ({"x": 5}, r"feature_sources\['x'\] must be a FeatureSpec"),
        ({"x": {"tables": ["a"]}}, (r"feature_sources\['x'\] must have exactly the keys 'tables' and "
                                   r"'category'")),
        ({"x": {"tables": "loans", "category": "b"}}, r"feature_sources\['x'\]\.tables must be a list"),
        ({"x": {"tables": [], "category": "b"}}, r"feature_sources\['x'\]\.tables must hold at least 1"),
        ({"x": {"tables": [""], "category": "b"}}, r"feature_sources\['x'\]\.tables must hold table names"),
        ({"x": {"tables": ["a"], "category": None}}, r"feature_sources\['x'\]\.category must be a non-empty"),
        ([5], r"feature_sources\[0\] must be a FeatureSpec"),
        ([CATALOG["dpd_now"], CATALOG["dpd_now"]], r"feature_sources must describe each column once"),
    ],
)
def test_bad_feature_sources_are_refused_at_fit(value, message):
    X = pd.DataFrame({"x": np.arange(100) % 7})
    y = (np.arange(100) % 3 == 0).astype(int)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: " + message):
        Scorecard(feature_sources=value).fit(X, y)


def test_bad_inputs_of_the_source_methods_are_refused(card):
    fitted, _ = card
    with pytest.raises(NotFittedError, match=r"^Scorecard\.data_sources: "):
        Scorecard().data_sources()
    with pytest.raises(NotFittedError, match=r"^Scorecard\.data_categories: "):
        Scorecard().data_categories()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.missing_sources: sources must be a list"):
        fitted.missing_sources("loans")
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.missing_sources: sources must hold table "
                       r"names"):
        fitted.missing_sources([1])
    with pytest.raises(InvalidInputError, match=r"^specs_for: columns must hold column names"):
        specs_for([1, 2])
    with pytest.raises(InvalidInputError, match=r"^specs_for: families must hold FeatureFamily"):
        specs_for(["a"], families=["zhima"])


def test_specs_for_refuses_a_user_feature_named_like_a_built_in():
    spec = FeatureSpec(name="dpd_now", family="mine", window=None, unit="days", description="d",
                       description_zh="d", sources=("loans",), category="credit_history", nan_meaning="never")
    fam = FeatureFamily("mine", ("loans",), (spec,), lambda view: {"dpd_now": np.zeros(len(view))})
    with pytest.raises(InvalidInputError, match=r"^specs_for: families may not hold a user feature named "
                       r"like a built-in feature; got 1: \['dpd_now'\]"):
        specs_for(["dpd_now"], families=[fam])


def test_a_card_with_sources_clones_for_scikit_learn(card):
    from sklearn.base import clone

    fitted, frame = card
    again = clone(fitted).fit(frame, _target(frame))
    assert again.feature_sources_ == fitted.feature_sources_
