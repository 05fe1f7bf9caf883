"""payment and its inverse max_principal."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import annual_rate, max_principal, payment, schedule
from tests.strategies import limit_annual_rates, limit_methods, limit_payments, limit_terms

RATE = annual_rate(0.0004)  # 14.4 %


def floor_fen(x: float) -> float:
    return math.floor(round(x * 100, 4)) / 100


def test_domain_payments() -> None:
    # DOMAIN.md: PMT = 899.75; the last instalment absorbs the residual (899.80,
    # see test_schedule); equal principal 833.33 + 120.00; interest first 10 000 + 120.
    assert payment(10_000, RATE, 12, method="equal_installment", which="first") == 899.75
    assert payment(10_000, RATE, 12, method="equal_installment") == 899.80
    assert payment(10_000, RATE, 12, method="equal_principal") == 953.33
    assert payment(10_000, RATE, 12, method="interest_first") == 10_120.0
    assert payment(10_000, RATE, 12, method="interest_first", which="first") == 120.0


def test_return_convention() -> None:
    assert type(payment(1_000, RATE, 3, method="equal_installment")) is float
    assert type(max_principal(100.0, RATE, 3, method="equal_installment")) is float
    out = max_principal([100.0, 200.0], RATE, 3, method="equal_installment")
    assert isinstance(out, np.ndarray)
    assert (out.shape, out.dtype) == ((2,), np.float64)
    out = payment(1_000, RATE, [3, 6], method="equal_installment")
    assert isinstance(out, np.ndarray)
    assert out.shape == (2,)


@pytest.mark.parametrize("method", ["equal_installment", "equal_principal", "interest_first"])
@pytest.mark.parametrize("n", [1, 2, 3, 12, 60])
@pytest.mark.parametrize("rate", [0.0, 0.144, 0.36, 3.65])
def test_max_principal_matches_brute_force(method: str, n: int, rate: float) -> None:
    # Independent check: evaluate payment() for every principal from 0 to 60.00
    # CNY and take, for each target, the largest principal whose schedule fits.
    principals = np.arange(0, 6_001) / 100
    largest = payment(principals, rate, n, method=method)
    # Targets below the smallest payment of the upper half, so the answer is
    # inside the enumerated range (payments grow with the principal).
    top = largest[3_000:].min()
    targets = np.unique(np.round(np.linspace(0, top - 0.01, 157), 2))
    expected = np.array([principals[largest <= t].max() for t in targets])
    np.testing.assert_array_equal(max_principal(targets, rate, n, method=method), expected)


@given(limit_payments, limit_annual_rates, limit_terms, limit_methods)
def test_inverse_never_exceeds_and_is_within_a_fen(p: float, r: float, n: int, m: str) -> None:
    principal = max_principal(p, r, n, method=m)
    assert principal == round(principal, 2)
    asked = schedule(principal, r, n, method=m, start="2025-01-31")["payment"].max()
    # Never more than p (p is read to the fen with a 1e-4 fen tolerance for binary
    # noise, so 0.35999999999999993 counts as 0.36).
    assert asked <= p + 1e-6
    assert asked == payment(principal, r, n, method=m)
    # Within one fen of p floored to the fen (rates up to 36 %, see the docstring).
    assert asked >= floor_fen(p) - 0.01 - 1e-9 or principal == 0
    # Maximal: one more fen of principal asks more than p in some month.
    assert payment(principal + 0.01, r, n, method=m) > floor_fen(p)


@given(limit_payments, limit_payments, limit_annual_rates, limit_terms, limit_methods)
def test_max_principal_monotone(p1: float, p2: float, r: float, n: int, m: str) -> None:
    lo, hi = sorted((p1, p2))
    assert max_principal(lo, r, n, method=m) <= max_principal(hi, r, n, method=m)


@given(limit_payments, limit_annual_rates, limit_terms)
def test_close_to_the_unrounded_inverse(p: float, r: float, n: int) -> None:
    # Unrounded inverses (DOMAIN.md formulas). Rounding moves an instalment by at
    # most about n fen, i.e. the principal by about n · a_n fen (a_n <= n).
    i = r / 12
    a_n = n if i == 0 else -math.expm1(-n * math.log1p(i)) / i  # (1 - (1+i)^-n) / i
    tol = n * (n + 2) / 100 + 0.02
    assert max_principal(p, r, n, method="equal_installment") == pytest.approx(p * a_n, abs=tol)
    assert max_principal(p, r, n, method="equal_principal") == pytest.approx(
        p / (1 / n + i), abs=tol)
    assert max_principal(p, r, n, method="interest_first") == pytest.approx(p / (1 + i), abs=0.02)


@given(st.lists(st.tuples(limit_payments, limit_annual_rates, limit_terms, limit_methods),
                min_size=1, max_size=10))
def test_vectorised_equals_scalar(cases: list[tuple[float, float, int, str]]) -> None:
    p, r, n, m = (list(x) for x in zip(*cases, strict=True))
    vec = max_principal(p, r, n, method=m)
    one = [max_principal(*c[:3], method=c[3]) for c in cases]
    np.testing.assert_array_equal(vec, one)
    np.testing.assert_array_equal(payment(vec, r, n, method=m),
                                  [payment(v, *c[1:3], method=c[3]) for v, c in zip(vec, cases,
                                                                                    strict=True)])


def test_zero_payment_gives_zero() -> None:
    assert max_principal(0.0, RATE, 12, method="equal_installment") == 0.0
    assert max_principal(0.009, RATE, 12, method="equal_principal") == 0.0


def test_inputs_not_mutated() -> None:
    p = np.array([100.0, 250.5])
    max_principal(p, RATE, 12, method="equal_installment")
    np.testing.assert_array_equal(p, [100.0, 250.5])


def test_bad_input_is_named() -> None:
    with pytest.raises(InvalidInputError,
                       match=r"max_principal: payment must be a finite number in \[0, 1e\+08\]; got -5.0"):
        max_principal(-5.0, RATE, 12, method="equal_installment")
    with pytest.raises(InvalidInputError, match="max_principal: method must be one of"):
        max_principal(5.0, RATE, 12, method="bullet")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="payment: which must be one of 'largest', 'first'"):
        payment(1_000, RATE, 12, method="equal_installment", which="last")  # type: ignore[arg-type]


def test_bool_and_float_terms_are_refused_numpy_integers_accepted() -> None:
    # Regression: payment(10_000, 0.144, True, ...) ran as a one-month loan.
    with pytest.raises(InvalidInputError, match=r"payment: term_months must be an integer .*True \(a bool\)"):
        payment(10_000, 0.144, True, method="equal_installment")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"term_months must be an integer .*12.0 \(float\)"):
        payment(10_000, 0.144, 12.0, method="equal_installment")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"principal must be a finite number .*True"):
        payment(True, 0.144, 12, method="equal_installment")  # type: ignore[arg-type]
    # np.int64 is accepted wherever int is: same as the DOMAIN vector.
    assert payment(np.int64(10_000), np.float64(0.144), np.int64(12), method="equal_installment") == 899.80
    assert max_principal(899.80, 0.144, np.int32(12), method="equal_installment") == 10_000.49
