"""The Segments reductions the built-in families use: last value a lag ago, first-row age, counts.

Each reduction is checked against a plain pandas filter per observation,
written from its docstring (not from the vectorised code), on generated
records, and on a small hand-worked case.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import FeatureFamily, FeatureSpec, PointInTimeView, extract
from jiebei_credit.records import RecordSet
from tests.strategies import feature_cases

TABLES = ("credit_line_events", "loans", "inquiries")
NAMES = (
    "limit_30_ago",
    "limit_0_ago",
    "line_age_days",
    "limit_ups_90",
    "limit_downs",
    "bank_inquiries_60",
    "long_loans",
    "long_loans_30",
)


def _spec(name: str) -> FeatureSpec:
    return FeatureSpec(
        name=name,
        family="reductions",
        window=None,
        unit="count",
        description="A reduction under test.",
        description_zh="测试用归约",
        sources=TABLES,
        category="inquiries",
        nan_meaning="no row before as_of",
    )


def _compute(v: PointInTimeView) -> dict[str, Any]:
    line, loans, inq = v.events("credit_line_events"), v.events("loans"), v.events("inquiries")
    return {
        "limit_30_ago": line.last_before("limit", 30),
        "limit_0_ago": line.last_before("limit", 0),
        "line_age_days": line.days_since_first(),
        "limit_ups_90": line.count_changes("limit", "up", 90),
        "limit_downs": line.count_changes("limit", "down"),
        "bank_inquiries_60": inq.count_where("institution_type", ["bank"], 60),
        "long_loans": loans.count_at_least("term_months", 12),
        "long_loans_30": loans.count_at_least("term_months", 12, 30),
    }


FAMILY = FeatureFamily("reductions", TABLES, tuple(_spec(n) for n in NAMES), _compute)


def _one(compute: Callable[[PointInTimeView], Mapping[str, Any]]) -> FeatureFamily:
    return FeatureFamily("reductions", TABLES, (_spec("x"),), compute)


def _expected(rs: RecordSet, borrower: str, as_of: pd.Timestamp) -> dict[str, float]:
    """Each reduction from its definition: rows dated before as_of (or as_of - lag), by pandas filters."""
    cle, loans, inq = rs["credit_line_events"], rs["loans"], rs["inquiries"]
    ev = cle[cle["borrower_id"] == borrower].sort_values("effective_on")
    eff, limit = pd.to_datetime(ev["effective_on"]).tolist(), ev["limit"].tolist()
    seen = [k for k, d in enumerate(eff) if d < as_of]
    day = pd.Timedelta(days=1)

    def last_before(lag: int) -> float:
        known = [k for k, d in enumerate(eff) if d < as_of - lag * day]
        return float(limit[known[-1]]) if known else math.nan

    def moves(sign: int, window: int | None) -> float:
        lo = as_of - window * day if window is not None else pd.Timestamp.min
        return float(sum(
            1 for k in range(1, len(eff))
            if lo <= eff[k] < as_of and (limit[k] - limit[k - 1]) * sign > 0
        ))

    q = inq[inq["borrower_id"] == borrower]
    qd = pd.to_datetime(q["inquired_on"])
    bank = (q["institution_type"].astype(str) == "bank") & (qd < as_of) & (qd >= as_of - 60 * day)
    ln = loans[loans["borrower_id"] == borrower]
    ld = pd.to_datetime(ln["drawn_on"])
    long_term = (ln["term_months"] >= 12) & (ld < as_of)
    return {
        "limit_30_ago": last_before(30),
        "limit_0_ago": last_before(0),
        "line_age_days": float((as_of - eff[0]).days) if seen else math.nan,
        "limit_ups_90": moves(1, 90),
        "limit_downs": moves(-1, None),
        "bank_inquiries_60": float(bank.sum()),
        "long_loans": float(long_term.sum()),
        "long_loans_30": float((long_term & (ld >= as_of - 30 * day)).sum()),
    }


@given(case=feature_cases())
def test_reductions_match_their_definitions(case: tuple[dict[str, pd.DataFrame], pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    got = extract(rs, obs, families=[FAMILY])
    assert list(got.columns) == list(NAMES)
    for key, row in obs.iterrows():
        want = _expected(rs, row["borrower_id"], pd.Timestamp(row["as_of"]))
        for name in NAMES:
            g, w = got.loc[key, name], want[name]
            assert (math.isnan(g) and math.isnan(w)) or g == w, (key, name, g, w)


@pytest.fixture(scope="module")
def small() -> RecordSet:
    return RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
                                "industry": [None], "business_registered_on": ["2020-01-01"],
                                "region": [None]}),
        credit_line_events=pd.DataFrame({
            "borrower_id": ["b1"] * 4,
            "effective_on": ["2024-01-01", "2024-03-01", "2024-05-01", "2024-05-20"],
            "limit": [5000.0, 8000.0, 3000.0, 6000.0],
            "daily_rate": [0.0004] * 4,
        }),
        loans=pd.DataFrame({"loan_id": ["L1", "L2"], "borrower_id": ["b1", "b1"],
                            "drawn_on": ["2024-02-01", "2024-05-15"], "principal": [1000.0, 2000.0],
                            "term_months": [12, 3], "repayment_method": ["equal_installment"] * 2,
                            "daily_rate": [0.0004] * 2, "purpose": ["business", "consumption"]}),
        inquiries=pd.DataFrame({"inquiry_id": ["q1", "q2", "q3"], "borrower_id": ["b1"] * 3,
                                "inquired_on": ["2024-04-20", "2024-05-25", "2024-06-01"],
                                "institution_type": ["bank", "bank", "micro_loan"]}),
    )


def test_hand_worked_case(small: RecordSet) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1", "b1"], "as_of": ["2024-06-01", "2023-12-01"]})
    x = extract(small, obs, families=[FAMILY])
    first = x.iloc[0].to_dict()
    # as_of 2024-06-01: limits 5000 (Jan 1), 8000 (Mar 1), 3000 (May 1), 6000 (May 20) are known.
    assert first["limit_0_ago"] == 6000.0  # the latest, May 20
    assert first["limit_30_ago"] == 3000.0  # latest before 2024-05-02: May 1
    assert first["line_age_days"] == 152.0  # 2024-01-01 to 2024-06-01: 31+29+31+30+31 days
    assert first["limit_ups_90"] == 1.0  # window from 2024-03-03: May 20 (3000 -> 6000); Mar 1 is outside
    assert first["limit_downs"] == 1.0  # May 1 (8000 -> 3000)
    assert first["bank_inquiries_60"] == 2.0  # Apr 20 and May 25; Jun 1 is on as_of, not before
    assert first["long_loans"] == 1.0  # L1, 12 months
    assert first["long_loans_30"] == 0.0  # L1 was drawn in February
    # Before every row: NaN for values, 0 for counts.
    second = x.iloc[1]
    assert np.isnan(second["limit_0_ago"])
    assert np.isnan(second["line_age_days"])
    assert second[["limit_ups_90", "limit_downs", "bank_inquiries_60", "long_loans"]].eq(0.0).all()


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (lambda v: {"x": v.events("credit_line_events").last_before("limit", -1)}, "days must be"),
        (lambda v: {"x": v.events("credit_line_events").last_before("effective", 1)}, "must be a column"),
        (lambda v: {"x": v.events("credit_line_events").count_changes("limit", "sideways")},
         "direction must be one of 'up', 'down'"),
        (lambda v: {"x": v.events("inquiries").count_where("nope", ["bank"])}, "must be a column"),
        (lambda v: {"x": v.events("inquiries").count_where("institution_type", "bank")}, "values"),
        (lambda v: {"x": v.events("loans").count_at_least("purpose", 1)}, "must be numeric"),
        (lambda v: {"x": v.events("loans").count_at_least("term_months", "12")}, "threshold"),
        (lambda v: {"x": v.events("loans").count_at_least("term_months", 12, 0)}, "window must be"),
    ],
)
def test_bad_arguments_are_clear_errors(
    compute: Callable[[PointInTimeView], Mapping[str, Any]], message: str, small: RecordSet
) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
    with pytest.raises(InvalidInputError, match=f"PointInTimeView: .*{message}"):
        extract(small, obs, families=[_one(compute)])
