"""Regression tests: observations and parameters are read one way or refused with a library error.

Each test is the minimal reproduction of a defect (issue "Every input is
either handled right or refused clearly", items 1, 5, 6 and 11; pickling
from the scale-out issue, item 1).
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import CATALOG, catalog, extract, outcomes
from jiebei_credit.records import RecordSet
from tests.strategies import feature_cases


def obs(**cols: Any) -> pd.DataFrame:
    base: dict[str, Any] = {
        "borrower_id": ["b1", "b1"],
        "as_of": pd.to_datetime(["2024-03-01", "2024-06-01"]),
    }
    base.update(cols)
    return pd.DataFrame(base)


def both(rs: RecordSet, frame: pd.DataFrame, match: str, **kw: Any) -> None:
    """extract and outcomes refuse ``frame`` with the same message."""
    with pytest.raises(InvalidInputError, match="extract: " + match):
        extract(rs, frame, **kw)
    with pytest.raises(InvalidInputError, match="outcomes: " + match):
        outcomes(rs, frame, observed_until="2026-01-01", **kw)


# ---------------------------------------------------------- generic errors ---


def test_two_as_of_columns_are_refused(rs: RecordSet) -> None:
    # observations["as_of"] was a DataFrame: AttributeError.
    frame = pd.concat([obs(), obs()[["as_of"]]], axis=1)
    both(
        rs,
        frame,
        r"observations must have each of the columns 'borrower_id', 'as_of' once; "
        r"got 'as_of' 2 times\.",
    )


@pytest.mark.parametrize("horizon", [2**63, 2**40, -(2**63), 10**30])
def test_huge_horizons_are_refused(rs: RecordSet, horizon: int) -> None:
    # outcomes(horizon_days=2**63) raised OverflowError.
    with pytest.raises(InvalidInputError, match=r"outcomes: horizon_days must be an integer in \[1, 55151\]"):
        outcomes(rs, obs(), horizon_days=horizon, observed_until="2026-01-01")
    with pytest.raises(InvalidInputError, match=r"outcomes: min_dpd must be an integer in \[1, 55151\]"):
        outcomes(rs, obs(), min_dpd=horizon, observed_until="2026-01-01")


def test_the_longest_horizon_runs(rs: RecordSet) -> None:
    # 55151 days: 1950-01-01 to 2100-12-31, the span of accepted dates; every observation is immature.
    got = outcomes(rs, obs(), horizon_days=np.int64(55_151), min_dpd=np.int32(1), observed_until="2100-12-31")
    assert got.isna().all()


# ------------------------------------------------------------------ dates ---


def test_numbers_are_never_dates(rs: RecordSet) -> None:
    # An object column holding 20240105 and a nanosecond integer gave two different readings.
    ns = int(pd.Timestamp("2024-06-01").value)
    both(
        rs,
        obs(as_of=np.array([20240301, ns], dtype=object)),
        r"observations.as_of numbers are never dates; .*got 2 values \(20240301, 1717200000000000000\) "
        r"at rows 0, 1\.",
    )
    with pytest.raises(InvalidInputError, match=r"observed_until numbers are never dates"):
        outcomes(rs, obs(), observed_until=20260101)


@pytest.mark.parametrize(
    "far", [dt.date(1, 1, 1), "0001-01-01", "3000-01-01", np.datetime64("2500-01-01", "D")]
)
def test_out_of_range_dates_mixed_with_timestamps_are_refused(rs: RecordSet, far: Any) -> None:
    # Outside pandas' nanosecond range they raised OutOfBoundsDatetime.
    frame = obs(as_of=np.array([pd.Timestamp("2024-03-01"), far], dtype=object))
    both(
        rs,
        frame,
        r"observations.as_of must be a date between 1950-01-01 and 2100-12-31; got 1 value .* at row 1",
    )
    with pytest.raises(
        InvalidInputError, match=r"observed_until must be a date between 1950-01-01 and 2100-12-31"
    ):
        outcomes(rs, obs(), observed_until=far)


@pytest.mark.parametrize("word", ["now", "today", "Tomorrow"])
def test_relative_words_are_refused(rs: RecordSet, word: str) -> None:
    both(
        rs,
        obs(as_of=["2024-03-01", word]),
        r"observations.as_of relative words such as 'now' or 'today' "
        r"read the wall clock and are refused; .* at row 1\.",
    )
    with pytest.raises(InvalidInputError, match=r"outcomes: observed_until relative words"):
        outcomes(rs, obs(), observed_until=word)


def test_ambiguous_day_month_strings_need_a_declared_format(rs: RecordSet) -> None:
    ambiguous = obs(as_of=["06/07/2024", "13/07/2024"])
    both(
        rs,
        ambiguous,
        r"observations.as_of cannot be read as a date: dates are read as ISO 8601 .* "
        r"got 2 values \('06/07/2024', '13/07/2024'\) at rows 0, 1\.",
    )
    iso = obs(as_of=["2024-07-06", "2024-07-13"])
    pd.testing.assert_frame_equal(extract(rs, ambiguous, date_format="%d/%m/%Y"), extract(rs, iso))
    pd.testing.assert_series_equal(
        outcomes(rs, ambiguous, observed_until="31/12/2025", date_format="%d/%m/%Y"),
        outcomes(rs, iso, observed_until="2025-12-31"),
    )
    with pytest.raises(
        InvalidInputError, match=r"extract: date_format must be None \(ISO 8601\) or a strftime"
    ):
        extract(rs, ambiguous, date_format="mixed")


def test_pyarrow_dates_and_identifiers_are_accepted(rs: RecordSet) -> None:
    # timestamp[...] and date32 observations were refused with advice about numbers, and
    # ArrowDtype(pa.string()) ids with a self-contradictory message.
    want_x, want_y = extract(rs, obs()), outcomes(rs, obs(), observed_until="2026-01-01")
    days = pd.Series([dt.date(2024, 3, 1), dt.date(2024, 6, 1)])
    for as_of in (
        days.astype(pd.ArrowDtype(pa.date32())),
        pd.Series(pd.to_datetime(days)).astype(pd.ArrowDtype(pa.timestamp("ms"))),
        pd.Series(pd.to_datetime(days)).astype(pd.ArrowDtype(pa.timestamp("ns"))),
    ):
        for ids in (
            pd.Series(["b1", "b1"], dtype=pd.ArrowDtype(pa.string())),
            pd.Series(["b1", "b1"], dtype=pd.ArrowDtype(pa.large_string())),
            pd.Series(["b1", "b1"], dtype="string"),
        ):
            frame = obs(borrower_id=ids, as_of=as_of)
            pd.testing.assert_frame_equal(extract(rs, frame), want_x)
            pd.testing.assert_series_equal(outcomes(rs, frame, observed_until="2026-01-01"), want_y)
    pd.testing.assert_series_equal(outcomes(rs, obs(), observed_until=pa.scalar(dt.date(2026, 1, 1))), want_y)


# ------------------------------------------------------------------ types ---


def test_a_bool_id_is_refused_like_a_bool_column(rs: RecordSet) -> None:
    both(
        rs,
        obs(borrower_id=np.array(["b1", True], dtype=object)),
        r"observations.borrower_id must be a string or a whole number \(identifiers are text\); "
        r"got 1 value \(True\) at row 1\.",
    )
    both(
        rs,
        obs(borrower_id=[True, False]),
        r"observations.borrower_id must hold strings or whole numbers; a bool is not an identifier; "
        r"got dtype bool",
    )


def test_float_categories_are_refused_like_a_float_column(rs: RecordSet) -> None:
    # pd.Categorical([7.0, 7.0]) was read as the identifier "7.0".
    both(
        rs,
        obs(borrower_id=pd.Categorical([7.0, 7.0])),
        r"observations.borrower_id \(categories of dtype float64\) must hold strings or whole numbers, "
        r"not floats .*; got dtype category\.",
    )
    pd.testing.assert_frame_equal(
        extract(rs, obs(borrower_id=pd.Categorical([7, 7])), families=["profile"]),
        extract(rs, obs(borrower_id=["7", "7"]), families=["profile"]),
    )


# ------------------------------------------------------- list parameters ---


@pytest.mark.parametrize(
    "as_list",
    [list, tuple, np.array, pd.Index, pd.Series, set],
    ids=["list", "tuple", "ndarray", "Index", "Series", "set"],
)
def test_list_parameters_accept_every_list_like(rs: RecordSet, as_list: Any) -> None:
    want = extract(
        rs, obs(), windows=[30, 90], families=["inquiries", "profile"], sources=["inquiries", "borrowers"]
    )
    got = extract(
        rs,
        obs(),
        windows=as_list([30, 90]),
        families=as_list(["inquiries", "profile"]),
        sources=as_list(["inquiries", "borrowers"]),
    )
    pd.testing.assert_frame_equal(got, want)
    assert list(catalog(windows=as_list([30, 90]))) == list(catalog(windows=[30, 90]))


def test_numpy_integer_windows_are_accepted_and_the_rest_refused(rs: RecordSet) -> None:
    numpy_ints = extract(rs, obs(), windows=[np.int64(30), np.int32(90), np.uint16(180), 365])
    pd.testing.assert_frame_equal(numpy_ints, extract(rs, obs()))
    assert list(catalog(windows=(np.int8(7),))) == list(catalog(windows=(7,)))
    for bad, match in (
        ([[30]], (r"windows must hold single values \(labels\), not lists or arrays; "
                  r"got 1 such item \(\[30\]\)")),
        ([np.float64(30.0)], r"windows must hold whole .*; got 1 value \(30.0\) at position 0"),
        ([np.bool_(True)], r"windows must hold whole .*; got 1 value \(True\) at position 0"),
        (np.array([[30]]), r"windows must be a list, tuple, array or Index of values \(one-dimensional\)"),
        ({"a": 30}, r"windows must be a list, tuple, array or Index of values; got a dict\."),
        (None, r"windows must be a list, tuple, array or Index of values; got None\."),
    ):
        with pytest.raises(InvalidInputError, match=r"extract: " + match):
            extract(rs, obs(), windows=bad)
        with pytest.raises(InvalidInputError, match=r"catalog: " + match):
            catalog(windows=bad)
    with pytest.raises(
        InvalidInputError, match=r"families may hold only .*; got 1 other value \(\['profile'\]\)"
    ):
        extract(rs, obs(), families=[["profile"]])  # was TypeError: unhashable type: 'list'


# ------------------------------------------------------------ pickling ---


@given(feature_cases())
def test_extract_on_a_pickled_or_copied_record_set_is_bit_identical(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, observations = case
    rs = RecordSet.from_frames(**frames)
    want = extract(rs, observations)
    assert list(want.columns) == [c for c in CATALOG if c in want.columns]
    until = "2025-06-30"  # after every generated event: some observations mature, some not
    want_bad = outcomes(rs, observations, observed_until=until)
    for other in (pickle.loads(pickle.dumps(rs)), copy.copy(rs), copy.deepcopy(rs)):
        got = extract(other, observations)
        assert got.columns.equals(want.columns)
        assert got.index.equals(want.index)
        # the same bits, NaN included
        assert got.to_numpy().view(np.int64).tobytes() == want.to_numpy().view(np.int64).tobytes()
        bad = outcomes(other, observations, observed_until=until)
        assert bad.to_numpy().view(np.int64).tobytes() == want_bad.to_numpy().view(np.int64).tobytes()
