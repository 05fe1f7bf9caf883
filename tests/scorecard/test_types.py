"""Columns read as the modeller meant: empty and constant columns (issue 17 item 5)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import Scorecard


def _data(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"util": rng.random(n), "inq": rng.poisson(1.0, n).astype(float)})
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(2.5 - 2 * X["util"] - 0.4 * X["inq"]))).astype(int))
    return X, y


def test_an_all_missing_column_is_dropped_with_a_reason():
    # repro: an all-NaN column made fit raise "no regular values" and sank the whole card
    X, y = _data()
    bad = X.assign(empty=np.nan, empty_text=pd.Series([None] * len(X), dtype=object))
    card = Scorecard().fit(bad, y)
    clean = Scorecard().fit(X, y)
    # the other columns give the same card as without the empty ones
    assert card.features_ == clean.features_
    np.testing.assert_array_equal(card.coef_, clean.coef_)
    assert ("empty", "empty", "every value is missing (3000 of 3000 rows): nothing to bin") in card.drops_
    summary = card.summary().set_index("feature")
    assert summary.loc["empty_text", "status"] == "dropped (empty)"
    assert summary.loc["empty", "iv"] == 0.0  # one bin holding every row: p = q, IV 0
    back = Scorecard.from_dict(json.loads(json.dumps(card.to_dict())))
    assert back.drops_ == card.drops_
    pd.testing.assert_series_equal(back.points(bad), card.points(bad))


def test_a_constant_column_is_reported_as_constant():
    X, y = _data()
    card = Scorecard().fit(X.assign(one=7.0, label="x"), y)
    steps = {f: (step, reason) for f, step, reason in card.drops_}
    assert steps["one"][0] == "constant"
    assert steps["one"][1].startswith("one bin on every row ([-inf, inf)): nothing to fit")
    assert steps["label"] == ("constant", "one bin on every row (x): nothing to fit; IV 0.0000 < 0.02")


def test_raise_only_when_no_feature_is_left():
    _, y = _data()
    X = pd.DataFrame({"a": np.full(len(y), np.nan), "b": np.full(len(y), np.nan)})
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: X must leave at least one feature to fit "
                       r"\(no feature is left to fit\); got 2 column\(s\), all empty \(every value "
                       r"missing\): 'a', 'b'\."):
        Scorecard().fit(X, y)
