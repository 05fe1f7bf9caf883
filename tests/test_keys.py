"""positions against pandas' get_indexer; order_by against numpy's lexsort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit._keys import order_by, positions

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


_int64 = st.integers(-(2**63), 2**63 - 1)


@given(
    rows=st.lists(
        st.one_of(
            st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(0, 1)),  # many ties
            st.tuples(_int64, _int64, st.integers(0, 1)),  # spans too wide to pack: lexsort
        ),
        max_size=40,
    ),
    dtype=st.sampled_from(["int64", "int32", "uint16", "uint64", "float64", "bool"]),
    fraction=st.booleans(),
)
def test_order_by_is_lexsort(rows: list[tuple[int, int, int]], dtype: str, fraction: bool) -> None:
    def column(j: int) -> np.ndarray:
        values = [r[j] for r in rows]
        if dtype == "bool":
            return np.array([v % 2 == 1 for v in values], dtype=bool)
        if dtype == "float64":
            return np.array(values, dtype=np.float64) + (0.5 if fraction and j == 1 else 0.0)
        info = np.iinfo(dtype)
        return np.array([min(max(v, info.min), info.max) for v in values], dtype=dtype)

    major, minor, last = column(0), column(1), column(2)
    np.testing.assert_array_equal(order_by(major, minor, last), np.lexsort((last, minor, major)))
    np.testing.assert_array_equal(order_by(minor), np.argsort(minor, kind="stable"))


def test_order_by_packs_keys_that_fit_and_refuses_other_input() -> None:
    # Wide but packable: 2**31 major values by 2**31 minor values.
    major = np.array([2**31 - 1, 0, 2**31 - 1, 0], dtype=np.int64)
    minor = np.array([0, -(2**31), -(2**31), 0], dtype=np.int64)
    # By hand: major 0 holds rows 1 (minor -2**31) and 3 (minor 0); major 2**31 - 1 holds rows 2
    # (minor -2**31) and 0 (minor 0).
    np.testing.assert_array_equal(order_by(major, minor), [1, 3, 2, 0])
    with pytest.raises(TypeError, match="real or boolean"):
        order_by(np.array(["a"]), np.array([1]))
    with pytest.raises(TypeError, match="one length"):
        order_by(np.array([1, 2]), np.array([1]))
    with pytest.raises(TypeError, match="one or more"):
        order_by()
