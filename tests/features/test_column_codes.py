"""Codes of view columns: ``value_ranks`` (groups ranked by value) and ``matches`` (row filters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.features._family import matches, value_ranks

_STORAGES = ["str", "string[python]", "object", "category"]


@given(
    values=st.lists(st.one_of(st.text(alphabet="ab中 ", max_size=3), st.none()), max_size=30),
    storage=st.sampled_from(_STORAGES),
    keep=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_ranks_order_a_subset_as_its_own_sorted_factorisation(
    values: list[str | None], storage: str, keep: list[bool]
) -> None:
    s = pd.Series(values, dtype=storage)
    ranks = value_ranks(s)
    assert ranks.dtype == np.int64
    np.testing.assert_array_equal(ranks < 0, s.isna().to_numpy())
    # Any subset of the rows: its ranks order and group it as its own factorize(sort=True).
    mask = np.array(keep[: len(values)], dtype=bool)
    sub = s[mask]
    want, _ = pd.factorize(sub, sort=True, use_na_sentinel=True)
    got = ranks[mask]
    named = want >= 0
    np.testing.assert_array_equal(got < 0, ~named)
    dense, _ = pd.factorize(got[named], sort=True)
    np.testing.assert_array_equal(dense, want[named])


def test_mixed_object_values_fall_back_to_pandas_sort() -> None:
    s = pd.Series(["b", 1, "a", 1, None], dtype=object)
    want, _ = pd.factorize(s, sort=True, use_na_sentinel=True)
    np.testing.assert_array_equal(value_ranks(s), want)


_labels = st.one_of(
    st.sampled_from(["sale", "refund", "in", "1"]), st.none(), st.just(float("nan")), st.integers(0, 2)
)


@given(
    values=st.lists(st.one_of(st.sampled_from(["sale", "refund", "in"]), st.none()), max_size=30),
    wanted=st.lists(_labels, max_size=4),
    numeric=st.booleans(),
)
def test_matches_is_pandas_isin(values: list[str | None], wanted: list[object], numeric: bool) -> None:
    # Category columns take the lookup-table path, others pandas' isin; both give isin's flags.
    kinds = ("sale", "refund", "in")
    raw: list[object] = [None if v is None else kinds.index(v) for v in values] if numeric else list(values)
    for s in (pd.Series(raw, dtype="category"), pd.Series(raw, dtype=object)):
        np.testing.assert_array_equal(matches(s, wanted), s.isin(wanted).to_numpy(dtype=bool))
