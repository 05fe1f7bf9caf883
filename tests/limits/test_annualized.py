"""Annualised rate (IRR and simple) of loan cash flows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import annual_rate, annualized_rate, schedule
from tests.strategies import (
    limit_annual_rates,
    limit_dates,
    limit_methods,
    limit_principals,
    limit_terms,
)


def flows(s: pd.DataFrame, start: object, principal: float) -> tuple[list[object], list[float]]:
    return [pd.Timestamp(start), *s["due_on"]], [-principal, *s["payment"]]


def test_domain_vector() -> None:
    # DOMAIN.md: P 10 000, 0.04 %/day, 12 equal instalments -> 14.4 % nominal,
    # 15.39 % effective (1.012^12 - 1).
    s = schedule(10_000, annual_rate(0.0004), 12, method="equal_installment", start="2025-01-31")
    d, a = flows(s, "2025-01-31", 10_000)
    assert annualized_rate(d, a) == pytest.approx(0.144, abs=2e-5)
    assert annualized_rate(d, a, kind="effective") == pytest.approx(0.1539, abs=5e-5)
    assert annualized_rate(d, a, method="simple") == pytest.approx(0.144, abs=2e-5)


@given(limit_principals, limit_annual_rates, limit_terms, limit_methods, limit_dates)
def test_schedule_at_r_gives_r_back(p: float, r: float, n: int, m: str, start: object) -> None:
    s = schedule(p, r, n, method=m, start=start)
    d, a = flows(s, start, p)
    # Tolerance: every instalment satisfies b_k = b_{k-1}(1+i) + e_k - pay_k with
    # |e_k| <= 0.005 (interest rounded to the fen), so the NPV at the true monthly
    # rate i is sum(e_k v^k), at most n * 0.005 in size, while |dNPV/dr| >= P / (1+i)
    # near the root (every flow is at least one period out). Hence the monthly
    # error is at most n * 0.005 * (1+i) / P; annual x12; x2 for the curvature.
    i = r / 12
    tol = 2 * 12 * n * 0.005 * (1 + i) / p + 1e-10
    assert annualized_rate(d, a) == pytest.approx(r, abs=tol)
    assert annualized_rate(d, a, method="simple") == pytest.approx(r, abs=tol)
    # Effective = (1 + r/12)^12 - 1 of the nominal.
    eff = annualized_rate(d, a, kind="effective")
    assert eff == pytest.approx(np.expm1(12 * np.log1p(annualized_rate(d, a) / 12)), rel=1e-9)


def test_daily_periods_and_simple_bullet() -> None:
    # A 90-day bullet compounding daily at 0.04 %: (1.0004)^90; nominal = 0.0004 x 360.
    d = ["2025-01-01", "2025-04-01"]
    assert annualized_rate(d, [-10_000, 10_000 * 1.0004**90], period="day") == (
        pytest.approx(0.144, abs=1e-12))
    assert annualized_rate(d, [-10_000, 10_000 * 1.0004**90], period="day", basis=365) == (
        pytest.approx(0.146, abs=1e-12))
    # Simple interest: 10 000 x (1 + 0.144 x 90/360) = 10 360.
    assert annualized_rate(d, [-10_000, 10_360], method="simple", period="day") == (
        pytest.approx(0.144, abs=1e-12))


def test_fees_raise_the_rate_and_order_does_not_matter() -> None:
    s = schedule(10_000, 0.144, 12, method="equal_installment", start="2025-01-15")
    d, a = flows(s, "2025-01-15", 10_000)
    base = annualized_rate(d, a)
    # A 200 fee deducted at drawdown (net 9 800 received) costs more.
    assert annualized_rate(d, [-9_800, *a[1:]]) > base + 0.03
    # The same fee paid separately on the drawdown date gives the same rate.
    assert annualized_rate([*d, d[0]], [*a, 0.0]) == pytest.approx(base, abs=1e-12)
    assert annualized_rate([*d, d[0]], [*a, 200.0]) == pytest.approx(
        annualized_rate(d, [-9_800, *a[1:]]), abs=1e-12)
    # Flows in any order.
    assert annualized_rate(d[::-1], a[::-1]) == pytest.approx(base, abs=1e-12)


def test_leftover_days_count_as_fractions_of_a_month() -> None:
    # 10 000 repaid with 10 120 one month plus 15 days later (360/12 = 30 days a
    # month): t = 1.5 periods, 1.012 = (1 + r)^1.5.
    d = ["2025-01-10", "2025-02-25"]
    r = 1.012 ** (1 / 1.5) - 1
    assert annualized_rate(d, [-10_000, 10_120]) == pytest.approx(12 * r, rel=1e-12)


@pytest.mark.parametrize(
    ("dates", "amounts", "kwargs", "message"),
    [
        (["2025-01-01", "2025-02-01"], [10_000, 10_100], {},
         r"annualized_rate: amounts must hold a drawdown \(negative\).*got every amount positive or zero"),
        (["2025-01-01", "2025-02-01"], [-10_000, -100], {}, "got every amount negative or zero"),
        (["2025-01-01"], [-10_000], {}, "amounts must hold at least two cash flows"),
        (["2025-01-01", "2025-02-01"], [-1, 2, 3], {},
         "amounts must have one value per date; got 2 dates and 3 amounts"),
        # -100 + 230/(1+r) - 132/(1+r)^2 = 0 at r = 10 % and 20 % a period.
        (["2025-01-01", "2025-02-01", "2025-03-01"], [-100, 230, -132], {},
         r"the IRR is ambiguous\); got 2 periodic rates balance them \(0.1, 0.2\)"),
        (["2025-01-01", "2025-02-01"], [-10_000, 10_100],
         {"method": "simple", "kind": "effective"}, "kind must be 'nominal' for method='simple'"),
        (["2025-01-01", "2025-02-01"], [-10_000, 10_100], {"method": "npv"},
         "method must be one of 'irr', 'simple'"),
        (["2025-01-01", None], [-10_000, 10_100], {}, "dates must not be missing"),
        (["2025-01-01", "2025-02-01"], [-10_000, float("inf")], {}, "amounts must be finite"),
        # Repaying 1 % of the principal: no rate above -99 % a month balances it.
        (["2025-01-01", "2025-02-01"], [-10_000, 100], {}, "no periodic rate between"),
    ],
)
def test_bad_input_is_named(dates: list[object], amounts: list[float],
                            kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        annualized_rate(dates, amounts, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dates", "amounts", "message"),
    [
        # Regression: a repayment dated before the drawdown was accepted.
        (["2025-02-01", "2025-01-01", "2025-03-01"], [-10_000, 50, 10_100],
         (r"dates must not precede the drawdown \(the earliest negative amount, on 2025-02-01\); got 1 "
          r"value \('2025-01-01'\) at position 1")),
        (["2025-01-01", "2025-01-01"], [-10_000, 10_000], "dates must span at least one day"),
        # Numbers are never dates; "today" reads the wall clock; times of day are not dates.
        ([20250101, "2025-02-01"], [-10_000, 10_100], "dates numbers are never dates"),
        (["today", "2025-02-01"], [-10_000, 10_100], "relative words such as 'now' or 'today'"),
        (["2025-01-01 09:30", "2025-02-01"], [-10_000, 10_100], "dates must be dates without a time of day"),
        (["2025-01-01", "2025-02-01"], [-10_000, True],
         r"amounts must hold real numbers; got 1 value \(True\)"),
        (["2025-01-01", "2025-02-01"], [-1e9, 1e9], r"amounts must lie in \[-1e\+08, 1e\+08\]"),
        ("2025-01-01", [-10_000, 10_100], "dates must be a list, array or Series"),
    ],
)
def test_bad_flows_are_refused(dates: object, amounts: list[float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        annualized_rate(dates, amounts)


def test_date_forms_and_format() -> None:
    # The test_leftover_days flows: 1 month + 15 days, (1 + r)^1.5 = 1.012.
    want = 12 * (1.012 ** (1 / 1.5) - 1)
    for dates in (pd.Series(pd.to_datetime(["2025-01-10", "2025-02-25"])).astype("timestamp[s][pyarrow]"),
                  pd.Series(["2025-01-10", "2025-02-25"], dtype="category"),
                  np.array(["2025-01-10", "2025-02-25"], dtype="datetime64[D]")):
        assert annualized_rate(dates, [-10_000, 10_120]) == pytest.approx(want, rel=1e-12)
    assert annualized_rate(["10/01/2025", "25/02/2025"], [-10_000, 10_120],
                           date_format="%d/%m/%Y") == pytest.approx(want, rel=1e-12)
    with pytest.raises(InvalidInputError, match="cannot be read as a date"):
        annualized_rate(["10/01/2025", "25/02/2025"], [-10_000, 10_120])


def test_a_first_call_leaves_the_warnings_filters_alone() -> None:
    # Regression: the first call imported scipy.optimize, whose import adds an 'ignore' entry to
    # warnings.filters. Run in a fresh interpreter, where nothing has imported scipy yet.
    code = (
        "import sys, warnings\n"
        "import jiebei_credit.limits as L\n"
        "before = list(warnings.filters)\n"
        "r = L.annualized_rate(['2025-01-10', '2025-02-25'], [-10_000.0, 10_120.0])\n"
        "r = L.annualized_rate(['2025-01-10', '2025-02-25'], [-10_000.0, 10_120.0], method='simple')\n"
        "assert warnings.filters == before, 'filters changed'\n"
        "assert 'scipy.optimize' not in sys.modules, 'scipy.optimize imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr
