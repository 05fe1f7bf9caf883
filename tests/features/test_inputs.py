"""Bad observations and parameters raise clear InvalidInputErrors; good variants are accepted."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import CATALOG, extract, outcomes
from jiebei_credit.records import RecordSet


def obs(**cols: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "borrower_id": ["b1", "b1"],
        "as_of": pd.to_datetime(["2024-03-01", "2024-04-01"]),
    }
    base.update(cols)
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (
            obs().drop(columns="as_of"),
            (
                r"extract: observations must have the columns 'borrower_id', 'as_of'; "
                r"got a frame lacking 'as_of'"
            ),
        ),
        (
            obs().rename(columns={"borrower_id": "id"}),
            r"got a frame lacking 'borrower_id' \(columns: 'id', 'as_of'\)",
        ),
        (
            obs().set_axis([5, 5]),
            r"observations.index must be unique .*; got 2 values \(5, 5\) at rows 5, 5\. .*reset_index",
        ),
        (
            obs(borrower_id=["b1", "nobody"]),
            (
                r"observations.borrower_id must be borrowers of records.borrowers; "
                r"got 1 value \('nobody'\) at row 1\. Add"
            ),
        ),
        (
            obs(borrower_id=["b1", None]),
            r"observations.borrower_id must not be missing; got 1 value at row 1",
        ),
        (
            obs(borrower_id=[1.0, 7.0]),
            r"borrower_id must hold strings or whole numbers, not floats .* got dtype float64",
        ),
        (
            obs(as_of=pd.to_datetime(["2024-03-01", None])),
            r"observations.as_of must not be missing; got 1 value at row 1",
        ),
        (
            obs(as_of=pd.to_datetime(["2024-03-01 10:30", "2024-04-01 00:00"])),
            (
                r"as_of must be dates without a time of day; "
                r"got 1 value \(Timestamp\('2024-03-01 10:30:00'\)\) at row 0"
            ),
        ),
        (
            obs(as_of=pd.to_datetime(["2024-03-01", "2024-04-01"]).tz_localize("Asia/Shanghai")),
            r"observations.as_of is time-zone aware; .*tz_convert\('Asia/Shanghai'\)",
        ),
        (
            obs(as_of=["2024-03-01", "yesterday"]),
            r"observations.as_of relative words .* refused; .* got 1 value \('yesterday'\) at row 1",
        ),
        (
            obs(as_of=["2024-03-01", "2024-13-01"]),
            r"observations.as_of cannot be read as a date: .* at row 1",
        ),
        (obs(as_of=[20240301, 20240401]), r"observations.as_of numbers are never dates; .* got dtype int64"),
    ],
)
def test_bad_observations(rs: RecordSet, frame: pd.DataFrame, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        extract(rs, frame)
    with pytest.raises(InvalidInputError, match=match.replace("extract", "outcomes")):
        outcomes(rs, frame, observed_until="2026-01-01")


def test_many_offending_rows_are_counted(rs: RecordSet) -> None:
    frame = pd.DataFrame({"borrower_id": ["x"] * 8, "as_of": pd.to_datetime(["2024-01-01"] * 8)})
    with pytest.raises(
        InvalidInputError,
        match=r"got 8 values \('x', 'x', 'x', 'x', 'x', …\) at rows 0, 1, 2, 3, 4, …",
    ):
        extract(rs, frame)


def test_observations_must_be_a_frame_and_records_a_record_set(rs: RecordSet) -> None:
    with pytest.raises(
        InvalidInputError, match=r"extract: observations must be a pandas DataFrame; got a dict\."
    ):
        extract(rs, {"borrower_id": ["b1"], "as_of": ["2024-01-01"]})  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"extract: records must be a jiebei_credit\.records\.RecordSet; got a dict\."
    ):
        extract({}, obs())
    with pytest.raises(
        InvalidInputError, match=r"outcomes: records must be a jiebei_credit\.records\.RecordSet"
    ):
        outcomes(None, obs(), observed_until="2025-01-01")


@pytest.mark.parametrize(
    ("windows", "match"),
    [
        ((), r"extract: windows must hold at least 1 value; got 0\."),
        (
            (30, 0),
            r"windows must hold whole numbers of days between 1 and 3650; got 1 value \(0\) at position 1",
        ),
        ((30, -5), r"got 1 value \(-5\) at position 1"),
        ((30.0,), r"got 1 value \(30.0\) at position 0"),
        ((True,), r"got 1 value \(True\) at position 0"),
        ((4000,), r"got 1 value \(4000\) at position 0"),
        ((30, 90, 30), r"windows must not repeat a value; got repeats of 30\."),
        ("30", r"windows must be a list, tuple, array or Index of values, not a single string; got '30'"),
        (30, r"windows must be a list, tuple, array or Index of values; got 30\."),
    ],
)
def test_bad_windows(rs: RecordSet, windows: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        extract(rs, obs(), windows=windows)  # type: ignore[arg-type]


def test_bad_families_and_sources(rs: RecordSet) -> None:
    with pytest.raises(
        InvalidInputError, match=r"families may hold only 'line', .*; got 1 other value \('cash'\)\."
    ):
        extract(rs, obs(), families=["cash"])
    with pytest.raises(
        InvalidInputError,
        match=r"families must be a list, tuple, array or Index of values, not a single string; got 'zhima'\. "
        r"Wrap it: families=\['zhima'\]",
    ):
        extract(rs, obs(), families="zhima")
    with pytest.raises(
        InvalidInputError, match=r"sources may hold only .*; got 1 other value \('bank_statements'\)"
    ):
        extract(rs, obs(), sources=["bank_statements"])
    with pytest.raises(
        InvalidInputError,
        match=r"families may only name families whose tables sources= allows; "
        r"'repayment' needs 'installments'; "
        r"got sources=\['borrowers', 'loans'\]\. Add",
    ):
        extract(rs, obs(), families=["repayment"], sources=["loans", "borrowers"])
    with pytest.raises(
        InvalidInputError,
        match=r"families may only name families whose tables records holds; 'cashflow' needs 'transactions'",
    ):
        extract(rs, obs(), families=["cashflow"])


def test_default_families_follow_present_and_allowed_tables(rs: RecordSet) -> None:
    got = extract(rs, obs())
    families = {CATALOG[c].family for c in got.columns}
    assert families == {"draws", "repayment", "inquiries", "profile"}
    assert {CATALOG[c].family for c in extract(rs, obs(), sources=["inquiries"]).columns} == {"inquiries"}
    assert extract(rs, obs(), sources=[]).shape == (2, 0)


def test_accepted_variants(rs: RecordSet) -> None:
    want = extract(rs, obs())
    as_strings = extract(rs, obs(as_of=["2024-03-01", "2024-04-01"]))
    as_dates = extract(rs, obs(as_of=[dt.date(2024, 3, 1), dt.date(2024, 4, 1)]))
    as_category = extract(rs, obs(borrower_id=pd.Categorical(["b1", "b1"]), extra=[1, 2]))
    seconds = extract(rs, obs(as_of=pd.to_datetime(["2024-03-01", "2024-04-01"]).astype("datetime64[s]")))
    for other in (as_strings, as_dates, as_category, seconds):
        pd.testing.assert_frame_equal(other, want)
    pd.testing.assert_frame_equal(extract(rs, obs(), windows=np.array([30, 90, 180, 365])), want)
    with pytest.raises(
        InvalidInputError,
        match=r"observed_until numbers are never dates; .* got (np.int64\(20250630\)|20250630 \(int64\))",
    ):
        outcomes(rs, obs(), observed_until=np.int64(20250630))
    by_int = extract(rs, pd.DataFrame({"borrower_id": [7], "as_of": ["2024-03-01"]}), families=["profile"])
    # Borrower "7" registered 2021-05-01: 1035 days before 2024-03-01, over 30.4375 days a month.
    assert by_int["business_age_months"].iloc[0] == pytest.approx(1035 / 30.4375)


def test_empty_observations_give_an_empty_frame_with_every_column(rs: RecordSet) -> None:
    empty = pd.DataFrame(
        {"borrower_id": pd.Series([], dtype="string"), "as_of": pd.Series([], dtype="datetime64[ns]")}
    )
    got = extract(rs, empty)
    assert got.shape[0] == 0
    assert list(got.columns) == list(extract(rs, obs()).columns)
    assert all(dtype == np.float64 for dtype in got.dtypes)
    assert outcomes(rs, empty, observed_until="2025-01-01").size == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"horizon_days": 0}, r"outcomes: horizon_days must be an integer in \[1, 55151\]; got 0\."),
        ({"horizon_days": 30.5}, r"horizon_days must be an integer in \[1, 55151\]; got 30.5 \(float\)"),
        ({"min_dpd": True}, r"min_dpd must be an integer in \[1, 55151\]; got True \(a bool\)"),
        ({"observed_until": None}, r"outcomes: observed_until must be a date; got None\."),
        ({"observed_until": "soon"}, r"observed_until cannot be read as a date: .*; got 'soon'\."),
        (
            {"observed_until": "2025-01-01 12:00"},
            r"observed_until must be a date without a time of day; got '2025-01-01 12:00'\. Use 2025-01-01\.",
        ),
        ({"observed_until": pd.NaT}, r"observed_until must be a date; got a missing value"),
    ],
)
def test_bad_outcome_parameters(rs: RecordSet, kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"observed_until": "2025-06-30", **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        outcomes(rs, obs(), **args)  # type: ignore[arg-type]


def test_outcomes_need_loans_and_installments(rs: RecordSet) -> None:
    bare = RecordSet.from_frames(borrowers=rs.borrowers)
    with pytest.raises(
        InvalidInputError,
        match=r"outcomes: records must hold the loans and installments tables "
        r".* lacking 'loans', 'installments'",
    ):
        outcomes(bare, obs(), observed_until="2025-06-30")
