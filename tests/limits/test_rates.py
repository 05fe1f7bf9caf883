"""Rate conversions and fen rounding."""

from __future__ import annotations

import numpy as np
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
    with pytest.raises(InvalidInputError, match=r"annual_rate: daily_rate must lie in \[0, 0.01\]"):
        annual_rate(0.04)  # 0.04 % written as a percentage
    with pytest.raises(InvalidInputError, match=r"daily_rate: annual_rate must lie in \[0, 3.65\].*14.4"):
        daily_rate(14.4)
    with pytest.raises(InvalidInputError, match=r"annual_rate: daily_rate must be finite.*nan"):
        annual_rate([0.0004, float("nan")])
    with pytest.raises(InvalidInputError, match="basis must be 360 or 365"):
        annual_rate(0.0004, basis=366)
    with pytest.raises(InvalidInputError, match="periods_per_year must be a positive int"):
        effective_rate(0.1, periods_per_year=0)
    with pytest.raises(InvalidInputError, match="must be a number or an array of numbers"):
        annual_rate("abc")
