"""Step series on the point-in-time view: running sums and last values of the status date.

Checked against hand-worked cases and, on generated records, against a
day-by-day computation written from the definitions in the
``Segments.running_sum`` / ``Segments.running_last`` / ``StepSeries``
docstrings: on status date ``t`` a running sum adds the borrower's rows
known before ``t``, a running last value is the latest such row, and the
window reductions cover the status dates ``(as_of - w, as_of]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import (
    FeatureFamily,
    FeatureSpec,
    PointInTimeView,
    StepSeries,
    check_point_in_time,
    extract,
)
from jiebei_credit.records import Column, RecordSet, TableSchema
from tests.strategies import feature_cases

NAN = float("nan")
DAY = pd.Timedelta(days=1)
TABLES = ("credit_line_events", "loans", "installments", "transactions", "zhima_scores")
WINDOWS = (1, 7, 30, 91)
SERIES = ("s_limit", "s_owed", "s_util", "s_flow", "s_mixed", "s_inverse")


def _spec(name: str, tables: tuple[str, ...] = TABLES, family: str = "steps") -> FeatureSpec:
    return FeatureSpec(name=name, family=family, window=None, unit="ratio",
                       description="A step-series reduction under test.", description_zh="测试用阶梯序列",
                       sources=tables, category="credit_history", nan_meaning="undefined")


def _series(v: PointInTimeView) -> dict[str, StepSeries]:
    limit = v.events("credit_line_events").running_last("limit")
    owed = (
        v.events("installments").running_sum("principal_due")
        - v.events("installments", at="paid_on").running_sum("principal_due")
    ).snap_to_zero()
    return {
        "s_limit": limit,
        "s_owed": owed,
        "s_util": owed / limit,
        "s_flow": v.events("transactions").running_sum("amount"),
        "s_mixed": 2 * limit - v.events("loans").running_sum("principal") + 1.5,
        "s_inverse": 100.0 / v.events("zhima_scores").running_last("score"),
    }


REDUCTIONS = ("now", *(f"{k}_{w}" for k in ("mean", "max", "min") for w in WINDOWS))
NAMES = tuple(f"{s}_{r}" for s in SERIES for r in REDUCTIONS)


def _compute(v: PointInTimeView) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, s in _series(v).items():
        out[f"{name}_now"] = s.now()
        for w in WINDOWS:
            out[f"{name}_mean_{w}"] = s.mean(w)
            out[f"{name}_max_{w}"] = s.max(w)
            out[f"{name}_min_{w}"] = s.min(w)
    return out


FAMILY = FeatureFamily("steps", TABLES, tuple(_spec(n) for n in NAMES), _compute)


class Naive:
    """The series of one borrower on one status date, from a plain filter of the rows (no steps)."""

    def __init__(self, rs: RecordSet) -> None:
        def rows(frame: pd.DataFrame, known: pd.Series, column: str) -> dict[str, Any]:
            return {"b": frame["borrower_id"].to_numpy(), "k": known.to_numpy(dtype="datetime64[ns]"),
                    "x": frame[column].to_numpy(dtype=np.float64)}

        cle, loans, tx, zh = (rs[t] for t in ("credit_line_events", "loans", "transactions", "zhima_scores"))
        inst = rs["installments"].merge(loans[["loan_id", "borrower_id", "drawn_on"]], on="loan_id")
        drawn = inst["drawn_on"].dt.floor("D")
        paid = inst[inst["paid_on"].notna()]
        # A payment is known from the later of its loan's drawdown and its payment day.
        paid_known = np.maximum(paid["drawn_on"].dt.floor("D"), paid["paid_on"].dt.floor("D"))
        self.limit = rows(cle, cle["effective_on"].dt.floor("D"), "limit")
        self.scheduled = rows(inst, drawn, "principal_due")
        self.repaid = rows(paid, paid_known, "principal_due")
        self.flow = rows(tx, tx["occurred_at"].dt.floor("D"), "amount")
        self.drawn = rows(loans, loans["drawn_on"].dt.floor("D"), "principal")
        self.score = rows(zh, zh["observed_on"].dt.floor("D"), "score")

    @staticmethod
    def total(t: dict[str, Any], b: str, day: np.datetime64) -> float:
        return float(t["x"][(t["b"] == b) & (t["k"] < day)].sum())

    @staticmethod
    def latest(t: dict[str, Any], b: str, day: np.datetime64) -> float:
        # Credit-line events and Zhima scores have one row per borrower and day (their primary keys).
        seen = (t["b"] == b) & (t["k"] < day)
        return float(t["x"][seen][np.argmax(t["k"][seen])]) if seen.any() else NAN

    def on(self, b: str, day: np.datetime64) -> dict[str, float]:
        limit = self.latest(self.limit, b, day)
        owed = self.total(self.scheduled, b, day) - self.total(self.repaid, b, day)
        owed = 0.0 if abs(owed) <= 0.005 else owed  # snap_to_zero(): below half a fen is 0
        score = self.latest(self.score, b, day)
        return {
            "s_limit": limit,
            "s_owed": owed,
            "s_util": owed / limit if limit > 0 else NAN,
            "s_flow": self.total(self.flow, b, day),
            "s_mixed": 2 * limit - self.total(self.drawn, b, day) + 1.5,
            "s_inverse": 100.0 / score if score > 0 else NAN,
        }

    def expected(self, b: str, as_of: pd.Timestamp) -> dict[str, float]:
        d = np.datetime64(as_of.floor("D"), "ns")
        one = np.timedelta64(1, "D")
        days = {k: self.on(b, d - k * one) for k in range(max(WINDOWS))}  # status dates as_of - k
        out: dict[str, float] = {}
        for s in SERIES:
            out[f"{s}_now"] = days[0][s]
            for w in WINDOWS:
                vals = [days[k][s] for k in range(w) if not math.isnan(days[k][s])]
                out[f"{s}_mean_{w}"] = sum(vals) / len(vals) if vals else NAN
                out[f"{s}_max_{w}"] = max(vals) if vals else NAN
                out[f"{s}_min_{w}"] = min(vals) if vals else NAN
        return out


@given(case=feature_cases())
def test_step_series_match_their_day_by_day_definition(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    got = extract(rs, obs, families=[FAMILY])
    naive = Naive(rs)
    for key, row in obs.iterrows():
        want = naive.expected(row["borrower_id"], pd.Timestamp(row["as_of"]))
        for name in NAMES:
            g, w = got.loc[key, name], want[name]
            assert (math.isnan(g) and math.isnan(w)) or math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-7), (
                key, name, g, w)


@given(case=feature_cases())
def test_a_one_day_window_is_the_value_on_as_of_to_the_bit(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    # The status dates (as_of - 1, as_of] are as_of alone: mean, max and min are the value itself,
    # and running_last(c).now() is last(c) (both: the latest row known before as_of).
    frames, obs = case
    got = extract(RecordSet.from_frames(**frames), obs, families=[FAMILY])
    for s in SERIES:
        now = got[f"{s}_now"].to_numpy()
        for r in ("mean", "max", "min"):
            one = got[f"{s}_{r}_1"].to_numpy()
            assert np.array_equal(np.isnan(now), np.isnan(one))
            assert np.array_equal(now[~np.isnan(now)].view(np.int64), one[~np.isnan(one)].view(np.int64))

    def lasts(v: PointInTimeView) -> dict[str, Any]:
        cle = v.events("credit_line_events")
        return {"a": cle.running_last("limit").now(), "b": cle.last("limit")}

    fam = FeatureFamily("lasts", ("credit_line_events",),
                        tuple(_spec(n, ("credit_line_events",), "lasts") for n in "ab"), lasts)
    x = extract(RecordSet.from_frames(**frames), obs, families=[fam])
    pd.testing.assert_series_equal(x["a"], x["b"], check_names=False, check_exact=True)


@pytest.mark.slow  # over 5 s even with the fast Hypothesis profile
@settings(max_examples=15)
@given(case=feature_cases(max_observations=4))
def test_a_family_of_step_series_passes_the_point_in_time_checker(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, obs = case
    check_point_in_time(FAMILY, RecordSet.from_frames(**frames), obs, windows=(30,), raise_on_failure=True)


# ---- hand-worked cases ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book() -> RecordSet:
    """One borrower: a line of 1000, frozen (0) on Mar 1, reopened at 2000 on Apr 1; two loans.

    L1 (drawn Jan 10, 3 x 100) is repaid on Feb 9 and Mar 9, its last instalment never; L2 (drawn
    Mar 15, 2 x 100) is repaid on Apr 10, both instalments the same day.
    """
    return RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
                                "industry": [None], "business_registered_on": ["2020-01-01"],
                                "region": [None]}),
        credit_line_events=pd.DataFrame({"borrower_id": ["b1"] * 3,
                                         "effective_on": ["2024-01-01", "2024-03-01", "2024-04-01"],
                                         "limit": [1000.0, 0.0, 2000.0], "daily_rate": [0.0004] * 3}),
        loans=pd.DataFrame({"loan_id": ["L1", "L2"], "borrower_id": ["b1", "b1"],
                            "drawn_on": ["2024-01-10", "2024-03-15"], "principal": [300.0, 200.0],
                            "term_months": [3, 2], "repayment_method": ["equal_principal"] * 2,
                            "daily_rate": [0.0004] * 2, "purpose": ["business", "business"]}),
        installments=pd.DataFrame({
            "loan_id": ["L1", "L1", "L1", "L2", "L2"], "seq": [1, 2, 3, 1, 2],
            "due_on": ["2024-02-10", "2024-03-10", "2024-04-10", "2024-04-15", "2024-05-15"],
            "principal_due": [100.0] * 5, "interest_due": [4.0] * 5,
            "paid_on": ["2024-02-09", "2024-03-09", None, "2024-04-10", "2024-04-10"],
        }),
    )


BOOK_TABLES = ("credit_line_events", "loans", "installments")


def _family(compute: Callable[[PointInTimeView], Mapping[str, Any]], names: tuple[str, ...],
            tables: tuple[str, ...] = BOOK_TABLES) -> FeatureFamily:
    return FeatureFamily("steps", tables, tuple(_spec(n, tables) for n in names), compute)


def _util(v: PointInTimeView) -> StepSeries:
    owed = (v.events("installments").running_sum("principal_due")
            - v.events("installments", at="paid_on").running_sum("principal_due"))
    return owed / v.events("credit_line_events").running_last("limit")


def test_utilisation_steps_worked_by_hand(book: RecordSet) -> None:
    # On status date t (rows known before t):
    #   limit:  NaN to Jan 1, 1000 Jan 2 - Mar 1, 0 Mar 2 - Apr 1, 2000 from Apr 2;
    #   owed:   0 to Jan 10, 300 Jan 11 - Feb 9, 200 Feb 10 - Mar 9, 100 Mar 10 - 15,
    #           300 Mar 16 - Apr 10, 100 from Apr 11 (both Apr 10 payments count from Apr 11);
    #   util:   0 Jan 2 - 10, 0.3 Jan 11 - Feb 9, 0.2 Feb 10 - Mar 1, NaN Mar 2 - Apr 1 (limit 0),
    #           0.15 Apr 2 - 10, 0.05 from Apr 11.
    names = ("now", "mean_30", "max_30", "min_30", "mean_90", "max_90", "min_90")

    def compute(v: PointInTimeView) -> dict[str, Any]:
        u = _util(v)
        return {"now": u.now(), "mean_30": u.mean(30), "max_30": u.max(30), "min_30": u.min(30),
                "mean_90": u.mean(90), "max_90": u.max(90), "min_90": u.min(90)}

    obs = pd.DataFrame({"borrower_id": ["b1"] * 3, "as_of": ["2024-04-15", "2024-03-20", "2024-01-05"]})
    x = extract(book, obs, families=[_family(compute, names)])
    # Apr 15, 30 days = Mar 17 - Apr 15: 16 undefined days, 9 at 0.15, 5 at 0.05.
    # 90 days = Jan 17 - Apr 15: 24 at 0.3, 21 at 0.2 (Feb 10 - Mar 1), 31 undefined, 9 at 0.15, 5 at 0.05.
    expected_apr = [0.05, (9 * 0.15 + 5 * 0.05) / 14, 0.15, 0.05,
                    (24 * 0.3 + 21 * 0.2 + 9 * 0.15 + 5 * 0.05) / 59, 0.3, 0.05]
    np.testing.assert_allclose(x.iloc[0].to_numpy(), expected_apr, rtol=1e-12)
    # Mar 20: the line is frozen (NaN on as_of); 30 days = Feb 20 - Mar 20: 0.2 on Feb 20 - Mar 1 (11).
    # 90 days = Dec 22 - Mar 20: undefined to Jan 1, 9 days at 0 (Jan 2 - 10), 30 at 0.3, 21 at 0.2.
    expected_mar = [NAN, 0.2, 0.2, 0.2, (30 * 0.3 + 21 * 0.2) / 60, 0.3, 0.0]
    np.testing.assert_allclose(x.iloc[1].to_numpy(), expected_mar, rtol=1e-12)
    # Jan 5: a line from Jan 2 and nothing owed: 0 on Jan 2 - 5, undefined before.
    np.testing.assert_array_equal(x.iloc[2].to_numpy(), [0.0] * 7)


def test_builtin_utilisation_worked_by_hand(book: RecordSet) -> None:
    # The built-in family on the same book (steps in test_utilisation_steps_worked_by_hand).
    obs = pd.DataFrame({"borrower_id": ["b1"] * 2, "as_of": ["2024-04-15", "2024-03-20"]})
    names = ["util_now", "util_mean_30d", "util_mean_90d", "util_max_30d", "util_max_90d",
             "draw_to_limit_30d", "draw_to_limit_90d"]
    x = extract(book, obs, families=["utilisation"], windows=(30, 90))[names]
    # Apr 15: drawn in [Mar 16, Apr 15): nothing; in [Jan 16, Apr 15): L2's 200, over the limit 2000.
    np.testing.assert_allclose(x.iloc[0].to_numpy(), [0.05, 1.6 / 14, 13.0 / 59, 0.15, 0.3, 0.0, 0.1],
                               rtol=1e-12)
    # Mar 20: the line is frozen (limit 0), so utilisation and draw_to_limit on as_of are NaN.
    np.testing.assert_allclose(x.iloc[1].to_numpy(), [NAN, 0.2, 13.2 / 60, 0.2, 0.3, NAN, NAN], rtol=1e-12)


def test_arithmetic_with_numbers_worked_by_hand(book: RecordSet) -> None:
    names = ("plus", "minus", "rminus", "times", "neg", "half", "by_zero", "by_negative", "inverse",
             "snapped")

    def compute(v: PointInTimeView) -> dict[str, Any]:
        limit = v.events("credit_line_events").running_last("limit")
        return {"plus": (1 + limit).now(), "minus": (limit - 500).now(), "rminus": (500 - limit).now(),
                "times": (limit * 2).now(), "neg": (-limit).now(), "half": (limit / 2).now(),
                "by_zero": (limit / 0).now(), "by_negative": (limit / -1).now(),
                "inverse": (1000 / limit).now(), "snapped": (limit - 999.999).snap_to_zero(0.01).now()}

    obs = pd.DataFrame({"borrower_id": ["b1"] * 3, "as_of": ["2024-02-01", "2024-03-20", "2023-12-01"]})
    x = extract(book, obs, families=[_family(compute, names)])
    # Feb 1: limit 1000; a divisor that is not positive gives NaN; 1000 - 999.999 = 0.001 <= 0.01 is 0.
    np.testing.assert_allclose(x.iloc[0].to_numpy(), [1001, 500, -500, 2000, -1000, 500, NAN, NAN, 1.0, 0.0])
    # Mar 20: limit 0 (frozen): 1000 / 0 is NaN; 0 - 999.999 is kept (|v| > 0.01).
    np.testing.assert_allclose(x.iloc[1].to_numpy(), [1, -500, 500, 0, 0, 0, NAN, NAN, NAN, -999.999])
    # Dec 1, 2023: no line yet: every value NaN.
    assert x.iloc[2].isna().all()


def test_a_running_sum_goes_missing_from_a_missing_amount() -> None:
    # A user table with a nullable amount: 10 known Feb 15, missing known Mar 15, 5 known Apr 15.
    schema = TableSchema(
        name="bills", primary_key=("borrower_id", "billed_on"), borrower_key="borrower_id",
        event_date="billed_on", known_at="known_on", category="utility_payments",
        description="Bills.", description_zh="账单",
        columns=(
            Column(name="borrower_id", kind="id", description="Borrower.", description_zh="借款人"),
            Column(name="billed_on", kind="date", description="Billed.", description_zh="出账日期"),
            Column(name="known_on", kind="date", description="Known.", description_zh="到达日期"),
            Column(name="amount", kind="float", nullable=True, description="CNY.", description_zh="金额"),
        ),
    )
    frame = pd.DataFrame({"borrower_id": ["b1"] * 3,
                          "billed_on": ["2024-02-01", "2024-03-01", "2024-04-01"],
                          "known_on": ["2024-02-15", "2024-03-15", "2024-04-15"],
                          "amount": [10.0, None, 5.0]})
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
                                "industry": [None], "business_registered_on": ["2020-01-01"],
                                "region": [None]}),
    ).with_table(schema, frame)

    def compute(v: PointInTimeView) -> dict[str, Any]:
        total = v.events("bills").running_sum("amount")
        last = v.events("bills").running_last("amount")
        return {"now": total.now(), "mean_30": total.mean(30), "max_60": total.max(60),
                "sum": v.events("bills").sum("amount"), "last_now": last.now(), "last_mean_30": last.mean(30)}

    names = ("now", "mean_30", "max_60", "sum", "last_now", "last_mean_30")
    obs = pd.DataFrame({"borrower_id": ["b1"] * 2, "as_of": ["2024-03-10", "2024-03-20"]})
    x = extract(rs, obs, families=[_family(compute, names, ("bills",))])
    # Mar 10: 10 from Feb 16; 30 days = Feb 10 - Mar 10: 6 days at 0, 24 at 10; as Segments.sum.
    np.testing.assert_allclose(x.iloc[0].to_numpy(), [10, 240 / 30, 10, 10, 10, 10])
    # Mar 20: the missing amount (known Mar 15) makes the sum undefined from Mar 16, as sum() is;
    # 30 days = Feb 20 - Mar 20: 10 on Feb 20 - Mar 15 (25 days), undefined on the other 5.
    np.testing.assert_allclose(x.iloc[1].to_numpy(), [NAN, 10, 10, NAN, NAN, 10])


# ---- bad arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (lambda v: {"x": v.events("loans").running_sum("nope").now()},
         "column must be a column of the table"),
        (lambda v: {"x": v.events("loans").running_last(["principal"]).now()},
         "column must be a column of the table"),
        (lambda v: {"x": v.events("loans").running_sum("loan_id").now()}, "column must be numeric"),
        (lambda v: {"x": v.events("loans").running_last("purpose").now()}, "column must be numeric"),
        (lambda v: {"x": v.events("loans").running_sum("principal").mean(0)},
         r"window must be an integer in \[1, 3650\]; got 0\."),
        (lambda v: {"x": v.events("loans").running_sum("principal").max(3651)}, "window must be an integer"),
        (lambda v: {"x": v.events("loans").running_sum("principal").min(30.0)}, "window must be an integer"),
        (lambda v: {"x": v.events("loans").running_sum("principal").mean("30")}, "window must be an integer"),
        (lambda v: {"x": v.events("loans").running_sum("principal").max(True)}, "window must be an integer"),
        (lambda v: {"x": v.events("loans").running_sum("principal").snap_to_zero(-1).now()},
         "tolerance must be a finite number >= 0"),
        (lambda v: {"x": v.events("loans").running_sum("principal").snap_to_zero(NAN).now()},
         "tolerance must be a finite number >= 0"),
        (lambda v: {"x": (v.events("loans").running_sum("principal") + np.ones(len(v))).now()},
         "other must be a step series of the same view or a real number; got .*ndarray"),
        (lambda v: {"x": (v.events("loans").running_sum("principal") - "1").now()},
         "other must be a step series of the same view or a real number; got '1' \\(str\\)"),
        (lambda v: {"x": (True * v.events("loans").running_sum("principal")).now()},
         "other must be a step series of the same view or a real number; got True"),
        (lambda v: {"x": (v.events("loans").running_sum("principal") / NAN).now()},
         "other must be a finite number; got nan"),
    ],
)
def test_bad_arguments_are_clear_errors(
    compute: Callable[[PointInTimeView], Mapping[str, Any]], message: str, book: RecordSet
) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
    with pytest.raises(InvalidInputError, match=f"^PointInTimeView: {message}"):
        extract(book, obs, families=[_family(compute, ("x",))])


def test_series_of_two_views_do_not_combine(book: RecordSet) -> None:
    # Each family gets its own view: a series kept from one cannot meet a series of another.
    kept: list[StepSeries] = []

    def first(v: PointInTimeView) -> dict[str, Any]:
        kept.append(v.events("loans").running_sum("principal"))
        return {"x": kept[0].now()}

    def second(v: PointInTimeView) -> dict[str, Any]:
        return {"y": (v.events("loans").running_sum("principal") - kept[0]).now()}

    fams = [FeatureFamily("one", ("loans",), (_spec("x", ("loans",), "one"),), first),
            FeatureFamily("two", ("loans",), (_spec("y", ("loans",), "two"),), second)]
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
    with pytest.raises(InvalidInputError, match=r"^PointInTimeView: other must be a step series of the same "
                       r"view \(family 'two'.*; got a series of family 'one'\. Combine series built from one "
                       r"PointInTimeView\."):
        extract(book, obs, families=fams)
