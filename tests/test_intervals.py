"""The one kernel that maps values to intervals, against ``np.searchsorted``.

Score bands (metrics, monitoring), fine-bin statistics, bin slots and scoring
(scorecard) all map values to intervals through one private kernel, so this
module tests it directly (the one exception to importing public paths only):
its three methods (counting comparisons, a lookup grid, binary search) are
chosen by the number of cut points and rows, and each must agree with the
reference, ``np.searchsorted(edges, x, side="right")`` with NaN given its own
index, for every input the public functions can pass and more (``±inf``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from jiebei_credit._bands import COMPARE_MAX_EDGES, interval_index

#: Row counts: one value, a small sample, and more than one 32 768-row block with
#: at least 4 rows per cell of the 4096-cell grid (so the grid method can be used).
ROWS = st.sampled_from([1, 37, 40_000])

#: Cut points: any floats (wide ranges send many cut points to one grid cell, so
#: binary search is used) or a bounded range (the grid is built); few (counting
#: comparisons) or more than COMPARE_MAX_EDGES; infinities allowed as cut points.
#: SPREAD_EDGES: many cut points on a lattice (spacing 7.25) of at most 2001 points, so a
#: cell of the 4096-cell grid over their range never holds more than one or two of them.
EDGES = st.one_of(
    st.lists(st.floats(allow_nan=False), max_size=80, unique=True),
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), max_size=120, unique=True),
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=COMPARE_MAX_EDGES - 1,
             max_size=COMPARE_MAX_EDGES + 2, unique=True),
    SPREAD_EDGES := st.lists(st.integers(-1000, 1000), min_size=COMPARE_MAX_EDGES + 1, max_size=150,
                             unique=True).map(lambda v: [i * 7.25 for i in v]),
)  # fmt: skip

VALUES = st.lists(
    st.one_of(st.floats(), st.floats(-1e3, 1e3), st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0])),
    min_size=1,
    max_size=50,
)


def reference(x: np.ndarray, edges: np.ndarray, nan: int) -> np.ndarray:
    # the definition: #{j : edges[j] <= x}, by numpy's binary search; NaN gets its own code
    expected = np.searchsorted(edges, x, side="right")
    expected[np.isnan(x)] = nan
    return expected


@given(
    edges=EDGES,
    values=VALUES,
    rows=ROWS,
    dtype=st.sampled_from([np.int8, np.int16, np.int64, np.intp]),
    nan_choice=st.sampled_from(["zero", "last", "after_last", "minus_one"]),
)
@example(edges=[np.finfo(np.float64).max], values=[0.0], rows=1, dtype=np.int8, nan_choice="zero")
def test_interval_index_matches_searchsorted(edges, values, rows, dtype, nan_choice):
    e = np.sort(np.asarray(edges, dtype=np.float64))
    m = e.size
    if np.iinfo(dtype).max < m + 1:
        dtype = np.int16
    nan = {"zero": 0, "last": m, "after_last": m + 1, "minus_one": -1}[nan_choice]
    # values, the cut points themselves (ties) and their neighbours on both sides (the
    # neighbour of the largest float is inf, which numpy flags as an overflow)
    with np.errstate(over="ignore"):
        pool = np.concatenate([values, e, np.nextafter(e, np.inf), np.nextafter(e, -np.inf)])
    x = np.resize(pool, rows)
    before = x.copy()
    out = np.full(rows, 99, dtype=dtype)
    got = interval_index(x, e, out, nan=nan)
    assert got is out
    np.testing.assert_array_equal(got, reference(x, e, nan))
    np.testing.assert_array_equal(x, before)  # the input is left alone
    if not np.isnan(x).any():  # the "no NaN" promise gives the same indices
        out2 = np.empty(rows, dtype=dtype)
        np.testing.assert_array_equal(interval_index(x, e, out2, nan=nan, has_nan=False), got)


@given(edges=SPREAD_EDGES, values=VALUES, nan=st.sampled_from([0, -1, 200]))
def test_grid_method_matches_searchsorted(edges, values, nan):
    # many spread cut points and 40 000 rows (two blocks, >= 4 rows per cell of the
    # 4096-cell grid): the lookup grid gives the indices
    test_interval_index_matches_searchsorted.hypothesis.inner_test(edges, values, 40_000, np.int16, "zero")
    e = np.sort(np.asarray(edges, dtype=np.float64))
    x = np.resize(np.concatenate([values, e, np.nextafter(e, -np.inf)]), 40_000)
    got = interval_index(x, e, np.empty(x.size, dtype=np.int16), nan=nan)
    np.testing.assert_array_equal(got, reference(x, e, nan))


@given(values=VALUES, rows=ROWS)
def test_no_cut_points_put_every_value_in_interval_0(values, rows):
    # with no cut point there is one interval, (-inf, inf); NaN still gets its code
    x = np.resize(np.asarray(values, dtype=np.float64), rows)
    got = interval_index(x, np.empty(0), np.empty(rows, dtype=np.int64), nan=1)
    np.testing.assert_array_equal(got, np.where(np.isnan(x), 1, 0))
