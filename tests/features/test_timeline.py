"""``Timeline.build``: the canonical order of events, and the staged tie keys behind it.

Every feature that adds floats in canonical order depends on this order
being a function of the rows' content alone, so these properties check it
directly against a sort of the full keys.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from jiebei_credit.features._kernels import Timeline

# Few distinct values, so that ties at every stage are common.
_rows = st.lists(
    st.tuples(
        st.integers(0, 3),  # group
        st.integers(0, 3),  # day
        st.sampled_from([0.0, 1.0, 2.0, float("nan")]),  # first tie key (NaN allowed)
        st.integers(0, 2),  # second tie key
    ),
    max_size=40,
)


def _canonical(row: tuple[int, int, float, int]) -> tuple[int, int, float, int]:
    g, d, k1, k2 = row
    return g, d, (np.inf if np.isnan(k1) else k1), k2  # NaN after every number, as argsort


@given(rows=_rows, seed=st.integers(0, 2**32 - 1))
@example(rows=[(0, 0, float("nan"), 1), (0, 0, float("nan"), 0)], seed=0)
@example(rows=[(1, 2, 0.0, 1), (1, 2, 0.0, 0), (1, 2, 1.0, 0), (0, 0, 0.0, 0)], seed=1)
def test_staged_ties_sort_by_all_keys_whatever_the_input_order(
    rows: list[tuple[int, int, float, int]], seed: int
) -> None:
    perm = np.random.default_rng(seed).permutation(len(rows))
    shuffled = [rows[i] for i in perm]
    g = np.array([r[0] for r in shuffled], dtype=np.int64)
    d = np.array([r[1] for r in shuffled], dtype=np.int64)
    k1 = np.array([r[2] for r in shuffled], dtype=np.float64)
    k2 = np.array([r[3] for r in shuffled], dtype=np.int64)
    asked: list[np.ndarray] = []

    def first(idx: np.ndarray) -> list[np.ndarray]:
        return [k1[idx]]

    def then(idx: np.ndarray) -> list[np.ndarray]:
        asked.append(np.sort(idx))
        return [k2[idx]]

    tl = Timeline.build(g, d, ties=first, then=then)

    got = [_canonical(shuffled[i]) for i in tl.order]
    assert got == sorted(_canonical(r) for r in rows)
    assert sorted(tl.order.tolist()) == list(range(len(rows)))  # a permutation: nothing lost
    # ``then`` is asked at most once, for exactly the rows tied on (group, day, first key).
    stage1 = Counter(_canonical(r)[:3] for r in shuffled)
    need = sorted(i for i, r in enumerate(shuffled) if stage1[_canonical(r)[:3]] > 1)
    assert len(asked) <= 1
    assert (asked[0].tolist() if asked else []) == need


@given(rows=_rows, seed=st.integers(0, 2**32 - 1))
def test_without_ties_the_sort_is_stable(rows: list[tuple[int, int, float, int]], seed: int) -> None:
    perm = np.random.default_rng(seed).permutation(len(rows))
    g = np.array([rows[i][0] for i in perm], dtype=np.int64)
    d = np.array([rows[i][1] for i in perm], dtype=np.int64)
    tl = Timeline.build(g, d)
    expected = np.lexsort((np.arange(g.size), d, g))  # by group, day, then input position
    np.testing.assert_array_equal(tl.order, expected)
    np.testing.assert_array_equal(tl.key, (g * tl.span + (d - tl.day0))[expected])


@given(rows=_rows, data=st.data())
def test_day_at_reads_the_days_of_some_positions(
    rows: list[tuple[int, int, float, int]], data: st.DataObject
) -> None:
    g = np.array([r[0] for r in rows], dtype=np.int64)
    d = np.array([r[1] - 5 for r in rows], dtype=np.int64)  # days before 1970 too
    tl = Timeline.build(g, d)
    some = st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=10 if rows else 0)
    pos = np.array(data.draw(some), dtype=np.int64)
    np.testing.assert_array_equal(tl.day_at(pos), tl.days()[pos])
    np.testing.assert_array_equal(tl.days(), d[tl.order])
