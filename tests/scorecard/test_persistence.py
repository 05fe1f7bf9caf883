"""A tampered card never loads (issue 14, item 7).

``Scorecard.from_dict`` accepted NaN points, edges, intercept and coefficients,
``round_points="false"`` (read as True), ``unseen="explode"``, negative counts,
``max_bins="many"``, negative smoothing, points lists shorter than the bins
(IndexError at scoring), features without a binning (KeyError at scoring) and
1e308 points (inf scores). Every field of the payload is now checked, and the
fields against each other; one error lists every problem with its field.

The property tests corrupt one field of a valid payload at a time, over every
field of two cards (numeric and categorical features, special values, missing
bins, dropped features, rounded and unrounded points).
"""

from __future__ import annotations

import copy
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import Binning, BinningParams, BinStats, Scaling, Scorecard, bin_feature


def _cards():
    rng = np.random.default_rng(3)
    n = 4000
    X = pd.DataFrame(
        {
            "util": rng.random(n).round(3),
            "inq": rng.poisson(1.5, n).astype(float),
            "region": rng.choice(["east", "west", "north", "south"], n),
            "noise": rng.normal(size=n),
        }
    )
    X.loc[X.index[::11], "util"] = np.nan
    X.loc[X.index[::17], "inq"] = -1.0  # a special value
    logit = -2.0 + 1.5 * X["util"].fillna(0.9) + 0.3 * X["inq"].clip(0) + 0.4 * (X["region"] == "west")
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    X["util_twin"] = X["util"] * 2.0  # dropped by the correlation filter
    # min_iv=0.02 (the default is 0) so the card records an IV drop
    specials = {"inq": (-1.0,), "region": ("south",)}
    plain = Scorecard(binning=BinningParams(max_bins=4), special_values=specials, min_iv=0.02).fit(X, y)
    sources = {"util": {"tables": ["loans", "installments"], "category": "credit_history"}}
    rounded = Scorecard(binning=BinningParams(max_bins=3, unseen="worst"), round_points=True,
                        categorical=["inq"],
                        feature_sources=sources).fit(X, y)
    # a recalibrated card carries a lineage record (as_of None: every corruption of it is invalid)
    y_now = pd.Series((rng.random(n) < 1 / (1 + np.exp(-0.5 - 0.8 * logit))).astype(int))
    recalibrated = plain.recalibrate(X, y_now, method="logistic")
    return X, {"plain": plain, "rounded": rounded, "recalibrated": recalibrated}


X, CARDS = _cards()
PAYLOADS = {k: json.loads(json.dumps(c.to_dict())) for k, c in CARDS.items()}


def test_cards_cover_the_interesting_fields():
    plain, rounded = CARDS["plain"], CARDS["rounded"]
    assert {d[1] for d in plain.drops_} >= {"iv", "correlation"}
    assert plain.binnings_["util"].has_missing
    assert plain.binnings_["inq"].special_bins[0] >= 0
    assert plain.binnings_["region"].kind == "categorical"
    assert rounded.binnings_["inq"].kind == "categorical"
    assert rounded.round_points_
    assert rounded.binnings_["util"].unseen == "worst"
    assert "util" in rounded.features_
    assert rounded.feature_sources_["util"].tables == ("loans", "installments")


# ------------------------------------------------------------- the paths ---


def _walk(node, path, out):
    """Every node of a payload with its path as the error messages write it."""
    out.append((path, node))
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("schema", "version") and path:
                continue  # a nested header is checked like the top-level one (own test below)
            if path in ("binnings", "points", "params.special_values", "feature_sources",
                        "params.feature_sources"):
                child = f"{path}[{k!r}]"
            else:
                child = f"{path}.{k}" if path else k
            _walk(v, child, out)
    elif isinstance(node, list):
        for j, v in enumerate(node):
            _walk(v, f"{path}[{j}]", out)


def _nodes(payload):
    out: list = []
    _walk(payload, "", out)
    return [(p, v) for p, v in out if p]


def _field(path: str) -> str:
    """The field a path belongs to: the path without its trailing list positions."""
    return re.sub(r"(\[\d+\])+$", "", path)


def _branch(path: str) -> str:
    """``binnings['x']``, ``points['x']`` or the top-level key a path starts with."""
    m = re.match(r"(binnings\[[^\]]+\]|points\[[^\]]+\]|[a-z_]+)", path)
    return m.group(1) if m else path


def _set(payload, path, value):
    parts = re.findall(r"\[(\d+)\]|\['([^']*)'\]|\.?([A-Za-z_][A-Za-z_0-9]*)", path)
    node = payload
    keys = []
    for idx, key, name in parts:
        keys.append(int(idx) if idx else (key or name))
    for k in keys[:-1]:
        node = node[k]
    if value is _DROP_LAST:
        node[keys[-1]] = node[keys[-1]][:-1]
    else:
        node[keys[-1]] = value


_DROP_LAST = object()
#: Paths whose lists are free-form (any length and any category is a valid parameter).
_FREE_LISTS = ("params.special_values", "params.categorical", "params.numeric", "params.feature_sources",
               "feature_sources", "lineage")


def _corruptions(path, value):
    """Values that are invalid at ``path`` whatever else the payload holds."""
    if path in ("schema", "version"):
        return ["other", None]
    if path == "params.penalty_strength":  # 'cv' or a positive number: 5 would be valid
        return ["x", None, ["x"], 0, -1.0]
    category = re.search(r"(groups\[\d+\]|special_values|params\.special_values\['\w+'\])\[\d+\]$", path)
    if category:
        return [None, math.nan, math.inf, [1], {"a": 1}]
    if isinstance(value, bool):
        return ["false", 1, None]
    if isinstance(value, int | float):
        out: list = ["1", True, [1.0], {"a": 1}]
        if not re.match(r"(std_errors|p_values|vif|pseudo_r2|penalty_strength$)", path):  # NaN: unknown
            out.append(math.nan)
        if path.startswith("points["):
            out.append(1e308)
        return out
    if isinstance(value, str):
        enum = re.search(r"(kind|unseen|trend|monotonic|selection|criterion|penalty|odds|drops\[\d+\]\[1\])$",
                         path)
        return [5, None, ["x"]] + (["explode"] if enum else [])
    if value is None:
        return ["x", -1.5, {"a": 1}]
    if isinstance(value, list):
        out = [5, "x"]
        if value and not path.startswith(_FREE_LISTS):
            out.append(_DROP_LAST)
        return out
    return [5, "x", {"a": 1}]  # a mapping


CASES = [(name, path, bad) for name, payload in PAYLOADS.items() for path, value in _nodes(payload)
         for bad in _corruptions(path, value)]


def _refused(name, path, bad):
    payload = copy.deepcopy(PAYLOADS[name])
    _set(payload, path, bad)
    with pytest.raises(InvalidInputError) as info:
        Scorecard.from_dict(payload)
    message = str(info.value)
    assert message.startswith("Scorecard.from_dict: d must ")
    assert _field(path) in message, (path, bad, message)


def test_every_field_corrupted_alone_is_refused_naming_it():
    # every node of both payloads, with each of its corruptions: hundreds of loads
    assert len(CASES) > 500
    for name, path, bad in CASES:
        _refused(name, path, bad)


@given(case=st.sampled_from(CASES))
def test_a_corrupted_field_is_refused_naming_it(case):
    _refused(*case)


@given(cases=st.lists(st.sampled_from(CASES), min_size=2, max_size=4, unique_by=lambda c: c[1]))
@example(cases=[("plain", "binnings", 5), ("plain", "binnings['util']", 5)])  # found by make test-explore
def test_every_problem_is_listed_in_one_error(cases):
    name = cases[0][0]
    payload = copy.deepcopy(PAYLOADS[name])
    fields = []
    for _, path, bad in (c for c in cases if c[0] == name):
        if path in ("schema", "version") or any(
            _branch(path) == _branch(f) or path.startswith(f) or f.startswith(path) for f in fields
        ):
            continue  # one corruption per branch of the payload (a binning, a points list, a field)
        if bad is _DROP_LAST:
            continue  # a shorter list can make its neighbours inconsistent: checked alone above
        _set(payload, path, bad)
        fields.append(path)
    if not fields:
        return
    with pytest.raises(InvalidInputError) as info:
        Scorecard.from_dict(payload)
    for path in fields:
        assert _field(path) in str(info.value)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_untouched_payload_loads_to_an_identical_card(name):
    card = Scorecard.from_dict(copy.deepcopy(PAYLOADS[name]))
    assert card.to_dict() == PAYLOADS[name]
    pd.testing.assert_series_equal(card.points(X), CARDS[name].points(X))
    pd.testing.assert_frame_equal(card.explain(X.head(50)), CARDS[name].explain(X.head(50)))


# ----------------------------------------------- the reported reproductions ---


def _load(name="plain", **changes):
    payload = copy.deepcopy(PAYLOADS[name])
    for path, value in changes.items():
        _set(payload, path.replace("__", "."), value)
    return Scorecard.from_dict(payload)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("points['util'][0]", math.nan, (r"points\['util'\]\[0\] must be a finite number in \[-1e\+09, "
            r"1e\+09\]; "
         r"got nan \(float\)\.")),
        ("points['util'][0]", 1e308, (r"points\['util'\]\[0\] must be a finite number in \[-1e\+09, "
            r"1e\+09\]; got "
         r"1e\+308 \(float\)\.")),
        ("binnings['util'].edges[0]", math.nan, (r"binnings\['util'\]\.edges\[0\] must be a finite "
            r"number; got nan")),
        ("intercept", math.nan, r"intercept must be a finite number; got nan \(float\)\."),
        ("coef[0]", math.nan, (r"coef\[0\] must be a finite number < 0; got nan \(float\)\. A card's "
            r"coefficients "
         r"are negative")),
        ("round_points", "false", r"round_points must be True or False; got 'false'\."),
        ("binnings['util'].unseen", "explode", (r"binnings\['util'\]\.unseen must be one of 'raise', "
            r"'worst', 'neutral', 'missing', 'rare'; got "
         r"'explode'\.")),
        ("params.unseen", "explode", (r"params\.unseen must be one of 'raise', 'worst', "
                                          r"'neutral', 'missing', 'rare'; got 'explode'\.")),
        ("binnings['inq'].goods[1]", -5.0, (r"binnings\['inq'\]\.goods\[1\] must be a finite number >= "
            r"0; got -5\.0")),
        ("params.max_bins", "many", r"params\.max_bins must be an integer >= 1; got 'many'\."),
        ("binnings['util'].smoothing", -0.5, (r"binnings\['util'\]\.smoothing must be a finite number in "
         r"\(0, 1e\+12\]; got -0\.5")),
        ("params.smoothing", -0.5, r"params\.smoothing must be a finite number in \(0, 1e\+12\]; got -0\.5"),
    ],
)
def test_reported_tampering_is_refused(path, value, message):
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.from_dict: d must be a valid Scorecard "
                       r"payload; got "
                       r"\d+ problems?:\n(  - .*\n)*  - " + message):
        _load(**{path: value})


def test_points_shorter_than_the_bins_and_features_without_binnings_are_refused():
    payload = copy.deepcopy(PAYLOADS["plain"])
    payload["points"]["util"] = payload["points"]["util"][:-1]  # repro: IndexError at scoring
    with pytest.raises(InvalidInputError, match=r"points\['util'\] must have one value per bin of "
                       r"binnings\['util'\] \(\d+\); got \d+ values\."):
        Scorecard.from_dict(payload)
    payload = copy.deepcopy(PAYLOADS["plain"])
    del payload["binnings"]["util"]  # repro: KeyError at scoring
    with pytest.raises(InvalidInputError) as info:
        Scorecard.from_dict(payload)
    assert "binnings must have one binning per column of feature_names_in" in str(info.value)
    assert "features must each have a binning in binnings; got no binning for 'util'" in str(info.value)


def test_points_that_disagree_with_the_model_are_refused():
    payload = copy.deepcopy(PAYLOADS["plain"])
    payload["points"]["util"][1] += 1.0  # a valid number, but not the points of the model
    with pytest.raises(InvalidInputError, match=r"points\['util'\] must be the points the card's "
                       r"intercept, coef, "
                       r"binnings and scaling give .*; got 1 bin differing, e\.g\. bin 1"):
        Scorecard.from_dict(payload)
    payload = copy.deepcopy(PAYLOADS["rounded"])
    payload["points"]["util"][0] += 0.5
    with pytest.raises(InvalidInputError, match=r"points\['util'\] must be whole numbers \(round_points "
                       r"is True\)"):
        Scorecard.from_dict(payload)


def test_nested_headers_and_missing_keys_are_refused():
    payload = copy.deepcopy(PAYLOADS["plain"])
    payload["binnings"]["util"]["version"] = 99
    del payload["binnings"]["inq"]["goods"]
    with pytest.raises(InvalidInputError) as info:
        Scorecard.from_dict(payload)
    text = str(info.value)
    assert "binnings['util'] must have schema 'jiebei_credit.scorecard.Binning' version 2; got " in text
    assert "binnings['inq'] must have every key; got missing keys 'goods'." in text


def test_binning_and_stats_payloads_are_checked_field_by_field():
    x = X["util"]
    y = (x.fillna(0.5) > 0.7).astype(int)
    b = bin_feature(x, y, binning=BinningParams(max_bins=3))
    d = b.to_dict()
    assert Binning.from_dict(d) == b
    bad = {**d, "goods": [math.nan, *d["goods"][1:]], "has_missing": "yes", "labels": [*d["labels"][:-1], 7]}
    with pytest.raises(InvalidInputError) as info:
        Binning.from_dict(bad)
    text = str(info.value)
    assert text.startswith("Binning.from_dict: d must be a valid Binning payload; got 3 problems:")
    for part in ("goods[0] must be a finite number >= 0; got nan", ("has_missing must be True or False; "
        "got 'yes'"),
                 f"labels[{len(d['labels']) - 1}] must be a string; got 7 (int)."):
        assert part in text
    # the fields against each other, once each field is valid
    with pytest.raises(InvalidInputError, match=r"  - special_bins must have one entry per value of "
                       r"special_values "
                       r"\(0\); got 1\."):
        Binning.from_dict({**d, "special_bins": [3]})
    s = BinStats.from_data(x, y, edges=[0.2, 0.5])
    d = s.to_dict()
    assert BinStats.from_dict(d) == s
    with pytest.raises(InvalidInputError, match=r"  - bads must have 3 values \(one per fine bin\); got "
                       r"2 values\."):
        BinStats.from_dict({**d, "bads": d["bads"][:2]})
    with pytest.raises(InvalidInputError, match=r"  - missing_goods must be a finite number >= 0; got -1\.0"):
        BinStats.from_dict({**d, "missing_goods": -1.0})


# ----------------------------------------------------------- Scaling payloads ---

#: Scaling.to_dict() of release 0.1.0 (frozen: the four fields, no header), for base 620, odds 30, PDO 40
SCALING_V0 = {"base_score": 620.0, "base_odds": 30.0, "pdo": 40.0, "odds": "good:bad"}


def test_scaling_payload_has_the_header_of_the_other_payloads():
    d = Scaling(base_score=620, base_odds=30, pdo=40).to_dict()
    assert d == {"schema": "jiebei_credit.scorecard.Scaling", "version": 1, **SCALING_V0}
    assert Scaling.from_dict(json.loads(json.dumps(d))) == Scaling(base_score=620, base_odds=30, pdo=40)


def test_scaling_payload_of_release_0_1_0_still_loads():
    assert Scaling.from_dict(dict(SCALING_V0)) == Scaling(base_score=620, base_odds=30, pdo=40)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": "jiebei_credit.scorecard.Binning"},
         (r"^Scaling\.from_dict: d\['schema'\] must be 'jiebei_credit\.scorecard\.Scaling'; got "
         r"'jiebei_credit\.scorecard\.Binning'\.")),
        ({"version": 2}, (r"^Scaling\.from_dict: d\['version'\] must be 1 \(or absent, as release 0\.1\.0 "
                         r"wrote it\); got 2\. The payload was written by a newer release")),
        ({"version": True}, r"d\['version'\] must be 1"),
        ({"extra": 1}, (r"^Scaling\.from_dict: d must be a mapping with the keys schema, version, "
                       r"base_score, base_odds, pdo and odds; got keys")),
        ({"pdo": -1.0}, r"^Scaling\.from_dict: pdo must be"),
    ],
)
def test_scaling_payload_problems_are_named(change, message):
    with pytest.raises(InvalidInputError, match=message):
        Scaling.from_dict({**Scaling().to_dict(), **change})
