"""RecordSet, the typed records and the schemas pickle and copy, and stay equal and immutable."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.records import RECORD_TYPES, SCHEMAS, RecordSet
from tests.strategies import record_frames

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def _copies(obj: Any, protocol: int) -> list[Any]:
    return [pickle.loads(pickle.dumps(obj, protocol=protocol)), copy.copy(obj), copy.deepcopy(obj)]


@given(record_frames(), st.sampled_from(PROTOCOLS))
def test_record_sets_pickle_and_copy_to_equal_immutable_sets(
    frames: dict[str, pd.DataFrame], protocol: int
) -> None:
    # pickle.dumps(records), copy.copy and copy.deepcopy raised
    # AttributeError: RecordSet is immutable; cannot set '_frames'.
    rs = RecordSet.from_frames(**frames)
    for other in _copies(rs, protocol):
        assert isinstance(other, RecordSet)
        assert other == rs
        assert other.tables == rs.tables
        assert repr(other) == repr(rs)
        for name in rs.tables:
            pd.testing.assert_frame_equal(other[name], rs[name], check_exact=True)
        with pytest.raises(AttributeError, match="RecordSet is immutable"):
            other.loans = None  # type: ignore[misc]


@given(record_frames())
def test_a_deep_copy_does_not_share_tables(frames: dict[str, pd.DataFrame]) -> None:
    rs = RecordSet.from_frames(**frames)
    deep = copy.deepcopy(rs)
    # Tables handed out are copies either way; changing one leaves both sets as they were.
    borrowers = deep.borrowers
    borrowers.loc[borrowers.index[0], "region"] = "changed"
    assert deep == rs
    pd.testing.assert_frame_equal(deep.borrowers, rs.borrowers)


@given(record_frames(), st.sampled_from(PROTOCOLS))
def test_typed_records_pickle_and_copy(frames: dict[str, pd.DataFrame], protocol: int) -> None:
    for table, frame in frames.items():
        for row in frame.to_dict("records")[:3]:
            rec = RECORD_TYPES[table].from_row(row)
            for other in _copies(rec, protocol):
                assert other == rec
                assert type(other) is type(rec)
                assert other.to_row() == rec.to_row()


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_schemas_and_columns_pickle_and_copy(table: str, protocol: int) -> None:
    schema = SCHEMAS[table]
    for other in _copies(schema, protocol):
        assert other == schema
        assert other.column_names == schema.column_names
        for col in schema.columns:
            assert other.column(col.name) == col  # the name lookup survives
            assert other.column(col.name).rule_text() == col.rule_text()
        pd.testing.assert_frame_equal(other.to_frame(), schema.to_frame())
    for col in schema.columns:
        for other_col in _copies(col, protocol):
            assert other_col == col
    for fk in schema.foreign_keys:
        assert _copies(fk, protocol) == [fk, fk, fk]
