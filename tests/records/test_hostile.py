"""Hostile inputs to records: every call gives the right result or a library error naming the culprit.

Hypothesis corrupts valid tables (tests/strategies.py) one way at a time:
hostile cell values (wrong types, NaN/inf, extreme and out-of-range
numbers and dates, relative and ambiguous date strings, unhashable
objects), whole-column dtypes (object, nullable, pyarrow, categorical,
bool, float, complex, timedelta, time-zone aware), empty and one-row
frames, duplicated, shuffled and multi-level indexes, missing, repeated,
unknown and reordered columns, and wrong argument types. Each call must
either return the result an independent reference predicts, or raise a
:class:`~jiebei_credit.errors.JiebeiCreditError` naming the parameter (a
:class:`~jiebei_credit.errors.SchemaError` naming the table, column and row
for table problems). No call may change its inputs or ``warnings.filters``.

The reference is written from the rules in the user guide, value by
value, not from the validator: see :func:`cell_cases`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError, JiebeiCreditError, SchemaError
from jiebei_credit.records import RECORD_TYPES, SCHEMAS, TABLE_NAMES, Column, RecordSet, validate
from tests.strategies import nonempty_table, record_frames

#: The expected outcome of a refused value.
REFUSE = object()
FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# ------------------------------------------------------------ the harness ---


def snapshot(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=True)
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return value


def assert_unchanged(before: Any, after: Any) -> None:
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before, check_exact=True)
        assert after.index.equals(before.index)
        assert list(after.columns) == list(before.columns)
    elif isinstance(before, dict):
        for k, v in before.items():
            assert_unchanged(v, after[k])


@contextmanager
def guarded(*inputs: Any) -> Iterator[None]:
    """Inputs and warnings.filters are the same after the call, however it ends."""
    before = [snapshot(x) for x in inputs]
    filters = list(warnings.filters)
    try:
        yield
    finally:
        assert list(warnings.filters) == filters
        for b, x in zip(before, inputs, strict=True):
            assert_unchanged(b, x)


def attempt(call: Callable[[], Any], *inputs: Any) -> Any:
    """The result of ``call``, or the library error it raised (anything else fails the test)."""
    with guarded(*inputs):
        try:
            return call()
        except JiebeiCreditError as err:
            return err


# ------------------------------------------------------------ cell values ---


def _date_cases(col: Column) -> list[tuple[Any, Any]]:
    """(value, expected) for a date or datetime column; expected is a Timestamp, NaT or REFUSE."""
    day = pd.Timestamp("2024-01-05")
    cases: list[tuple[Any, Any]] = [
        (dt.date(2024, 1, 5), day),
        ("2024-01-05", day),
        (np.datetime64("2024-01-05", "D"), day),
        (np.datetime64("2024-01-05T00:00:00", "s"), day),
        (pd.Timestamp("2024-01-05"), day),
        (dt.date(1950, 1, 1), pd.Timestamp("1950-01-01")),
        (dt.date(2100, 12, 31), pd.Timestamp("2100-12-31")),
        (dt.date(1949, 12, 31), REFUSE),
        (dt.date(2101, 1, 1), REFUSE),
        (dt.date(1, 1, 1), REFUSE),
        ("0001-01-01", REFUSE),
        ("3000-01-01", REFUSE),
        (np.datetime64("2500-01-01", "D"), REFUSE),
        (20240105, REFUSE),
        (np.int64(20240105), REFUSE),
        (int(day.value), REFUSE),  # nanoseconds since the epoch: still a number
        (1.5, REFUSE),
        (True, REFUSE),
        ("today", REFUSE),
        ("now", REFUSE),
        ("06/07/2023", REFUSE),
        ("13/07/2023", REFUSE),
        ("2024-13-45", REFUSE),
        ("", REFUSE),
        ("2024-01-05T10:00:00+08:00", REFUSE),
        (dt.datetime(2024, 1, 5, 10, tzinfo=SHANGHAI), REFUSE),
        (pd.Timedelta(days=1), REFUSE),
        ([2024, 1, 5], REFUSE),
        ({"y": 2024}, REFUSE),
    ]
    missing = pd.NaT if col.nullable else REFUSE
    cases += [(None, missing), (np.nan, missing), (pd.NaT, missing)]
    timed = pd.Timestamp("2024-01-05 10:30")
    expected_timed = timed if col.kind == "datetime" else REFUSE
    cases += [(dt.datetime(2024, 1, 5, 10, 30), expected_timed), ("2024-01-05 10:30", expected_timed)]
    return cases


def _number_expected(col: Column, x: float) -> Any:
    """The rule of a numeric column, written out: finite, whole for ``int``, within the declared range."""
    if math.isnan(x):
        return np.nan if col.nullable else REFUSE
    if math.isinf(x) or (col.kind == "int" and not float(x).is_integer()):
        return REFUSE
    if col.minimum is not None and (x <= col.minimum if col.exclusive_minimum else x < col.minimum):
        return REFUSE
    if col.maximum is not None and (x >= col.maximum if col.exclusive_maximum else x > col.maximum):
        return REFUSE
    return int(x) if col.kind == "int" else float(x)


def number_edges(col: Column) -> list[float | int]:
    """The bounds of a numeric column, just inside and just outside, and the extremes."""
    edges: list[float | int] = [0, 1, -1, 0.5, 1e300, -1e300, 2**53 + 1, 2**80, math.inf, -math.inf, math.nan]
    for bound in (col.minimum, col.maximum):
        if bound is not None:
            edges += [
                bound,
                bound + 1,
                bound - 1,
                math.nextafter(bound, math.inf),
                math.nextafter(bound, -math.inf),
            ]
    return edges


def _number_cases(col: Column) -> st.SearchStrategy[tuple[Any, Any]]:
    low = col.minimum if col.minimum is not None else -1e6
    high = col.maximum if col.maximum is not None else 1e6
    inside = (
        st.integers(math.ceil(low), int(high))
        if col.kind == "int"
        else st.floats(low, high, exclude_min=col.exclusive_minimum, exclude_max=col.exclusive_maximum)
    )
    reals = st.one_of(
        inside,
        inside,
        st.sampled_from(number_edges(col)),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(2**70), 2**70),
    )

    def real_case(x: float | int) -> tuple[Any, Any]:
        return x, _number_expected(col, float(x))

    wrappers = st.sampled_from(["plain", "numpy", "string", "decimal"])

    def wrapped(pair: tuple[Any, Any], how: str) -> tuple[Any, Any]:
        x, want = pair
        if how == "numpy" and isinstance(x, int) and abs(x) < 2**63:
            return np.int64(x), want
        if how == "numpy" and isinstance(x, float):
            return np.float64(x), want
        if how == "string" and not (isinstance(x, float) and math.isnan(x)):
            return repr(float(x)) if isinstance(x, float) else str(x), want
        if how == "decimal" and not (isinstance(x, float) and math.isnan(x)):
            return decimal.Decimal(x), want
        return x, want

    refused = st.sampled_from(
        [
            True,
            False,
            np.bool_(True),
            700 + 0j,
            1j,
            "12,5x",
            "abc",
            "",
            "nan",
            pd.Timedelta(days=1),
            dt.date(2024, 1, 1),
            [1],
            {"a": 1},
            b"7",
        ]
    )
    missing = st.sampled_from([None, np.nan, pd.NA]).map(lambda v: (v, np.nan if col.nullable else REFUSE))
    return st.one_of(
        st.tuples(reals.map(real_case), wrappers).map(lambda t: wrapped(*t)),
        refused.map(lambda v: (v, REFUSE)),
        missing,
    )


def _id_cases(col: Column) -> list[tuple[Any, Any]]:
    missing = pd.NA if col.nullable else REFUSE
    return [
        ("zz9", "zz9"),
        ("中文", "中文"),
        (7, "7"),
        (np.int64(-3), "-3"),
        (np.str_("np"), "np"),
        (2**70, str(2**70)),
        ("", REFUSE if col.kind == "id" else ""),
        (True, REFUSE),
        (np.bool_(False), REFUSE),
        (7.0, REFUSE),
        (np.float32(1.5), REFUSE),
        (b"bytes", REFUSE),
        (["x"], REFUSE),
        ({"x": 1}, REFUSE),
        (dt.date(2024, 1, 1), REFUSE),
        (1 + 2j, REFUSE),
        (decimal.Decimal("7"), REFUSE),
        (None, missing),
        (np.nan, missing),
        (pd.NA, missing),
    ]


def _category_cases(col: Column) -> list[tuple[Any, Any]]:
    assert col.enum is not None
    first = col.allowed[0]
    return [
        (first, first),
        (col.enum(first), first),
        (np.str_(first), first),
        (first.upper(), REFUSE),
        (f" {first}", REFUSE),
        ("nonsense", REFUSE),
        ("", REFUSE),
        (1, REFUSE),
        (True, REFUSE),
        ([first], REFUSE),
        (None, REFUSE),
        (np.nan, REFUSE),
    ]


def cell_cases(col: Column) -> st.SearchStrategy[tuple[Any, Any]]:
    """Hostile values of one column with the value the rules expect, or REFUSE."""
    if col.kind in ("date", "datetime"):
        return st.sampled_from(_date_cases(col))
    if col.kind in ("float", "int"):
        return _number_cases(col)
    if col.kind == "category":
        return st.sampled_from(_category_cases(col))
    return st.sampled_from(_id_cases(col))


#: One valid row per table; every listed hostile value replaces one of its cells in turn.
ONE_ROW: dict[str, dict[str, Any]] = {
    "borrowers": {
        "borrower_id": "b1",
        "business_type": "partnership",
        "industry": "retail",
        "business_registered_on": dt.date(2020, 5, 1),
        "region": "Zhejiang",
    },
    "credit_line_events": {
        "borrower_id": "b1",
        "effective_on": dt.date(2024, 1, 1),
        "limit": 5000.0,
        "daily_rate": 0.0004,
    },
    "loans": {
        "loan_id": "L1",
        "borrower_id": "b1",
        "drawn_on": dt.date(2024, 1, 10),
        "principal": 900.0,
        "term_months": 3,
        "repayment_method": "equal_installment",
        "daily_rate": 0.0004,
        "purpose": "business",
    },
    "installments": {
        "loan_id": "L1",
        "seq": 1,
        "due_on": dt.date(2024, 2, 10),
        "principal_due": 300.0,
        "interest_due": 10.8,
        "paid_on": dt.date(2024, 2, 9),
    },
    "transactions": {
        "transaction_id": "t1",
        "borrower_id": "b1",
        "occurred_at": dt.datetime(2024, 3, 1, 12),
        "amount": 58.0,
        "direction": "in",
        "kind": "transfer",
        "counterparty_id": "c1",
    },
    "zhima_scores": {"borrower_id": "b1", "observed_on": dt.date(2024, 1, 5), "score": 700},
    "inquiries": {
        "inquiry_id": "q1",
        "borrower_id": "b1",
        "inquired_on": dt.date(2024, 1, 2),
        "institution_type": "bank",
    },
}


def listed_cases(col: Column) -> list[tuple[Any, Any]]:
    """Every hand-listed hostile value of a column (the Hypothesis strategies draw from these too)."""
    if col.kind in ("date", "datetime"):
        return _date_cases(col)
    if col.kind in ("float", "int"):
        edges = [(x, _number_expected(col, float(x))) for x in number_edges(col)]
        texts = [(repr(float(x)), want) for x, want in edges if not math.isnan(float(x))]
        odd = [
            (v, REFUSE)
            for v in (
                True,
                np.bool_(False),
                1j,
                "12,5x",
                "",
                "nan",
                pd.Timedelta(days=1),
                dt.date(2024, 1, 1),
                [1],
                b"7",
            )
        ]
        return edges + texts + odd + [(None, np.nan if col.nullable else REFUSE)]
    if col.kind == "category":
        return _category_cases(col)
    return _id_cases(col)


@pytest.mark.slow  # over 5 s even with the fast Hypothesis profile
def test_every_listed_hostile_value_in_every_column() -> None:
    # Exhaustive over the hand-listed values: validate and from_row give the same verdict and value.
    checked = 0
    for table, row in ONE_ROW.items():
        reference = validate(table, pd.DataFrame([row]))
        for col in SCHEMAS[table].columns:
            for value, want in listed_cases(col):
                bad = cell_frame(pd.DataFrame([row]), col.name, 0, value)
                got = attempt(lambda t=table, b=bad: validate(t, b), bad)
                record = attempt(
                    lambda t=table, v=value, c=col.name, r=row: RECORD_TYPES[t].from_row({**r, c: v})
                )
                where = f"{value!r} in {table}.{col.name}"
                if want is REFUSE:
                    assert isinstance(got, SchemaError), f"{where} was accepted"
                    assert problem_at(got, table, col.name, 0), got
                    assert isinstance(record, SchemaError), f"{where} was accepted by from_row"
                    assert [p.column for p in record.problems] == [col.name], record
                else:
                    expected = reference.copy()
                    expected.iloc[0, expected.columns.get_loc(col.name)] = want
                    assert not isinstance(got, Exception), f"{where}: {got}"
                    pd.testing.assert_frame_equal(got, expected, check_exact=True)
                    assert not isinstance(record, Exception), f"{where} (from_row): {record}"
                    assert getattr(record, col.name) == _python(col, want), where
                checked += 1
    assert checked > 700


# ----------------------------------------------------------- frame helpers ---


def cell_frame(frame: pd.DataFrame, col: str, pos: int, value: Any) -> pd.DataFrame:
    out = frame.astype({col: object})
    cells = out[col].to_numpy(dtype=object).copy()
    cells[pos] = value
    out[col] = pd.Series(cells, index=out.index, dtype=object)
    return out


def violates_row_rules(table: str, ref: pd.DataFrame) -> bool:
    """Whether a reference frame breaks a rule between rows (duplicate key, fixed direction)."""
    key = list(SCHEMAS[table].primary_key)
    if ref.duplicated(subset=key).any():
        return True
    if table == "transactions":
        fixed = {
            "sale": "in",
            "loan_disbursement": "in",
            "refund": "out",
            "purchase": "out",
            "loan_repayment": "out",
        }
        want = ref["kind"].astype(object).map(fixed)
        return bool((want.notna() & (want != ref["direction"].astype(object))).any())
    return False


def problem_at(err: SchemaError, table: str, column: str, row: Any) -> bool:
    return any(p.table == table and p.column == column and p.row == row for p in err.problems)


INDEXES = st.sampled_from(["range", "labels", "duplicated", "multi", "float", "reversed"])


def reindexed(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    n = len(frame)
    if how == "labels":
        index: pd.Index = pd.Index([f"r{i}" for i in range(n)])
    elif how == "duplicated":
        index = pd.Index([0] * n)
    elif how == "multi":
        index = pd.MultiIndex.from_arrays([[f"a{i}" for i in range(n)], list(range(n))])
    elif how == "float":
        index = pd.Index([i + 0.5 for i in range(n)])
    elif how == "reversed":
        index = pd.RangeIndex(n)[::-1]
    else:
        index = pd.RangeIndex(n)
    return frame.set_axis(index, axis=0)


# ------------------------------------------------------------ the suites ---


def any_column(draw: st.DrawFn, table: str) -> Column:
    """A column of ``table``, each kind of column as likely as the others."""
    kinds = sorted({c.kind for c in SCHEMAS[table].columns})
    kind = draw(st.sampled_from(kinds))
    return draw(st.sampled_from([c for c in SCHEMAS[table].columns if c.kind == kind]))


@st.composite
def hostile_cells(draw: st.DrawFn) -> tuple[str, pd.DataFrame, str, int, Any, Any]:
    table, frame, _ = draw(nonempty_table())
    frame = reindexed(frame, draw(INDEXES))
    col = any_column(draw, table)
    pos = draw(st.integers(0, len(frame) - 1))
    value, want = draw(cell_cases(col))
    return table, frame, col.name, pos, value, want


@settings(max_examples=150)
@given(hostile_cells())
def test_validate_a_hostile_cell(case: tuple[str, pd.DataFrame, str, int, Any, Any]) -> None:
    table, frame, col, pos, value, want = case
    bad = cell_frame(frame, col, pos, value)
    got = attempt(lambda: validate(table, bad), bad)
    label = bad.index[pos]
    event(f"{SCHEMAS[table].column(col).kind}: {'refused' if want is REFUSE else 'accepted'}")
    if want is REFUSE:
        assert isinstance(got, SchemaError), f"{value!r} in {table}.{col} was accepted"
        assert problem_at(got, table, col, label), got
        assert all(p.table == table for p in got.problems)
        return
    reference = validate(table, frame).copy()
    reference.iloc[pos, reference.columns.get_loc(col)] = want
    if violates_row_rules(table, reference):
        assert isinstance(got, SchemaError), got
        assert all(p.table == table for p in got.problems)
        return
    assert not isinstance(got, Exception), f"{value!r} in {table}.{col}: {got}"
    pd.testing.assert_frame_equal(got, reference, check_exact=True)


@st.composite
def record_rows(draw: st.DrawFn) -> tuple[str, dict[str, Any], str, Any, Any]:
    table, frame, _ = draw(nonempty_table())
    row = frame.iloc[draw(st.integers(0, len(frame) - 1))].to_dict()
    col = any_column(draw, table)
    value, want = draw(cell_cases(col))
    return table, row, col.name, value, want


def _python(col: Column, want: Any) -> Any:
    """A normalised table value as the record field's Python value."""
    if want is pd.NA or want is pd.NaT or (isinstance(want, float) and math.isnan(want)):
        return None
    if col.kind == "date":
        return want.date()
    if col.kind == "datetime":
        return want.to_pydatetime()
    return want


@settings(max_examples=150)
@given(record_rows())
def test_a_record_from_a_hostile_row(case: tuple[str, dict[str, Any], str, Any, Any]) -> None:
    # Records read a row's cells by the same rules as validate reads a column.
    table, row, col, value, want = case
    column = SCHEMAS[table].column(col)
    bad = {**row, col: value}
    cls = RECORD_TYPES[table]
    got = attempt(lambda: cls.from_row(bad))
    event(f"{column.kind}: {'refused' if want is REFUSE else 'accepted'}")
    if want is not REFUSE and table == "transactions" and col in ("kind", "direction"):
        ref = pd.DataFrame([{**row, col: want}])
        if violates_row_rules(table, ref):
            want = REFUSE
    if want is REFUSE:
        assert isinstance(got, SchemaError), f"{value!r} as {table}.{col} was accepted: {got}"
        assert any(p.column == col for p in got.problems), got
        return
    assert not isinstance(got, Exception), f"{value!r} as {table}.{col}: {got}"
    field = getattr(got, col)
    expected = _python(column, want)
    assert field == expected
    assert type(field) is type(expected) or (column.kind == "category" and field == expected)


#: Whole-column dtype changes; :func:`convert` says which keep the values (and must be accepted).
CONVERSIONS = (
    "object",
    "category",
    "string",
    "arrow",
    "nullable",
    "bool",
    "float",
    "int",
    "complex",
    "timedelta",
    "aware",
)


def convert(col: Column, s: pd.Series, how: str) -> tuple[pd.Series, bool] | None:
    """``s`` in another dtype, and whether the column must still be accepted; None when not applicable."""
    values = s.astype(object)
    present = values.notna()
    if how == "object":
        return values, True
    if how == "category":
        if col.kind in ("float", "int"):
            return pd.Series(pd.Categorical(s.astype("Float64")), index=s.index), True
        return pd.Series(pd.Categorical(values.where(present, None)), index=s.index), True
    if how == "string" and col.kind in ("id", "text", "category"):
        return s.astype("string"), True
    if how == "arrow":
        if col.kind in ("id", "text", "category"):
            return s.astype(pd.ArrowDtype(pa.large_string())), True
        if col.kind == "date":
            return pd.Series(pd.to_datetime(values)).astype(pd.ArrowDtype(pa.date32())).set_axis(
                s.index
            ), True
        if col.kind == "datetime":
            return pd.Series(pd.to_datetime(values)).astype(pd.ArrowDtype(pa.timestamp("us"))).set_axis(
                s.index
            ), True
        return s.astype(pd.ArrowDtype(pa.float64() if col.kind == "float" else pa.int64())), True
    if how == "nullable" and col.kind in ("float", "int"):
        return s.astype("Float64" if col.kind == "float" else "Int64"), True
    if how == "bool" and col.kind != "category":  # in an enum column True is just not an allowed value
        return pd.Series(True, index=s.index), False
    if how == "complex" and col.kind in ("float", "int"):
        return s.astype(float).astype(complex), False
    if how == "timedelta" and col.kind in ("float", "int"):
        return pd.Series(pd.to_timedelta(np.arange(len(s)), unit="D"), index=s.index), False
    if how == "aware" and col.kind in ("date", "datetime") and present.all():
        return pd.Series(pd.to_datetime(values)).dt.tz_localize("Asia/Shanghai").set_axis(s.index), False
    if how == "float" and col.kind == "id" and present.any():
        return pd.Series(np.arange(len(s), dtype=float) + 0.5, index=s.index), False
    if how == "int" and col.kind in ("date", "datetime") and present.any():
        return pd.Series(np.arange(len(s), dtype=np.int64) + 20240101, index=s.index), False
    return None


@settings(max_examples=100)
@given(nonempty_table(), st.data())
def test_validate_a_column_in_another_dtype(case: tuple[str, pd.DataFrame, Any], data: st.DataObject) -> None:
    table, frame, _ = case
    col = data.draw(st.sampled_from(SCHEMAS[table].columns))
    how = data.draw(st.sampled_from(CONVERSIONS))
    converted = convert(col, frame[col.name], how)
    event(f"{how}: {'skipped' if converted is None else 'used'}")
    if converted is None:
        return
    series, accepted = converted
    other = frame.assign(**{col.name: series})
    got = attempt(lambda: validate(table, other), other)
    if accepted:
        assert not isinstance(got, Exception), f"{how} {table}.{col.name}: {got}"
        pd.testing.assert_frame_equal(got, validate(table, frame), check_exact=True)
    else:
        assert isinstance(got, SchemaError), f"{how} {table}.{col.name} was accepted"
        assert any(p.column == col.name and p.row is None for p in got.problems), got


@given(nonempty_table(), st.data())
def test_validate_hostile_frame_shapes(case: tuple[str, pd.DataFrame, Any], data: st.DataObject) -> None:
    table, frame, _ = case
    frame = reindexed(frame, data.draw(INDEXES))
    names = list(frame.columns)
    shape = data.draw(
        st.sampled_from(["empty", "one row", "shuffled", "missing", "repeated", "unknown", "keep", "drop"])
    )
    reference = validate(table, frame)
    unknown_columns = "raise"
    if shape == "empty":
        other, want = frame.iloc[:0], reference.iloc[:0]
    elif shape == "one row":
        other, want = frame.iloc[:1], reference.iloc[:1]
    elif shape == "shuffled":
        other, want = frame[data.draw(st.permutations(names))], reference
    elif shape == "missing":
        other, want = frame.drop(columns=[data.draw(st.sampled_from(names))]), REFUSE
    elif shape == "repeated":
        dup = data.draw(st.sampled_from(names))
        other, want = frame.copy(), REFUSE
        other.insert(len(names), dup, frame[dup].to_numpy(), allow_duplicates=True)
    else:
        other = frame.assign(extra=np.arange(len(frame)))
        unknown_columns = "raise" if shape == "unknown" else shape
        want = REFUSE if shape == "unknown" else reference
        if shape == "keep":
            want = reference.assign(extra=np.arange(len(frame)))
    got = attempt(lambda: validate(table, other, unknown_columns=unknown_columns), other)
    if want is REFUSE:
        assert isinstance(got, SchemaError), shape
        assert any(p.row is None and p.column in [*names, "extra"] for p in got.problems), got
    else:
        assert not isinstance(got, Exception), f"{shape}: {got}"
        pd.testing.assert_frame_equal(got, want, check_exact=True)


ODD_OBJECTS = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(
        [
            np.int64(3),
            np.array(["loans"]),
            pd.Series(["loans"]),
            pd.Index(["loans"]),
            frozenset({"loans"}),
            object(),
        ]
    ),
)


@given(nonempty_table(), st.data())
def test_validate_hostile_arguments(case: tuple[str, pd.DataFrame, Any], data: st.DataObject) -> None:
    table, frame, _ = case
    frame = frame.assign(
        **{
            c.name: pd.to_datetime(frame[c.name].astype(object))
            for c in SCHEMAS[table].columns
            if c.kind in ("date", "datetime")
        }
    )
    which = data.draw(st.sampled_from(["table", "frame", "unknown_columns", "date_format"]))
    arg = data.draw(
        st.one_of(
            ODD_OBJECTS,
            st.sampled_from(
                [*TABLE_NAMES, "raise", "keep", "drop", "%d/%m/%Y", "ISO8601", "mixed", "%Y%m%d"]
            ),
        )
    )
    kwargs: dict[str, Any] = {"table": table, "frame": frame, which: arg}
    if which == "frame":
        accepted = False
    elif which == "table":
        accepted = isinstance(arg, str) and arg == table
        if isinstance(arg, str) and arg in TABLE_NAMES and arg != table:
            got = attempt(lambda: validate(**kwargs), frame)
            assert isinstance(got, SchemaError)  # another table's columns
            return
    elif which == "unknown_columns":
        accepted = isinstance(arg, str) and arg in ("raise", "keep", "drop")
    else:
        accepted = arg is None or (isinstance(arg, str) and (arg == "ISO8601" or "%" in arg))
    got = attempt(lambda: validate(**kwargs), frame)
    if accepted:
        assert not isinstance(got, Exception), f"{which}={arg!r}: {got}"
        pd.testing.assert_frame_equal(got, validate(table, frame), check_exact=True)
    else:
        assert isinstance(got, InvalidInputError), f"{which}={arg!r}: {got}"
        assert f"validate: {which} " in str(got)


@given(record_frames(max_rows=4), st.data())
def test_record_set_from_hostile_frames(frames: dict[str, pd.DataFrame], data: st.DataObject) -> None:
    reference = RecordSet.from_frames(**frames)
    how = data.draw(st.sampled_from(["cell", "dtype", "absent parent", "not a frame", "no borrowers"]))
    tables = [n for n, f in frames.items() if len(f)]
    name = data.draw(st.sampled_from(tables))
    given_frames = dict(frames)
    event(how)
    if how == "cell":
        col = data.draw(st.sampled_from(SCHEMAS[name].columns))
        value, want = data.draw(cell_cases(col))
        if want is not REFUSE:
            return  # accepted values may break rules between tables; validate's suite checks them
        pos = data.draw(st.integers(0, len(frames[name]) - 1))
        given_frames[name] = cell_frame(frames[name], col.name, pos, value)
        got = attempt(lambda: RecordSet.from_frames(**given_frames), given_frames)
        assert isinstance(got, SchemaError)
        assert problem_at(got, name, col.name, given_frames[name].index[pos]), got
        # a table passed with a bad row is never reported as absent
        assert not any("table too" in p.rule for p in got.problems), got
    elif how == "dtype":
        col = data.draw(st.sampled_from(SCHEMAS[name].columns))
        converted = convert(
            col, frames[name][col.name], data.draw(st.sampled_from(["object", "arrow", "category", "string"]))
        )
        if converted is None:
            return
        given_frames[name] = frames[name].assign(**{col.name: converted[0]})
        got = attempt(lambda: RecordSet.from_frames(**given_frames), given_frames)
        assert got == reference, got
    elif how == "absent parent":
        parent = data.draw(st.sampled_from(["loans", "borrowers"]))
        if parent == "borrowers":
            given_frames["borrowers"] = None
            got = attempt(lambda: RecordSet.from_frames(**given_frames), given_frames)
            assert isinstance(got, InvalidInputError)
            assert "RecordSet.from_frames: borrowers is required" in str(got)
            return
        del given_frames["loans"]
        got = attempt(lambda: RecordSet.from_frames(**given_frames), given_frames)
        assert isinstance(got, SchemaError)
        assert [p.rule for p in got.problems] == [
            "table 'installments' references loans.loan_id; pass the loans table too"
        ]
    elif how == "not a frame":
        given_frames[name] = data.draw(st.sampled_from([{}, [], "frame", 3, np.zeros(2), pd.Series([1])]))
        got = attempt(lambda: RecordSet.from_frames(**given_frames))
        assert isinstance(got, InvalidInputError)
        assert f"RecordSet.from_frames: {name} must be a pandas DataFrame or None" in str(got)
    else:
        got = attempt(lambda: RecordSet.from_frames(borrowers=None))  # type: ignore[arg-type]
        assert isinstance(got, InvalidInputError)


@given(record_frames(max_rows=3), st.data())
def test_record_set_from_hostile_records(frames: dict[str, pd.DataFrame], data: st.DataObject) -> None:
    records = {n: [RECORD_TYPES[n].from_row(r) for r in f.to_dict("records")] for n, f in frames.items()}
    name = data.draw(st.sampled_from(list(records)))
    others = [rs[0] for t, rs in records.items() if t != name and rs]
    intruder = data.draw(st.sampled_from([None, {"borrower_id": "b"}, "row", 3, *others]))
    bad = {**records, name: [*records[name], intruder]}
    got = attempt(lambda: RecordSet.from_records(**bad))
    assert isinstance(got, InvalidInputError), got
    assert (
        f"RecordSet.from_records: {name}[{len(records[name])}] must be a {RECORD_TYPES[name].__name__}"
        in str(got)
    )
    whole = data.draw(st.sampled_from(["rows", 5, frames[name]]))
    got = attempt(lambda: RecordSet.from_records(**{**records, name: whole}))
    assert isinstance(got, InvalidInputError)
    assert f"RecordSet.from_records: {name} must be an iterable of" in str(got)


def test_record_set_lookups_with_hostile_keys() -> None:
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b1"],
            "business_type": ["unregistered"],
            "industry": [None],
            "business_registered_on": [None],
            "region": [None],
        }
    )
    rs = RecordSet.from_frames(borrowers=borrowers)
    for key in (["loans"], None, 3, ("loans",), {"a": 1}):
        assert attempt(lambda k=key: k in rs) is False
        got = attempt(lambda k=key: rs[k])
        assert isinstance(got, InvalidInputError), key
        assert "table must be a table name" in str(got)
    for ids in ("b1", None, 3, [1.5], [True], [["b1"]], ["nobody"]):
        got = attempt(lambda i=ids: rs.subset(i))
        assert isinstance(got, InvalidInputError), ids
        assert "RecordSet.subset: borrower_ids" in str(got)
    with pytest.raises(KeyError, match="table 'loans' is not in this RecordSet"):
        rs["loans"]


#: Values handed straight to a record's constructor (no reading, unlike from_row).
DIRECT = [
    None,
    np.nan,
    pd.NaT,
    pd.NA,
    True,
    np.bool_(False),
    0,
    7,
    12,
    700,
    -1,
    2**70,
    np.int64(12),
    np.int32(700),
    np.uint8(3),
    0.5,
    12.0,
    700.0,
    1e300,
    math.inf,
    np.float64(0.0004),
    np.float32(900.0),
    1j,
    "7",
    "",
    "b9",
    np.str_("b9"),
    "sale",
    "in",
    "bank",
    "partnership",
    "equal_installment",
    "business",
    "2024-01-05",
    "today",
    dt.date(2024, 1, 5),
    dt.date(1, 1, 1),
    dt.date(2101, 1, 1),
    dt.datetime(2024, 1, 5, 10, 30),
    dt.datetime(2024, 1, 5, 10, 30, tzinfo=SHANGHAI),
    pd.Timestamp("2024-01-05 10:30"),
    np.datetime64("2024-01-05"),
    pd.Timedelta(days=1),
    [1],
    {"a": 1},
    b"7",
    decimal.Decimal("7"),
]


def direct_rule(col: Column, value: Any) -> Any:
    """What a record field keeps for ``value`` (its Python value), or REFUSE: the field types, written out."""
    if value is None:
        return None if col.nullable else REFUSE
    if col.kind in ("id", "text"):
        ok = isinstance(value, str) and (value != "" or col.kind == "text")
        return str(value) if ok else REFUSE
    if col.kind == "category":
        return value if isinstance(value, str) and value in col.allowed else REFUSE
    if col.kind in ("date", "datetime"):
        if value is pd.NaT or not isinstance(value, dt.date) or getattr(value, "tzinfo", None):
            return REFUSE
        if col.kind == "date" and isinstance(value, dt.datetime):
            return REFUSE
        if col.kind == "datetime" and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())  # a date is its midnight
        day = value.date() if isinstance(value, dt.datetime) else value
        return value if FIRST_DAY <= day <= LAST_DAY else REFUSE
    is_int = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    is_real = is_int or isinstance(value, float | np.floating)
    if not is_real or (col.kind == "int" and not is_int):
        return REFUSE
    want = _number_expected(col, float(value))
    if want is REFUSE or (isinstance(want, float) and math.isnan(want)):
        return None if want is not REFUSE and col.nullable else REFUSE
    return int(value) if col.kind == "int" else float(value)


def test_every_direct_value_in_every_record_field() -> None:
    # Exhaustive: each listed value handed to each field of a valid record of each table.
    counts = {"accepted": 0, "refused": 0}
    for table, row in ONE_ROW.items():
        record = RECORD_TYPES[table].from_row(row)
        for col in SCHEMAS[table].columns:
            for value in DIRECT:
                want = direct_rule(col, value)
                fixed_direction = table == "transactions" and col.name in ("kind", "direction")
                if want is not REFUSE and fixed_direction:
                    changed = pd.DataFrame([{**record.to_row(), col.name: want}])
                    want = REFUSE if violates_row_rules(table, changed) else want
                got = attempt(lambda r=record, c=col.name, v=value: dataclasses.replace(r, **{c: v}))
                where = f"{value!r} as {table}.{col.name}"
                if want is REFUSE:
                    assert isinstance(got, SchemaError), f"{where} was accepted"
                    assert [p.column for p in got.problems] == [col.name], got
                    counts["refused"] += 1
                    continue
                assert not isinstance(got, Exception), f"{where}: {got}"
                kept = getattr(got, col.name)
                assert kept == want, where
                assert type(kept) is type(want) or col.kind in ("category", "date", "datetime"), where
                counts["accepted"] += 1
    assert counts["accepted"] > 100
    assert counts["refused"] > 1000
