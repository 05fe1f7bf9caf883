"""Repayment schedules: test vectors, rounding, due dates, the vectorised form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import annual_rate, schedule, schedules
from tests.strategies import (
    LIMIT_METHODS,
    limit_annual_rates,
    limit_dates,
    limit_methods,
    limit_principals,
    limit_terms,
)

RATE = annual_rate(0.0004)  # 0.144: 0.04 % a day on a 360-day basis, i = 1.2 % a month


def fen(x: pd.Series | np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x) * 100).astype(np.int64)


def test_domain_vector_equal_installment() -> None:
    # DOMAIN.md test vector: P 10 000, 0.04 %/day, n 12 -> PMT 899.75 (899.7543...),
    # total interest 797.05.
    s = schedule(10_000, RATE, 12, method="equal_installment", start="2025-01-15")
    assert list(s.columns) == ["seq", "due_on", "payment", "principal", "interest", "balance"]
    assert (s["payment"].iloc[:-1] == 899.75).all()
    assert fen(s["interest"]).sum() == 79_705
    assert fen(s["principal"]).sum() == 1_000_000
    # First instalment by hand: interest 10 000 × 0.012 = 120.00, principal 779.75.
    assert s.loc[0, ["interest", "principal", "balance"]].tolist() == [120.0, 779.75, 9220.25]
    # Last instalment: the remaining balance 889.13 plus ⌊889.13 × 0.012⌉ = 10.67.
    assert s.iloc[-1][["principal", "interest", "payment", "balance"]].tolist() == [
        889.13, 10.67, 899.80, 0.0,
    ]


def test_domain_vector_equal_principal_and_interest_first() -> None:
    # DOMAIN.md: equal principal total interest 780.00, interest first 1 440.00.
    ep = schedule(10_000, RATE, 12, method="equal_principal", start="2025-01-15")
    assert fen(ep["interest"]).sum() == 78_000
    # ⌊10 000 / 12⌉ = 833.33 eleven times, the last absorbs 833.37.
    assert (ep["principal"].iloc[:-1] == 833.33).all()
    assert ep["principal"].iloc[-1] == 833.37
    itf = schedule(10_000, RATE, 12, method="interest_first", start="2025-01-15")
    assert fen(itf["interest"]).sum() == 144_000
    assert (itf["payment"].iloc[:-1] == 120.0).all()
    assert itf["payment"].iloc[-1] == 10_120.0


def test_zero_rate() -> None:
    # i = 0: PMT = P / n = 333.33..., rounded 333.33; the last pays 333.34.
    s = schedule(1_000, 0.0, 3, method="equal_installment", start="2025-01-01")
    assert s["payment"].tolist() == [333.33, 333.33, 333.34]
    assert (s["interest"] == 0).all()


def test_due_dates_clip_to_month_end_and_keep_time() -> None:
    s = schedule(1_000, RATE, 4, method="equal_installment", start="2024-01-31 09:30")
    assert s["due_on"].dtype == "datetime64[ns]"
    assert s["due_on"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-02-29 09:30", "2024-03-31 09:30", "2024-04-30 09:30", "2024-05-31 09:30",
    ]


@given(
    st.lists(
        st.tuples(limit_principals, limit_annual_rates, limit_terms, limit_methods, limit_dates),
        min_size=1, max_size=8,
    )
)
def test_schedules_properties(loans: list[tuple[float, float, int, str, object]]) -> None:
    p, r, n, m, d = (list(x) for x in zip(*loans, strict=True))
    s = schedules(p, r, n, method=m, start=d)
    # Ordered by loan then seq, with a RangeIndex.
    assert s.index.equals(pd.RangeIndex(len(s)))
    assert s["loan"].tolist() == [k for k, t in enumerate(n) for _ in range(t)]
    assert s["seq"].tolist() == [q for t in n for q in range(1, t + 1)]
    amounts = s[["payment", "principal", "interest", "balance"]]
    assert (amounts >= 0).all().all()
    # Every amount is whole fen; payment = principal + interest exactly in fen.
    for c in amounts:
        np.testing.assert_allclose(s[c] * 100, fen(s[c]), atol=1e-6)
    np.testing.assert_array_equal(fen(s["payment"]), fen(s["principal"]) + fen(s["interest"]))
    by_loan = s.groupby("loan")
    # Principal sums exactly (in fen) to the principal; the last balance is 0.
    np.testing.assert_array_equal(by_loan["principal"].sum().pipe(fen), fen(np.array(p)))
    assert (by_loan["balance"].last() == 0).all()
    # Interest is the half-up fen rounding of the previous balance × annual_rate / 12.
    prev = fen(s["balance"]).astype(float)
    prev = np.where(s["seq"] == 1, fen(np.array(p))[s["loan"]], np.roll(prev, 1))
    expected = np.floor(prev * (np.array(r)[s["loan"]] / 12) + 0.5 + 1e-5)
    np.testing.assert_array_equal(fen(s["interest"]), expected)
    # Due dates: the independent pandas rule start + DateOffset(months=seq).
    want = [pd.Timestamp(d[k]) + pd.DateOffset(months=q) for k, q in zip(s["loan"], s["seq"],
                                                                          strict=True)]
    assert s["due_on"].tolist() == want
    # One implementation: each loan's rows equal schedule(...) of that loan.
    k = len(p) - 1
    one = schedule(p[k], r[k], n[k], method=m[k], start=d[k])
    pd.testing.assert_frame_equal(
        s[s["loan"] == k].drop(columns="loan").reset_index(drop=True), one
    )


@given(limit_principals, limit_annual_rates, limit_terms, limit_dates)
def test_method_shapes(p: float, r: float, n: int, d: object) -> None:
    ei = schedule(p, r, n, method="equal_installment", start=d)
    ep = schedule(p, r, n, method="equal_principal", start=d)
    itf = schedule(p, r, n, method="interest_first", start=d)
    # Equal instalment: level payment except the last; equal principal: level principal.
    assert ei["payment"].iloc[:-1].nunique() <= 1
    assert ep["principal"].iloc[:-1].nunique() <= 1
    # Interest first: no principal before maturity, interest P·i every month.
    assert (itf["principal"].iloc[:-1] == 0).all()
    assert itf["interest"].nunique() == 1
    # Equal principal repays fastest, interest first slowest: total interest order.
    totals = [fen(x["interest"]).sum() for x in (ep, ei, itf)]
    assert totals[0] <= totals[1] + n
    assert totals[1] <= totals[2] + n


def test_scalar_arguments_broadcast() -> None:
    s = schedules([1_000.0, 2_000.0], RATE, 3, method="equal_principal", start="2025-03-31")
    assert s["loan"].tolist() == [0, 0, 0, 1, 1, 1]
    assert s["due_on"].dt.day.tolist() == [30, 31, 30, 30, 31, 30]


def test_empty_input() -> None:
    s = schedules([], [], [], method=[], start=[])
    assert len(s) == 0
    assert list(s.columns) == ["loan", "seq", "due_on", "payment", "principal", "interest",
                               "balance"]


def test_inputs_not_mutated() -> None:
    p = np.array([1_000.0, 2_000.0])
    starts = pd.Series(pd.to_datetime(["2025-01-31", "2025-02-28"]))
    before = starts.copy()
    schedules(p, RATE, 6, method="equal_installment", start=starts)
    np.testing.assert_array_equal(p, [1_000.0, 2_000.0])
    pd.testing.assert_series_equal(starts, before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "annuity"}, r"schedules: method must be one of 'equal_installment'.*'annuity'"),
        ({"annual_rate": 14.4}, r"annual_rate must be a finite number in \[0, 3.65\]; got 14.4.*decimals"),
        ({"term_months": 0}, r"term_months must be an integer in \[1, 60\]; got 0\."),
        ({"term_months": 2.5}, r"term_months must be an integer in \[1, 60\]; got 2.5 \(float\)"),
        ({"principal": [100.001, 5.0]}, r"principal must be a whole number of fen"),
        ({"principal": [-1.0, 5.0]},
         r"principal must lie in \[0, 1e\+08\]; got 1 value \(-1.0\) at position 0"),
        ({"start": ["2025-01-01", None]}, r"start must not be missing"),
        ({"start": "not a date"}, r"start cannot be read as a date: dates are read as ISO 8601"),
        ({"term_months": [3, 6, 12]},
         (r"term_months must have the same length as principal, or be a single value; got lengths "
          r"principal 2, term_months 3")),
        ({"start": ["2025-01-01"] * 3}, r"start must be one date or one per loan; got 3 dates"),
    ],
)
def test_bad_input_is_named(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "principal": [1_000.0, 2_000.0], "annual_rate": RATE, "term_months": 3,
        "method": "equal_installment", "start": ["2025-01-01", "2025-02-01"],
    }
    args.update(kwargs)
    with pytest.raises(InvalidInputError, match=message):
        schedules(args.pop("principal"), args.pop("annual_rate"), args.pop("term_months"),
                  **args)


def test_time_zone_rejected() -> None:
    with pytest.raises(InvalidInputError, match="schedule: start is time-zone aware"):
        schedule(1_000, RATE, 3, method="equal_installment",
                 start=pd.Timestamp("2025-01-01", tz="Asia/Shanghai"))


def test_schedule_wants_scalars() -> None:
    with pytest.raises(InvalidInputError, match="schedule: principal must be a single value"):
        schedule([1_000.0], RATE, 3, method="equal_installment", start="2025-01-01")  # type: ignore[arg-type]


def test_all_methods_listed() -> None:
    for m in LIMIT_METHODS:
        assert len(schedule(100, RATE, 2, method=m, start="2025-01-01")) == 2  # type: ignore[arg-type]


def test_method_array_types_agree() -> None:
    names = ["equal_installment", "interest_first", "equal_principal", "interest_first"]
    p, start = [1_000.0, 2_000.0, 3_000.0, 4_000.0], "2025-01-31"
    want = schedules(p, RATE, 3, method=names, start=start)
    for method in (np.array(names), pd.Series(names, dtype="category"),
                   pd.Categorical(names), pd.Series(names)):
        pd.testing.assert_frame_equal(schedules(p, RATE, 3, method=method, start=start), want)
    with pytest.raises(InvalidInputError, match=r"got 1 value \('bullet'\) at position 2"):
        schedules(p, RATE, 3, method=pd.Categorical([*names[:2], "bullet", names[3]]),
                  start=start)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        # Regression: numbers were read as nanoseconds since 1970.
        (20250131, "schedule: start numbers are never dates"),
        ("now", "relative words such as 'now' or 'today'"),
        ("2262-01-01", r"start must be a date between 1950-01-01 and 2100-12-31; got '2262-01-01'"),
        (np.datetime64("1677-09-22"), "must be a date between 1950-01-01 and 2100-12-31"),
        # The start is in range but the last due date is not (it wrapped to 1678 past 2262).
        ("2100-03-31", r"must leave the last due date .* on or before 2100-12-31.*last due date 2101-03-31"),
    ],
)
def test_start_dates_are_read_one_way(start: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        schedule(1_000, RATE, 12, method="equal_installment", start=start)


def test_start_forms_give_one_schedule() -> None:
    want = schedules([1_000.0, 2_000.0], RATE, 3, method="equal_installment",
                     start=["2025-01-31", "2025-02-28"])
    for start in (pd.Series(pd.to_datetime(["2025-01-31", "2025-02-28"])).astype("timestamp[ns][pyarrow]"),
                  pd.Series(["2025-01-31", "2025-02-28"], dtype="category"),
                  pd.Series(["2025-01-31", "2025-02-28"], dtype="string[pyarrow]"),
                  np.array(["2025-01-31", "2025-02-28"], dtype="datetime64[D]")):
        pd.testing.assert_frame_equal(schedules([1_000.0, 2_000.0], RATE, 3, method="equal_installment",
                                                start=start), want)
    pd.testing.assert_frame_equal(
        schedules([1_000.0, 2_000.0], RATE, 3, method="equal_installment", start=["31/01/2025", "28/02/2025"],
                  date_format="%d/%m/%Y"), want)


def test_series_arguments_must_share_an_index() -> None:
    # Loans are matched by position, so Series with different indexes would pair the wrong values.
    with pytest.raises(InvalidInputError,
                       match="schedules: annual_rate must have the same index as principal"):
        schedules(pd.Series([1_000.0, 2_000.0]), pd.Series([0.1, 0.2], index=[1, 0]), 3,
                  method="equal_installment", start="2025-01-01")
