"""outcomes(): the bad flag against the day-by-day reference and on hand-made boundary cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.features import outcomes
from jiebei_credit.records import RecordSet
from tests.features.reference import Reference
from tests.strategies import FEATURE_EPOCH, feature_cases


@given(
    case=feature_cases(),
    horizon=st.sampled_from([1, 30, 90, 365]),
    min_dpd=st.sampled_from([1, 30, 90]),
    until=st.integers(0, 700).map(lambda k: FEATURE_EPOCH + dt.timedelta(days=k)),
)
def test_outcomes_match_day_by_day_reference(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame], horizon: int, min_dpd: int, until: dt.date
) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    got = outcomes(rs, obs, horizon_days=horizon, min_dpd=min_dpd, observed_until=until)
    ref = Reference(rs)
    want = [
        ref.outcome(b, pd.Timestamp(d).date(), horizon=horizon, min_dpd=min_dpd, until=until)
        for b, d in zip(obs["borrower_id"], obs["as_of"], strict=True)
    ]
    assert got.name == "bad"
    assert got.dtype == np.float64
    assert list(got.index) == list(obs.index)
    np.testing.assert_array_equal(got.to_numpy(), np.asarray(want))


def _records(rows: list[tuple[str, str, str, str | None]]) -> RecordSet:
    """One borrower; each row is a one-instalment loan (loan_id, drawn_on, due_on, paid_on)."""
    return RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1"],
                "business_type": ["unregistered"],
                "industry": [None],
                "business_registered_on": [None],
                "region": [None],
            }
        ),
        loans=pd.DataFrame(
            {
                "loan_id": [r[0] for r in rows],
                "borrower_id": "b1",
                "drawn_on": [r[1] for r in rows],
                "principal": 1000.0,
                "term_months": 1,
                "repayment_method": "equal_installment",
                "daily_rate": 0.0004,
                "purpose": "business",
            }
        ),
        installments=pd.DataFrame(
            {
                "loan_id": [r[0] for r in rows],
                "seq": 1,
                "due_on": [r[2] for r in rows],
                "principal_due": 1000.0,
                "interest_due": 12.0,
                "paid_on": [r[3] for r in rows],
            }
        ),
    )


def _flags(rs: RecordSet, *dates: str, **kwargs: object) -> list[float]:
    obs = pd.DataFrame({"borrower_id": ["b1"] * len(dates), "as_of": list(dates)})
    args: dict[str, object] = {"observed_until": "2030-01-01", **kwargs}
    return outcomes(rs, obs, **args).tolist()  # type: ignore[arg-type]


def test_reaching_min_dpd_on_the_last_day_of_the_horizon_is_bad() -> None:
    # Due 2024-01-31 and paid 2024-03-01: on 2024-03-01 it is unpaid and 30 days past due
    # (2024 is a leap year).
    rs = _records([("L1", "2024-01-01", "2024-01-31", "2024-03-01")])
    assert _flags(rs, "2024-01-31", horizon_days=30, min_dpd=30) == [1.0]  # horizon ends on 2024-03-01
    assert _flags(rs, "2024-01-31", horizon_days=29, min_dpd=30) == [0.0]  # ends on 2024-02-29 at 29 DPD
    assert _flags(rs, "2024-01-31", horizon_days=365, min_dpd=31) == [0.0]  # cured before reaching 31
    # 30 DPD is reached on 2024-03-01 only: an observation dated that day looks at (03-01, ...] and is good.
    assert _flags(rs, "2024-02-29", "2024-03-01", min_dpd=30) == [1.0, 0.0]


def test_a_cured_default_still_counts_and_loans_drawn_after_as_of_count() -> None:
    # L2 is drawn after the 2024-01-01 observation, is 90+ days past due from 2024-06-29 (03-31 + 90 days)
    # and cured on 2024-08-01: an observation dated 2024-08-01 only sees the cured loan.
    rs = _records(
        [("L1", "2023-12-01", "2024-01-10", "2024-01-10"), ("L2", "2024-03-01", "2024-03-31", "2024-08-01")]
    )
    assert _flags(rs, "2024-01-01", "2024-07-31", "2024-08-01", min_dpd=90) == [1.0, 1.0, 0.0]


def test_already_in_default_at_as_of_is_bad() -> None:
    rs = _records([("L1", "2023-01-01", "2023-02-01", None)])
    assert _flags(rs, "2024-01-01") == [1.0]


def test_immature_observations_are_nan_never_good() -> None:
    rs = _records([("L1", "2024-01-01", "2024-01-31", "2024-01-31")])
    got = _flags(rs, "2024-01-01", "2024-06-30", "2024-07-01", observed_until="2025-06-30")
    assert got[:2] == [0.0, 0.0]  # 2024-06-30 + 365 days = 2025-06-30: fully observed
    assert np.isnan(got[2])


def test_outcome_keeps_the_index_and_leaves_inputs_alone() -> None:
    rs = _records([("L1", "2024-01-01", "2024-01-31", None)])
    obs = pd.DataFrame(
        {"borrower_id": ["b1", "b1"], "as_of": pd.to_datetime(["2024-01-01", "2023-06-01"])},
        index=pd.Index(["z", "a"], name="application"),
    )
    before = obs.copy(deep=True)
    got = outcomes(rs, obs, observed_until=dt.date(2025, 12, 31))
    assert got.index.equals(obs.index)
    assert got.tolist() == [1.0, 1.0]
    pd.testing.assert_frame_equal(obs, before)


@pytest.mark.parametrize(
    "until", ["2024-12-31", pd.Timestamp("2024-12-31"), dt.date(2024, 12, 31), np.datetime64("2024-12-31")]
)
def test_observed_until_accepts_dates(until: object) -> None:
    rs = _records([("L1", "2024-01-01", "2024-01-31", None)])
    assert _flags(rs, "2023-12-31", "2024-01-01", observed_until=until)[0] == 1.0
    assert _flags(rs, "2024-01-01", observed_until=until)[0] == 1.0  # horizon ends on observed_until
    assert np.isnan(_flags(rs, "2024-01-02", observed_until=until)[0])
