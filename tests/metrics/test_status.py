"""Traffic lights of stability indexes: missing evidence is never green, impossible values refused."""

from __future__ import annotations

import numpy as np
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError


@pytest.mark.parametrize("value", [float("nan"), np.nan, np.float32("nan"), np.float64("nan")])
def test_nan_is_insufficient_not_green(value: float) -> None:
    # Regression: psi_status(nan) returned "green". NaN means the index could not be computed.
    assert jc.metrics.psi_status(value) == "insufficient"
    assert jc.metrics.psi_status(value, thresholds=(0.0, 0.0)) == "insufficient"


@pytest.mark.parametrize("value", [-1.0, -1e-12, -np.inf, np.float64(-0.5), -3])
def test_negative_values_are_impossible_and_refused(value: float) -> None:
    # Regression: psi_status(-1.0) returned "green". A PSI is a sum of non-negative terms.
    with pytest.raises(
        InvalidInputError,
        match=r"^psi_status: value must be a number >= 0; got .*\. A stability index is >= 0; NaN means "
        r"it could not be computed\.$",
    ):
        jc.metrics.psi_status(value)


@pytest.mark.parametrize("value", [True, np.bool_(False), "0.1", None, 1 + 0j, [0.1]])
def test_non_numbers_are_refused(value: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^psi_status: value must be a number >= 0; got "):
        jc.metrics.psi_status(value)  # type: ignore[arg-type]


def test_infinite_index_is_red_and_zero_green() -> None:
    # An unsmoothed PSI with a bin empty on one side is +inf: the largest possible shift.
    assert jc.metrics.psi_status(np.inf) == "red"
    assert jc.metrics.psi_status(0) == "green"
    assert jc.metrics.psi_status(np.float32(0.3)) == "red"


@pytest.mark.parametrize(
    "thresholds",
    [(0.3, 0.2), (-0.1, 0.2), (0.1, np.nan), (0.1, np.inf), (True, 0.2), ("0.1", "0.25"), (0.1,),
     (0.1, 0.2, 0.3), 0.1, None, {"amber": 0.1, "red": 0.25}],
)
def test_thresholds_must_be_an_ordered_pair_of_finite_numbers(thresholds: object) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^psi_status: thresholds must be a pair \(amber, red\) of finite numbers with "
        r"0 <= amber <= red; got .*\. The usual PSI cut-offs are \(0\.1, 0\.25\)\.$",
    ):
        jc.metrics.psi_status(0.1, thresholds=thresholds)  # type: ignore[arg-type]


def test_thresholds_accept_lists_and_arrays() -> None:
    assert jc.metrics.psi_status(0.15, thresholds=[0.2, 0.3]) == "green"
    assert jc.metrics.psi_status(0.15, thresholds=np.array([0.1, 0.2])) == "amber"


def test_computed_indexes_always_have_evidence() -> None:
    # psi and csi grade a computed (finite, >= 0) value, so they never answer "insufficient".
    r = jc.metrics.psi([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert (r.value, r.status) == (0.0, "green")
