"""The Segments reductions of the cash-flow features: 30-day blocks, earlier windows, active days,
repeat groups and the complement filter.

Each reduction is checked on a small hand-worked case, against a plain pandas filter per
observation written from its docstring (not from the vectorised code) on generated records,
on empty segments and with missing values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import FeatureFamily, FeatureSpec, PointInTimeView, Segments, extract
from jiebei_credit.records import Column, RecordSet, TableSchema
from tests.strategies import feature_cases

Frames = dict[str, pd.DataFrame]
Case = tuple[Frames, pd.DataFrame]
DAY = pd.Timedelta(days=1)
# Sums add the same rows in another order than pandas: equal up to float rounding
# (amounts below 2 * 10**4 CNY, at most 60 rows).
RTOL, ATOL = 1e-12, 1e-9


def _family(
    compute: Callable[[PointInTimeView], Mapping[str, Any]], names: tuple[str, ...], tables: tuple[str, ...]
) -> FeatureFamily:
    specs = tuple(
        FeatureSpec(name=n, family="blocks", window=None, unit="CNY", description="A reduction under test.",
                    description_zh="测试用归约", sources=tables, category="financial_account_flows",
                    nan_meaning="see the test")
        for n in names
    )
    return FeatureFamily("blocks", tables, specs, compute)


def _extract(rs: RecordSet, obs: pd.DataFrame, compute: Callable[[Segments], Any], months: int = 0,
             table: str = "transactions") -> np.ndarray:
    """``compute(view.events(table))`` for every observation: one column, or ``months`` block columns."""
    names = tuple(f"x{k}" for k in range(months)) if months else ("x",)

    def run(view: PointInTimeView) -> dict[str, Any]:
        got = compute(view.events(table))
        if months:
            return {n: got[:, k] for k, n in enumerate(names)}
        return {"x": got}

    return extract(rs, obs, families=[_family(run, names, (table,))]).to_numpy()


def _seen(rs: RecordSet, borrower: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The borrower's transactions dated before as_of, with their day (the date of the timestamp)."""
    tx = rs["transactions"]
    tx = tx[tx["borrower_id"] == borrower]
    tx = tx.assign(day=pd.to_datetime(tx["occurred_at"]).dt.floor("D"))
    return tx[tx["day"] < as_of]


def _between(rows: pd.DataFrame, as_of: pd.Timestamp, newer: int, older: int) -> pd.DataFrame:
    return rows[(rows["day"] >= as_of - older * DAY) & (rows["day"] < as_of - newer * DAY)]


def _each(case: Case, want: Callable[[pd.DataFrame, pd.Timestamp], list[float]],
          got: np.ndarray, *, exact: bool) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    for i, (borrower, as_of) in enumerate(zip(obs["borrower_id"], obs["as_of"], strict=True)):
        when = pd.Timestamp(as_of)
        expected = np.asarray(want(_seen(rs, borrower, when), when), dtype=float)
        if exact:
            np.testing.assert_array_equal(got[i], expected, err_msg=f"observation {i}")
        else:
            np.testing.assert_allclose(got[i], expected, rtol=RTOL, atol=ATOL, err_msg=f"observation {i}")


def _sales(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["kind"].astype(str) == "sale"]


# ---- properties against pandas filters ------------------------------------------------------------


@given(case=feature_cases(), months=st.integers(1, 9))
def test_block_sums_are_the_sums_of_the_30_day_blocks(case: Case, months: int) -> None:
    rs = RecordSet.from_frames(**case[0])
    got = _extract(rs, case[1], lambda s: s.where("kind", ["sale"]).block_sums("amount", months), months)

    def want(rows: pd.DataFrame, as_of: pd.Timestamp) -> list[float]:
        sales = _sales(rows)
        return [float(_between(sales, as_of, 30 * k, 30 * (k + 1))["amount"].sum()) for k in range(months)]

    _each(case, want, got, exact=False)


@given(case=feature_cases(), months=st.integers(1, 9))
def test_block_counts_are_the_row_counts_of_the_30_day_blocks(case: Case, months: int) -> None:
    rs = RecordSet.from_frames(**case[0])
    got = _extract(rs, case[1], lambda s: s.block_counts(months), months)

    def want(rows: pd.DataFrame, as_of: pd.Timestamp) -> list[float]:
        return [float(len(_between(rows, as_of, 30 * k, 30 * (k + 1)))) for k in range(months)]

    _each(case, want, got, exact=True)


@given(case=feature_cases(), newer=st.sampled_from([0, 1, 29, 30, 90]),
       length=st.sampled_from([1, 30, 60, 90]))
def test_sum_and_count_between_read_the_earlier_window(case: Case, newer: int, length: int) -> None:
    rs = RecordSet.from_frames(**case[0])
    older = newer + length
    sums = _extract(rs, case[1], lambda s: s.sum_between("amount", newer, older))
    counts = _extract(rs, case[1], lambda s: s.count_between(newer, older))
    _each(case, lambda rows, as_of: [float(_between(rows, as_of, newer, older)["amount"].sum())], sums,
          exact=False)
    _each(case, lambda rows, as_of: [float(len(_between(rows, as_of, newer, older)))], counts, exact=True)


@given(case=feature_cases(), window=st.sampled_from([None, 1, 2, 30, 31, 90, 365]))
def test_active_days_are_the_distinct_days_with_a_row(case: Case, window: int | None) -> None:
    rs = RecordSet.from_frames(**case[0])
    got = _extract(rs, case[1], lambda s: s.where("kind", ["sale"]).active_days(window))

    def want(rows: pd.DataFrame, as_of: pd.Timestamp) -> list[float]:
        sales = _sales(rows) if window is None else _between(_sales(rows), as_of, 0, window)
        return [float(sales["day"].nunique())]

    _each(case, want, got, exact=True)


@given(case=feature_cases(), window=st.sampled_from([None, 30, 90]), min_rows=st.integers(1, 4))
def test_count_distinct_with_min_rows_counts_the_groups_held_often_enough(
    case: Case, window: int | None, min_rows: int
) -> None:
    rs = RecordSet.from_frames(**case[0])
    got = _extract(rs, case[1], lambda s: s.count_distinct("counterparty_id", window, min_rows=min_rows))

    def want(rows: pd.DataFrame, as_of: pd.Timestamp) -> list[float]:
        inside = rows if window is None else _between(rows, as_of, 0, window)
        held = inside["counterparty_id"].dropna().value_counts()
        return [float((held >= min_rows).sum())]

    _each(case, want, got, exact=True)


@given(case=feature_cases(),
       excluded=st.sets(st.sampled_from(["sale", "refund", "loan_disbursement", "other"])))
def test_where_not_keeps_the_other_rows(case: Case, excluded: set[str]) -> None:
    rs = RecordSet.from_frames(**case[0])
    values = sorted(excluded)
    sums = _extract(rs, case[1], lambda s: s.where_not("kind", values).sum("amount", 90))
    counts = _extract(rs, case[1], lambda s: s.where_not("kind", values).count())

    def kept(rows: pd.DataFrame) -> pd.DataFrame:
        return rows[~rows["kind"].astype(str).isin(values)]

    _each(case, lambda rows, as_of: [float(_between(kept(rows), as_of, 0, 90)["amount"].sum())], sums,
          exact=False)
    _each(case, lambda rows, as_of: [float(len(kept(rows)))], counts, exact=True)


@given(case=feature_cases(max_observations=3))
def test_a_filtered_segment_has_the_bits_of_a_table_holding_only_its_rows(case: Case) -> None:
    # where() reuses the canonical order of the whole table; the reductions over the kept rows
    # must be those of records that never held the other rows, to the bit.
    frames, obs = case
    only = dict(frames, transactions=frames["transactions"][frames["transactions"]["kind"] == "sale"])

    def reductions(s: Segments) -> np.ndarray:
        return np.column_stack([s.block_sums("amount", 4), s.sum_between("amount", 30, 120),
                                s.hhi("amount", "counterparty_id", 90), s.trend("amount", 3)])

    sales = lambda s: reductions(s.where("kind", ["sale"]))  # noqa: E731
    filtered = _extract(RecordSet.from_frames(**frames), obs, sales, 7)
    alone = _extract(RecordSet.from_frames(**only), obs, reductions, 7)
    np.testing.assert_array_equal(filtered.view(np.int64), alone.view(np.int64))


# ---- a hand-worked case -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand() -> RecordSet:
    # Blocks before as_of 2024-06-01: k=0 [05-02, 06-01), k=1 [04-02, 05-02), k=2 [03-03, 04-02),
    # k=3 [02-02, 03-03), k=4 [01-03, 02-02) (2024 is a leap year: 03-03 minus 30 days is 02-02).
    return RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1", "b2"], "business_type": ["individual_business"] * 2,
                                "industry": [None, None], "business_registered_on": ["2020-01-01"] * 2,
                                "region": [None, None]}),
        transactions=pd.DataFrame({
            "transaction_id": [f"t{k}" for k in range(1, 10)],
            "borrower_id": ["b1"] * 9,
            "occurred_at": ["2024-02-20 10:00", "2024-03-10 09:00", "2024-05-05 08:00", "2024-05-05 20:00",
                            "2024-05-20 12:00", "2024-05-20 13:00", "2024-05-25 11:00", "2024-06-01 00:00",
                            "2024-01-10 15:00"],
            "amount": [50.0, 200.0, 100.0, 40.0, 300.0, 50.0, 1000.0, 999.0, 70.0],
            "direction": ["in", "in", "in", "in", "in", "out", "in", "in", "in"],
            "kind": ["sale", "sale", "sale", "sale", "sale", "refund", "loan_disbursement", "sale", "sale"],
            "counterparty_id": ["p3", "p1", "p1", "p2", "p2", "p2", None, "p1", None],
        }),
    )


# b1 on 2024-06-01 (t8 at 06-01 00:00 is on as_of: invisible), b2 without transactions, b1 before its first.
HAND_OBS = pd.DataFrame({"borrower_id": ["b1", "b2", "b1"],
                         "as_of": ["2024-06-01", "2024-06-01", "2024-01-01"]})


def test_block_sums_and_counts_by_hand(hand: RecordSet) -> None:
    sums = _extract(hand, HAND_OBS, lambda s: s.where("kind", ["sale"]).block_sums("amount", 5), 5)
    # Sales: k=0 t3 100 + t4 40 + t5 300 = 440; k=1 none; k=2 t2 200; k=3 t1 50; k=4 t9 70.
    np.testing.assert_array_equal(sums[0], [440.0, 0.0, 200.0, 50.0, 70.0])
    np.testing.assert_array_equal(sums[1:], np.zeros((2, 5)))  # no row: every block sums to 0
    counts = _extract(hand, HAND_OBS, lambda s: s.block_counts(5), 5)
    # All rows: k=0 t3, t4, t5, t6 (refund), t7 (loan) = 5; k=1 none; k=2 t2; k=3 t1; k=4 t9.
    np.testing.assert_array_equal(counts[0], [5.0, 0.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(counts[1:], np.zeros((2, 5)))


def test_windows_before_as_of_by_hand(hand: RecordSet) -> None:
    sales = lambda s: s.where("kind", ["sale"])  # noqa: E731
    # [03-03, 05-02): t2 200 alone; [2023-12-04, 03-03): t9 70 + t1 50.
    assert _extract(hand, HAND_OBS, lambda s: sales(s).sum_between("amount", 30, 90))[:, 0].tolist() == [
        200.0, 0.0, 0.0]
    counts = _extract(hand, HAND_OBS, lambda s: sales(s).count_between(30, 90))[:, 0]
    assert counts.tolist() == [1.0, 0.0, 0.0]
    assert _extract(hand, HAND_OBS, lambda s: sales(s).sum_between("amount", 90, 180))[0, 0] == 120.0
    assert _extract(hand, HAND_OBS, lambda s: sales(s).count_between(90, 180))[0, 0] == 2.0
    # newer=0 is the ordinary window: the 440 of the last 30 days.
    assert _extract(hand, HAND_OBS, lambda s: sales(s).sum_between("amount", 0, 30))[0, 0] == 440.0


def test_active_days_by_hand(hand: RecordSet) -> None:
    sale_days = _extract(hand, HAND_OBS, lambda s: s.where("kind", ["sale"]).active_days(30))[:, 0]
    assert sale_days.tolist() == [2.0, 0.0, 0.0]  # 05-05 (08:00 and 20:00: one day) and 05-20
    any_days = _extract(hand, HAND_OBS, lambda s: s.active_days(30))[:, 0]
    assert any_days.tolist() == [3.0, 0.0, 0.0]  # 05-05, 05-20 and 05-25 (the loan)
    ever = _extract(hand, HAND_OBS, lambda s: s.where("kind", ["sale"]).active_days())[:, 0]
    assert ever.tolist() == [5.0, 0.0, 0.0]  # 01-10, 02-20, 03-10, 05-05, 05-20


def test_count_distinct_min_rows_by_hand(hand: RecordSet) -> None:
    def payers(window: int | None, k: int) -> list[float]:
        compute = lambda s: s.where("kind", ["sale"]).count_distinct("counterparty_id", window, min_rows=k)  # noqa: E731
        return list(_extract(hand, HAND_OBS, compute)[:, 0])

    # Visible sales by payer: p1 t2, t3; p2 t4, t5; p3 t1; t9 has no payer and is not counted.
    assert payers(None, 1) == [3.0, 0.0, 0.0]
    assert payers(None, 2) == [2.0, 0.0, 0.0]  # p1 and p2
    assert payers(None, 3) == [0.0, 0.0, 0.0]
    # Last 30 days: p1 t3; p2 t4, t5.
    assert payers(30, 1) == [2.0, 0.0, 0.0]
    assert payers(30, 2) == [1.0, 0.0, 0.0]


def test_where_not_by_hand(hand: RecordSet) -> None:
    inflow = lambda s: s.where("direction", ["in"]).where_not("kind", ["loan_disbursement"])  # noqa: E731
    # Inflows of the last 30 days but the 1 000 loan: t3 100 + t4 40 + t5 300.
    assert _extract(hand, HAND_OBS, lambda s: inflow(s).sum("amount", 30))[:, 0].tolist() == [440.0, 0.0, 0.0]
    assert _extract(hand, HAND_OBS, lambda s: s.where_not("kind", ["sale"]).count())[0, 0] == 2.0  # t6, t7
    # A missing value is not one of the values: t7 and t9 (no payer) stay with t1 (p3) and t4-t6 (p2).
    assert _extract(hand, HAND_OBS, lambda s: s.where_not("counterparty_id", ["p1"]).count())[0, 0] == 6.0
    # where and where_not split the 8 visible rows: p1's t2 and t3, and the 6 others.
    assert _extract(hand, HAND_OBS, lambda s: s.where("counterparty_id", ["p1"]).count())[0, 0] == 2.0


def test_missing_values_make_their_block_and_window_nan() -> None:
    schema = TableSchema(
        name="rent_payments",
        columns=(
            Column(name="borrower_id", kind="id", description="Borrower.", description_zh="借款人"),
            Column(name="paid_on", kind="date", description="Paid.", description_zh="缴费日期"),
            Column(name="amount", kind="float", nullable=True, description="CNY.", description_zh="金额"),
        ),
        primary_key=("borrower_id", "paid_on"),
        borrower_key="borrower_id",
        event_date="paid_on",
        known_at="paid_on",
        category="utility_payments",
        description="Rent paid.",
        description_zh="房租缴费",
    )
    rent = pd.DataFrame({"borrower_id": ["b1", "b1"], "paid_on": ["2024-03-10", "2024-05-10"],
                         "amount": [5.0, None]})
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
                                "industry": [None], "business_registered_on": ["2020-01-01"],
                                "region": [None]}),
    ).with_table(schema, rent)
    obs = HAND_OBS.iloc[[0]]
    blocks = _extract(rs, obs, lambda s: s.block_sums("amount", 3), 3, table="rent_payments")
    # 05-10 (missing amount) is in block 0, no row in block 1, 03-10 (5.0) in block 2.
    np.testing.assert_array_equal(blocks[0], [np.nan, 0.0, 5.0])
    counts = _extract(rs, obs, lambda s: s.block_counts(3), 3, table="rent_payments")
    np.testing.assert_array_equal(counts[0], [1.0, 0.0, 1.0])  # a row with a missing value still counts
    assert _extract(rs, obs, lambda s: s.sum_between("amount", 30, 90), table="rent_payments")[0, 0] == 5.0
    recent = _extract(rs, obs, lambda s: s.sum_between("amount", 0, 60), table="rent_payments")
    assert math.isnan(recent[0, 0])
    assert _extract(rs, obs, lambda s: s.active_days(), table="rent_payments")[0, 0] == 2.0


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (lambda s: s.block_sums("amount", 0), r"months must be an integer in \[1, 120\]; got "),
        (lambda s: s.block_sums("amount", 121), r"months must be an integer in \[1, 120\]; got "),
        (lambda s: s.block_sums("kind", 3), "must be numeric"),
        (lambda s: s.block_sums("nope", 3), "must be a column"),
        (lambda s: s.block_counts(2.0), "months must be an integer"),
        (lambda s: s.sum_between("amount", 30, 30), "older must be greater than newer=30"),
        (lambda s: s.sum_between("amount", -1, 30), "newer must be an integer"),
        (lambda s: s.count_between(0, 3651), "older must be an integer"),
        (lambda s: s.active_days(0), "window must be"),
        (lambda s: s.count_distinct("counterparty_id", 30, min_rows=0), "min_rows must be an integer >= 1"),
        (lambda s: s.count_distinct("nope", 30), "must be a column"),
        (lambda s: s.where_not("nope", ["sale"]), "must be a column"),
        (lambda s: s.where_not("kind", "sale"), "values"),
    ],
)
def test_bad_arguments_are_clear_errors(
    hand: RecordSet, compute: Callable[[Segments], Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=f"PointInTimeView: .*{message}"):
        _extract(hand, HAND_OBS, lambda s: np.asarray(compute(s)).reshape(len(HAND_OBS), -1)[:, 0])


@pytest.mark.parametrize(
    "compute",
    [lambda s: s.sum("nope", 30), lambda s: s.trend("nope", 3), lambda s: s.sum_between("nope", 30, 60)],
)
def test_sums_of_an_unknown_column_are_clear_errors(
    hand: RecordSet, compute: Callable[[Segments], Any]
) -> None:
    with pytest.raises(InvalidInputError, match="PointInTimeView: column must be a column of the table"):
        _extract(hand, HAND_OBS, compute)
