"""Rate conversions and fen rounding."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import (
    annual_rate,
    daily_rate,
    effective_rate,
    nominal_rate,
    round_fen,
)


def test_domain_simple_annualisation() -> None:
    # DOMAIN.md: 0.04 % × 360 = 14.4 %, × 365 = 14.6 %.
    assert annual_rate(0.0004) == 0.144
    assert annual_rate(0.0004, basis=365) == 0.146
    assert daily_rate(0.144) == 0.0004
    assert daily_rate(0.146, basis=365) == 0.0004


def test_domain_effective_rate() -> None:
    # DOMAIN.md: 1.2 % a month is 14.4 % nominal, 15.39 % effective;
    # 1.012 ** 12 - 1 = 0.1538946... by hand.
    assert effective_rate(0.144) == pytest.approx(1.012**12 - 1, rel=1e-14)
    assert round(effective_rate(0.144), 4) == 0.1539
    assert nominal_rate(1.012**12 - 1) == pytest.approx(0.144, rel=1e-13)
    # Daily compounding on a 360-day basis: (1 + 0.0004) ** 360 - 1.
    assert effective_rate(0.144, periods_per_year=360) == pytest.approx(1.0004**360 - 1)


@given(st.floats(0, 0.01), st.sampled_from([360, 365]))
def test_daily_annual_round_trip(d: float, basis: int) -> None:
    assert daily_rate(annual_rate(d, basis=basis), basis=basis) == pytest.approx(d, abs=1e-15)


@given(st.integers(1, 10**6), st.integers(8, 15), st.sampled_from([360, 365]))
def test_small_daily_rates_round_trip_to_15_significant_digits(k: int, e: int, basis: int) -> None:
    # Rates with few significant digits survive the round trip at any magnitude
    # (rounding to 15 decimal places would lose them below 1e-3).
    d = k * 10.0**-e  # up to 0.01, the largest daily rate accepted
    assert daily_rate(annual_rate(d, basis=basis), basis=basis) == pytest.approx(d, rel=1e-15)


@given(st.floats(1e-300, 0.01), st.sampled_from([360, 365]))
def test_daily_annual_round_trip_is_relative(d: float, basis: int) -> None:
    # Each conversion rounds to 15 significant digits: at most half a unit in
    # the 15th digit (5e-15 relative) each way.
    assert daily_rate(annual_rate(d, basis=basis), basis=basis) == pytest.approx(d, rel=1.1e-14)


def test_small_rate_keeps_its_precision() -> None:
    assert daily_rate(0.1) == pytest.approx(0.1 / 360, rel=1e-15)
    assert annual_rate(1e-7, basis=365) == pytest.approx(3.65e-5, rel=1e-15)
    assert annual_rate(0.0004) == 0.144  # binary noise still dropped
    np.testing.assert_array_equal(annual_rate(np.array([0.0, 0.0004])), [0.0, 0.144])


@given(st.floats(0, 3.65), st.sampled_from([1, 4, 12, 360, 365]))
def test_nominal_effective_round_trip(r: float, m: int) -> None:
    assert nominal_rate(effective_rate(r, periods_per_year=m), periods_per_year=m) == (
        pytest.approx(r, rel=1e-9, abs=1e-12)
    )


def test_return_convention_scalar_vs_array() -> None:
    assert type(annual_rate(0.0004)) is float
    assert type(annual_rate(np.float64(0.0004))) is float
    out = annual_rate([0.0002, 0.0005])
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [0.072, 0.18])
    # A one-element list is an array, not a scalar.
    assert isinstance(daily_rate([0.144]), np.ndarray)


def test_inputs_not_mutated() -> None:
    d = np.array([0.0002, 0.0005])
    annual_rate(d)
    np.testing.assert_array_equal(d, [0.0002, 0.0005])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.005, 1.01),  # stored as 1.00499999999999989...; half up gives 1.01
        (2.675, 2.68),  # stored as 2.67499999999999982...
        (0.125, 0.13),
        (0.124, 0.12),
        (899.7543, 899.75),  # the DOMAIN PMT
        (0.0, 0.0),
        (10_000_000.005, 10_000_000.01),
    ],
)
def test_round_fen_half_up(value: float, expected: float) -> None:
    assert round_fen(value) == expected


def test_round_fen_array() -> None:
    np.testing.assert_array_equal(round_fen([0.125, 0.124]), [0.13, 0.12])


def test_bad_rates_are_named() -> None:
    with pytest.raises(InvalidInputError,
                       match=r"annual_rate: daily_rate must be a finite number in \[0, 0.01\]"):
        annual_rate(0.04)  # 0.04 % written as a percentage
    with pytest.raises(InvalidInputError,
                       match=r"daily_rate: annual_rate must be a finite number in \[0, 3.65\]; got 14.4"):
        daily_rate(14.4)
    with pytest.raises(InvalidInputError, match=r"annual_rate: daily_rate must not be missing.*nan"):
        annual_rate([0.0004, float("nan")])
    with pytest.raises(InvalidInputError, match="basis must be 360 or 365"):
        annual_rate(0.0004, basis=366)
    with pytest.raises(InvalidInputError, match=r"periods_per_year must be an integer in \[1, 1000000\]"):
        effective_rate(0.1, periods_per_year=0)
    with pytest.raises(InvalidInputError, match=r"daily_rate must be a finite number.*got 'abc'"):
        annual_rate("abc")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # Regression: a bool is not a number (effective_rate(True) ran as 1.0).
        (lambda: effective_rate(True),
         r"effective_rate: nominal_rate must be a finite number .*True \(a bool\)"),
        (lambda: annual_rate([0.0004, True]), r"daily_rate must hold real numbers; got 1 value \(True\)"),
        # Complex values are refused (the imaginary part used to be dropped).
        (lambda: annual_rate(0.0004 + 0j), r"daily_rate must be a finite number .*\(complex\)"),
        (lambda: daily_rate(np.array([0.1 + 0j])), "annual_rate must hold real numbers; got complex"),
        # Timedeltas are not amounts.
        (lambda: round_fen(np.timedelta64(3, "D")), "round_fen: amount must be a finite number"),
        (lambda: round_fen(pd.Series(pd.to_timedelta([1], unit="D"))), "durations are not amounts"),
        # The basis is an integer: 360.0 is refused like any float for an integer parameter.
        (lambda: annual_rate(0.0004, basis=360.0), r"basis must be an integer; got 360.0 \(float\)"),
    ],
)
def test_wrong_types_are_refused(call: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()


def test_numpy_integers_and_0d_arrays_are_numbers() -> None:
    assert annual_rate(0.0004, basis=np.int64(365)) == 0.146  # 0.0004 x 365
    # (1 + 0.25)^1 - 1; numpy 1.26's log1p/expm1 land one ulp below 0.25, numpy 2 on it
    assert effective_rate(np.float32(0.25), periods_per_year=np.int16(1)) == pytest.approx(0.25, rel=1e-15)
    assert round_fen(np.array(1.005)) == 1.01


def test_round_fen_never_returns_inf() -> None:
    # Regression: round_fen(1e308) returned inf. Amounts beyond the money range (1e8 CNY, where
    # the half-up tolerance stops being exact) are refused instead.
    with pytest.raises(InvalidInputError,
                       match=r"round_fen: amount must be a finite number in \[-1e\+08, 1e\+08\]"):
        round_fen(1e308)
    with pytest.raises(InvalidInputError,
                       match=r"amount must lie in \[-1e\+08, 1e\+08\]; got 1 value \(10000000000.0\)"):
        round_fen([1.0, 1e10])
    assert round_fen(-1.005) == -1.0  # ties toward +inf: floor(-100.5 + 0.5 + 1e-5) / 100
