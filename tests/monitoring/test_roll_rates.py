"""roll_rates and flow_through: transitions between DPD buckets, closed loans absorbing."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.monitoring import FlowThrough, RollRates, flow_through, roll_rates
from jiebei_credit.records import RecordSet
from tests.monitoring.lifecycle_records import (
    borrowers,
    day,
    dpd_on,
    hand_records,
    loans_by_loan,
    synthetic_records,
)

NAN = np.nan
STATES = ["current", "1-30", "31-60", "61-90", "90+", "closed"]
#: The default buckets as explicit ranges (the PBoC buckets: '90+' after '61-90' is 91 days or more).
DEFAULT_RANGES = [("current", 0, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None)]
MONTH_ENDS_2023 = [str(d.date()) for d in pd.date_range("2023-01-31", "2023-12-31", freq="ME")]


def reference_roll(
    records: RecordSet, dates: list[str], ranges: list[tuple[str, int, int | None]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and balances recomputed loan by loan from the definitions (an independent implementation).

    State of a loan on day t: not on book if drawn after t; closed if every instalment is paid on or
    before t; else the bucket of its DPD (the largest k with due + k <= t <= paid).
    """
    labels = [r[0] for r in ranges]
    days = [day(d) for d in dates]

    def state(loan: dict[str, object], t: int) -> str | None:
        if loan["drawn"] > t:  # type: ignore[operator]
            return None
        inst = loan["inst"]
        if all(paid is not None and paid <= t for _, paid, _ in inst):  # type: ignore[attr-defined]
            return "closed"
        k = dpd_on(inst, t)  # type: ignore[arg-type]
        return next(label for label, lo, hi in ranges if lo <= k and (hi is None or k <= hi))

    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    balances: dict[tuple[int, str, str], float] = defaultdict(float)
    for loan in loans_by_loan(records):
        for p in range(len(days) - 1):
            start = state(loan, days[p])
            if start is None or start == "closed":
                continue
            end = state(loan, days[p + 1])
            assert end is not None
            counts[(p, start, end)] += 1
            inst = loan["inst"]
            balances[(p, start, end)] += sum(a for _, paid, a in inst  # type: ignore[attr-defined]
                                             if paid is None or paid > days[p])
    starts = pd.DatetimeIndex(dates[:-1]).as_unit("ns")
    index = pd.MultiIndex.from_product([starts, labels], names=["start", "from"])
    columns = pd.Index([*labels, "closed"], name="to")
    c = pd.DataFrame(0, index=index, columns=columns, dtype=np.int64)
    b = pd.DataFrame(0.0, index=index, columns=columns)
    for (p, s, e), n in counts.items():
        c.loc[(pd.Timestamp(dates[p]), s), e] = n
        b.loc[(pd.Timestamp(dates[p]), s), e] = balances[(p, s, e)]
    return c, b


# --------------------------------------------------------------- worked example ---

HAND_DATES = ["2024-03-31", "2024-04-30", "2024-05-31"]


def test_hand_example() -> None:
    rr = roll_rates(hand_records(), dates=HAND_DATES)
    # On 03-31: L1 21 DPD, L3 26, L4 16, L5 11 (all 1-30); L9 60 (31-60, the top of the bucket);
    # L8 current (first due 04-01); L2 closed (not in the table); L6, L7 not drawn yet.
    # On 04-30: L1, L4, L5 repaid (closed); L3 56 DPD (31-60); L9 90 (61-90); L8 29 (1-30).
    first = rr.matrix(0)
    assert list(first.columns) == STATES
    np.testing.assert_array_equal(first.loc["current"], [0, 1, 0, 0, 0, 0])  # L8 -> 1-30
    np.testing.assert_array_equal(first.loc["1-30"], [0, 0, 0.25, 0, 0, 0.75])  # L3 -> 31-60, 3 closed
    np.testing.assert_array_equal(first.loc["31-60"], [0, 0, 0, 1, 0, 0])  # L9 -> 61-90
    assert first.loc[["61-90", "90+"]].isna().all().all()  # no account: NaN, not 0
    # On 05-31: L3 87 DPD (61-90), L9 121 (90+), L8 60 (31-60); L6 was drawn after 04-30: not in it.
    second = rr.matrix(1)
    np.testing.assert_array_equal(second.loc["1-30"], [0, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(second.loc["31-60"], [0, 0, 0, 1, 0, 0])
    np.testing.assert_array_equal(second.loc["61-90"], [0, 0, 0, 0, 1, 0])
    assert rr.counts.loc[pd.Timestamp("2024-04-30")].to_numpy().sum() == 3
    pd.testing.assert_frame_equal(rr.matrix(-1), second)
    assert rr.periods == tuple(zip(pd.to_datetime(HAND_DATES[:-1]), pd.to_datetime(HAND_DATES[1:]),
                                   strict=True))


def test_hand_example_balance() -> None:
    rr = roll_rates(hand_records(), dates=HAND_DATES, measure="balance")
    # Outstanding on 03-31 in 1-30: L1 500 (its second half), L3 2000, L4 1000, L5 1000 = 4500;
    # L3's 2000 rolls to 31-60, the other 2500 closes.
    np.testing.assert_allclose(rr.matrix(0).loc["1-30"], [0, 0, 2000 / 4500, 0, 0, 2500 / 4500])
    assert rr.balances.loc[(pd.Timestamp("2024-03-31"), "1-30")].tolist() == [0, 0, 2000, 0, 0, 2500]
    assert rr.counts.loc[(pd.Timestamp("2024-03-31"), "1-30")].tolist() == [0, 0, 1, 0, 0, 3]


def test_flow_through_hand_example() -> None:
    ft = flow_through(roll_rates(hand_records(), dates=HAND_DATES))
    assert isinstance(ft, FlowThrough)
    # pooled over both periods: current -> 1-30: 1 of 1; 1-30 -> 31-60: 1 of 4 then 1 of 1 = 2/5;
    # 31-60 -> 61-90: 1/1 and 1/1; 61-90 -> 90+: none then 1/1. Product 1 * 0.4 * 1 * 1.
    np.testing.assert_allclose(ft.rolls.to_numpy(), [1.0, 0.4, 1.0, 1.0])
    assert ft.rate == pytest.approx(0.4, rel=1e-15)
    # each period alone has an empty bucket on the way (61-90 in the first, current in the second)
    assert ft.by_period.isna().all()


def test_custom_buckets() -> None:
    rr = roll_rates(hand_records(), dates=HAND_DATES, buckets=["current", "1-59", "60+"])
    # 03-31: L9 at 60 DPD is in 60+ and stays there; L1, L3, L4, L5 in 1-59 (3 close, L3 stays at 56).
    np.testing.assert_array_equal(rr.matrix(0).loc["1-59"], [0, 0.25, 0, 0.75])
    np.testing.assert_array_equal(rr.matrix(0).loc["60+"], [0, 0, 1, 0])
    # '91+' and '90+' after '61-90' are the same bucket
    a = roll_rates(hand_records(), dates=HAND_DATES)
    b = roll_rates(hand_records(), dates=HAND_DATES, buckets=("current", "1-30", "31-60", "61-90", "91+"))
    np.testing.assert_array_equal(a.counts.to_numpy(), b.counts.to_numpy())


# ------------------------------------------------------------ reference check ---


@pytest.mark.parametrize(
    ("dates", "ranges"),
    [
        (MONTH_ENDS_2023, DEFAULT_RANGES),
        (["2023-02-14", "2023-05-01", "2023-05-02", "2023-11-30", "2024-01-01"], DEFAULT_RANGES),
        (MONTH_ENDS_2023[::2], [("current", 0, 0), ("1-29", 1, 29), ("30-89", 30, 89), ("90+", 90, None)]),
    ],
)
def test_matches_the_loan_by_loan_reference(dates: list[str],
                                            ranges: list[tuple[str, int, int | None]]) -> None:
    records = synthetic_records()
    rr = roll_rates(records, dates=dates, buckets=[r[0] for r in ranges])
    counts, balances = reference_roll(records, dates, ranges)
    pd.testing.assert_frame_equal(rr.counts, counts)
    pd.testing.assert_frame_equal(rr.balances, balances, check_exact=False, rtol=1e-12)
    for weights, measure in ((counts.astype(np.float64), "count"), (balances, "balance")):
        expected = weights.div(weights.sum(axis=1).replace(0.0, np.nan), axis=0)
        got = roll_rates(records, dates=dates, buckets=[r[0] for r in ranges],
                         measure=measure)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(got.rates, expected, check_exact=False, rtol=1e-12)
    late = counts.drop(columns="closed").loc[(slice(None), [r[0] for r in ranges[1:]]), :]
    assert late.to_numpy().sum() > 0  # delinquent accounts exist: the comparison is not vacuous


def test_flow_through_is_the_product_of_pooled_forward_rolls() -> None:
    rr = roll_rates(synthetic_records(), dates=MONTH_ENDS_2023, measure="balance")
    ft = flow_through(rr)
    pooled = rr.balances.groupby(level="from").sum()
    labels = [r[0] for r in DEFAULT_RANGES]
    rolls = [pooled.loc[a, b] / pooled.loc[a].sum() for a, b in itertools.pairwise(labels)]
    assert list(ft.rolls.index) == ["current -> 1-30", "1-30 -> 31-60", "31-60 -> 61-90", "61-90 -> 90+"]
    np.testing.assert_allclose(ft.rolls.to_numpy(), rolls, rtol=1e-12)
    assert ft.rate == pytest.approx(float(np.prod(rolls)), rel=1e-12)
    assert 0 < ft.rate < 1
    per = [np.prod([rr.matrix(p).loc[a, b] for a, b in itertools.pairwise(labels)])
           for p in range(len(MONTH_ENDS_2023) - 1)]
    np.testing.assert_allclose(ft.by_period.to_numpy(), per, rtol=1e-12)
    pd.testing.assert_frame_equal(rr.pooled(), pooled.reindex(labels).div(pooled.reindex(labels).sum(axis=1),
                                                                           axis=0), rtol=1e-12)


def test_to_frame_is_the_long_form() -> None:
    rr = roll_rates(hand_records(), dates=HAND_DATES)
    long = rr.to_frame()
    assert len(long) == 2 * 5 * 6
    row = long[(long["start"] == "2024-03-31") & (long["from"] == "1-30") & (long["to"] == "closed")]
    assert row[["end", "accounts", "balance", "rate"]].iloc[0].tolist() == [
        pd.Timestamp("2024-04-30"), 3, 2500.0, 0.75]


# ------------------------------------------------------------------ properties ---

some_dates = st.lists(st.integers(0, 450), min_size=2, max_size=6, unique=True).map(
    lambda ds: [pd.Timestamp("2023-01-01") + pd.Timedelta(d, "D") for d in sorted(ds)])
some_buckets = st.lists(st.integers(1, 150), min_size=0, max_size=4, unique=True).map(
    lambda cuts: ["current", *(f"{a}-{b - 1}" for a, b in zip([1, *sorted(cuts)], sorted(cuts), strict=False)
                               if b > a), f"{max([1, *cuts])}+"])


@given(dates=some_dates, buckets=some_buckets, measure=st.sampled_from(["count", "balance"]))
def test_rows_sum_to_one_and_periods_compose(dates: list[pd.Timestamp], buckets: list[str],
                                             measure: str) -> None:
    records = synthetic_records()
    rr = roll_rates(records, dates=dates, buckets=buckets, measure=measure)  # type: ignore[arg-type]
    rates = rr.rates.to_numpy()
    weights = (rr.balances if measure == "balance" else rr.counts).to_numpy().sum(axis=1)
    filled = weights > 0
    np.testing.assert_allclose(rates[filled].sum(axis=1), 1.0, rtol=1e-12)
    assert np.isnan(rates[~filled]).all()
    assert (rates[filled] >= 0).all()
    # each period depends only on its two dates: the periods computed one at a time are the same
    for p in range(len(dates) - 1):
        alone = roll_rates(records, dates=dates[p:p + 2], buckets=buckets)
        np.testing.assert_array_equal(alone.counts.to_numpy(), rr.counts.loc[dates[p]].to_numpy())
    # the accounts of a period are the loans on book and not repaid at its start
    loans, inst = records.loans, records.installments
    assert loans is not None
    assert inst is not None
    for p, start in enumerate(dates[:-1]):
        repaid = inst.assign(done=inst["paid_on"] <= start).groupby("loan_id")["done"].all()
        open_ids = set(loans.loc[loans["drawn_on"] <= start, "loan_id"]) - set(repaid[repaid].index)
        assert rr.counts.loc[start].to_numpy().sum() == len(open_ids), p


@given(dates=some_dates, shift=st.integers(1, 300))
def test_events_after_the_last_date_are_not_read(dates: list[pd.Timestamp], shift: int) -> None:
    records = synthetic_records()
    loans, inst = records.loans, records.installments
    assert loans is not None
    assert inst is not None
    last = dates[-1]
    keep = loans["drawn_on"] <= last
    inst = inst[inst["loan_id"].isin(loans.loc[keep, "loan_id"])].copy()
    inst.loc[inst["paid_on"] > last, "paid_on"] = pd.NaT
    future = inst["due_on"] > last
    inst.loc[future, "due_on"] = inst.loc[future, "due_on"] + pd.Timedelta(shift, "D")
    truncated = records.replace(loans=loans[keep], installments=inst)
    a = roll_rates(records, dates=dates)
    b = roll_rates(truncated, dates=dates)
    pd.testing.assert_frame_equal(a.counts, b.counts)
    pd.testing.assert_frame_equal(a.balances, b.balances)


def test_records_are_not_changed_and_the_result_is_frozen() -> None:
    records = hand_records()
    loans, inst = records.loans, records.installments
    rr = roll_rates(records, dates=HAND_DATES, measure="balance")
    pd.testing.assert_frame_equal(records.loans, loans)
    pd.testing.assert_frame_equal(records.installments, inst)
    assert isinstance(rr, RollRates)
    with pytest.raises(AttributeError):
        rr.measure = "count"  # type: ignore[misc]


# ---------------------------------------------------------------------- errors ---


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dates": ["2024-04-30", "2024-03-31"]},
         r"dates must be in increasing order; got 1 value \('2024-03-31'\) at position 1\. Pass sorted"),
        ({"dates": ["2024-03-31", "2024-03-31", "2024-04-30"]},
         r"dates must not repeat a date; got 1 value \('2024-03-31'\) at position 1"),
        ({"dates": ["2024-03-31"]}, r"dates must hold at least two dates"),
        ({"dates": "2024-03-31"}, r"dates must be a list, tuple, array or Index of values, not a single "),
        ({"dates": ["2024-03-31", "soon"]}, r"dates cannot be read as a date"),
        ({"dates": ["2024-03-31", "2024-04-30 18:00"]}, r"dates must be dates without a time of day"),
        ({"dates": ["2024-03-31", None]}, r"dates must not be missing"),
        ({"buckets": ("1-30", "31+")},
         r"buckets must be labels 'current', 'a-b' or 'N\+' .*got '1-30' at position 0 \(expected .* 0 "),
        ({"buckets": ("current", "1-30", "40+")},
         r"buckets .*got '40\+' at position 2 \(expected a bucket starting at 31"),
        ({"buckets": ("current", "1-30")}, r"buckets .*got '1-30' at position 1 .*open-ended as the last"),
        ({"buckets": ("current", "1-30+")}, r"buckets .*got '1-30\+' at position 1"),
        ({"buckets": ("current", "5-1", "6+")}, r"buckets .*got '5-1' at position 1"),
        ({"buckets": ("current", 30)}, r"buckets .*got non-text labels \(30\)"),
        ({"buckets": ("current",)}, r"buckets must hold at least 2 values"),
        ({"buckets": ("current", "current", "1+")}, r"buckets must not repeat a value"),
        ({"measure": "amount"}, r"measure must be one of 'count', 'balance'; got 'amount'"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"dates": HAND_DATES} | kwargs
    with pytest.raises(InvalidInputError, match=r"^roll_rates: " + message):
        roll_rates(hand_records(), **args)  # type: ignore[arg-type]


def test_records_must_hold_loans_and_instalments() -> None:
    with pytest.raises(InvalidInputError, match=r"^roll_rates: records must hold the loans and installments"):
        roll_rates(RecordSet.from_frames(borrowers=borrowers()), dates=HAND_DATES)
    with pytest.raises(InvalidInputError, match=r"^roll_rates: records must be a jiebei_credit\.records"):
        roll_rates({"loans": None}, dates=HAND_DATES)


def test_bad_period_and_result_are_refused() -> None:
    rr = roll_rates(hand_records(), dates=HAND_DATES)
    refusal = r"^RollRates\.matrix: period must be an integer in \[-2, 1\]"
    for period in (2, -3, 1.0, True):
        with pytest.raises(InvalidInputError, match=refusal):
            rr.matrix(period)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^flow_through: result must be a RollRates"):
        flow_through(rr.rates)  # type: ignore[arg-type]
