"""Every metric rejects bad input with an InvalidInputError naming the function and the fix."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError

# (name, function) pairs that take (y, score-or-pd); the discrimination metrics with their
# required direction bound.
SCORE_METRICS: list[tuple[str, Callable[..., Any]]] = [
    ("auc", partial(jc.metrics.auc, higher="riskier")),
    ("gini", partial(jc.metrics.gini, higher="riskier")),
    ("ks", partial(jc.metrics.ks, higher="riskier")),
    ("roc_curve", partial(jc.metrics.roc_curve, higher="riskier")),
    ("gains_table", partial(jc.metrics.gains_table, higher="riskier")),
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
    with pytest.raises(
        InvalidInputError,
        match=rf"^{func}: (\w+) must have one value per row of y \(3\); got 2 values\. Pass y and \1 for",
    ):
        fn([0, 1, 0], [0.1, 0.2])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_non_binary_target(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"y must hold 1 \(bad\) or 0 \(good\); got 2 values \(2.0, -1.0\) at "
        r"positions 1, 3\. Recode the target to 0/1\.",
    ):
        fn([0, 2, 1, -1], [0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_missing_target(name: str, fn: Callable[..., Any]) -> None:
    y = pd.Series([0, None, 1], dtype="Int64", index=["u1", "u2", "u3"])
    with pytest.raises(
        InvalidInputError,
        match=r"y must hold 1 \(bad\) or 0 \(good\), not missing values; got 1 value \(nan\) at "
        r"row 'u2'\. Drop the rows whose outcome is not observed\.",
    ):
        fn(y, [0.1, 0.2, 0.3])


@pytest.mark.parametrize(("name", "fn"), SCORE_METRICS)
def test_nan_and_infinite_scores(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"^{name}: score must not be missing \(NaN\); got 2 values \(nan, nan\)"
        r" at positions 0, 2\.",
    ):
        fn([0, 1, 1], [np.nan, 0.2, np.nan])
    with pytest.raises(InvalidInputError, match=r"score must be finite; got 1 value \(inf\) at position 1"):
        fn([0, 1, 1], [0.1, np.inf, 0.3])


@pytest.mark.parametrize(("name", "fn"), PD_METRICS)
def test_pd_outside_unit_interval(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"^{name}: pd must lie in \[0, 1\]; got 2 values \(1.5, -0.1\) at "
        r"positions 1, 2\. Pass PDs, not scores",
    ):
        fn([0, 1, 1], [0.1, 1.5, -0.1])
    with pytest.raises(InvalidInputError, match=r"pd must not be missing \(NaN\); got 1 value \(nan\)"):
        fn([0, 1, 1], [0.1, np.nan, 0.2])


@pytest.mark.parametrize(("name", "fn"), ALL)
def test_empty_input(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{name}: y must not be empty; got 0 values\. Pass "
        rf"at least one"):
        fn([], [])


@pytest.mark.parametrize(("name", "fn"), SCORE_METRICS)
def test_single_class(name: str, fn: Callable[..., Any]) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"^{name}: y must hold both bads \(1\) and goods \(0\); got 3 goods and no bads\. "
        r"Evaluate on a sample that contains both outcomes\.",
    ):
        fn([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(InvalidInputError, match=r"y must hold both .*; got 2 bads and no goods\."):
        fn([1, 1], [0.1, 0.2])


def test_shape_and_type_errors() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"auc: y must be one-dimensional \(a Series or"
        r" 1-D array\); got a DataFrame",
    ):
        jc.metrics.auc(pd.DataFrame({"y": [0, 1]}), [0.1, 0.2], higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"auc: score must be one-dimensional; got an"
        r" array of shape \(2, 1\)",
    ):
        jc.metrics.auc([0, 1], np.array([[0.1], [0.2]]), higher="riskier")
    with pytest.raises(
        InvalidInputError,
        # pandas 3 has a str dtype; pandas 2.2 stores the strings as object: either way, rows named.
        match=r"auc: score must hold real numbers; got 2 values \('a', 'b'\) at rows 0, 1\. "
        r"Convert the values to numbers first\.",
    ):
        jc.metrics.auc([0, 1], pd.Series(["a", "b"], dtype="str"), higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"ks: y must hold 1 \(bad\) or 0 \(good\); got 1"
        r" value \('bad'\) at position 1\. Recode the target to 0/1\.",
    ):
        jc.metrics.ks(np.array([0, "bad"], dtype=object), [0.1, 0.2], higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"auc: higher must be one of 'riskier',"
        r" 'safer'; got 'lower'\. Pass higher='riskier' for a PD",
    ):
        jc.metrics.auc([0, 1], [0.1, 0.2], higher="lower")  # type: ignore[arg-type]


def test_series_with_different_indexes_are_not_aligned_silently() -> None:
    y = pd.Series([0, 1], index=[1, 2])
    score = pd.Series([0.1, 0.2], index=[2, 1])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: score must have the same index as y \(Series are never matched by position or "
        r"realigned silently\); got labels that differ: 2 values \(2, 1\) at positions 0, 1\. "
        r"Align them first, e.g. score.reindex\(y.index\)\.",
    ):
        jc.metrics.auc(y, score, higher="riskier")


def test_sample_weight_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"auc: sample_weight must have one value per row "
        r"\(2\); got 1"):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[1.0], higher="riskier")
    with pytest.raises(
        InvalidInputError,
        match=r"ks: sample_weight must lie >= 0; got 1 value"
        r" \(-1.0\) at position 0\. Weights are non-negative",
    ):
        jc.metrics.ks([0, 1], [0.1, 0.2], sample_weight=[-1.0, 1.0], higher="riskier")
    with pytest.raises(InvalidInputError, match=r"auc: sample_weight must not be missing \(NaN\); got "
        r"1 value"):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[np.nan, 1.0], higher="riskier")
    with pytest.raises(
        InvalidInputError, match=r"brier_score: sample_weight must have a positive total; got weights "
            r"summing to 0"
    ):
        jc.metrics.brier_score([0, 1], [0.1, 0.2], sample_weight=[0.0, 0.0])
    with pytest.raises(
        InvalidInputError,
        match=r"auc: y must hold both bads \(1\) and goods \(0\); got 1 good and no bads with"
        r" a positive weight",
    ):
        jc.metrics.auc([0, 1], [0.1, 0.2], sample_weight=[1.0, 0.0], higher="riskier")


def test_errors_are_value_errors_too() -> None:
    with pytest.raises(ValueError, match=r"auc: y must not be empty"):
        jc.metrics.auc([], [], higher="riskier")


def test_long_lists_are_summarised() -> None:
    y = np.arange(20) % 3  # values 0, 1, 2: every third row is invalid
    with pytest.raises(
        InvalidInputError,
        match=r"got 6 values \(2.0, 2.0, 2.0, 2.0, 2.0, …\) at"
        r" positions 2, 5, 8, 11, 14, …",
    ):
        jc.metrics.auc(y, np.zeros(20), higher="riskier")
