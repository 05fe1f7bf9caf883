"""Degenerate cards are errors, not warnings (issue 17 item 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.scorecard import Scaling, Scorecard


def _data(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.random(n), "b": rng.integers(0, 4, n).astype(float)})
    logit = -2.0 + 2.0 * X["a"] + 0.4 * X["b"]
    return X, pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))


def test_a_scaling_that_loses_the_log_odds_is_an_error():
    # base score 1e308 and PDO 1e-300: offset 1e308, factor 1.4e-300, so every bin gets the
    # same points (1e308 + 1e-300 rounds to 1e308) and the card would score every row alike
    X, y = _data()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.fit: scaling must give finite points that "
                       r"carry the model's log-odds differences; got Scaling\(.*points for 'a', 'b' "
                       r".*Use a scaling of ordinary size"):
        Scorecard(scaling=Scaling(base_score=1e308, pdo=1e-300)).fit(X, y)


def test_a_failed_refit_leaves_no_stale_points():
    X, y = _data()
    card = Scorecard().fit(X, y)
    card.set_params(scaling=Scaling(base_score=1e308, pdo=1e-300))
    with pytest.raises(InvalidInputError):
        card.fit(X, y)
    with pytest.raises(NotFittedError):
        card.points(X)


@pytest.mark.parametrize("round_points", [False, True])
def test_ordinary_cards_pass_the_check(round_points):
    # the check's rule, by hand: points differences = -factor * beta * WOE differences
    X, y = _data()
    card = Scorecard(round_points=round_points).fit(X, y)
    for f, beta in zip(card.features_, card.coef_, strict=True):
        pts = np.asarray(card.points_[f])
        woe = card.binnings_[f].woe_values
        exact = -card.scaling_.factor * beta * (woe - woe[0])
        assert np.abs((pts - pts[0]) - exact).max() <= (1.0 if round_points else 1e-9)
