"""RecordSet: cross-table rules, immutability, equality of both constructors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.records import RECORD_TYPES, RecordSet, validate
from tests.strategies import record_frames


@given(record_frames())
def test_valid_frames_build_a_record_set_and_inputs_are_untouched(frames: dict[str, pd.DataFrame]) -> None:
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    rs = RecordSet.from_frames(**frames)
    assert rs.tables == tuple(frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])
        pd.testing.assert_frame_equal(rs[name], validate(name, frame))


@given(record_frames())
def test_from_records_equals_from_frames(frames: dict[str, pd.DataFrame]) -> None:
    by_frames = RecordSet.from_frames(**frames)
    records = {
        name: [RECORD_TYPES[name].from_row(row) for row in frame.to_dict("records")]
        for name, frame in frames.items()
    }
    by_records = RecordSet.from_records(**records)  # type: ignore[arg-type]
    assert by_records == by_frames


@given(record_frames())
def test_record_set_cannot_be_changed_through_its_frames(frames: dict[str, pd.DataFrame]) -> None:
    assume(len(frames["loans"]) > 0)
    rs = RecordSet.from_frames(**frames)
    reference = rs.loans
    assert reference is not None
    snapshot = reference.copy(deep=True)
    got = rs.loans
    assert got is not None
    got.loc[got.index[0], "principal"] = -1.0
    got["extra"] = 1
    pd.testing.assert_frame_equal(rs.loans, snapshot)
    with pytest.raises(AttributeError, match="RecordSet is immutable"):
        rs.loans = got  # type: ignore[misc]


def _base() -> dict[str, pd.DataFrame]:
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b1", "b2"],
            "business_type": ["individual_business", "limited_company"],
            "industry": ["catering", None],
            "business_registered_on": ["2019-03-01", None],
            "region": ["Zhejiang", None],
        }
    )
    loans = pd.DataFrame(
        {
            "loan_id": ["L1", "L2"],
            "borrower_id": ["b1", "b2"],
            "drawn_on": ["2024-01-10", "2024-02-01"],
            "principal": [3000.0, 1000.0],
            "term_months": [3, 3],
            "repayment_method": ["equal_principal", "interest_first"],
            "daily_rate": [0.0004, 0.0005],
            "purpose": ["business", "consumption"],
        }
    )
    inst = pd.DataFrame(
        {
            "loan_id": ["L1", "L1", "L1", "L2", "L2", "L2"],
            "seq": [1, 2, 3, 1, 2, 3],
            "due_on": ["2024-02-10", "2024-03-10", "2024-04-10", "2024-03-01", "2024-04-01", "2024-05-01"],
            "principal_due": [1000.0, 1000.0, 1000.0, 0.0, 0.0, 1000.0],
            "interest_due": [36.0, 24.0, 12.0, 15.0, 15.0, 15.0],
            "paid_on": ["2024-02-09", "2024-03-15", None, "2024-03-01", None, None],
        },
        index=[f"i{k}" for k in range(6)],
    )
    return {"borrowers": borrowers, "loans": loans, "installments": inst}


def _problems(**frames: Any) -> set[tuple[str, str | None, Any]]:
    with pytest.raises(SchemaError) as info:
        RecordSet.from_frames(**frames)
    return {(p.table, p.column, p.row) for p in info.value.problems}


def test_hand_built_set_is_valid() -> None:
    rs = RecordSet.from_frames(**_base())
    assert repr(rs) == "RecordSet(borrowers=2, loans=2, installments=6)"
    summary = rs.summary()
    assert summary.loc["installments", "rows"] == 6
    assert summary.loc["installments", "borrowers"] == 2
    assert summary.loc["loans", "first"] == pd.Timestamp("2024-01-10")


def test_foreign_keys() -> None:
    frames = _base()
    frames["loans"].loc[1, "borrower_id"] = "ghost"
    assert ("loans", "borrower_id", 1) in _problems(**frames)
    frames = _base()
    frames["installments"].loc["i4", "loan_id"] = "L9"
    assert ("installments", "loan_id", "i4") in _problems(**frames)
    frames = _base()
    del frames["loans"]
    with pytest.raises(SchemaError, match="pass the loans table too"):
        RecordSet.from_frames(**frames)


def test_due_dates_must_increase_with_seq() -> None:
    frames = _base()
    frames["installments"].loc["i1", "due_on"] = "2024-05-10"  # seq 2 after seq 3
    assert ("installments", "due_on", "i2") in _problems(**frames)


def test_seq_without_gaps() -> None:
    frames = _base()
    frames["installments"].loc["i2", "seq"] = 4
    assert ("installments", "seq", "i2") in _problems(**frames)


def test_principal_must_sum_to_loan_principal() -> None:
    frames = _base()
    # 3 instalments tolerate 3 fen in total (one per instalment); 4 fen is too much.
    frames["installments"].loc["i0", "principal_due"] = 1000.03
    RecordSet.from_frames(**frames)
    frames["installments"].loc["i0", "principal_due"] = 1000.04
    with pytest.raises(SchemaError) as info:
        RecordSet.from_frames(**frames)
    (p,) = info.value.problems
    assert (p.table, p.column, p.row, p.value) == ("loans", "principal", 0, (3000.0, 3000.04))


def test_paid_on_and_due_on_after_drawdown() -> None:
    frames = _base()
    frames["installments"].loc["i0", "paid_on"] = "2024-01-01"
    frames["installments"].loc["i3", "due_on"] = "2024-01-15"
    found = _problems(**frames)
    assert ("installments", "paid_on", "i0") in found
    assert ("installments", "due_on", "i3") in found


def test_loan_without_instalments() -> None:
    frames = _base()
    frames["installments"] = frames["installments"].iloc[:3]
    assert ("loans", "loan_id", 1) in _problems(**frames)


def test_problems_of_all_tables_are_reported_together() -> None:
    frames = _base()
    frames["borrowers"].loc[0, "business_type"] = "startup"
    frames["loans"].loc[0, "daily_rate"] = 0.5
    found = _problems(**frames)
    assert ("borrowers", "business_type", 0) in found
    assert ("loans", "daily_rate", 0) in found


def test_subset_and_replace() -> None:
    rs = RecordSet.from_frames(**_base())
    sub = rs.subset(["b2"])
    assert sub.borrowers["borrower_id"].tolist() == ["b2"]
    assert sub.installments is not None
    assert set(sub.installments["loan_id"]) == {"L2"}
    with pytest.raises(InvalidInputError, match="1 unknown borrower_id"):
        rs.subset(["zz"])
    without = rs.replace(installments=None, loans=None)
    assert without.tables == ("borrowers",)
    with pytest.raises(InvalidInputError, match="unknown tables"):
        rs.replace(loan=None)
    assert rs != without
    assert rs == RecordSet.from_frames(**_base())


def test_from_records_rejects_wrong_types() -> None:
    rs = RecordSet.from_frames(**_base())
    with pytest.raises(
        InvalidInputError, match=r"RecordSet.from_records: loans\[0\] must be a Loan; got a dict\."
    ):
        RecordSet.from_records(
            borrowers=[RECORD_TYPES["borrowers"].from_row(r) for r in rs.borrowers.to_dict("records")],
            loans=[{"loan_id": "x"}],  # type: ignore[list-item]
        )


def test_getitem_and_contains() -> None:
    rs = RecordSet.from_frames(**_base())
    assert "loans" in rs
    assert "transactions" not in rs
    with pytest.raises(KeyError, match="table 'transactions' is not in this RecordSet"):
        rs["transactions"]
    assert rs.transactions is None
    assert rs["loans"]["principal"].dtype == np.float64


def test_date_typed_records() -> None:
    rs = RecordSet.from_frames(**_base())
    loan = RECORD_TYPES["loans"].from_row(rs.loans.iloc[0])  # type: ignore[union-attr]
    assert loan.to_row()["drawn_on"] == dt.date(2024, 1, 10)


@given(record_frames(), st.data())
def test_any_foreign_key_break_is_found(frames: dict[str, pd.DataFrame], data: st.DataObject) -> None:
    children = [
        n
        for n in ("credit_line_events", "loans", "transactions", "zhima_scores", "inquiries")
        if len(frames[n])
    ]
    assume(children)
    name = data.draw(st.sampled_from(children))
    frame = frames[name].copy()
    pos = data.draw(st.integers(0, len(frame) - 1))
    frame.iloc[pos, frame.columns.get_loc("borrower_id")] = "not-a-borrower"
    frames = {**frames, name: frame}
    assert (name, "borrower_id", frame.index[pos]) in _problems(**frames)
