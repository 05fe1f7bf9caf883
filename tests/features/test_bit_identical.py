"""Bit-identical features: an observation's row depends on its borrower's rows before as_of only.

Every property compares with ``check_exact=True`` (NaN equal to NaN): the
features of an observation must not move by a single bit when rows of other
borrowers, other observations, the row order, the partitioning of the input,
or rows known on or after ``as_of`` change. Every property extracts all the
built-in families at once, so each family is covered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.features import extract
from jiebei_credit.records import RecordSet
from tests.features.test_point_in_time import future_changes
from tests.strategies import feature_cases

Frames = dict[str, pd.DataFrame]
ID_COLUMNS = ("borrower_id", "loan_id", "transaction_id", "inquiry_id")


def _same_bits(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # assert_frame_equal treats 0.0 and -0.0 as equal; compare the raw bits as well.
    bits_a = a.to_numpy(dtype=np.float64).view(np.int64)
    bits_b = b.to_numpy(dtype=np.float64).view(np.int64)
    nan_a, nan_b = np.isnan(a.to_numpy(dtype=np.float64)), np.isnan(b.to_numpy(dtype=np.float64))
    assert np.array_equal(nan_a, nan_b)
    assert np.array_equal(bits_a[~nan_a], bits_b[~nan_b])


def _renamed(frames: Frames, prefix: str) -> Frames:
    """``frames`` with every identifier prefixed, so the borrowers are unrelated to others."""
    out: Frames = {}
    for name, frame in frames.items():
        f = frame.copy()
        for col in ID_COLUMNS:
            if col in f.columns:
                f[col] = [prefix + str(v) for v in f[col]]
        out[name] = f
    return out


def _union(a: Frames, b: Frames) -> Frames:
    # empty parts are left out: pandas 2.2 warns when an empty frame takes part in dtype resolution
    return {name: pd.concat([f for f in (a[name], b[name]) if len(f)] or [a[name]], ignore_index=True)
            for name in a}


def _only(frames: Frames, borrowers: set[str]) -> Frames:
    """The rows of ``borrowers`` (instalments through their loans)."""
    out = {name: f[f["borrower_id"].isin(borrowers)] for name, f in frames.items() if "borrower_id" in f}
    out["installments"] = frames["installments"][
        frames["installments"]["loan_id"].isin(out["loans"]["loan_id"])
    ]
    return out


@given(case=feature_cases(max_observations=4), seed=st.integers(0, 2**32 - 1))
def test_shuffled_rows_give_identical_bits(case: tuple[Frames, pd.DataFrame], seed: int) -> None:
    frames, obs = case
    rng = np.random.default_rng(seed)
    shuffled = {name: f.iloc[rng.permutation(len(f))] for name, f in frames.items()}
    _same_bits(extract(RecordSet.from_frames(**frames), obs), extract(RecordSet.from_frames(**shuffled), obs))


@given(case=feature_cases(max_observations=3), other=feature_cases(max_observations=1))
def test_unrelated_borrowers_change_nothing(
    case: tuple[Frames, pd.DataFrame], other: tuple[Frames, pd.DataFrame]
) -> None:
    frames, obs = case
    more = _union(frames, _renamed(other[0], "x"))
    _same_bits(extract(RecordSet.from_frames(**frames), obs), extract(RecordSet.from_frames(**more), obs))


@given(case=feature_cases(max_observations=1), data=st.data())
def test_rows_on_or_after_as_of_change_no_bit(case: tuple[Frames, pd.DataFrame], data: st.DataObject) -> None:
    frames, obs = case
    changed = data.draw(future_changes(frames, obs["as_of"].iloc[0].date()))
    _same_bits(extract(RecordSet.from_frames(**frames), obs), extract(RecordSet.from_frames(**changed), obs))


@given(case=feature_cases(max_borrowers=3, max_observations=6), data=st.data())
def test_partitioned_extraction_equals_whole(case: tuple[Frames, pd.DataFrame], data: st.DataObject) -> None:
    frames, obs = case
    whole = extract(RecordSet.from_frames(**frames), obs)
    ids = frames["borrowers"]["borrower_id"].tolist()
    part_of = {b: data.draw(st.integers(0, 1)) for b in ids}
    pieces = []
    for k in (0, 1):
        members = {b for b in ids if part_of[b] == k}
        mine = obs[obs["borrower_id"].isin(members)]
        if mine.empty:
            continue
        records = RecordSet.from_frames(**_only(frames, members))
        # Observations of one partition, split again into two batches.
        cut = data.draw(st.integers(0, len(mine)))
        pieces += [extract(records, part) for part in (mine.iloc[:cut], mine.iloc[cut:]) if len(part)]
    _same_bits(whole, pd.concat(pieces).loc[whole.index])


@given(case=feature_cases(max_observations=4), data=st.data())
def test_duplicated_observation_comes_out_equal(
    case: tuple[Frames, pd.DataFrame], data: st.DataObject
) -> None:
    frames, obs = case
    i = data.draw(st.integers(0, len(obs) - 1))
    twice = pd.concat([obs, obs.iloc[[i]].rename(index=lambda k: f"{k}_again")])
    got = extract(RecordSet.from_frames(**frames), twice)
    _same_bits(got.iloc[[i]], got.iloc[[-1]].rename(index=lambda k: k.removesuffix("_again")))
    _same_bits(got.iloc[:-1], extract(RecordSet.from_frames(**frames), obs))


def _reduceat_sum(values: np.ndarray, lo: int, hi: int) -> np.ndarray:
    # The form the window sums use: np.add.reduceat over [lo, hi) of a padded array.
    padded = np.append(values, 0.0)
    return np.add.reduceat(padded, np.array([lo, hi]))[:1]


def test_reduceat_window_sum_bits_do_not_depend_on_position() -> None:
    # Window sums use np.add.reduceat over [lo, hi): the bits must be those of the
    # range alone wherever it sits in the array (memory alignment, and numpy's
    # pairwise summation blocks of 8 and 128 elements). Reference: the range alone.
    rng = np.random.default_rng(7)
    for length in (1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 1000, 5000):
        window = rng.standard_normal(length) * 10.0 ** rng.integers(-3, 9, length)
        alone = _reduceat_sum(window, 0, length)
        for pad in (1, 2, 3, 5, 8, 13, 64, 129):
            for tail in (0, 1, 9):
                values = np.concatenate([np.linspace(1e-3, 1e6, pad), window, np.full(tail, np.pi)])
                assert alone.tobytes() == _reduceat_sum(values, pad, pad + length).tobytes()
