"""Regression tests: every input to records is read one way or refused with a library error.

Each test is the minimal reproduction of a defect (issue "Every input is
either handled right or refused clearly", items 5, 6, 10 and 11).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.records import (
    SCHEMAS,
    Column,
    ForeignKey,
    Loan,
    RecordSet,
    TableSchema,
    ZhimaScore,
    validate,
)


def scores(**overrides: Any) -> pd.DataFrame:
    base: dict[str, Any] = {
        "borrower_id": ["b1", "b2"],
        "observed_on": ["2024-01-05", "2024-02-05"],
        "score": [700, 650],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def problems(call: Any, **kwargs: Any) -> list[tuple[str | None, Any, str]]:
    with pytest.raises(SchemaError) as info:
        call(**kwargs)
    return [(p.column, p.row, p.rule) for p in info.value.problems]


def validate_scores(frame: pd.DataFrame, **kw: Any) -> pd.DataFrame:
    return validate("zhima_scores", frame, **kw)


# ------------------------------------------------------------- arguments ---


@pytest.mark.parametrize("table", [["loans"], None, 3, "loan"])
def test_a_table_that_is_not_a_table_name_is_refused(table: Any) -> None:
    # validate(["loans"], df) raised TypeError: unhashable type: 'list'
    with pytest.raises(InvalidInputError, match=r"^validate: table must be one of 'borrowers', .*; got "):
        validate(table, scores())


def test_options_are_checked_and_numpy_strings_accepted() -> None:
    with pytest.raises(
        InvalidInputError, match=r"validate: unknown_columns must be one of .*; got \['keep'\]"
    ):
        validate("zhima_scores", scores(), unknown_columns=["keep"])  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"validate: date_format must be None \(ISO 8601\) or a strftime"
    ):
        validate("zhima_scores", scores(), date_format="mixed")
    with pytest.raises(InvalidInputError, match=r"date_format must be .*; got 5\. "):
        validate("zhima_scores", scores(), date_format=5)  # type: ignore[arg-type]
    kept = validate("zhima_scores", scores(), unknown_columns=np.str_("keep"))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(kept, validate("zhima_scores", scores()))


# ----------------------------------------------------------------- dates ---


def test_numbers_are_never_dates_even_in_an_object_column() -> None:
    # An object column holding 20240105 and a nanosecond integer gave two different readings.
    ns = int(pd.Timestamp("2024-02-05").value)
    frame = scores(observed_on=np.array([20240105, ns], dtype=object))
    found = problems(validate_scores, frame=frame)
    assert [(c, r) for c, r, _ in found] == [("observed_on", 0), ("observed_on", 1)]
    assert all("numbers are never dates" in rule for _, _, rule in found)
    with pytest.raises(SchemaError, match=r"observed_on: has dtype int64: numbers are never dates"):
        validate_scores(scores(observed_on=[20240105, 20240205]))


@pytest.mark.parametrize(
    "far",
    [
        dt.date(1, 1, 1),
        "0001-01-01",
        "3000-01-01",
        np.datetime64("2500-06-01", "D"),
        pd.Timestamp("1900-01-01"),
    ],
    ids=["date-year-1", "iso-year-1", "iso-3000", "datetime64-2500", "timestamp-1900"],
)
def test_out_of_range_dates_mixed_with_timestamps_are_refused_at_their_row(far: Any) -> None:
    # Mixed with Timestamps, dates outside pandas' nanosecond range raised OutOfBoundsDatetime.
    frame = scores(observed_on=np.array([pd.Timestamp("2024-01-05"), far], dtype=object))
    assert problems(validate_scores, frame=frame) == [
        ("observed_on", 1, "must be a date between 1950-01-01 and 2100-12-31")
    ]


def test_datetime64_columns_outside_the_range_are_refused() -> None:
    frame = scores(observed_on=np.array(["2024-01-05", "2262-04-12"], dtype="datetime64[s]"))
    assert problems(validate_scores, frame=frame) == [
        ("observed_on", 1, "must be a date between 1950-01-01 and 2100-12-31")
    ]


@pytest.mark.parametrize("word", ["now", "today", " Today ", "yesterday"])
def test_relative_words_are_refused(word: str) -> None:
    # "now" and "today" read the wall clock; the library keeps no hidden state.
    found = problems(validate_scores, frame=scores(observed_on=[word, "2024-02-05"]))
    assert [(c, r) for c, r, _ in found] == [("observed_on", 0)]
    assert "relative words" in found[0][2]


def test_ambiguous_day_month_strings_are_refused_unless_a_format_is_declared() -> None:
    frame = scores(observed_on=["06/07/2023", "13/07/2023"])
    found = problems(validate_scores, frame=frame)
    # Both rows refused: neither is ISO 8601, and "06/07/2023" could be June 7 or July 6.
    assert [(c, r) for c, r, _ in found] == [("observed_on", 0), ("observed_on", 1)]
    assert "declare another format with date_format" in found[0][2]
    out = validate_scores(frame, date_format="%d/%m/%Y")
    assert out["observed_on"].tolist() == [pd.Timestamp("2023-07-06"), pd.Timestamp("2023-07-13")]
    with pytest.raises(SchemaError, match="cannot be read with the declared date_format '%m/%d/%Y'"):
        validate_scores(frame, date_format="%m/%d/%Y")  # 13 is no month


def test_a_column_is_never_read_two_ways() -> None:
    # The old "mixed" fallback read "05/01/2024" month-first next to ISO strings.
    found = problems(validate_scores, frame=scores(observed_on=["2024-01-05", "05/01/2024"]))
    assert [(c, r) for c, r, _ in found] == [("observed_on", 1)]


def test_pyarrow_dates_and_identifiers_are_accepted() -> None:
    want = validate_scores(scores(observed_on=pd.to_datetime(["2024-01-05", "2024-02-05"])))
    days = pd.Series([dt.date(2024, 1, 5), dt.date(2024, 2, 5)])
    for observed in (
        days.astype(pd.ArrowDtype(pa.date32())),
        pd.Series(pd.to_datetime(days)).astype(pd.ArrowDtype(pa.timestamp("ms"))),
        pd.Series(pd.to_datetime(days)).astype(pd.ArrowDtype(pa.timestamp("ns"))),
    ):
        for ids in (
            pd.Series(["b1", "b2"], dtype=pd.ArrowDtype(pa.string())),
            pd.Series(["b1", "b2"], dtype=pd.ArrowDtype(pa.large_string())),
        ):
            frame = scores(
                observed_on=observed,
                borrower_id=ids,
                score=pd.Series([700, 650]).astype(pd.ArrowDtype(pa.int64())),
            )
            pd.testing.assert_frame_equal(validate_scores(frame), want)


def test_time_zone_aware_pyarrow_timestamps_are_refused() -> None:
    aware = pd.Series(pd.to_datetime(["2024-01-05", "2024-02-05"]).tz_localize("Asia/Shanghai"))
    with pytest.raises(SchemaError, match=r"observed_on: has dtype timestamp\[us, tz=Asia/Shanghai\]"):
        validate_scores(
            scores(observed_on=aware.astype(pd.ArrowDtype(pa.timestamp("us", tz="Asia/Shanghai"))))
        )


def test_categorical_dates_are_read_through_their_categories() -> None:
    frame = scores(observed_on=pd.Categorical(["2024-01-05", "2024-02-05"]))
    assert validate_scores(frame)["observed_on"].tolist() == [
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-02-05"),
    ]
    with pytest.raises(SchemaError, match="relative words"):
        validate_scores(scores(observed_on=pd.Categorical(["today", "2024-02-05"])))


def test_record_set_takes_a_date_format_for_every_table() -> None:
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b1"],
            "business_type": ["unregistered"],
            "industry": [None],
            "business_registered_on": ["31/01/2020"],
            "region": [None],
        }
    )
    rs = RecordSet.from_frames(
        borrowers=borrowers,
        zhima_scores=scores(borrower_id=["b1", "b1"], observed_on=["05/01/2024", "05/02/2024"]),
        date_format="%d/%m/%Y",
    )
    assert rs.borrowers["business_registered_on"].tolist() == [pd.Timestamp("2020-01-31")]
    assert rs.zhima_scores is not None
    assert rs.zhima_scores["observed_on"].dt.month.tolist() == [1, 2]
    with pytest.raises(SchemaError):
        RecordSet.from_frames(borrowers=borrowers)  # 31/01/2020 is not ISO 8601


# ----------------------------------------------------------------- types ---


def test_a_bool_in_an_object_id_column_is_refused_like_a_bool_column() -> None:
    # It was read as the identifier "True".
    found = problems(validate_scores, frame=scores(borrower_id=np.array(["b1", True], dtype=object)))
    assert found == [("borrower_id", 1, "must be a string or a whole number (identifiers are text)")]
    with pytest.raises(SchemaError, match=r"borrower_id: has dtype bool; .*a bool is not an identifier"):
        validate_scores(scores(borrower_id=[True, False]))


def test_floats_in_a_categorical_id_column_are_refused_like_a_float_column() -> None:
    # pd.Categorical([1.0, 2.0]) was read as the identifiers "1.0" and "2.0".
    with pytest.raises(
        SchemaError,
        match=r"borrower_id: has dtype category; \(categories of dtype float64\) "
        r"must hold strings or whole numbers, not floats",
    ):
        validate_scores(scores(borrower_id=pd.Categorical([1.0, 2.0])))
    with pytest.raises(
        SchemaError, match=r"borrower_id: has dtype float64; must hold strings or whole numbers"
    ):
        validate_scores(scores(borrower_id=[1.0, 2.0]))
    as_int_categories = validate_scores(scores(borrower_id=pd.Categorical([1, 2])))
    assert as_int_categories["borrower_id"].tolist() == ["1", "2"]


def test_complex_numbers_booleans_and_durations_are_not_numbers() -> None:
    # The imaginary part of 700+1j was dropped with a ComplexWarning.
    with pytest.raises(SchemaError, match=r"score: has dtype complex128; .*complex numbers are refused"):
        validate_scores(scores(score=[700 + 1j, 650]))
    assert problems(validate_scores, frame=scores(score=np.array([700 + 1j, 650], dtype=object))) == [
        ("score", 0, "complex numbers are refused; only real numbers are accepted")
    ]
    assert problems(validate_scores, frame=scores(score=np.array([True, 650], dtype=object))) == [
        ("score", 0, "a bool is not a number")
    ]
    with pytest.raises(SchemaError, match=r"score: has dtype bool; .*a bool is not a number"):
        validate_scores(scores(score=[True, False]))
    with pytest.raises(SchemaError, match=r"durations \(timedeltas\) are not amounts"):
        validate_scores(scores(score=pd.to_timedelta([700, 650], unit="D")))


def test_huge_numbers_give_range_problems_not_warnings() -> None:
    # 1e300 in a whole-number column was cast to int64 with an "invalid value" RuntimeWarning.
    found = problems(validate_scores, frame=scores(score=[1e300, 2**80]))
    assert [(c, r) for c, r, _ in found] == [("score", 0), ("score", 1)]
    assert all(rule == "must satisfy 350 ≤ value ≤ 950" for _, _, rule in found)


def test_unhashable_cells_are_reported_not_raised() -> None:
    inquiries = pd.DataFrame(
        {
            "inquiry_id": ["q1"],
            "borrower_id": ["b1"],
            "inquired_on": ["2024-01-01"],
            "institution_type": pd.Series([["bank"]], dtype=object),
        }
    )
    assert problems(validate, table="inquiries", frame=inquiries) == [
        ("institution_type", 0, "must be one of: bank, consumer_finance, micro_loan, guarantee, other")
    ]


def test_numpy_scalars_are_accepted_by_records_and_bools_refused() -> None:
    # Loan(term_months=np.int64(12)) was refused.
    kw: dict[str, Any] = {
        "loan_id": "L1",
        "borrower_id": "b1",
        "drawn_on": dt.date(2024, 1, 1),
        "principal": np.float32(1000.0),
        "term_months": np.int64(12),
        "repayment_method": "equal_installment",
        "daily_rate": 0.0004,
        "purpose": "business",
    }
    loan = Loan(**kw)
    assert loan.term_months == 12
    assert type(loan.term_months) is int
    assert loan.principal == 1000.0
    assert type(loan.principal) is float
    for field, value, rule in (
        ("term_months", True, "cannot be read as a whole number"),
        ("term_months", 12.0, "must be a whole number (an int, not float)"),
        ("principal", 1000j, "cannot be read as a number"),
        ("drawn_on", dt.date(1, 1, 1), "must be a date between 1950-01-01 and 2100-12-31"),
        ("drawn_on", "today", "relative words"),
    ):
        with pytest.raises(SchemaError, match=re.escape(rule)):
            Loan(**{**kw, field: value})


def test_from_row_reads_cells_by_the_same_rules() -> None:
    ok = ZhimaScore.from_row(
        {"borrower_id": np.int64(7), "observed_on": np.datetime64("2024-03-01"), "score": "702"}
    )
    assert (ok.borrower_id, ok.observed_on, ok.score) == ("7", dt.date(2024, 3, 1), 702)
    for cell, rule in (
        ({"observed_on": "today"}, "relative words"),
        ({"observed_on": "1900-01-01"}, "must be a date between"),
        ({"observed_on": 20240301}, "cannot be read as a date"),
        ({"score": True}, "cannot be read as a whole number"),
        ({"borrower_id": 7.0}, "cannot be read as an identifier"),
    ):
        with pytest.raises(SchemaError, match=rule):
            ZhimaScore.from_row({"borrower_id": "b1", "observed_on": "2024-03-01", "score": 702, **cell})


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (5, r"ZhimaScore.from_row: row must be a mapping \(a dict\) or a frame row \(a Series\); got a int"),
        ([("borrower_id", "b1")], r"row must be a mapping .*; got a list"),
        (pd.Series(["b1", "b2"], index=["borrower_id", "borrower_id"]), r"row must have each key once"),
        ({1: "b1"}, r"row must have the keys of table 'zhima_scores' .*unknown \['1'\]"),
    ],
)
def test_from_row_refuses_what_is_not_a_row(row: Any, match: str) -> None:
    # from_row(5) raised AttributeError: 'int' object has no attribute 'keys'.
    with pytest.raises(InvalidInputError, match=match):
        ZhimaScore.from_row(row)


# ------------------------------------------------------------ record sets ---


def test_borrowers_are_required() -> None:
    # RecordSet.from_frames(borrowers=None) succeeded and failed later with a KeyError.
    with pytest.raises(InvalidInputError, match=r"RecordSet.from_frames: borrowers is required .*; got None"):
        RecordSet.from_frames(borrowers=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"RecordSet.from_records: borrowers is required"):
        RecordSet.from_records(borrowers=None)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"from_records: borrowers must be an iterable of Borrower .*str"
    ):
        RecordSet.from_records(borrowers="b1")  # type: ignore[arg-type]


def test_a_loans_table_with_a_bad_row_is_not_called_absent() -> None:
    # An extra "pass the loans table too" problem came with the bad row of a loans table that WAS passed.
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b1"],
            "business_type": ["unregistered"],
            "industry": [None],
            "business_registered_on": [None],
            "region": [None],
        }
    )
    loans = pd.DataFrame(
        {
            "loan_id": ["L1"],
            "borrower_id": ["b1"],
            "drawn_on": ["2024-01-10"],
            "principal": [-1.0],
            "term_months": [1],
            "repayment_method": ["interest_first"],
            "daily_rate": [0.0004],
            "purpose": ["business"],
        }
    )
    inst = pd.DataFrame(
        {
            "loan_id": ["L1"],
            "seq": [1],
            "due_on": ["2024-02-10"],
            "principal_due": [1.0],
            "interest_due": [0.0],
            "paid_on": [None],
        }
    )
    found = problems(RecordSet.from_frames, borrowers=borrowers, loans=loans, installments=inst)
    assert found == [("principal", 0, "must satisfy 0 < value ≤ 10,000,000")]
    absent = problems(RecordSet.from_frames, borrowers=borrowers, installments=inst)
    assert absent == [
        ("loan_id", None, "table 'installments' references loans.loan_id; pass the loans table too")
    ]


def test_record_set_lookups_and_subsets_refuse_wrong_types() -> None:
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b1", "7"],
            "business_type": ["unregistered"] * 2,
            "industry": [None] * 2,
            "business_registered_on": [None] * 2,
            "region": [None] * 2,
        }
    )
    rs = RecordSet.from_frames(borrowers=borrowers)
    assert ["loans"] not in rs  # was TypeError: unhashable type: 'list'
    with pytest.raises(InvalidInputError, match=r"table must be a table name \(a string\); got \['loans'\]"):
        rs[["loans"]]  # type: ignore[index]
    with pytest.raises(InvalidInputError, match=r"borrower_ids must be .* not a single string; got 'b1'"):
        rs.subset("b1")  # was read as the identifiers "b" and "1"
    with pytest.raises(InvalidInputError, match=r"borrower_ids must be a string or a whole number"):
        rs.subset([7.0])
    assert rs.subset([np.int64(7)]).borrowers["borrower_id"].tolist() == ["7"]
    assert rs.subset(pd.Index(["b1"])).borrowers["borrower_id"].tolist() == ["b1"]
    with pytest.raises(
        InvalidInputError, match=r"RecordSet.replace: loans must be a pandas DataFrame or None"
    ):
        rs.replace(loans=5)  # type: ignore[arg-type]


# --------------------------------------------------------------- schemas ---


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "x", "kind": "nope"}, r"Column: kind must be one of 'id', .*; got 'nope'"),
        ({"name": "", "kind": "id"}, r"Column: name must be a non-empty string"),
        ({"name": "x", "kind": "int", "minimum": 5, "maximum": 1}, r"minimum must not exceed maximum"),
        (
            {"name": "x", "kind": "float", "minimum": float("nan")},
            r"minimum must be a finite number; got nan",
        ),
        ({"name": "x", "kind": "category"}, r"enum is required exactly for category columns"),
        ({"name": "x", "kind": "id", "nullable": "no"}, r"nullable must be True or False; got 'no'"),
    ],
)
def test_bad_column_definitions_raise_library_errors(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        Column(description="", description_zh="", **kwargs)


def test_bad_table_definitions_raise_library_errors() -> None:
    col = SCHEMAS["loans"].column("loan_id")
    with pytest.raises(InvalidInputError, match=r"TableSchema: primary_key must be .* not a single string"):
        TableSchema(
            name="t",
            columns=(col,),
            primary_key="loan_id",  # type: ignore[arg-type]
            description="",
            description_zh="",
        )
    with pytest.raises(InvalidInputError, match=r"TableSchema: columns must have distinct names"):
        TableSchema(name="t", columns=(col, col), primary_key=("loan_id",), description="", description_zh="")
    with pytest.raises(InvalidInputError, match=r"ForeignKey: ref_columns must have one column per column"):
        ForeignKey(columns=("a",), ref_table="t", ref_columns=("a", "b"))
