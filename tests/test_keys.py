"""positions: the key lookup of the record tables, against pandas' get_indexer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit._keys import positions

pa = pytest.importorskip("pyarrow")

#: The string storages a table may arrive in: pyarrow-backed (pandas' default with pyarrow,
#: and the explicit "string[pyarrow]"), Python-backed, and plain object columns.
STORAGES = ["str", "string[pyarrow]", "string[python]", "object"]

_ids = st.text(alphabet="ab1é中 ", min_size=0, max_size=4)


@given(
    keys=st.lists(_ids, unique=True, max_size=12),
    values=st.lists(st.one_of(_ids, st.none()), max_size=30),
    key_storage=st.sampled_from(STORAGES),
    value_storage=st.sampled_from(STORAGES),
)
def test_positions_equal_get_indexer(
    keys: list[str], values: list[str | None], key_storage: str, value_storage: str
) -> None:
    # Absent and missing values are -1; every storage pair gives the same integers.
    k = pd.Series(keys, dtype=key_storage)
    v = pd.Series(values, dtype=value_storage)
    want = pd.Index(k).get_indexer(pd.Index(v))
    got = positions(k, v)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)
    # bare pandas arrays (what the id parser returns) give the same
    np.testing.assert_array_equal(positions(k.array, v.array), want)


def test_the_arrow_path_is_taken_and_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    # Identifiers as the record tables hold them (pandas' default str, pyarrow-backed), the
    # values in several chunks. pandas' lookup is made to fail: Arrow must answer alone.
    halves = [pd.Series([f"b{i:05d}" for i in range(k, k + 500)], dtype="str") for k in (0, 500)]
    keys = pd.concat(halves, ignore_index=True)  # two Arrow chunks
    values = pd.concat([pd.Series(["b00003", None, "x", "b00999"], dtype="str")] * 3, ignore_index=True)
    expected = np.tile([3, -1, -1, 999], 3)
    wide = pd.Series(keys.to_numpy(dtype=object), dtype=pd.ArrowDtype(pa.string()))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pandas' get_indexer was called")

    with monkeypatch.context() as m:
        m.setattr(pd.Index, "get_indexer", refuse)
        np.testing.assert_array_equal(positions(keys, values), expected)
        np.testing.assert_array_equal(positions(pd.Index(keys), pd.Index(values)), expected)
        np.testing.assert_array_equal(positions(keys, values.array), expected)
    # ArrowDtype columns take pandas' path, and agree
    np.testing.assert_array_equal(positions(wide, values), expected)


def test_inputs_are_not_modified() -> None:
    keys = pd.Series(["a", "b"], dtype="str")
    values = pd.Series(["b", None, "a"], dtype="str")
    before = (keys.copy(), values.copy())
    positions(keys, values)
    pd.testing.assert_series_equal(keys, before[0])
    pd.testing.assert_series_equal(values, before[1])
