"""Counterfactuals (issue 17 item 10): fewest actionable changes that reach a target score."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard


def _card() -> tuple[Scorecard, pd.DataFrame]:
    rng = np.random.default_rng(0)
    n = 4000
    X = pd.DataFrame({"a": rng.integers(0, 4, n).astype(float), "b": rng.integers(0, 3, n).astype(float),
                      "c": rng.integers(0, 5, n).astype(float), "marital_status": rng.integers(0, 2, n)})
    logit = -2.0 + 0.5 * X["a"] + 0.4 * X["b"] + 0.3 * X["c"] + 0.2 * X["marital_status"]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return Scorecard(binning=BinningParams(max_bins=5)).fit(X, y), X


CARD, X = _card()
ACT = ["a", "b", "c"]


def _brute(card: Scorecard, row: pd.Series, target: float) -> int | None:
    """Fewest features to change, by trying every subset and every bin (independent search)."""
    base = {f: card.points_[f][int(card.binnings_[f].bin_index(pd.Series([row[f]]))[0])]
            for f in card.features_}
    score = sum(base.values())
    if score >= target - 1e-9:
        return 0
    for m in range(1, len(ACT) + 1):
        for subset in itertools.combinations(ACT, m):
            for bins in itertools.product(*(range(len(card.points_[f])) for f in subset)):
                new = score + sum(card.points_[f][k] - base[f] for f, k in zip(subset, bins, strict=True))
                if new >= target - 1e-9:
                    return m
    return None


def test_greedy_is_exact_against_brute_force():
    rows = X.head(60)
    scores = CARD.points(rows)
    seen = set()
    # the best score the card gives: rows whose (not actionable) marital_status is in its
    # worse bin cannot reach it
    best = sum(max(p) for p in CARD.points_.values())
    for target in (scores.quantile(0.5), scores.quantile(0.9), best):
        cf = CARD.counterfactual(rows, target_score=target, actionable=ACT)
        for label, row in rows.iterrows():
            expected = _brute(CARD, row, target)
            seen.add(expected if expected is None else min(expected, 2))
            mine = cf[cf["row"] == label]
            if expected is None:
                assert len(mine) == 1
                assert mine["feature"].isna().all()
            else:
                assert len(mine) == expected
                # applying the changes reaches the target
                assert scores[label] + mine["points_gained"].sum() >= target - 1e-9
    assert seen == {None, 0, 1, 2}  # unreachable, nothing to do, one change, several

def test_result_columns_and_bilingual_text():
    target = CARD.points(X.head(20)).max()
    cf = CARD.counterfactual(X.head(20), target_score=target, actionable=["a", "b"])
    assert list(cf.columns) == ["row", "feature", "from_bin", "to_bin", "points_gained", "text", "text_zh"]
    changes = cf[cf["feature"].notna()]
    assert (changes["points_gained"] > 0).all()
    assert all("from" in t and "points" in t for t in changes["text"])
    assert all("由" in t and "分" in t for t in changes["text_zh"])
    assert set(changes["feature"]) <= {"a", "b"}


def test_rows_at_target_need_nothing():
    cf = CARD.counterfactual(X.head(10), target_score=-1e9, actionable=ACT)
    assert cf.empty


@pytest.mark.parametrize(("actionable", "rule"), [
    ([], "must name at least one model feature"),
    (["zz"], "must hold features of the model"),
    (["marital_status"], "must not hold protected attributes"),
])
def test_actionable_is_checked(actionable, rule):
    assert "marital_status" in CARD.features_
    with pytest.raises(InvalidInputError, match=rf"^Scorecard\.counterfactual: actionable {rule}"):
        CARD.counterfactual(X.head(3), target_score=600, actionable=actionable)


def test_target_score_is_checked():
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.counterfactual: target_score "):
        CARD.counterfactual(X.head(3), target_score=float("nan"), actionable=ACT)
