"""validate(): normalisation of valid tables and the report of every problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.records import SCHEMAS, Column, validate
from tests.strategies import nonempty_table, record_frames


def expected_normalised(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Independent reference: each input column converted with plain pandas."""
    out = {}
    for col in SCHEMAS[table].columns:
        s = frame[col.name]
        if col.kind in ("id", "text"):
            out[col.name] = s.astype("string")
        elif col.kind == "category":
            out[col.name] = pd.Series(pd.Categorical(s, categories=list(col.allowed)), index=s.index)
        elif col.kind in ("date", "datetime"):
            out[col.name] = pd.Series(
                [pd.NaT if v is None else pd.Timestamp(v) for v in s], index=s.index, dtype="datetime64[ns]"
            )
        elif col.kind == "float":
            out[col.name] = s.astype("float64")
        else:
            out[col.name] = s.astype("Int64")
    return pd.DataFrame(out, index=frame.index)


@given(record_frames())
def test_valid_frames_pass_and_content_is_unchanged(frames: dict[str, pd.DataFrame]) -> None:
    for table, frame in frames.items():
        before = frame.copy(deep=True)
        out = validate(table, frame)
        pd.testing.assert_frame_equal(out, expected_normalised(table, frame))
        pd.testing.assert_frame_equal(frame, before)  # input never mutated
        assert [str(t) for t in out.dtypes] == [c.dtype_label() for c in SCHEMAS[table].columns]


@given(record_frames(), st.data())
def test_index_labels_are_kept(frames: dict[str, pd.DataFrame], data: st.DataObject) -> None:
    table = data.draw(st.sampled_from(sorted(frames)))
    frame = frames[table]
    labels = data.draw(st.permutations([f"r{i}" for i in range(len(frame))]))
    framed = frame.set_axis(labels, axis=0)
    assert validate(table, framed).index.tolist() == labels


def _numeric(table: str) -> list[Column]:
    return [c for c in SCHEMAS[table].columns if c.kind in ("float", "int")]


def _first(table: str, kinds: tuple[str, ...], nullable: bool | None = None) -> list[Column]:
    return [
        c for c in SCHEMAS[table].columns if c.kind in kinds and (nullable is None or c.nullable == nullable)
    ]


# Each corruption: (name, columns it applies to in a table, new cell value, rule fragment).
Corruption = tuple[str, Callable[[str], list[Column]], Any, str]
CORRUPTIONS: list[Corruption] = [
    ("uncoercible number", _numeric, "12,5x", "cannot be read as"),
    ("infinity", lambda t: _first(t, ("float",)), np.inf, "must be finite"),
    (
        "non-positive amount",
        lambda t: [c for c in _numeric(t) if c.minimum == 0 and c.exclusive_minimum],
        0.0,
        "must satisfy 0 < value",
    ),
    ("negative amount", lambda t: [c for c in _numeric(t) if c.minimum == 0], -1.0, "must satisfy"),
    ("implausible daily rate", lambda t: [c for c in _numeric(t) if c.name == "daily_rate"], 0.02, "≤ 0.01"),
    (
        "zhima out of range",
        lambda t: [c for c in _numeric(t) if c.name == "score"],
        1000,
        "350 ≤ value ≤ 950",
    ),
    ("bad enum value", lambda t: _first(t, ("category",)), "nonsense", "must be one of"),
    (
        "missing required value",
        lambda t: _first(t, ("id", "category", "date", "float", "int"), False),
        None,
        "is required",
    ),
    ("unreadable date", lambda t: _first(t, ("date", "datetime")), "2024-13-45", "cannot be read as"),
    ("date with time of day", lambda t: _first(t, ("date",)), "2024-03-01 09:30", "without time of day"),
    ("whole number expected", lambda t: [c for c in _numeric(t) if c.kind == "int"], 3.5, "whole number"),
    ("empty identifier", lambda t: _first(t, ("id",), False), "", "empty string"),
]


@given(record_frames(), st.data())
@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_each_corruption_is_reported_at_its_cell(
    corruption: Corruption, frames: dict[str, pd.DataFrame], data: st.DataObject
) -> None:
    _, columns_of, value, fragment = corruption
    candidates = [(t, c) for t, f in sorted(frames.items()) if len(f) for c in columns_of(t)]
    assume(candidates)
    table, col = data.draw(st.sampled_from(candidates))
    frame = frames[table]
    pos = data.draw(st.integers(0, len(frame) - 1))
    framed = frame.set_axis([f"row{i}" for i in range(len(frame))], axis=0).astype({col.name: object})
    framed.iloc[pos, framed.columns.get_loc(col.name)] = value
    before = framed.copy(deep=True)
    with pytest.raises(SchemaError) as info:
        validate(table, framed)
    pd.testing.assert_frame_equal(framed, before)
    hits = [p for p in info.value.problems if p.column == col.name and p.row == f"row{pos}"]
    assert hits, info.value
    assert any(fragment in p.rule for p in hits), [p.rule for p in hits]
    assert all(p.table == table for p in info.value.problems)


@given(nonempty_table(), st.data())
def test_missing_and_unknown_columns_are_reported(
    case: tuple[str, pd.DataFrame, Any], data: st.DataObject
) -> None:
    table, frame, _ = case
    dropped = data.draw(st.sampled_from(list(frame.columns)))
    bad = frame.drop(columns=[dropped]).assign(surplus=1)
    with pytest.raises(SchemaError) as info:
        validate(table, bad)
    found = {(p.column, p.row) for p in info.value.problems}
    assert (dropped, None) in found
    assert ("surplus", None) in found
    rules = " ".join(p.rule for p in info.value.problems)
    assert "required column is missing" in rules
    assert "unknown column" in rules


@given(nonempty_table(), st.data())
def test_duplicate_primary_key_is_reported(case: tuple[str, pd.DataFrame, Any], data: st.DataObject) -> None:
    table, frame, _ = case
    key = list(SCHEMAS[table].primary_key)
    doubled = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    with pytest.raises(SchemaError) as info:
        validate(table, doubled)
    dup = [p for p in info.value.problems if "duplicate primary key" in p.rule]
    assert [p.row for p in dup] == [len(frame)]
    assert dup[0].column == ", ".join(key)
    assert "first seen at row 0" in dup[0].rule


def test_unknown_columns_keep_and_drop() -> None:
    raw = pd.DataFrame({"borrower_id": ["b1"], "observed_on": ["2024-01-05"], "score": [700], "note": ["x"]})
    kept = validate("zhima_scores", raw, unknown_columns="keep")
    assert kept.columns.tolist() == ["borrower_id", "observed_on", "score", "note"]
    assert kept["note"].tolist() == ["x"]
    dropped = validate("zhima_scores", raw, unknown_columns="drop")
    assert dropped.columns.tolist() == ["borrower_id", "observed_on", "score"]
    with pytest.raises(SchemaError, match="unknown column; remove it or pass unknown_columns="):
        validate("zhima_scores", raw)
    with pytest.raises(
        InvalidInputError,
        match=r"validate: unknown_columns must be one of 'raise', 'keep', 'drop'; got 'ignore'\.",
    ):
        validate("zhima_scores", raw, unknown_columns="ignore")  # type: ignore[arg-type]


def test_message_lists_first_ten_and_total() -> None:
    raw = pd.DataFrame(
        {"borrower_id": [f"b{i}" for i in range(15)], "observed_on": ["2024-01-05"] * 15, "score": [100] * 15}
    )
    with pytest.raises(SchemaError) as info:
        validate("zhima_scores", raw)
    err = info.value
    assert len(err.problems) == 15  # every violation, not just the first ten
    text = str(err)
    assert "15 schema problems" in text
    assert text.count("must satisfy 350 ≤ value ≤ 950") == 10
    assert "... and 5 more (see SchemaError.problems)" in text


def test_bad_arguments() -> None:
    with pytest.raises(
        InvalidInputError, match=r"validate: table must be one of 'borrowers', .*; got 'loan'\."
    ):
        validate("loan", pd.DataFrame())
    with pytest.raises(InvalidInputError, match=r"validate: frame must be a pandas DataFrame; got a dict\."):
        validate("loans", {"loan_id": ["a"]})  # type: ignore[arg-type]


def _scores(**overrides: Any) -> pd.DataFrame:
    base: dict[str, Any] = {
        "borrower_id": ["b1", "b2"],
        "observed_on": ["2024-01-05", "2024-02-05"],
        "score": [700, 650],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_date_inputs() -> None:
    # ISO strings, slashes, compact form, date objects and Timestamps are all read as the same day.
    for values in (
        ["2024-01-05", "2024-02-05"],
        ["2024/01/05", "2024/02/05"],
        ["20240105", "20240205"],
        [dt.date(2024, 1, 5), dt.date(2024, 2, 5)],
        pd.to_datetime(["2024-01-05", "2024-02-05"]),
    ):
        out = validate("zhima_scores", _scores(observed_on=values))
        assert out["observed_on"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-02-05")]
    tz = pd.to_datetime(["2024-01-05", "2024-02-05"]).tz_localize("Asia/Shanghai")
    with pytest.raises(SchemaError, match=r"tz_convert\('Asia/Shanghai'\)\.dt\.tz_localize\(None\)"):
        validate("zhima_scores", _scores(observed_on=tz))
    with pytest.raises(SchemaError, match="has dtype int64: numbers are never dates"):
        validate("zhima_scores", _scores(observed_on=[20240105, 20240205]))
    with pytest.raises(SchemaError, match="must be a date between 1950-01-01 and 2100-12-31"):
        validate("zhima_scores", _scores(observed_on=pd.to_datetime(["1900-01-05", "2024-02-05"])))


def test_nullable_and_categorical_inputs() -> None:
    out = validate(
        "zhima_scores",
        _scores(
            borrower_id=pd.array(["b1", "b2"], dtype="string"),
            score=pd.array([700, 650], dtype="Int64"),
        ),
    )
    assert out["score"].tolist() == [700, 650]
    inq = pd.DataFrame(
        {
            "inquiry_id": [1, 2],  # integer identifiers are read as strings
            "borrower_id": ["b1", "b1"],
            "inquired_on": ["2024-01-01", "2024-01-02"],
            "institution_type": pd.Categorical(["bank", "micro_loan"]),
        }
    )
    out = validate("inquiries", inq)
    assert out["inquiry_id"].tolist() == ["1", "2"]
    assert out["institution_type"].cat.categories.tolist() == list(
        SCHEMAS["inquiries"].column("institution_type").allowed
    )
    with pytest.raises(
        SchemaError, match=r"not floats \(float identifiers usually hide NaN-damaged integers\)"
    ):
        validate("inquiries", inq.assign(inquiry_id=[1.5, 2.0]))


def test_empty_frame_is_normalised() -> None:
    cols = SCHEMAS["loans"].column_names
    out = validate("loans", pd.DataFrame({c: [] for c in cols}))
    assert len(out) == 0
    assert [str(t) for t in out.dtypes] == [c.dtype_label() for c in SCHEMAS["loans"].columns]


def test_transaction_direction_must_match_kind() -> None:
    tx = pd.DataFrame(
        {
            "transaction_id": ["t1", "t2", "t3"],
            "borrower_id": ["b1"] * 3,
            "occurred_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 11:00", "2024-01-03 00:00"]),
            "amount": [10.0, 5.0, 7.0],
            "direction": ["in", "in", "out"],
            "kind": ["sale", "refund", "transfer"],
            "counterparty_id": ["c1", None, "c2"],
        }
    )
    with pytest.raises(SchemaError) as info:
        validate("transactions", tx)
    (p,) = info.value.problems
    assert (p.column, p.row, p.rule) == ("direction", 1, "a 'refund' must have direction 'out'")


def test_output_does_not_share_memory_with_input() -> None:
    raw = _scores(score=np.array([700.0, 650.0]))
    raw_cle = pd.DataFrame(
        {
            "borrower_id": ["b1"],
            "effective_on": pd.to_datetime(["2024-01-01"]),
            "limit": np.array([5000.0]),
            "daily_rate": np.array([0.0004]),
        }
    )
    out = validate("credit_line_events", raw_cle)
    raw_cle.loc[0, "limit"] = 1.0
    raw_cle.loc[0, "effective_on"] = pd.Timestamp("2030-01-01")
    assert out.loc[0, "limit"] == 5000.0
    assert out.loc[0, "effective_on"] == pd.Timestamp("2024-01-01")
    assert validate("zhima_scores", raw)["score"].tolist() == [700, 650]
