"""Every input is handled right or refused clearly: one rule per kind of parameter (issue 14).

Each test starts from a minimal reproduction of a defect found by the adversarial review:
a float accepted or refused depending on the function, list-like parameters that had to be
tuples, complex values silently losing their imaginary part, targets matched to rows by
position, and the smaller defects of items 10 and 11.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.scorecard import (
    BinningParams,
    BinStats,
    Scaling,
    Scorecard,
    WOETransformer,
    bin_feature,
    optimal_binning,
    quantile_edges,
)


def _data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "u": rng.integers(0, 100, n).astype(float),
            "a": rng.choice(["x", "y", "z"], n),
            "b": rng.choice(["p", "q"], n),
        }
    )
    logit = -2.5 + 0.03 * X["u"] + 0.6 * (X["a"] == "x")
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


# ----------------------------------------------------- one rule for numbers ---


@pytest.mark.parametrize(
    "call",
    [
        lambda X, y, **kw: bin_feature(X["u"], y, binning=BinningParams(**kw)),
        lambda X, y, **kw: WOETransformer(binning=BinningParams(**kw)).fit(X, y),
        lambda X, y, **kw: Scorecard(binning=BinningParams(**kw)).fit(X, y),
        lambda X, y, **kw: optimal_binning(BinStats.from_data(X["u"], y), binning=BinningParams(**kw)),
    ],
    ids=["bin_feature", "WOETransformer.fit", "Scorecard.fit", "optimal_binning"],
)
def test_integers_refuse_floats_and_bools_and_accept_numpy_integers(call):
    X, y = _data()
    # repro: bin_feature(max_bins=2.0) was refused while other subpackages took 30.0; the fields
    # are now checked once, by BinningParams, whichever function the record is passed to
    with pytest.raises(InvalidInputError, match=r"^BinningParams: max_bins must be an integer >= 1; got 2\.0 "
                       r"\(float\)\.$"):
        call(X, y, max_bins=2.0)
    with pytest.raises(InvalidInputError, match=r"^BinningParams: max_bins must be an integer >= 1; got "
                       r"True \(a bool\)\.$"):
        call(X, y, max_bins=True)
    with pytest.raises(InvalidInputError, match=r"^BinningParams: min_bin_share must be a finite number "
                       r"in \[0, 0\.5\]; got "
                       r"True \(a bool\)\.$"):
        call(X, y, min_bin_share=True)
    # numpy integers are integers: the same result as the Python int
    a, b = call(X, y, max_bins=np.int64(3)), call(X, y, max_bins=3)
    assert repr(getattr(a, "binnings_", a)) == repr(getattr(b, "binnings_", b))


def test_every_integer_parameter_follows_the_rule():
    X, y = _data()
    for name, good in [("n_prebins", 20), ("sample_size", 500)]:
        with pytest.raises(InvalidInputError, match=rf"^BinningParams: {name} must be an integer"):
            Scorecard(binning=BinningParams(**{name: float(good)})).fit(X, y)
        Scorecard(binning=BinningParams(**{name: np.int32(good)})).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^quantile_edges: n_prebins must be an integer in \[2, "
                       r"1000\]"):
        quantile_edges([1.0, 2.0], n_prebins=4.0)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.explain: top must be an integer >= 1; got "
                       r"2\.0"):
        Scorecard().fit(X, y).explain(X, top=2.0)


def test_seed_is_checked_even_when_no_sample_is_drawn():
    # repro: Scorecard(sample_size=50, seed=-1) raised numpy's ValueError, and a bad seed with
    # fewer rows than sample_size went unnoticed
    # (the record checks its seed whatever it is used for: a categorical column draws no quantiles)
    for fields in ({"sample_size": 50, "seed": -1}, {"seed": -1}, {"seed": 1.5}, {"seed": "7"}):
        with pytest.raises(InvalidInputError, match=r"^BinningParams: seed must be a non-negative integer "
                           r"below 2\*\*63"):
            BinningParams(**fields)
    with pytest.raises(InvalidInputError, match=r"^BinningParams: sample_size must be None or an integer >= "
                       r"n_prebins \(50\); got 10\."):
        BinningParams(sample_size=10)


def test_round_points_must_be_a_bool():
    X, y = _data(500)
    # a string is not a flag: "false" used to be read as True
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: round_points must be True or False; "
                       r"got 'false'"):
        Scorecard(round_points="false").fit(X, y)
    assert Scorecard(round_points=np.bool_(True)).fit(X, y).round_points_ is True


# -------------------------------------------------- one rule for list-likes ---


@pytest.mark.parametrize("kind", [list, tuple, np.array, pd.Index, pd.Series])
def test_list_like_parameters_accept_lists_tuples_arrays_and_indexes(kind):
    X, y = _data()
    X = X.assign(code=np.where(X.index % 7 == 0, -1.0, X["u"] % 5))
    # repro: WOETransformer(categorical=np.array(["a", "b"])) failed at fit (ambiguous truth value)
    reference = WOETransformer(categorical=["b", "code"], special_values={"code": [-1.0]}).fit(X, y)
    got = WOETransformer(categorical=kind(["b", "code"]), special_values={"code": kind([-1.0])}).fit(X, y)
    assert got.binnings_ == reference.binnings_
    card = Scorecard(special_values=kind([-1.0]), min_iv=0.0).fit(X[["u", "code"]], y)
    assert card.binnings_["code"].special_values == (-1.0,)


def test_list_like_parameters_refuse_strings_sets_and_scalars():
    X, y = _data(500)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.fit: categorical must be a list, "
                       r"tuple, array "
                       r"or Index of values, not a single string; got 'a'\. Wrap it: categorical=\['a'\]\."):
        WOETransformer(categorical="a").fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: special_values must be a list, "
                       r"tuple, array or "
                       r"Index of values \(a set has no order\)"):
        Scorecard(special_values={-1.0, -2.0}).fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^bin_feature: special_values must be a list, tuple, "
                       r"array or "
                       r"Index of values; got -1\."):
        bin_feature(X["u"], y, special_values=-1)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: numeric must hold column names "
                       r"\(strings\); "
                       r"got 0\."):
        Scorecard(numeric=[0]).fit(X, y)


# ------------------------------------------------------- types of the data ---


def test_complex_values_are_refused_not_truncated():
    X, y = _data(500)
    # repro: the imaginary part was dropped (numpy's ComplexWarning at most)
    with pytest.raises(InvalidInputError, match=r"^bin_feature: x must hold text, integers, finite "
                       r"numbers or "
                       r"booleans; got complex numbers \(dtype complex128; Complex data not supported\)"):
        bin_feature(X["u"].to_numpy() + 0j, y)
    mixed = X.assign(u=X["u"].astype(object).where(X.index != 3, 1 + 2j))
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: column 'u' must hold text, integers, "
                       r"finite "
                       r"numbers or booleans; got 1 value \(\(1\+2j\)\) at row 3\."):
        Scorecard().fit(mixed, y)
    card = Scorecard().fit(X, y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.points: column 'u' must hold real "
                       r"numbers; got 1 "
                       r"value \(\(1\+2j\)\) at row 3\."):
        card.points(mixed)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.predict_proba: X must hold real numbers, "
                       r"text or "
                       r"categories \(Complex data not supported\); got complex numbers in columns 'u'\."):
        card.predict_proba(X.assign(u=X["u"] + 0j))


def test_bools_dates_and_durations_are_not_numbers():
    X, y = _data(500)
    with pytest.raises(InvalidInputError, match=r"^WOETransformer\.fit: column 'flag' must hold real "
                       r"numbers; "
                       r"got booleans \(dtype bool\); a bool is not a number\."):
        WOETransformer(numeric=["flag"]).fit(X.assign(flag=X["u"] > 50), y)
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: column 'since' must hold text, "
                       r"integers, finite "
                       r"numbers or booleans; got dates \(dtype datetime64\[\w+\]\); a date is not a "
                           r"feature: turn "
                       r"it into an age"):
        Scorecard().fit(X.assign(since=pd.Timestamp("2024-01-01") + pd.to_timedelta(X["u"], unit="D")), y)
    with pytest.raises(InvalidInputError, match=r"^bin_feature: x must hold text, integers, finite "
                       r"numbers or "
                       r"booleans; got durations \(dtype timedelta64\[\w+\]\)"):
        bin_feature(pd.to_timedelta(X["u"], unit="D"), y)


def test_bool_targets_are_targets_and_bool_weights_are_not_weights():
    X, y = _data(500)
    a = Scorecard().fit(X, y.astype(bool))
    b = Scorecard().fit(X, y)
    assert a.to_dict() == b.to_dict()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: sample_weight must hold real numbers; got "
                       r"booleans"):
        Scorecard().fit(X, y, sample_weight=np.ones(len(X), dtype=bool))


# --------------------------------------------------- targets align by label ---


def test_fit_matches_y_to_x_by_label():
    X, y = _data()
    w = pd.Series(np.random.default_rng(1).integers(1, 4, len(X)).astype(float), index=X.index)
    reference = Scorecard().fit(X, y, sample_weight=w)
    # repro: X.sort_values("u") with the original y gave a different, wrong card
    shuffled = X.sort_values("u", kind="stable")
    assert Scorecard().fit(shuffled, y, sample_weight=w).to_dict() == reference.to_dict()
    # both reordered the same way: labels still match
    back = y.loc[shuffled.index]
    refit = Scorecard().fit(shuffled, back, sample_weight=w.loc[shuffled.index])
    assert refit.to_dict() == reference.to_dict()
    woe = WOETransformer().fit(X, y, sample_weight=w)
    assert WOETransformer().fit(shuffled, y, sample_weight=w).binnings_ == woe.binnings_
    one = bin_feature(X["u"], y, sample_weight=w, name="u")
    assert bin_feature(shuffled["u"], y, sample_weight=w, name="u") == one
    stats = BinStats.from_data(X["u"], y, sample_weight=w)
    assert BinStats.from_data(shuffled["u"], y, sample_weight=w) == stats


def test_targets_with_other_labels_are_refused():
    X, y = _data(500)
    moved = y.set_axis(y.index + 1)
    for call in (lambda: Scorecard().fit(X, moved), lambda: WOETransformer().fit(X, moved),
                 lambda: bin_feature(X["u"], moved)):
        with pytest.raises(InvalidInputError, match=r": y must have the same index labels as (X|x); got "
                           r"labels that "
                           r"differ \(e\.g\. 0\)\. Align them first"):
            call()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: sample_weight must have the same "
                       r"index labels as X"):
        Scorecard().fit(X, y, sample_weight=pd.Series(1.0, index=X.index + 7))
    doubled = pd.concat([X.iloc[:250], X.iloc[:250]])
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: y must have the same index as X "
                       r"\(labels repeat"):
        Scorecard().fit(doubled, y.iloc[:500].set_axis(range(500)))
    # arrays carry no labels: matched by position, and their length must be the number of rows
    assert Scorecard().fit(X, y.to_numpy()).to_dict() == Scorecard().fit(X, y).to_dict()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: y must have one value per row of X "
                       r"\(500\); got "
                       r"499 values\."):
        Scorecard().fit(X, y.to_numpy()[:-1])


# ----------------------------------------------------------- smaller items ---


def test_explain_descriptions_must_be_english_chinese_pairs():
    X, y = _data(1000)
    card = Scorecard().fit(X, y)
    # repro: descriptions={"u": "text"} iterated the string: reason 't', reason_zh 't'
    for bad, got in [("text", "'text'"), (("only english",), r"\('only english',\)"), ((1, 2), r"\(1, 2\)")]:
        with pytest.raises(InvalidInputError, match=rf"^Scorecard\.explain: descriptions\['u'\] must be "
                           rf"a pair of "
                           rf"texts \(English, Chinese\); got {got}\."):
            card.explain(X.head(), descriptions={"u": bad})
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.explain: descriptions must be a mapping"):
        card.explain(X.head(), descriptions=[("u", "x")])
    got = card.explain(X.head(20), descriptions={"u": ["Utilisation", "额度使用率"]})
    assert got.loc[got["feature"] == "u", "reason_zh"].str.startswith("额度使用率：").all()


def test_repr_works_for_array_parameters():
    # repro: repr raised numpy's ambiguous-truth ValueError; parameters are compared by repr
    assert repr(WOETransformer(special_values=np.array([-1.0]))) == (
        "WOETransformer(special_values=array([-1.]))"
    )
    assert repr(Scorecard(categorical=pd.Index(["a"]), binning=BinningParams(max_bins=4))).startswith(
        "Scorecard(binning=BinningParams(max_bins=4), categorical=")
    assert repr(Scorecard()) == "Scorecard()"


def test_scaling_fields_follow_the_number_rules():
    for kw, message in [
        ({"base_score": True}, r"^Scaling: base_score must be a finite number; got True \(a bool\)\.$"),
        ({"pdo": np.nan}, r"^Scaling: pdo must be a finite number > 0; got nan \(float\)\.$"),
        ({"base_odds": -1}, r"^Scaling: base_odds must be a finite number > 0; got -1\.$"),
        ({"base_odds": "50"}, r"^Scaling: base_odds must be a finite number > 0; got '50'\.$"),
        ({"odds": "x"}, r"^Scaling: odds must be one of 'good:bad', 'bad:good'; got 'x'\.$"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            Scaling(**kw)
    # numpy numbers are numbers, stored as Python floats (JSON-safe)
    s = Scaling(base_score=np.int64(600), pdo=np.float32(20))
    assert s == Scaling()
    assert type(s.base_score) is float
    assert s.to_dict() == Scaling().to_dict()
    with pytest.raises(InvalidInputError, match=r"^Scaling\.pd_from_score: score must hold real "
                       r"numbers; got 1 "
                       r"value \('600'\) at position 0\."):
        s.pd_from_score(["600"])
    with pytest.raises(InvalidInputError, match=r"^Scaling\.from_dict: pdo must be a finite number > 0; "
                       r"got True"):
        Scaling.from_dict({**s.to_dict(), "pdo": True})


def test_extreme_scores_convert_without_overflow():
    s = Scaling()
    # PD = 1 / (1 + exp((score - offset) / factor)): 0 and 1 in the limit, never a warning
    np.testing.assert_array_equal(s.pd_from_score(np.array([1e6, -1e6])), [0.0, 1.0])
    assert s.odds_from_score(1e6) == np.inf
    assert np.isfinite(s.score_from_pd(5e-324))


def test_large_coefficient_without_separation_gets_its_own_warning():
    # issue 17 item 3: two binary features, b correlated with a; b's conditional effect is
    # -0.5 log-odds but its marginal WOE range is 0.0098, so its WOE coefficient is -51 (se 3.9,
    # p ~ 1e-38) while nothing is separated: every bin combination holds goods and bads
    rows = []
    for a in (0, 1):
        for b in (0, 1):
            count = round(10_000 * (0.665 if b == a else 0.335))
            bads = round(count / (1 + np.exp(2.0 - 1.5 * a + 0.5 * b)))
            rows += [(a, b, 1)] * bads + [(a, b, 0)] * (count - bads)
    df = pd.DataFrame(rows, columns=["a", "b", "y"]).astype(float)
    with pytest.warns(DataWarning, match=r"the WOE of 'b' varies little across its bins, so its "
                      r"coefficient is "
                      r"large and unstable \('b': coefficient -51 \(standard error 3\.94\) on a WOE range of "
                      r"0\.00982\).* Nothing is separated\.") as record:
        card = Scorecard(min_iv=0.0, binning=BinningParams(min_bin_share=0.0), penalty="none").fit(
            df[["a", "b"]], df["y"])
    assert [w.category for w in record] == [DataWarning]  # no "quasi-separation, check for leakage"
    assert card.features_ == ("a", "b")
    assert card.p_values_[2] < 1e-30
