"""BinningParams: one frozen record of the binning parameters, checked once, shared by every entry point.

Issue 18, item 8: the binning parameters were restated in eight signatures; they now
travel as one record that bin_feature, optimal_binning, WOETransformer and Scorecard take
as ``binning=``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import (
    BinningParams,
    BinStats,
    Scorecard,
    WOETransformer,
    bin_feature,
    optimal_binning,
    quantile_edges,
)

FIELDS = ("max_bins", "min_bin_share", "monotonic", "cv_max_bins", "cv_min_bin_share", "min_bin_goods",
          "min_bin_bads", "n_prebins", "min_category_share", "smoothing", "unseen", "sample_size", "seed")


def _data(n: int = 600, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    X = pd.DataFrame({
        "u": np.where(rng.random(n) < 0.05, np.nan, u.round(2)),
        "c": rng.choice(["a", "b", "c", "d", "e"], n, p=[0.4, 0.3, 0.2, 0.07, 0.03]),
    })
    logit = -2.0 + 2.0 * u + (X["c"] == "a") * 0.8
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


# ------------------------------------------------------------------ the record ---


def test_fields_and_defaults_are_the_former_keyword_defaults():
    # the defaults of the flat keywords of bin_feature and WOETransformer before BinningParams
    # (version 0.x signatures): unchanged; the two cv_ fields came with monotonic='cv', and the
    # scorecard's default binning is that one choice apart (the real-data benchmark's defaults)
    p = BinningParams()
    assert BinningParams.names() == FIELDS
    assert p.to_dict() == {"max_bins": 6, "min_bin_share": 0.05, "monotonic": "auto", "cv_max_bins": 20,
                           "cv_min_bin_share": 0.005, "min_bin_goods": 1.0,
                           "min_bin_bads": 1.0, "n_prebins": 50, "min_category_share": 0.01,
                           "smoothing": 0.5, "unseen": "rare", "sample_size": 100_000, "seed": 0}
    assert WOETransformer().binning == p
    assert Scorecard().binning == BinningParams(monotonic="cv")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_bins": 0}, r"max_bins must be an integer >= 1; got 0\.$"),
        ({"max_bins": 2.0}, r"max_bins must be an integer >= 1; got 2\.0 \(float\)\.$"),
        ({"min_bin_share": 0.6}, r"min_bin_share must be a finite number in \[0, 0\.5\]; got 0\.6"),
        ({"min_bin_share": True}, r"min_bin_share must be a finite number in \[0, 0\.5\]; got True"),
        ({"monotonic": "up"}, (r"monotonic must be one of 'auto', 'ascending', 'descending', 'peak', "
                               r"'valley', 'none', 'auto_turn', 'cv'; got 'up'\.$")),
        ({"cv_max_bins": 0}, r"cv_max_bins must be an integer >= 1; got 0\.$"),
        ({"cv_min_bin_share": 0.7}, r"cv_min_bin_share must be a finite number in \[0, 0\.5\]; got 0\.7"),
        ({"min_bin_goods": -1.0}, r"min_bin_goods must be a number >= 0; got -1\.0"),
        ({"min_bin_bads": math.nan}, r"min_bin_bads must be a number >= 0; got nan"),
        ({"n_prebins": 1}, r"n_prebins must be an integer in \[2, 1000\]; got 1\.$"),
        ({"n_prebins": 1001}, r"n_prebins must be an integer in \[2, 1000\]; got 1001\.$"),
        ({"min_category_share": 1.5}, r"min_category_share must be a finite number in \[0, 1\]; got 1\.5"),
        ({"smoothing": 0}, r"smoothing must be a finite number in \(0, 1e\+12\]; got 0\. A bin without"),
        ({"unseen": "zero"}, (r"unseen must be one of 'raise', 'worst', 'neutral', 'missing', 'rare'; "
                              r"got 'zero'\.$")),
        ({"sample_size": 1}, r"sample_size must be an integer >= 2; got 1\. Pass None to use every value\."),
        ({"sample_size": 10}, (r"sample_size must be None or an integer >= n_prebins \(50\); got 10\. "
                               r"Raise sample_size or lower n_prebins\.$")),
        ({"seed": -1}, r"seed must be a non-negative integer below 2\*\*63; got -1\. Pass e\.g\. seed=7\.$"),
        ({"seed": "7"}, r"seed must be a non-negative integer below 2\*\*63; got '7'"),
    ],
)
def test_each_rule_is_checked_once_on_construction_naming_the_record(fields, message):
    # the rules are those of the flat keywords before (jiebei_credit._validation), one each
    with pytest.raises(InvalidInputError, match=r"^BinningParams: " + message):
        BinningParams(**fields)


def test_values_are_normalised_to_plain_python():
    p = BinningParams(max_bins=np.int64(4), min_bin_share=np.float32(0.25), seed=np.uint8(3))
    assert type(p.max_bins) is int
    assert type(p.min_bin_share) is float
    assert type(p.seed) is int
    assert p == BinningParams(max_bins=4, min_bin_share=0.25, seed=3)
    assert hash(p) == hash(BinningParams(max_bins=4, min_bin_share=0.25, seed=3))
    json.dumps(p.to_dict())  # JSON-safe


def test_frozen_replace_checks_again():
    p = BinningParams(max_bins=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.max_bins = 5  # type: ignore[misc]
    assert dataclasses.replace(p, max_bins=5) == BinningParams(max_bins=5)
    assert p.max_bins == 4
    with pytest.raises(InvalidInputError, match=r"^BinningParams: max_bins must be an integer >= 1; "
                       r"got -2\."):
        dataclasses.replace(p, max_bins=-2)


def test_repr_lists_only_what_differs_from_the_defaults():
    assert repr(BinningParams()) == "BinningParams()"
    assert repr(BinningParams(max_bins=4, unseen="worst", sample_size=None)) == (
        "BinningParams(max_bins=4, unseen='worst', sample_size=None)")


def test_pickle_and_dict_round_trips():
    p = BinningParams(max_bins=3, monotonic="peak", sample_size=None, seed=11)
    assert pickle.loads(pickle.dumps(p)) == p
    assert BinningParams.from_dict(json.loads(json.dumps(p.to_dict()))) == p
    assert BinningParams.from_dict({}) == BinningParams()
    with pytest.raises(InvalidInputError, match=r"^BinningParams\.from_dict: d must hold only fields of "
                       r"BinningParams \(max_bins, .*\); got other keys 'bins'\.$"):
        BinningParams.from_dict({"bins": 3})
    with pytest.raises(InvalidInputError, match=r"^BinningParams\.from_dict: d must be a mapping"):
        BinningParams.from_dict([("max_bins", 3)])


def test_every_entry_point_refuses_anything_but_the_record():
    X, y = _data()
    for call, func in [
        (lambda b: bin_feature(X["u"], y, binning=b), "bin_feature"),
        (lambda b: optimal_binning(BinStats.from_data(X["u"], y), binning=b), "optimal_binning"),
        (lambda b: WOETransformer(binning=b).fit(X, y), r"WOETransformer\.fit"),
        (lambda b: Scorecard(binning=b).fit(X, y), r"Scorecard\.fit"),
    ]:
        with pytest.raises(InvalidInputError, match=rf"^{func}: binning must be a BinningParams; got a dict "
                           r"\(\{'max_bins': 3\}\)\. Pass e\.g\. BinningParams\(max_bins=4\)"):
            call({"max_bins": 3})


def test_the_old_flat_keywords_are_gone():
    # a pre-1.0 breaking change: the estimators take the record only (bin_feature keeps the three
    # shorthands of the design contract, tested below)
    X, y = _data()
    with pytest.raises(TypeError, match="n_prebins"):
        bin_feature(X["u"], y, n_prebins=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="max_bins"):
        Scorecard(max_bins=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="max_bins"):
        WOETransformer(max_bins=3)  # type: ignore[call-arg]
    # set_params, which scikit-learn calls, says where the field went
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.set_params: max_bins is a field of binning "
                       r"\(a BinningParams\), set as binning__max_bins; got max_bins=4\. Pass "
                       r"binning__max_bins=4, or binning=BinningParams\(max_bins=4\)\.$"):
        Scorecard().set_params(max_bins=4)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.set_params: unseen is a field of binning"):
        WOETransformer().set_params(unseen="worst")


# ----------------------------------------------- one record, the same binning ---


@st.composite
def binning_params(draw: st.DrawFn) -> BinningParams:
    """Any valid BinningParams (each field within its rule)."""
    n_prebins = draw(st.integers(2, 60))
    return BinningParams(
        max_bins=draw(st.integers(1, 8)),
        min_bin_share=draw(st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.5])),
        monotonic=draw(st.sampled_from(["auto", "ascending", "descending", "peak", "valley", "none"])),
        min_bin_goods=draw(st.sampled_from([0.0, 1.0, 5.0])),
        min_bin_bads=draw(st.sampled_from([0.0, 1.0, 5.0])),
        n_prebins=n_prebins,
        min_category_share=draw(st.sampled_from([0.0, 0.01, 0.05, 0.5])),
        smoothing=draw(st.sampled_from([1e-6, 0.5, 3.0])),
        unseen=draw(st.sampled_from(["raise", "worst", "neutral", "missing", "rare"])),
        sample_size=draw(st.one_of(st.none(), st.integers(n_prebins, 700))),
        seed=draw(st.integers(0, 2**32)),
    )


X_PROP, Y_PROP = _data()


@given(p=binning_params())
def test_one_record_gives_the_same_binning_everywhere(p):
    # the reference is bin_feature on one column; the transformer, and the reduce step on
    # partition statistics with the same fine edges, must give the identical Binning
    monotonic_ok = p.monotonic in ("auto", "ascending", "none")  # categorical columns take these only
    t = WOETransformer(binning=p, numeric=["u"] if monotonic_ok else None).fit(
        X_PROP if monotonic_ok else X_PROP[["u"]], Y_PROP)
    ref = bin_feature(X_PROP["u"], Y_PROP, binning=p, name="u")
    assert t.binnings_["u"] == ref
    edges = quantile_edges(X_PROP["u"], n_prebins=p.n_prebins, sample_size=p.sample_size, seed=p.seed)
    parts = [BinStats.from_data(X_PROP["u"].iloc[i::2], Y_PROP.iloc[i::2], edges=edges, name="u")
             for i in range(2)]
    assert optimal_binning(parts[0] + parts[1], binning=p) == ref
    if monotonic_ok:
        assert t.binnings_["c"] == bin_feature(X_PROP["c"], Y_PROP, binning=p, name="c")


@given(p=binning_params())
def test_bin_feature_shorthands_are_the_record(p):
    # bin_feature(max_bins=, min_bin_share=, monotonic=) is the design contract's signature: the same
    # binning as the record with those three fields and the other fields at their defaults
    three = {"max_bins": p.max_bins, "min_bin_share": p.min_bin_share, "monotonic": p.monotonic}
    assert bin_feature(X_PROP["u"], Y_PROP, **three) == bin_feature(X_PROP["u"], Y_PROP,
                                                                     binning=BinningParams(**three))


def test_bin_feature_refuses_a_shorthand_beside_the_record():
    X, y = _data()
    with pytest.raises(InvalidInputError, match=r"^bin_feature: monotonic must be left at its default when "
                       r"binning= is given; got monotonic='peak' and binning=BinningParams\(max_bins=3\)\. "
                       r"Set it inside the record: binning=BinningParams\(monotonic=\.\.\.\)\.$"):
        bin_feature(X["u"], y, monotonic="peak", binning=BinningParams(max_bins=3))
    with pytest.raises(InvalidInputError, match=r"^BinningParams: max_bins must be an integer >= 1; got 0"):
        bin_feature(X["u"], y, max_bins=0)


@given(p=binning_params(), q=binning_params())
def test_nested_set_params_is_replace(p, q):
    # set_params(binning__<field>=v) is dataclasses.replace on the record, the record stays frozen
    card = Scorecard(binning=p)
    changes = {f: getattr(q, f) for f in ("max_bins", "monotonic", "smoothing", "unseen")}
    card.set_params(**{f"binning__{k}": v for k, v in changes.items()})
    assert card.binning == dataclasses.replace(p, **changes)
    assert card.get_params()["binning__max_bins"] == q.max_bins
    assert p == BinningParams.from_dict(p.to_dict())  # the record passed in is unchanged


def test_scorecard_bins_with_its_record():
    X, y = _data(3000, seed=5)
    p = BinningParams(max_bins=3, min_bin_share=0.1, smoothing=1.0, unseen="worst")
    card = Scorecard(binning=p).fit(X, y)
    t = WOETransformer(binning=p).fit(X, y)
    assert card.binnings_ == t.binnings_
    assert all(b.unseen == "worst" and b.smoothing == 1.0 for b in card.binnings_.values())
    assert all(b.n_regular <= 3 for b in card.binnings_.values())


# --------------------------------------------------------------- persistence ---


def test_the_payload_keeps_its_flat_params_and_rebuilds_the_record():
    # the stored layout is that of every published version (flat params), so version 3 and 4
    # payloads still load (tests/scorecard/fixtures); to_dict -> from_dict rebuilds the record
    X, y = _data(3000, seed=5)
    p = BinningParams(max_bins=4, unseen="neutral", sample_size=None)
    card = Scorecard(binning=p).fit(X, y)
    d = json.loads(json.dumps(card.to_dict()))
    assert d["version"] == 6
    assert "binning" not in d["params"]
    assert {k: d["params"][k] for k in FIELDS} == p.to_dict()
    back = Scorecard.from_dict(d)
    assert back.binning == p
    assert back.to_dict() == d


def test_fitted_attributes_are_the_same_after_fit_and_after_from_dict():
    from sklearn.exceptions import NotFittedError as SklearnNotFitted
    from sklearn.utils.validation import check_is_fitted

    X, y = _data(3000, seed=5)
    card = Scorecard(binning=BinningParams(max_bins=4))
    with pytest.raises(SklearnNotFitted):
        check_is_fitted(card)
    card.fit(X, y)
    check_is_fitted(card)
    back = Scorecard.from_dict(card.to_dict())
    check_is_fitted(back)

    def fitted(est):
        return {k for k in vars(est) if k.endswith("_") and not k.startswith("_")}

    # every fitted attribute is stored (the penalty strength of the fit too, since version 6)
    assert fitted(back) == fitted(card)
    # to_dict stores each under its name without the underscore (n_features_in_ and classes_ follow)
    stored = set(card.to_dict()) - {"schema", "version", "params"}
    assert {f"{k}_" for k in stored} == fitted(card) - {"n_features_in_", "classes_"}
    t = WOETransformer()
    with pytest.raises(SklearnNotFitted):
        check_is_fitted(t)
    check_is_fitted(t.fit(X, y))
    assert fitted(t) == {"binnings_", "feature_names_in_", "n_features_in_"}
