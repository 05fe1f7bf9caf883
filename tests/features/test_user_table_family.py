"""A user feature family over a user table: segments by knowledge time, consent, and the checker."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import (
    FeatureFamily,
    FeatureSpec,
    PointInTimeView,
    check_point_in_time,
    extract,
)
from jiebei_credit.records import RecordSet
from tests.records.test_user_tables import base_set, utility_frame, utility_schema, with_utility

TABLE = "utility_payments"


def _spec(name: str, unit: str, window: int | None = None, family: str = "utility") -> FeatureSpec:
    return FeatureSpec(
        name=name,
        family=family,
        window=window,
        unit=unit,
        description=f"{name} over utility bills known before as_of.",
        description_zh="观测日前已知的水电账单统计",
        sources=(TABLE,),
        category="utility_payments",
        nan_meaning="never NaN" if unit != "days" else "no bill known before as_of",
    )


def _compute(view: PointInTimeView) -> dict[str, np.ndarray]:
    bills = view.events(TABLE)
    return {
        "util_bills": bills.count(),
        "util_amount_30d": bills.sum("amount", window=30),
        "util_days_late_last": bills.last("days_late"),
        "util_days_since": bills.days_since_last(),
    }


UTILITY = FeatureFamily(
    "utility",
    (TABLE,),
    (
        _spec("util_bills", "count"),
        _spec("util_amount_30d", "CNY", 30),
        _spec("util_days_late_last", "days"),
        _spec("util_days_since", "days"),
    ),
    _compute,
)


def test_rows_are_visible_from_their_knowledge_time_computed_by_hand() -> None:
    # utility_frame(): b1 bills u1 (billed 2024-01-31, known 2024-02-15, 310.5 CNY, 0 days late) and
    # u2 (billed 2024-02-29, known 2024-03-15, 290 CNY, 3 days late); b2 bill u3 (billed 2024-01-31,
    # known 2024-02-25, 120 CNY, 12 days late). A row is visible iff known_on < as_of.
    obs = pd.DataFrame(
        {
            "borrower_id": ["b1", "b1", "b1", "b1", "b2", "b1"],
            "as_of": ["2024-02-10", "2024-02-15", "2024-02-16", "2024-03-16", "2024-02-20", "2024-03-10"],
        },
        index=["billed_not_known", "known_that_day", "day_after", "both", "b2_not_known", "one_of_two"],
    )
    got = extract(with_utility(), obs, families=[UTILITY])
    nan = np.nan
    expected = pd.DataFrame(
        {
            # event_date < as_of <= known_at: not visible (rows 1, 2, 5); visible from the day after.
            "util_bills": [0.0, 0.0, 1.0, 2.0, 0.0, 1.0],
            # 30-day window [as_of - 30, as_of) on the knowledge day: on 2024-03-16 it starts on
            # 2024-02-15 (2024 is a leap year), so u1 (known 2024-02-15) is in: 310.5 + 290 = 600.5.
            "util_amount_30d": [0.0, 0.0, 310.5, 600.5, 0.0, 310.5],
            "util_days_late_last": [nan, nan, 0.0, 3.0, nan, 0.0],
            # Days from the latest row's knowledge day: 02-16 - 02-15 = 1, 03-16 - 03-15 = 1,
            # 03-10 - 02-15 = 24.
            "util_days_since": [nan, nan, 1.0, 1.0, nan, 24.0],
        },
        index=obs.index,
    )
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_column_type=False)


def test_the_checker_passes_on_an_honest_user_table_family() -> None:
    obs = pd.DataFrame(
        {
            "borrower_id": ["b1", "b1", "b2", "b1", "b2", "b1", "b2"],
            "as_of": ["2024-02-10", "2024-02-16", "2024-02-20", "2024-03-10", "2024-02-26", "2024-03-16",
                      "2024-05-01"],
        }
    )
    report = check_point_in_time(UTILITY, with_utility(), obs)
    assert report.passed, str(report)


def test_a_user_family_needs_its_table_in_the_records() -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]})
    with pytest.raises(InvalidInputError, match=r"extract: families may only name families whose tables "
                       r"records holds; 'utility' needs 'utility_payments'; got records with borrowers, "
                       r"zhima_scores\. Pass the tables to RecordSet.from_frames \(a user table with "
                       r"RecordSet.with_table\)"):
        extract(base_set(), obs, families=[UTILITY])


def test_sources_consent_covers_user_tables() -> None:
    rs = with_utility()
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]})
    with pytest.raises(InvalidInputError, match=r"families whose tables sources= allows; 'utility' needs "
                       r"'utility_payments'; got sources=\['borrowers', 'zhima_scores'\]"):
        extract(rs, obs, families=[UTILITY], sources=["borrowers", "zhima_scores"])
    allowed = extract(rs, obs, families=["zhima", UTILITY], sources=["zhima_scores", TABLE])
    assert allowed.loc[0, "util_bills"] == 1.0  # u1 known 2024-02-15 < 2024-03-01
    # The built-in default leaves the user table alone; a user table name is a valid source.
    assert "util_bills" not in extract(rs, obs, sources=[TABLE]).columns
    with pytest.raises(InvalidInputError, match=r"sources may hold only .*'utility_payments'.*; got 1 other "
                       r"value \('gas_bills'\)"):
        extract(rs, obs, sources=["gas_bills"])


def test_a_borrower_key_with_another_name_segments_by_it() -> None:
    frame = utility_frame().rename(columns={"borrower_id": "customer_id"})
    rs = base_set().with_table(utility_schema(TABLE, key="customer_id"), frame)
    obs = pd.DataFrame({"borrower_id": ["b1", "b2"], "as_of": ["2024-04-01", "2024-04-01"]})
    got = extract(rs, obs, families=[UTILITY])
    # b1 has u1 and u2, b2 has u3, all known before 2024-04-01.
    assert got["util_bills"].tolist() == [2.0, 1.0]
    assert got["util_days_late_last"].tolist() == [3.0, 12.0]


def test_family_tables_are_names_and_the_view_refuses_tables_without_knowledge_time() -> None:
    with pytest.raises(InvalidInputError, match=r"FeatureFamily: tables of family 'f' must be table names "
                       r"\(non-empty strings\)"):
        FeatureFamily("f", (TABLE, 3), (_spec("a", "count", family="f"),), _compute)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"tables of family 'f' must name each table once"):
        FeatureFamily("f", (TABLE, TABLE), (_spec("a", "count", family="f"),), _compute)
    with pytest.raises(InvalidInputError, match=r"tables of family 'f' must be a tuple of table names"):
        FeatureFamily("f", TABLE, (_spec("a", "count", family="f"),), _compute)  # type: ignore[arg-type]
    spec = FeatureSpec(name="x", family="f", window=None, unit="count", description="", description_zh="",
                       sources=("borrowers",), category="business_profile", nan_meaning="never")
    fam = FeatureFamily("f", ("borrowers",), (spec,), lambda v: {"x": v.events("borrowers").count()})
    with pytest.raises(InvalidInputError, match=r"PointInTimeView: table must be an event table \(one with "
                       r"a knowledge time\)"):
        extract(with_utility(), pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]}),
                families=[fam])


# ---- property: rows known on or after as_of never change a bit -----------------------------------

_START = dt.date(2023, 1, 1)


@st.composite
def _bills(draw: st.DrawFn) -> pd.DataFrame:
    keys = draw(
        st.lists(st.tuples(st.sampled_from(["b1", "b2"]), st.integers(0, 17)), min_size=0, max_size=20,
                 unique=True)
    )
    rows = []
    for i, (who, month) in enumerate(keys):
        period = pd.Timestamp(_START) + pd.DateOffset(months=month)
        billed = period + pd.DateOffset(months=1) - pd.Timedelta(days=1)
        known = billed + pd.Timedelta(days=draw(st.integers(0, 75)))
        rows.append(
            {
                "borrower_id": who,
                "period_month": period,
                "billed_on": billed,
                "paid_on": None,
                "known_on": known,
                "amount": draw(st.floats(0, 5000, allow_nan=False, allow_infinity=False)),
                "days_late": draw(st.integers(0, 90)),
                "_row": i,
            }
        )
    columns = ["borrower_id", "period_month", "billed_on", "paid_on", "known_on", "amount", "days_late"]
    frame = pd.DataFrame(rows, columns=[*columns, "_row"])
    return frame.drop(columns="_row").astype({"paid_on": object})


@given(
    _bills(),
    st.lists(st.tuples(st.sampled_from(["b1", "b2"]), st.integers(0, 700)), min_size=1, max_size=8),
    st.floats(-1e4, 1e4, allow_nan=False),
    st.integers(0, 50),
)
def test_rows_known_on_or_after_as_of_never_change_a_bit(
    bills: pd.DataFrame, points: list[tuple[str, int]], new_amount: float, new_late: int
) -> None:
    rs = base_set().with_table(utility_schema(), bills)
    obs = pd.DataFrame(
        {
            "borrower_id": [b for b, _ in points],
            "as_of": [pd.Timestamp(_START) + pd.Timedelta(days=d) for _, d in points],
        }
    )
    full = extract(rs, obs, families=[UTILITY])
    for as_of in obs["as_of"].unique():
        mine = obs[obs["as_of"] == as_of]
        future = (rs[TABLE]["known_on"] >= as_of).to_numpy()
        removed = rs.replace(**{TABLE: rs[TABLE].loc[~future]})
        altered_frame = rs[TABLE].copy()
        altered_frame.loc[future, "amount"] = abs(new_amount)
        altered_frame.loc[future, "days_late"] = new_late
        altered = rs.replace(**{TABLE: altered_frame})
        for other in (removed, altered):
            got = extract(other, mine, families=[UTILITY])
            np.testing.assert_array_equal(
                got.to_numpy().view(np.int64), full.loc[mine.index].to_numpy().view(np.int64)
            )


def test_the_input_records_are_not_changed_by_extraction() -> None:
    rs = with_utility()
    before = rs[TABLE]
    extract(rs, pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-20"]}), families=[UTILITY])
    pd.testing.assert_frame_equal(rs[TABLE], before, check_exact=True)
    assert isinstance(rs, RecordSet)
