"""Every metric rejects bad input with an InvalidInputError naming the function and the fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError

# (name, function) pairs that take (y, score-or-pd).
SCORE_METRICS: list[tuple[str, Callable[..., Any]]] = [
    ("auc", jc.metrics.auc),
    ("gini", jc.metrics.gini),
    ("ks", jc.metrics.ks),
    ("roc_curve", jc.metrics.roc_curve),
    ("gains_table", jc.metrics.gains_table),
]
PD_METRICS: list[tuple[str, Callable[..., Any]]] = [
    ("calibration_table", jc.metrics.calibration_table),
    ("hosmer_lemeshow", jc.metrics.hosmer_lemeshow),
    ("brier_score", jc.metrics.brier_score),
]
ALL = SCORE_METRICS + PD_METRICS


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_length_mismatch(name: str, fn: Callable[..., Any]) -> None:
    func = name
    with pytest.raises(InvalidInputError, match=rf"^{func}: y has 3 rows but \w+ has 2; pass one"):
        fn([0, 1, 0], [0.1, 0.2])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_non_binary_target(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"y must hold 1 \(bad\) or 0 \(good\); found 2 other values \(2.0, -1.0\) at "
        r"positions 1, 3\. Recode the target to 0/1\.",
    ):
        fn([0, 2, 1, -1], [0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_missing_target(name: str, fn: Callable[..., Any]) -> None:
    y = pd.Series([0, None, 1], dtype="Int64", index=["u1", "u2", "u3"])
    with pytest.raises(
        InvalidInputError,
        match=r"y has 1 missing \(NaN\) values at rows 'u2'; drop the rows whose outcome is not",
    ):
        fn(y, [0.1, 0.2, 0.3])


@pytest.mark.parametrize(("name", "fn"), SCORE_METRICS)
def test_nan_and_infinite_scores(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"score has 2 missing \(NaN\) values"
        r" at positions 0, 2",
    ):
        fn([0, 1, 1], [np.nan, 0.2, np.nan])
    with pytest.raises(InvalidInputError, match=r"score has 1 infinite values at positions 1"):
        fn([0, 1, 1], [0.1, np.inf, 0.3])


@pytest.mark.parametrize(("name", "fn"), PD_METRICS)
def test_pd_outside_unit_interval(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"pd must be a probability in \[0, 1\]; found 2 values outside \(1.5, -0.1\) at "
        r"positions 1, 2\. Pass PDs, not scores",
    ):
        fn([0, 1, 1], [0.1, 1.5, -0.1])
    with pytest.raises(InvalidInputError, match=r"pd has 1 missing \(NaN\) values"):
        fn([0, 1, 1], [0.1, np.nan, 0.2])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_empty_input(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(InvalidInputError, match=r"y is empty; pass at least one value"):
        fn([], [])


@pytest.mark.parametrize(("name", "fn"), SCORE_METRICS)
def test_single_class(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(InvalidInputError, match=r"y has no bads \(y == 1\); the statistic needs"):
        fn([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(InvalidInputError, match=r"y has no goods \(y == 0\)"):
        fn([1, 1], [0.1, 0.2])


def test_shape_and_type_errors() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"auc: y must be one-dimensional \(a Series or"
        r" 1-D array\); got a DataFrame",
    ):
        jc.metrics.auc(pd.DataFrame({"y": [0, 1]}), [0.1, 0.2])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: score must be one-dimensional; got an"
        r" array of shape \(2, 1\)",
    ):
        jc.metrics.auc([0, 1], np.array([[0.1], [0.2]]))
    with pytest.raises(
        InvalidInputError,
        # pandas 3 has a str dtype; pandas 2.2 stores the strings as object.
        match=r"auc: score must be numeric; (got dtype str\. Convert it to float or int\.|"
        r"found 2 non-numeric values \('a', 'b'\))",
    ):
        jc.metrics.auc([0, 1], pd.Series(["a", "b"], dtype="str"))
    with pytest.raises(
        InvalidInputError,
        match=r"ks: y must be numeric; found 1"
        r" non-numeric values \('bad'\)",
    ):
        jc.metrics.ks(np.array([0, "bad"], dtype=object), [0.1, 0.2])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: higher must be one of 'riskier',"
        r" 'safer'; got 'lower'",
    ):
        jc.metrics.auc([0, 1], [0.1, 0.2], higher="lower")  # type: ignore[arg-type]


def test_series_with_different_indexes_are_not_aligned_silently() -> None:
    y = pd.Series([0, 1], index=[1, 2])
    score = pd.Series([0.1, 0.2], index=[2, 1])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: y and score are Series with different indexes; align"
        r" them first, e.g. score.reindex\(y.index\)",
    ):
        jc.metrics.auc(y, score)


def test_sample_weight_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"auc: sample_weight has 1 rows but y has 2"):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[1.0])
    with pytest.raises(
        InvalidInputError,
        match=r"ks: sample_weight must be >= 0; found 1 negative"
        r" values \(-1.0\) at positions 0",
    ):
        jc.metrics.ks([0, 1], [0.1, 0.2], sample_weight=[-1.0, 1.0])
    with pytest.raises(InvalidInputError, match=r"auc: sample_weight has 1 missing \(NaN\) values"):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[np.nan, 1.0])
    with pytest.raises(InvalidInputError, match=r"brier_score: sample_weight sums to 0"):
        jc.metrics.brier_score([0, 1], [0.1, 0.2], sample_weight=[0.0, 0.0])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: y has no bads \(y == 1\) with"
        r" a positive weight",
    ):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[1.0, 0.0])


def test_errors_are_value_errors_too() -> None:
    with pytest.raises(ValueError, match=r"auc: y is empty"):
        jc.metrics.auc([], [])


def test_long_lists_are_summarised() -> None:
    y = np.arange(20) % 3  # values 0, 1, 2: every third row is invalid
    with pytest.raises(
        InvalidInputError,
        match=r"found 6 other values \(2.0\) at"
        r" positions 2, 5, 8, 11, 14, …",
    ):
        jc.metrics.auc(y, np.zeros(20))
