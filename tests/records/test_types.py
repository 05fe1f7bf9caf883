"""Typed records: fields match the schemas, invariants, from_row / to_row."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.records import (
    RECORD_TYPES,
    SCHEMAS,
    Borrower,
    Direction,
    Loan,
    RepaymentMethod,
    Transaction,
    ZhimaScore,
)
from tests.strategies import record_frames


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_record_fields_are_the_schema_columns(table: str) -> None:
    cls = RECORD_TYPES[table]
    assert tuple(f.name for f in dataclasses.fields(cls)) == SCHEMAS[table].column_names
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert "__slots__" in cls.__dict__
    for f in dataclasses.fields(cls):
        assert f.kw_only


@given(record_frames())
def test_from_row_to_row_round_trip(frames: dict[str, pd.DataFrame]) -> None:
    for table, frame in frames.items():
        cls = RECORD_TYPES[table]
        for row in frame.to_dict("records"):
            rec = cls.from_row(row)
            again = cls.from_row(rec.to_row())
            assert again == rec
            plain = rec.to_row()
            assert list(plain) == list(SCHEMAS[table].column_names)


def _loan(**kw: object) -> Loan:
    base: dict[str, object] = {
        "loan_id": "L1",
        "borrower_id": "b1",
        "drawn_on": dt.date(2024, 1, 1),
        "principal": 1000.0,
        "term_months": 12,
        "repayment_method": "equal_installment",
        "daily_rate": 0.0004,
        "purpose": "business",
    }
    base.update(kw)
    return Loan(**base)  # type: ignore[arg-type]


def test_strings_become_enums() -> None:
    loan = _loan()
    assert loan.repayment_method is RepaymentMethod.EQUAL_INSTALLMENT
    assert loan.to_row()["repayment_method"] == "equal_installment"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("principal", 0.0, "must satisfy 0 < value"),
        ("principal", float("inf"), "must be finite"),
        ("daily_rate", 0.011, "≤ 0.01"),
        ("term_months", 0, "1 ≤ value ≤ 60"),
        ("repayment_method", "balloon", "must be one of: equal_installment, equal_principal, interest_first"),
        ("drawn_on", dt.datetime(2024, 1, 1, 9, 30), "cannot be read as a date"),
        ("loan_id", "", "must not be an empty string"),
        ("borrower_id", None, "is required"),
    ],
)
def test_invariants_are_checked_on_construction(field: str, value: object, fragment: str) -> None:
    with pytest.raises(SchemaError, match=fragment) as info:
        _loan(**{field: value})
    assert [p.column for p in info.value.problems] == [field]


def test_records_are_frozen_and_replace_rechecks() -> None:
    z = ZhimaScore(borrower_id="b1", observed_on=dt.date(2024, 1, 1), score=700)
    with pytest.raises(dataclasses.FrozenInstanceError):
        z.score = 800  # type: ignore[misc]
    assert dataclasses.replace(z, score=710).score == 710
    with pytest.raises(SchemaError, match="350 ≤ value ≤ 950"):
        dataclasses.replace(z, score=300)


def test_transaction_direction_rule() -> None:
    with pytest.raises(SchemaError, match="a 'sale' must have direction 'in'"):
        Transaction(
            transaction_id="t",
            borrower_id="b",
            occurred_at=dt.datetime(2024, 1, 1, 10),
            amount=5.0,
            direction=Direction.OUT,
            kind="sale",  # type: ignore[arg-type]
        )


def test_from_row_key_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"missing \['business_type'\]; unknown \['name'\]"):
        Borrower.from_row({"borrower_id": "b1", "name": "Zhang San"})
    b = Borrower.from_row({"borrower_id": 7, "business_type": "partnership"})
    assert b.borrower_id == "7"
    assert b.industry is None
    row = pd.Series({"borrower_id": "b1", "observed_on": pd.Timestamp("2024-01-01"), "score": 701.0})
    assert ZhimaScore.from_row(row).score == 701
    with pytest.raises(SchemaError, match="whole number"):
        ZhimaScore.from_row({"borrower_id": "b1", "observed_on": "2024-01-01", "score": 701.5})
