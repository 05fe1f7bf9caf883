"""The direction of a score is always stated: ``higher=`` is required wherever rows are ranked.

Regression for a silent inversion: ``metrics.auc(y, card.points(X))`` returned 0.20 instead of 0.80,
because ``higher`` defaulted to "riskier" while points are higher-is-safer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import jiebei_credit as jc
from jiebei_credit.plotting import plot_ks, plot_roc

RANKING: list[Callable[..., Any]] = [
    jc.metrics.auc,
    jc.metrics.gini,
    jc.metrics.ks,
    jc.metrics.roc_curve,
    jc.metrics.gains_table,
    plot_roc,
    plot_ks,
]


@pytest.fixture(scope="module")
def card_sample() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(17)
    n = 3000
    X = pd.DataFrame({"util_now": rng.beta(2, 4, n), "inq_count_30d": rng.poisson(1.2, n).astype(float)})
    logit = -2.5 + 3.0 * X["util_now"] + 0.4 * X["inq_count_30d"]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index)
    card = jc.scorecard.Scorecard().fit(X, y)
    return y, card.points(X)


@pytest.mark.parametrize("fn", RANKING, ids=lambda f: f.__name__)
def test_higher_is_a_required_keyword(fn: Callable[..., Any]) -> None:
    p = inspect.signature(fn).parameters["higher"]
    assert p.kind is inspect.Parameter.KEYWORD_ONLY
    assert p.default is inspect.Parameter.empty


@pytest.mark.parametrize("fn", RANKING, ids=lambda f: f.__name__)
def test_leaving_out_the_direction_fails_loudly(fn: Callable[..., Any]) -> None:
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'higher'"):
        fn([0, 1, 0, 1], [700.0, 560.0, 690.0, 580.0])


def test_card_points_need_higher_safer(card_sample: tuple[pd.Series, pd.Series]) -> None:
    y, points = card_sample
    with pytest.raises(TypeError, match=r"'higher'"):
        jc.metrics.auc(y, points)  # type: ignore[call-arg]
    right = jc.metrics.auc(y, points, higher="safer")
    # sklearn's roc_auc_score ranks by the score as risk, so points are negated for it
    assert right == pytest.approx(roc_auc_score(y, -points), abs=1e-12)
    assert right > 0.6
    # stating the wrong direction is possible, but it is stated, and it gives 1 − AUC exactly
    assert jc.metrics.auc(y, points, higher="riskier") == pytest.approx(1.0 - right, abs=1e-12)


def test_every_ranking_function_agrees_on_the_direction(card_sample: tuple[pd.Series, pd.Series]) -> None:
    y, points = card_sample
    a = jc.metrics.auc(y, points, higher="safer")
    assert jc.metrics.gini(y, points, higher="safer") == pytest.approx(2 * a - 1, abs=1e-12)
    curve = jc.metrics.roc_curve(y, points, higher="safer")
    fpr, tpr = curve["fpr"].to_numpy(), curve["tpr"].to_numpy()
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))  # trapezoids
    assert area == pytest.approx(a, abs=1e-12)
    gains = jc.metrics.gains_table(y, points, higher="safer", bins=5)
    assert gains["bad_rate"].iloc[0] > gains["bad_rate"].iloc[-1]  # riskiest band (lowest points) first
    ax = plot_roc(y, points, higher="safer")
    assert ax.get_legend().get_texts()[0].get_text() == f"AUC = {a:.3f}"
    plt.close(ax.figure)


def test_a_wrong_direction_value_is_refused_with_the_fix() -> None:
    with pytest.raises(
        jc.errors.InvalidInputError,
        match=r"^ks: higher must be one of 'riskier', 'safer'; got 'lower'\. Pass higher='riskier' for "
        r"a PD or log-odds of bad, higher='safer' for scorecard points\.$",
    ):
        jc.metrics.ks([0, 1], [0.1, 0.2], higher="lower")  # type: ignore[arg-type]
