"""Hostile inputs for every public function of ``jiebei_credit.limits``.

Each test draws one argument from a hostile strategy (wrong types, numpy
scalars, NaN and infinities, extreme and out-of-range values, pandas and
pyarrow containers, categorical and nullable dtypes, empty and one-row
frames, duplicated and misaligned indexes) and keeps the other arguments
valid. An oracle written from the documented rules (``jiebei_credit``'s one
validation layer) says whether the argument is acceptable:

* acceptable: the call must return the correct result, checked against a
  reference (a closed formula, or a slow exact computation with fractions
  in pure Python);
* not acceptable: the call must raise a ``JiebeiCreditError`` whose
  message names the public function and the argument (or column).

Every call also checks that no input was mutated and that
``warnings.filters`` is unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit import limits
from jiebei_credit.errors import JiebeiCreditError
from jiebei_credit.scorecard import Scaling
from tests.limits.hostile import (
    DATE_MAX,
    DATE_MIN,
    MAX_AMOUNT,
    METHODS,
    Refused,
    _many,
    call,
    date_ok,
    expect,
    hostile_array,
    hostile_dates,
    hostile_methods,
    hostile_scalar,
    int_ok,
    ints_ok,
    methods_ok,
    real_ok,
    reals_ok,
    valid_annual,
    valid_daily,
    valid_principal,
    valid_terms,
)

# ------------------------------------------------------------- references ---


def ref_half_up(x: Fraction) -> int:
    """The documented fen rounding, exactly: ``floor(x + 0.5 + 1e-5)`` for ``x`` in fen."""
    return math.floor(x + Fraction(1, 2) + Fraction(1, 100_000))


def ref_schedule(principal: float, annual: float, n: int, method: str) -> list[tuple[int, int, int, int]]:
    """(payment, principal, interest, balance) in fen, by the rules of ``schedules``, in exact fractions."""
    p = round(principal * 100)
    i = Fraction(annual / 12)
    if method == "equal_installment":
        level = ref_half_up(Fraction(p, n)) if i == 0 else ref_half_up(p * i / (1 - (1 + i) ** -n))
    elif method == "equal_principal":
        level = ref_half_up(Fraction(p, n))
    else:
        level = 0
    rows, b = [], p
    for k in range(1, n + 1):
        interest = ref_half_up(b * i)
        if k == n:
            part = b
        else:
            regular = level - interest if method == "equal_installment" else level
            part = min(max(regular, 0), b)
        b -= part
        rows.append((part + interest, part, interest, b))
    return rows


def fen(x: Any) -> np.ndarray:
    return np.round(np.asarray(x, dtype=np.float64) * 100).astype(np.int64)


def check_schedule_frame(frame: pd.DataFrame, loans: list[tuple[float, float, int, str, pd.Timestamp]],
                         *, with_loan: bool) -> None:
    """Compare a schedules frame with the exact reference, loan by loan."""
    expected_rows = []
    for k, (p, r, n, m, start) in enumerate(loans):
        for seq, row in enumerate(ref_schedule(p, r, n, m), start=1):
            expected_rows.append((k, seq, start + pd.DateOffset(months=seq), *row))
    assert len(frame) == len(expected_rows)
    if not expected_rows:
        return
    got = list(zip(frame["loan"] if with_loan else [0] * len(frame), frame["seq"], frame["due_on"],
                   fen(frame["payment"]), fen(frame["principal"]), fen(frame["interest"]),
                   fen(frame["balance"]), strict=True))
    assert [tuple(int(x) if isinstance(x, np.integer) else x for x in g) for g in got] == expected_rows


# -------------------------------------------------------------- rate tests ---


@given(value=hostile_scalar(valid_daily) | hostile_array(valid_daily),
       basis=st.one_of(st.sampled_from([360, 365]), hostile_scalar(st.sampled_from([360, 365]))))
def test_annual_rate(value: Any, basis: Any) -> None:
    def verdict() -> tuple[np.ndarray, bool, int]:
        b = int_ok(basis, 360, 365)
        if b not in (360, 365):
            raise Refused
        v, scalar = reals_ok(value, 0.0, 0.01)
        return v, scalar, b

    meaning, out = expect(verdict, limits.annual_rate, value, names=("daily_rate", "basis"), basis=basis)
    if meaning is not None:
        v, scalar, b = meaning
        assert (type(out) is float) if scalar else (isinstance(out, np.ndarray) and out.shape == v.shape)
        # Formula (DOMAIN.md): annual = daily x basis, kept to 15 significant digits.
        np.testing.assert_allclose(out, v * b, rtol=1e-14, atol=0)


@given(value=hostile_scalar(valid_annual) | hostile_array(valid_annual),
       basis=st.sampled_from([360, 365, 366, 360.0, True, "360", np.int64(365)]))
def test_daily_rate(value: Any, basis: Any) -> None:
    def verdict() -> tuple[np.ndarray, bool, int]:
        b = int_ok(basis, 360, 365)
        if b not in (360, 365):
            raise Refused
        v, scalar = reals_ok(value, 0.0, 3.65)
        return v, scalar, b

    meaning, out = expect(verdict, limits.daily_rate, value, names=("annual_rate", "basis"), basis=basis)
    if meaning is not None:
        v, scalar, b = meaning
        assert (type(out) is float) if scalar else isinstance(out, np.ndarray)
        np.testing.assert_allclose(out, v / b, rtol=1e-14, atol=0)  # daily = annual / basis


@given(value=hostile_scalar(valid_annual) | hostile_array(valid_annual),
       m=st.one_of(st.sampled_from([1, 4, 12, 360, 365, 1_000_000]),
                   hostile_scalar(st.sampled_from([12, 365]))))
def test_effective_and_nominal_rate(value: Any, m: Any) -> None:
    def verdict_eff() -> tuple[np.ndarray, bool, int]:
        return (*reals_ok(value, 0.0, 3.65), int_ok(m, 1, 1_000_000))

    meaning, out = expect(verdict_eff, limits.effective_rate, value,
                          names=("nominal_rate", "periods_per_year"), periods_per_year=m)
    if meaning is not None:
        v, _, k = meaning
        # effective = (1 + r/m)^m - 1, evaluated with math.
        want = np.vectorize(lambda r: math.expm1(k * math.log1p(r / k)))(v) if v.size else v
        np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-15)

    def verdict_nom() -> tuple[np.ndarray, bool, int]:
        return (*reals_ok(value, 0.0, 1e6), int_ok(m, 1, 1_000_000))

    meaning, out = expect(verdict_nom, limits.nominal_rate, value,
                          names=("effective_rate", "periods_per_year"), periods_per_year=m)
    if meaning is not None:
        v, _, k = meaning
        want = np.vectorize(lambda e: k * math.expm1(math.log1p(e) / k))(v) if v.size else v
        np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-15)


@given(value=hostile_scalar(st.floats(-1e8, 1e8, allow_nan=False)) | hostile_array(
    st.floats(-1e8, 1e8, allow_nan=False)))
def test_round_fen(value: Any) -> None:
    meaning, out = expect(lambda: reals_ok(value, -1e8, 1e8), limits.round_fen, value, names=("amount",))
    if meaning is not None:
        v, scalar = meaning
        assert (type(out) is float) if scalar else isinstance(out, np.ndarray)
        # Exact reference: floor(100 x + 0.5 + 1e-5) / 100 in fractions; never inf.
        want = [ref_half_up(Fraction(float(x)) * 100) / 100 for x in v.reshape(-1)]
        np.testing.assert_array_equal(np.reshape(out, -1), want)


def test_round_fen_refuses_amounts_beyond_the_money_range() -> None:
    # Regression: round_fen(1e308) returned inf (100 x overflowed).
    for amount in (1e308, -1e308, 1e8 + 1, [1.0, 1e10]):
        ok, err = call(limits.round_fen, amount, names=("amount",))
        assert not ok
        assert "round_fen: amount must" in str(err)
    assert limits.round_fen(1e8) == 1e8  # the bound itself is kept


# ------------------------------------------------- payment, max_principal ---


def _loan_args(draw: st.DrawFn, *, amount: st.SearchStrategy[Any]) -> dict[str, Any]:
    """One hostile argument among valid ones."""
    args = {"amount": draw(valid_principal), "annual_rate": draw(valid_annual),
            "term_months": draw(valid_terms), "method": draw(st.sampled_from(METHODS))}
    target = draw(st.sampled_from(list(args)))
    args[target] = draw({
        "amount": hostile_scalar(amount),
        "annual_rate": hostile_scalar(valid_annual),
        "term_months": hostile_scalar(valid_terms),
        "method": hostile_methods,
    }[target])
    return args


def loans_ok(args: dict[str, Any], *, principal: bool) -> tuple[list[tuple[float, float, int, str]], bool]:
    """The rule for the loan arguments: scalars or 1-D arrays of one length; the loans and "all scalars"."""
    a, a1 = reals_ok(args["amount"], 0.0, MAX_AMOUNT, one_d=True)
    if principal and (np.abs(a * 100 - np.round(a * 100)) > 1e-6).any():
        raise Refused
    r, r1 = reals_ok(args["annual_rate"], 0.0, 3.65, one_d=True)
    t, t1 = ints_ok(args["term_months"], 1, 60)
    m, m1 = methods_ok(args["method"])
    parts = [(list(np.reshape(a, -1)), a1), (list(np.reshape(r, -1)), r1), (list(np.reshape(t, -1)), t1),
             (m, m1)]
    lengths = {len(x) for x, one in parts if not one}
    if len(lengths) > 1:
        raise Refused
    size = lengths.pop() if lengths else 1
    cols = [x * size if one else x for x, one in parts]
    return [(float(p), float(q), int(n), str(k)) for p, q, n, k in zip(*cols, strict=True)], all(
        one for _, one in parts)


@given(st.data())
def test_payment(data: st.DataObject) -> None:
    args = _loan_args(data.draw, amount=valid_principal)
    which = data.draw(st.sampled_from(["largest", "first", "last", None, 1]))

    def verdict() -> tuple[list[tuple[float, float, int, str]], bool]:
        if which not in ("largest", "first"):
            raise Refused
        return loans_ok(args, principal=True)

    meaning, out = expect(verdict, limits.payment, args["amount"], args["annual_rate"], args["term_months"],
                          names=("principal", "annual_rate", "term_months", "method", "which"),
                          method=args["method"], which=which)
    if meaning is not None:
        loans, scalar = meaning
        want = []
        for p, r, n, m in loans:
            rows = ref_schedule(p, r, n, m)
            want.append(max(row[0] for row in rows) if which == "largest" else rows[0][0])
        assert (type(out) is float) if scalar else isinstance(out, np.ndarray)
        np.testing.assert_array_equal(fen(np.reshape(out, -1)), want)


@given(st.data())
def test_max_principal(data: st.DataObject) -> None:
    args = _loan_args(data.draw, amount=st.floats(0, 50_000, allow_nan=False))

    meaning, out = expect(lambda: loans_ok(args, principal=False), limits.max_principal, args["amount"],
                          args["annual_rate"], args["term_months"],
                          names=("payment", "annual_rate", "term_months", "method"), method=args["method"])
    if meaning is not None:
        loans, scalar = meaning
        assert (type(out) is float) if scalar else isinstance(out, np.ndarray)
        for (pay, r, n, m), got in zip(loans, np.reshape(out, -1), strict=True):
            if n > 12:
                continue  # the exact reference grows with n; shorter terms cover the rule
            cap = math.floor(round(pay * 100, 4))  # the payment floored to the fen (documented tolerance)
            assert got == round(got, 2)
            # Reference: the largest instalment of the exact schedule fits, one more fen does not.
            assert max(row[0] for row in ref_schedule(got, r, n, m)) <= cap
            assert max(row[0] for row in ref_schedule(got + 0.01, r, n, m)) > cap


# ------------------------------------------------------- schedule(s) tests ---


@given(st.data())
def test_schedule(data: st.DataObject) -> None:
    args = _loan_args(data.draw, amount=valid_principal)
    start = data.draw(st.one_of(st.just("2025-01-31"), hostile_dates))

    def verdict() -> tuple[float, float, int, str, pd.Timestamp]:
        if any(_many(v) for v in args.values()):
            raise Refused  # schedule is for one loan
        (loan,), _ = loans_ok(args, principal=True)
        p, r, n, m = loan
        s = date_ok(start, time_ok=True)
        if s + pd.DateOffset(months=n) > DATE_MAX + pd.Timedelta(days=1) - pd.Timedelta(1):
            raise Refused
        return p, r, n, m, s

    meaning, out = expect(verdict, limits.schedule, args["amount"], args["annual_rate"], args["term_months"],
                          names=("principal", "annual_rate", "term_months", "method", "start"),
                          method=args["method"], start=start)
    if meaning is not None:
        assert list(out.columns) == ["seq", "due_on", "payment", "principal", "interest", "balance"]
        check_schedule_frame(out, [meaning], with_loan=False)


def test_schedule_dates_regressions() -> None:
    # Numbers are never dates: 20250131 used to give due dates in 1970.
    ok, err = call(limits.schedule, 1_000.0, 0.1, 3, method="equal_installment", start=20250131,
                   names=("start",))
    assert not ok
    assert "schedule: start numbers are never dates" in str(err)
    # 2262-01-01 used to wrap its last due date to 1678; outside the date range it is refused.
    ok, err = call(limits.schedule, 1_000.0, 0.1, 12, method="equal_installment", start="2262-01-01",
                   names=("start",))
    assert not ok
    assert "between 1950-01-01 and 2100-12-31" in str(err)
    # A start inside the range whose last due date would leave it.
    ok, err = call(limits.schedule, 1_000.0, 0.1, 12, method="equal_installment", start="2100-01-31",
                   names=("start",))
    assert not ok
    assert "last due date 2101-01-31" in str(err)
    # ... and the last start that fits: 2100-12-31 is the last due date.
    s = limits.schedule(1_000.0, 0.1, 12, method="equal_installment", start="2099-12-31")
    assert s["due_on"].iloc[-1] == pd.Timestamp("2100-12-31")


@st.composite
def _schedules_args(draw: st.DrawFn) -> tuple[Any, Any, Any, Any, Any, list[tuple[Any, ...]] | None]:
    """Arguments of schedules in assorted containers; the last item is the valid meaning, if any."""
    n = draw(st.integers(0, 3))
    p = draw(st.lists(valid_principal, min_size=n, max_size=n))
    r = draw(st.lists(valid_annual, min_size=n, max_size=n))
    t = draw(st.lists(valid_terms, min_size=n, max_size=n))
    m = draw(st.lists(st.sampled_from(METHODS), min_size=n, max_size=n))
    d = draw(st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)), min_size=n, max_size=n))
    kind = draw(st.sampled_from(["plain", "numpy", "series", "arrow", "category", "scalars", "misaligned",
                                 "duplicated", "corrupt_p", "corrupt_t", "corrupt_m", "corrupt_d", "short"]))
    starts = [pd.Timestamp(x) for x in d]
    meaning: list[tuple[Any, ...]] | None = list(zip(p, r, t, m, starts, strict=True))
    P: Any = list(p)
    R: Any = list(r)
    T: Any = list(t)
    M: Any = list(m)
    D: Any = [x.isoformat() for x in d]
    if kind == "numpy":
        P, R = np.array(p, dtype=float), np.array(r, dtype=float)
        T, M = np.array(t, dtype=np.int64), np.array(m, dtype=str)
        D = np.array(d, dtype="datetime64[D]")
    elif kind == "series":
        P, R, T = pd.Series(p, dtype=float), pd.Series(r, dtype=float), pd.Series(t, dtype="Int64")
        M, D = pd.Series(m, dtype="string"), pd.Series(pd.to_datetime(starts))
    elif kind == "arrow":
        P, R, T = (pd.Series(p, dtype="double[pyarrow]"), pd.Series(r, dtype="double[pyarrow]"),
                   pd.Series(t, dtype="int64[pyarrow]"))
        M = pd.Series(m, dtype="string[pyarrow]")
        D = pd.Series(pd.to_datetime(starts)).astype("timestamp[ns][pyarrow]")
    elif kind == "category":
        M, D = pd.Categorical(m, categories=list(METHODS)), pd.Series(D, dtype="category")
    elif kind == "scalars" and n:
        R, T, M, D = r[0], t[0], m[0], D[0]
        meaning = [(x, r[0], t[0], m[0], starts[0]) for x in p]
    elif kind == "misaligned" and n >= 2:
        P, R = pd.Series(p), pd.Series(r, index=list(range(n))[::-1])
        meaning = None  # Series with different indexes are refused (rows match by position)
    elif kind == "duplicated" and n:
        P, R = pd.Series(p, index=[7] * n), pd.Series(r, index=[7] * n)  # same index: fine
    elif kind == "corrupt_p" and n:
        P = [*p[:-1], draw(st.sampled_from([True, math.nan, -1.0, 0.001, "1000", None, 1e9]))]
        meaning = None
    elif kind == "corrupt_t" and n:
        T = [*t[:-1], draw(st.sampled_from([12.0, True, 0, 61, "12", None, np.float64(3)]))]
        meaning = None
    elif kind == "corrupt_m" and n:
        M = [*m[:-1], draw(st.sampled_from(["bullet", None, 1, "EQUAL_PRINCIPAL"]))]
        meaning = None
    elif kind == "corrupt_d" and n:
        D = [*D[:-1], draw(st.sampled_from([20250101, "now", None, "2262-01-01", "31/12/2025",
                                            pd.Timestamp("2025-01-01", tz="UTC")]))]
        meaning = None
    elif kind == "short" and n:
        T = [*t, 12]
        meaning = None
    return P, R, T, M, D, meaning


@given(_schedules_args())
def test_schedules(args: tuple[Any, ...]) -> None:
    P, R, T, M, D, meaning = args

    def verdict() -> list[tuple[Any, ...]]:
        if meaning is None:
            raise Refused
        return meaning

    got, out = expect(verdict, limits.schedules, P, R, T, names=("principal", "annual_rate", "term_months",
                                                                   "method", "start"), method=M, start=D)
    if got is not None:
        check_schedule_frame(out, got, with_loan=True)


# -------------------------------------------------------- annualized_rate ---

DATE_FORMS: list[Callable[[list[pd.Timestamp]], Any]] = [
    lambda ds: [d.strftime("%Y-%m-%d") for d in ds],
    lambda ds: ds,
    lambda ds: [d.date() for d in ds],
    lambda ds: np.array(ds, dtype="datetime64[D]"),
    lambda ds: pd.DatetimeIndex(ds),
    lambda ds: pd.Series(ds).astype("timestamp[s][pyarrow]"),
    lambda ds: pd.Series([d.date() for d in ds], dtype="date32[pyarrow]"),
    lambda ds: pd.Series([d.strftime("%Y-%m-%d") for d in ds], dtype="category"),
    lambda ds: pd.Series([d.strftime("%Y-%m-%d") for d in ds], dtype="string[pyarrow]"),
]
AMOUNT_FORMS: list[Callable[[list[float]], Any]] = [
    list, np.array, lambda a: pd.Series(a, dtype="double[pyarrow]"), lambda a: pd.Series(a, dtype="Float64"),
    lambda a: tuple(np.float32(x) if float(np.float32(x)) == x else x for x in a),
]


@given(p=st.integers(100_000, 10_000_000).map(lambda f: f / 100), r=valid_annual,
       n=st.sampled_from([1, 3, 12]), m=st.sampled_from(METHODS),
       start=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
       dform=st.sampled_from(DATE_FORMS), aform=st.sampled_from(AMOUNT_FORMS),
       corruption=st.none() | st.sampled_from(["number", "now", "early", "same_day", "nan", "bool", "time",
                                               "tz", "range", "length", "misaligned", "huge", "scalar"]))
def test_annualized_rate(p: float, r: float, n: int, m: str, start: dt.date, dform: Any, aform: Any,
                         corruption: str | None) -> None:
    rows = ref_schedule(p, r, n, m)
    d0 = pd.Timestamp(start)
    ds = [d0, *(d0 + pd.DateOffset(months=k) for k in range(1, n + 1))]
    amounts = [-p, *(row[0] / 100 for row in rows)]
    dates: Any = dform(ds)
    money: Any = aform(amounts)
    if corruption == "number":
        dates = [20250101, *dates[1:]] if isinstance(dates, list) else [20250101, *list(dates)[1:]]
    elif corruption == "now":
        dates = ["now", *[str(pd.Timestamp(x).date()) for x in list(dates)[1:]]]
    elif corruption == "early":  # a repayment dated before the drawdown
        dates = [d0, d0 - pd.Timedelta(days=31), *ds[2:]]
        money = [-p, *amounts[1:]]
    elif corruption == "same_day":
        dates, money = [d0, d0], [-p, p]
    elif corruption == "nan":
        money = [*amounts[:-1], math.nan]
    elif corruption == "bool":
        money = [-p, True, *amounts[2:]]
    elif corruption == "time":
        dates = [d0 + pd.Timedelta(hours=9), *ds[1:]]
    elif corruption == "tz":
        dates = [x.tz_localize("Asia/Shanghai") for x in ds]
    elif corruption == "range":
        dates = ["1949-06-01", *ds[1:]]
    elif corruption == "length":
        money = amounts[:-1]
    elif corruption == "misaligned":
        dates, money = pd.Series(ds), pd.Series(amounts, index=range(len(amounts))[::-1])
    elif corruption == "huge":
        money = [-1e9, *amounts[1:]]
    elif corruption == "scalar":
        dates = ds[0]

    def verdict() -> float:
        if corruption is not None:
            raise Refused
        return r

    got, out = expect(verdict, limits.annualized_rate, dates, money, names=("dates", "amounts"))
    if got is not None:
        # Reference: the rate of the exact schedule, within the rounding tolerance of test_annualized.py.
        tol = 2 * 12 * n * 0.005 * (1 + r / 12) / p + 1e-10
        assert out == pytest.approx(r, abs=tol)


OPTIONS: dict[str, tuple[list[Any], list[Any]]] = {  # name: (valid values, hostile values)
    "method": (["irr", "simple", np.str_("irr")], ["npv", "IRR", None, 1, True, b"irr", ["irr"]]),
    "period": (["month", "day"], ["week", "Month", None, 30]),
    "kind": (["nominal", "effective"], ["Nominal", True, None]),
    "basis": ([360, 365, np.int32(360), np.array(365)], [360.0, True, 0, 366, "360", None]),
    "date_format": ([None, "%Y-%m-%d"], ["%d/%m/%Y", "ISO", 5, b"%Y"]),
}


@given(st.data())
def test_annualized_rate_options(data: st.DataObject) -> None:
    opts = {k: data.draw(st.sampled_from(good)) for k, (good, _) in OPTIONS.items()}
    if opts["method"] == "simple":
        opts["kind"] = "nominal"
    target = data.draw(st.sampled_from([None, *OPTIONS]))
    if target is not None:
        good, bad = OPTIONS[target]
        opts[target] = data.draw(st.sampled_from(good + bad))

    def verdict() -> None:
        for k, (good, _) in OPTIONS.items():
            if not any(opts[k] is g or (type(opts[k]) is type(g) and np.array_equal(opts[k], g))
                       or (isinstance(opts[k], str) and opts[k] == g) for g in good):
                raise Refused
        if opts["method"] == "simple" and opts["kind"] == "effective":
            raise Refused

    got, out = expect(lambda: verdict() or True, limits.annualized_rate, ["2025-01-10", "2025-02-25"],
                      [-10_000.0, 10_120.0], names=tuple(OPTIONS), **opts)
    if got is not None:
        # 10 000 repaid with 10 120 one month and 15 days later (46 days).
        b = int(opts["basis"])
        if opts["period"] == "month":
            t, per_year = 1 + 15 / (b / 12), 12  # periods: whole months plus days / (basis / 12)
        else:
            t, per_year = 46.0, b
        if opts["method"] == "simple":
            want = 0.012 * per_year / t  # 120 of interest on 10 000, not compounded
        else:
            g = 1.012 ** (1 / t) - 1  # (1 + g)^t = 1.012
            want = g * per_year if opts["kind"] == "nominal" else (1 + g) ** per_year - 1
        assert out == pytest.approx(want, rel=1e-9)


# ------------------------------------------------------------ check_pricing ---

LPR = limits.lpr_table()


def ref_lpr(on: pd.Timestamp) -> float:
    """The LPR in force on a date, read from the public table with pandas."""
    rows = LPR[LPR["effective_on"] <= on]
    if rows.empty:
        raise Refused
    return float(rows["rate"].iloc[-1])


@given(st.data())
def test_check_pricing(data: st.DataObject) -> None:
    args: dict[str, Any] = {
        "all_in_rate": data.draw(valid_annual), "regime": data.draw(st.sampled_from(["licensed",
                                                                                    "private_lending"])),
        "contract_date": data.draw(st.sampled_from([None, "2021-06-01", "2025-06-01"])),
        "lpr": data.draw(st.sampled_from([None, 0.0385])), "lpr_multiple": 4.0, "ceiling": 0.24,
        "overdue_rate": data.draw(st.sampled_from([None, 0.2])),
    }
    target = data.draw(st.sampled_from(list(args)))
    args[target] = data.draw({
        "regime": st.sampled_from(["licensed", "private_lending", "bank", None, 1, np.str_("licensed")]),
        "contract_date": st.none() | hostile_dates,
        "lpr": st.none() | hostile_scalar(st.floats(0, 1)),
        "overdue_rate": st.none() | hostile_scalar(valid_annual),
        "lpr_multiple": hostile_scalar(st.floats(0, 100)),
    }.get(target, hostile_scalar(valid_annual)))

    def verdict() -> tuple[float, bool, float | None]:
        if args["regime"] not in ("licensed", "private_lending"):
            raise Refused
        rate = real_ok(args["all_in_rate"], 0.0, 3.65)
        overdue = None if args["overdue_rate"] is None else real_ok(args["overdue_rate"], 0.0, 3.65)
        when = None if args["contract_date"] is None else date_ok(args["contract_date"], time_ok=False)
        lpr = None if args["lpr"] is None else real_ok(args["lpr"], 0.0, 1.0)
        mult = real_ok(args["lpr_multiple"], 0.0, 100.0)
        ceiling = real_ok(args["ceiling"], 0.0, 3.65)
        if args["regime"] == "private_lending":
            if lpr is None:
                if when is None:
                    raise Refused
                lpr = ref_lpr(when)
            ceiling = round(mult * lpr, 12)
        worst = max(rate, overdue if overdue is not None else rate)
        return ceiling, worst <= ceiling, lpr if args["regime"] == "private_lending" else None

    with warnings.catch_warnings():  # the documented DataWarning for dates after the last check
        warnings.simplefilter("ignore")
        got, out = expect(verdict, limits.check_pricing, args["all_in_rate"],
                          names=("all_in_rate", "regime", "contract_date", "lpr", "lpr_multiple", "ceiling",
                                 "overdue_rate"), **{k: v for k, v in args.items() if k != "all_in_rate"})
    if got is not None:
        ceiling, compliant, lpr = got
        assert (out.ceiling, out.compliant, out.lpr) == (pytest.approx(ceiling), compliant, lpr)


def test_check_pricing_reads_no_number_as_a_date() -> None:
    # Regression: contract_date=20240101 was read as 1970-01-01 (nanoseconds).
    ok, err = call(limits.check_pricing, 0.1, regime="private_lending", contract_date=20240101,
                   names=("contract_date",))
    assert not ok
    assert "contract_date numbers are never dates" in str(err)


# ----------------------------------------------------------- LimitPolicy ---

POLICY_FIELDS: dict[str, tuple[Callable[[Any], Any], st.SearchStrategy[Any]]] = {
    "product_cap": (lambda v: real_ok(v, 0, 1e8, True), st.floats(1, 1e6)),
    "regulatory_cap": (lambda v: None if v is None else real_ok(v, 0, 1e8, True), st.floats(1, 1e6)),
    "income_multiple": (lambda v: None if v is None else real_ok(v, 0, 1000, True), st.floats(0.5, 10)),
    "dsr": (lambda v: real_ok(v, 0, 1, True), st.floats(0.05, 1)),
    "capacity_term_months": (lambda v: int_ok(v, 1, 60), st.sampled_from([3, 12, 36])),
    "capacity_annual_rate": (lambda v: real_ok(v, 0, 3.65), valid_annual),
    "pd_cutoff": (lambda v: real_ok(v, 0, 1), st.floats(0, 1)),
    "el_budget": (lambda v: None if v is None else real_ok(v, 0, 1e8, True), st.floats(1, 1e4)),
    "lgd": (lambda v: real_ok(v, 0, 1, True), st.floats(0.05, 1)),
    "ccf": (lambda v: real_ok(v, 0, 1, True), st.floats(0.05, 1)),
    "min_limit": (lambda v: real_ok(v, 0, 1e8), st.floats(0, 5_000)),
    "rounding_step": (lambda v: real_ok(v, 0, 1e6, True), st.sampled_from([1.0, 100.0])),
    "year": (lambda v: None if v is None else int_ok(v, 1900, 2100), st.sampled_from([2020, 2024])),
}


def _text_ok(v: Any) -> str:
    if not isinstance(v, str):
        raise Refused
    return str(v)


@given(st.data())
def test_limit_policy_fields(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from([*POLICY_FIELDS, "purposes", "capacity_method", "status", "name",
                                      "income_multiple_bands"]))
    if name in POLICY_FIELDS:
        rule, valid = POLICY_FIELDS[name]
        value = data.draw(st.none() | hostile_scalar(valid))

        def meaning() -> Any:
            return rule(value)
    elif name == "purposes":
        value = data.draw(st.sampled_from([("business",), ["consumption", "unknown"], np.array(["business"]),
                                           pd.Index(["business"]), (), "business", ("housing",), None,
                                           {"business"}, [1], [np.str_("business")]]))

        def meaning() -> Any:
            if isinstance(value, str | set) or value is None or not len(value):
                raise Refused
            if any(not isinstance(x, str) or x not in ("consumption", "business", "unknown") for x in value):
                raise Refused
            return tuple(str(x) for x in value)
    elif name in ("capacity_method", "status"):
        value = data.draw(hostile_methods | st.sampled_from(["law", "design", "Law"]))
        allowed = METHODS if name == "capacity_method" else ("law", "press", "weak", "design")

        def meaning() -> Any:
            if not isinstance(value, str) or value not in allowed:
                raise Refused
            return str(value)
    elif name == "name":
        value = data.draw(st.sampled_from(["mine", np.str_("mine"), 5, None, b"x", ["a"]]))

        def meaning() -> Any:
            return _text_ok(value)
    else:
        value = data.draw(st.sampled_from([
            (limits.MultipleBand(max_pd=0.02, multiple=6.0),), [{"max_pd": 0.02, "multiple": 6}],
            [{"max_pd": 0.02}], [5], "bands", [{"max_pd": True, "multiple": 6}],
            ({"max_pd": 0.5, "multiple": 3, "x": 1},)]))

        def meaning() -> Any:
            if isinstance(value, str):
                raise Refused
            out = []
            for b in value:
                if isinstance(b, limits.MultipleBand):
                    out.append(b)
                elif isinstance(b, dict) and set(b) == {"max_pd", "multiple"}:
                    out.append(limits.MultipleBand(max_pd=real_ok(b["max_pd"], 0, 1, True),
                                                   multiple=real_ok(b["multiple"], 0, 1000)))
                else:
                    raise Refused
            return tuple(out)

    kwargs: dict[str, Any] = {"product_cap": 50_000.0, name: value}
    if name == "capacity_method":
        kwargs["capacity_term_months"] = 12

    def verdict() -> Any:
        v = meaning()
        if name == "product_cap" and v is None:
            raise Refused
        if name in ("dsr", "capacity_term_months", "capacity_annual_rate", "pd_cutoff", "lgd", "ccf",
                    "min_limit", "rounding_step") and v is None:
            raise Refused
        return v

    got, policy = expect(verdict, limits.LimitPolicy, names=(name,), **kwargs)
    if got is not None or policy is not None:
        assert getattr(policy, name) == got
        assert type(getattr(policy, name)) is type(got)
        # JSON round trip gives an equal policy; the same payload with the field broken is refused.
        assert limits.LimitPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


@given(name=st.sampled_from([*POLICY_FIELDS, "purposes", "income_multiple_bands", "status"]),
       value=st.sampled_from(["12", "0.5", [1], {"a": 1}, True, None, math.nan, "business", [5]]))
def test_limit_policy_from_dict_payloads(name: str, value: Any) -> None:
    # A tampered payload: refused exactly when the constructor refuses the value.
    payload = {**limits.LimitPolicy(product_cap=50_000.0).to_dict(), name: value}
    try:
        expected_ok = True
        limits.LimitPolicy(**{k: v for k, v in payload.items() if k not in ("schema", "version")})
    except JiebeiCreditError:
        expected_ok = False
    ok, out = call(limits.LimitPolicy.from_dict, payload, names=(name,))
    assert ok == expected_ok
    if not ok:
        assert "LimitPolicy" in str(out)


def test_presets_are_valid_and_round_trip() -> None:
    for key, policy in limits.PRESETS.items():
        again = limits.LimitPolicy.from_dict(json.loads(json.dumps(policy.to_dict())))
        assert again == policy
        assert policy.name == key
    with pytest.raises(TypeError):
        limits.PRESETS["mine"] = limits.LimitPolicy(product_cap=1.0)  # type: ignore[index]


@given(preset=st.sampled_from(sorted(limits.PRESETS)),
       field=st.sampled_from(["product_cap", "dsr", "capacity_term_months", "pd_cutoff"]),
       value=hostile_scalar(st.sampled_from([0.5, 12])))
def test_presets_replace(preset: str, field: str, value: Any) -> None:
    rule = POLICY_FIELDS[field][0]
    base = limits.PRESETS[preset]

    def verdict() -> Any:
        v = rule(value)
        if field == "capacity_term_months" and base.max_bullet_term_months and (
                base.capacity_method == "interest_first" and v > base.max_bullet_term_months):
            raise Refused
        return v

    got, out = expect(verdict, dataclasses.replace, base, names=(field,), public="LimitPolicy",
                      **{field: value})
    if out is not None:
        assert getattr(out, field) == got


# --------------------------------------------------------- LineReviewPolicy ---

REVIEW_FIELDS: dict[str, tuple[Callable[[Any], Any], st.SearchStrategy[Any]]] = {
    "freeze_dpd": (lambda v: int_ok(v, 1, 10_000), st.sampled_from([30, 60])),
    "decrease_dpd": (lambda v: int_ok(v, 1, 30), st.sampled_from([1, 15])),
    "score_drop": (lambda v: real_ok(v, 0, 1e6, True), st.floats(1, 100)),
    # ... and at least min_utilisation (default 0.3)
    "utilisation_spike": (lambda v: real_ok(v, 0.3, 100), st.floats(0.5, 2)),
    "cashflow_fall": (lambda v: real_ok(v, 0, 1, True), st.floats(0.05, 1)),
    "min_months_on_book": (lambda v: int_ok(v, 0, 1200), st.sampled_from([0, 6])),
    "min_score": (lambda v: real_ok(v, -1e6, 1e6), st.floats(300, 900)),
    "min_utilisation": (lambda v: real_ok(v, 0, 0.95), st.floats(0, 0.95)),
    "increase_fraction": (lambda v: real_ok(v, 0, 10, True), st.floats(0.05, 1)),
    "decrease_fraction": (lambda v: real_ok(v, 0, 1, True), st.floats(0.05, 1)),
    "max_limit": (lambda v: None if v is None else real_ok(v, 0, 1e8, True), st.floats(1_000, 1e6)),
    "rounding_step": (lambda v: real_ok(v, 0, 1e6, True), st.sampled_from([1.0, 100.0])),
}


@given(st.data())
def test_line_review_policy_fields(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(REVIEW_FIELDS)))
    rule, valid = REVIEW_FIELDS[name]
    value = data.draw(hostile_scalar(valid) | st.none())

    def verdict() -> Any:
        v = rule(value)
        if v is None and name != "max_limit":
            raise Refused
        return v

    got, policy = expect(verdict, limits.LineReviewPolicy, names=(name,), **{name: value})
    if policy is not None:
        assert getattr(policy, name) == got
        assert type(getattr(policy, name)) is type(got)
        assert limits.LineReviewPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


def test_integer_fields_refuse_floats() -> None:
    # Regression: LineReviewPolicy(freeze_dpd=30.0) was accepted while other integer fields refused floats.
    ok, err = call(limits.LineReviewPolicy, freeze_dpd=30.0, names=("freeze_dpd",))
    assert not ok
    assert "LineReviewPolicy: freeze_dpd must be an integer" in str(err)
    assert limits.LineReviewPolicy(freeze_dpd=np.int64(30)).freeze_dpd == 30


# ------------------------------------------------------------- frames ---


def hostile_column(draw: st.DrawFn, good: list[float], low: float = 0.0, high: float = 1e8
                   ) -> tuple[Any, bool]:
    """``good`` as a column in an assorted dtype, or corrupted; and whether it is still valid.

    ``[low, high]`` is the column's range: the corruptions "negative" and "huge" fall outside it.
    """
    n = len(good)
    kind = draw(st.sampled_from(["float", "int", "Float64", "arrow", "object", "bool", "complex", "timedelta",
                                 "string", "category", "nan", "inf", "negative", "huge", "Int64_na"]))
    ints = all(float(x).is_integer() for x in good)
    if kind == "float":
        return pd.Series(good, dtype=np.float64), True
    if kind == "int" and ints:
        return pd.Series([int(x) for x in good], dtype=np.int64), True
    if kind == "Float64":
        return pd.Series(good, dtype="Float64"), True
    if kind == "arrow":
        return pd.Series(good, dtype="double[pyarrow]"), True
    if kind == "object":
        return pd.Series(good, dtype=object), True
    if kind == "bool" and n:
        return pd.Series([bool(x) for x in good], dtype=bool), False
    if kind == "complex" and n:
        return pd.Series(np.asarray(good, dtype=complex)), False
    if kind == "timedelta" and n:
        return pd.Series(pd.to_timedelta(good, unit="D")), False
    if kind == "string" and n:
        return pd.Series([str(x) for x in good], dtype="string"), False
    if kind == "category" and n:
        return pd.Series(good, dtype="category"), False
    if kind in ("nan", "inf", "negative", "huge", "Int64_na") and n:
        bad = {"nan": math.nan, "inf": math.inf, "negative": low - 1.0, "huge": high * 10 + 1,
               "Int64_na": None}[kind]
        values = [*good[:-1], bad]
        return (pd.Series(values, dtype="Float64") if kind == "Int64_na" else pd.Series(values)), False
    return pd.Series(good, dtype=np.float64), True


def ref_limit(row: dict[str, float], policy: limits.LimitPolicy) -> tuple[float, str]:
    """Limit and decision of one applicant, from DOMAIN.md's formulas, one row at a time."""
    p, y, ds, b = row["pd"], row["monthly_income"], row["existing_debt_service"], row["existing_balance"]
    spare = max(policy.dsr * y - ds, 0.0)
    capacity = b + limits.max_principal(spare, policy.capacity_annual_rate, policy.capacity_term_months,
                                        method=policy.capacity_method)
    el = math.inf
    if policy.el_budget is not None and p > 0:
        el = max(b + (policy.el_budget / (p * policy.lgd) - b) / policy.ccf, 0.0)
    mult = math.inf if policy.income_multiple is None else policy.income_multiple * y
    raw = max(min(policy.regulatory_cap or math.inf, policy.product_cap, mult, capacity, el), 0.0)
    step = Fraction(policy.rounding_step)
    limit = float(math.floor(Fraction(raw) / step) * step)
    if p > policy.pd_cutoff or limit < policy.min_limit or limit <= 0:
        return 0.0, "decline"
    return limit, ("refer" if policy.refer_pd is not None and p > policy.refer_pd else "approve")


POLICY = limits.LimitPolicy(product_cap=50_000, regulatory_cap=200_000, income_multiple=3.0, pd_cutoff=0.10,
                            refer_pd=0.05, el_budget=300.0, min_limit=1_000)
COLUMNS = ("pd", "monthly_income", "existing_debt_service", "existing_balance")


@given(st.data())
def test_assign(data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 4))
    good = {
        "pd": data.draw(st.lists(st.sampled_from([0.0, 0.01, 0.07, 0.2, 1.0]), min_size=n, max_size=n)),
        "monthly_income": data.draw(st.lists(st.sampled_from([0.0, 5_000.0, 12_000.0, 1e6]), min_size=n,
                                             max_size=n)),
        "existing_debt_service": data.draw(st.lists(st.sampled_from([0.0, 1_500.0]), min_size=n, max_size=n)),
        "existing_balance": data.draw(st.lists(st.sampled_from([0.0, 2_000.0]), min_size=n, max_size=n)),
    }
    target = data.draw(st.sampled_from([*COLUMNS, "purpose", "index", "columns", "frame", "policy"]))
    index = data.draw(st.sampled_from([pd.RangeIndex(n), pd.Index([3] * n), pd.Index([f"a{k}" for k in
                                                                                       range(n)])]))
    frame = pd.DataFrame({c: pd.Series(v, dtype=np.float64) for c, v in good.items()})
    valid = True
    if target in COLUMNS:
        column, valid = hostile_column(data.draw, good[target], 0.0, 1.0 if target == "pd" else 1e8)
        frame[target] = column.to_numpy() if column.dtype == object else column.array
    purposes = data.draw(st.lists(st.sampled_from(["consumption", "business", "unknown"]), min_size=n,
                                  max_size=n))
    if target == "purpose":
        form = data.draw(st.sampled_from(["object", "category", "arrow", "ints", "none", "housing"]))
        if form == "object":
            frame["purpose"] = pd.Series(purposes, dtype=object).to_numpy()
        elif form == "category":
            frame["purpose"] = pd.Categorical(purposes, categories=["unknown", "business", "consumption",
                                                                    "other"])
        elif form == "arrow":
            frame["purpose"] = pd.array(purposes, dtype="string[pyarrow]")
        else:
            bad = {"ints": 1, "none": None, "housing": "housing"}[form]
            frame["purpose"] = pd.Series([*purposes[:-1], bad] if n else [], dtype=object).to_numpy()
            valid = n == 0
    frame.index = index
    applicants: Any = frame
    policy: Any = POLICY
    if target == "columns" and n:
        applicants = pd.concat([frame, frame[["pd"]]], axis=1)  # a repeated column label
        valid = False
    elif target == "frame":
        applicants = data.draw(st.sampled_from([frame.to_dict("list"), frame.to_numpy(), None,
                                                frame.drop(columns="existing_balance")]))
        valid = False
    elif target == "policy":
        policy = data.draw(st.sampled_from([None, POLICY.to_dict(), "licensed_24pct",
                                            limits.LineReviewPolicy()]))
        valid = False

    def verdict() -> bool:
        if not valid:
            raise Refused
        return True

    _, out = expect(verdict, limits.assign, applicants, policy,
                    names=("applicants", "policy", "column 'pd'", "column 'monthly_income'",
                           "column 'existing_debt_service'", "column 'existing_balance'", "column 'purpose'"))
    if out is not None:
        assert out.index.equals(frame.index)
        for k in range(n):
            row = {c: float(good[c][k]) for c in COLUMNS}
            limit, decision = ref_limit(row, policy)
            assert out["limit"].iloc[k] == pytest.approx(limit, rel=1e-12, abs=1e-9)
            assert out["decision"].iloc[k] == decision


@given(scores=st.lists(st.floats(-1_000, 2_000), min_size=0, max_size=4),
       scaling=st.sampled_from(["design", "r", "none", "object", "dict", "nan", "raises"]),
       with_pd=st.sampled_from([None, "same", "other"]))
def test_assign_scores(scores: list[float], scaling: str, with_pd: str | None) -> None:
    real = {"design": Scaling(), "r": Scaling.r_scorecard()}

    class Broken:
        def pd_from_score(self, s: Any) -> Any:
            if scaling == "raises":
                raise ValueError("no")
            return np.full(len(s), np.nan)

    given_scaling: Any = real.get(scaling, {"none": None, "object": object(), "dict": {"pdo": 20}}.get(
        scaling, Broken()))
    frame = pd.DataFrame({"score": scores, "monthly_income": 10_000.0, "existing_debt_service": 0.0,
                          "existing_balance": 0.0}).astype(float)
    s_ref = real.get(scaling)
    if with_pd is not None and s_ref is not None and scores:
        ref = s_ref.pd_from_score(np.array(scores))
        frame["pd"] = ref if with_pd == "same" else np.where(ref > 0.5, ref - 0.25, ref + 0.25)

    def verdict() -> np.ndarray:
        if scaling in ("none", "object", "dict", "raises"):
            raise Refused  # a score column needs a scaling with a working pd_from_score
        if scaling == "nan":
            if scores:
                raise Refused
            return np.zeros(0)
        assert s_ref is not None
        if "pd" in frame and with_pd == "other":
            raise Refused
        return np.asarray(s_ref.pd_from_score(np.array(scores, dtype=float)))

    got, out = expect(verdict, limits.assign, frame, POLICY, names=("scaling", "column 'pd'"),
                      scaling=given_scaling)
    if out is not None:
        # One implementation: every PD is Scaling.pd_from_score of the score.
        np.testing.assert_array_equal(out["pd"].to_numpy(), got)


# --------------------------------------------------------------- review_line ---

REVIEW_RANGES = {"limit": (0, 1e8), "utilisation": (0, 100), "dpd_now": (0, 1e5), "max_dpd_recent": (0, 1e5),
                 "months_on_book": (0, 12_000), "score": (-1e6, 1e6), "score_change": (-1e6, 1e6),
                 "cashflow_change": (-1, 1e6)}
REVIEW_COLUMNS = {
    "limit": [0.0, 20_000.0, 50_000.0], "utilisation": [0.0, 0.6, 0.97], "dpd_now": [0.0, 3.0, 45.0],
    "max_dpd_recent": [0.0, 10.0, 45.0], "months_on_book": [3.0, 12.0], "score": [590.0, 650.0],
    "score_change": [-60.0, 0.0, 5.0], "cashflow_change": [-0.5, 0.0, 0.1],
}


def ref_review(row: dict[str, float], p: limits.LineReviewPolicy) -> tuple[str, float]:
    """The rules of review_line, in order, for one line."""
    step = Fraction(p.rounding_step)

    def floor_step(x: float) -> float:
        return x if math.isinf(x) else float(math.floor(Fraction(x) / step) * step)

    limit = row["limit"]
    if row["dpd_now"] >= p.freeze_dpd:
        return "freeze", limit
    cut = floor_step(limit * (1 - p.decrease_fraction))
    if (row["dpd_now"] >= p.decrease_dpd or row["max_dpd_recent"] >= p.decrease_dpd
            or row["score_change"] <= -p.score_drop or row["utilisation"] >= p.utilisation_spike
            or row["cashflow_change"] <= -p.cashflow_fall) and cut < limit:
        return "decrease", cut
    cap = math.inf if p.max_limit is None else p.max_limit
    raised = min(floor_step(limit * (1 + p.increase_fraction)), floor_step(cap))
    if (row["dpd_now"] == 0 and row["max_dpd_recent"] == 0 and row["months_on_book"] >= p.min_months_on_book
            and row["score"] >= p.min_score and row["utilisation"] >= p.min_utilisation and raised > limit):
        return "increase", raised
    return "keep", limit


@given(st.data())
def test_review_line(data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 3))
    good = {c: data.draw(st.lists(st.sampled_from(v), min_size=n, max_size=n)) for c, v in
            REVIEW_COLUMNS.items()}
    target = data.draw(st.sampled_from([*REVIEW_COLUMNS, "missing", "policy", "index"]))
    frame = pd.DataFrame({c: pd.Series(v, dtype=np.float64) for c, v in good.items()})
    valid = True
    if target in REVIEW_COLUMNS:
        column, valid = hostile_column(data.draw, good[target], *REVIEW_RANGES[target])
        frame[target] = column.to_numpy() if column.dtype == object else column.array
    if target == "index":
        frame.index = pd.Index(["x"] * n)
    policy: Any = limits.LineReviewPolicy(max_limit=60_000)
    lines: Any = frame
    if target == "missing":
        lines = frame.drop(columns=data.draw(st.sampled_from(sorted(REVIEW_COLUMNS))))
        valid = False
    if target == "policy":
        policy = data.draw(st.sampled_from([None, policy.to_dict(), POLICY]))
        valid = False

    def verdict() -> bool:
        if not valid:
            raise Refused
        return True

    _, out = expect(verdict, limits.review_line, lines, policy,
                    names=("lines", "policy", *(f"column {c!r}" for c in REVIEW_COLUMNS)))
    if out is not None:
        assert out.index.equals(frame.index)
        for k in range(n):
            action, new = ref_review({c: float(good[c][k]) for c in REVIEW_COLUMNS}, policy)
            assert (out["action"].iloc[k], out["new_limit"].iloc[k]) == (action, pytest.approx(new))


def test_lpr_table_is_fresh_and_valid() -> None:
    t = limits.lpr_table()
    t.iloc[0, 1] = 99.0
    fresh = limits.lpr_table()
    assert fresh["rate"].iloc[0] == 0.0385
    assert fresh["effective_on"].between(DATE_MIN, DATE_MAX).all()
