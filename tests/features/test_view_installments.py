"""Instalments through the point-in-time view: known from the loan's drawdown, payments from their day.

Checked against a plain pandas filter per observation written from the
``PointInTimeView.events`` docstring, on generated records and on a small
hand-worked case.
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

TABLES = ("loans", "installments")
NAMES = ("scheduled", "scheduled_count_30", "repaid", "repaid_count_90", "due_dates_seen")


def _spec(name: str, tables: tuple[str, ...] = TABLES) -> FeatureSpec:
    return FeatureSpec(name=name, family="inst", window=None, unit="CNY",
                       description="A reduction under test.", description_zh="测试用归约",
                       sources=tables, category="credit_history", nan_meaning="never NaN")


def _compute(v: PointInTimeView) -> dict[str, Any]:
    inst, paid = v.events("installments"), v.events("installments", at="paid_on")
    return {
        "scheduled": inst.sum("principal_due"),
        "scheduled_count_30": inst.count(30),
        "repaid": paid.sum("principal_due"),
        "repaid_count_90": paid.count(90),
        "due_dates_seen": v.events("installments", at="due_on").count(),
    }


FAMILY = FeatureFamily("inst", TABLES, tuple(_spec(n) for n in NAMES), _compute)


def _expected(rs: RecordSet, borrower: str, as_of: pd.Timestamp) -> dict[str, float]:
    loans = rs.loans[rs.loans["borrower_id"] == borrower]
    inst = rs.installments.merge(loans[["loan_id", "drawn_on"]], on="loan_id")
    drawn = inst["drawn_on"].dt.floor("D")
    known = drawn < as_of
    day = pd.Timedelta(days=1)
    paid_day = inst["paid_on"].dt.floor("D")
    # A payment is known from the later of the drawdown and the payment day.
    paid_known = pd.concat([drawn, paid_day], axis=1).max(axis=1, skipna=False)
    paid = paid_day.notna() & (paid_known < as_of)
    due_known = pd.concat([drawn, inst["due_on"].dt.floor("D")], axis=1).max(axis=1)
    return {
        "scheduled": float(inst.loc[known, "principal_due"].sum()),
        "scheduled_count_30": float((known & (drawn >= as_of - 30 * day)).sum()),
        "repaid": float(inst.loc[paid, "principal_due"].sum()),
        "repaid_count_90": float((paid & (paid_known >= as_of - 90 * day)).sum()),
        "due_dates_seen": float((due_known < as_of).sum()),
    }


@given(case=feature_cases())
def test_instalment_segments_match_their_definition(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    if "installments" not in rs:
        return
    got = extract(rs, obs, families=[FAMILY])
    for key, row in obs.iterrows():
        want = _expected(rs, row["borrower_id"], pd.Timestamp(row["as_of"]).floor("D"))
        for name in NAMES:
            g, w = got.loc[key, name], want[name]
            assert math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-9), (key, name, g, w)


def test_hand_worked_case(small: RecordSet) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"] * 3, "as_of": ["2024-03-20", "2024-06-01", "2024-06-02"]})
    x = extract(small, obs, families=[FAMILY])
    # 2024-03-20: L1's three instalments (drawn Jan 10) are known; only the Feb 9 payment is
    # before as_of (the Mar 20 payment is on as_of); due dates Feb 10 and Mar 10 have passed.
    assert x.iloc[0].tolist() == [300.0, 0.0, 100.0, 1.0, 2.0]
    # 2024-06-01: L2 (drawn May 15, two instalments, inside the 30-day window) is known too;
    # payments Feb 9 and Mar 20 (Jun 1 is on as_of); due Feb 10, Mar 10, Apr 10.
    assert x.iloc[1].tolist() == [500.0, 2.0, 200.0, 1.0, 3.0]
    # 2024-06-02: the Jun 1 payment of L2 is now known.
    assert x.iloc[2].tolist() == [500.0, 2.0, 300.0, 2.0, 3.0]


def _one(compute: Callable[[PointInTimeView], Mapping[str, Any]],
         tables: tuple[str, ...] = TABLES) -> FeatureFamily:
    return FeatureFamily("inst", tables, (_spec("x", tables),), compute)


def test_payment_date_is_not_readable_before_the_payment(small: RecordSet) -> None:
    # The default instalment segments leave paid_on out: filtering on it would read the future.
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]})
    fam = _one(lambda v: {"x": v.events("installments").count_where("paid_on", [pd.Timestamp("2024-03-20")])})
    with pytest.raises(InvalidInputError, match="must be a column"):
        extract(small, obs, families=[fam])


@pytest.mark.parametrize(
    ("compute", "tables", "message"),
    [
        (lambda v: {"x": v.events("installments", at="seq").count()}, TABLES, "at must be a date column"),
        (lambda v: {"x": v.events("installments", at="nope").count()}, TABLES, "at must be a date column"),
        (lambda v: {"x": v.events("installments").count()}, ("installments",), "needs 'loans'"),
    ],
)
def test_bad_arguments_are_clear_errors(
    compute: Callable[[PointInTimeView], Mapping[str, Any]], tables: tuple[str, ...], message: str,
    small: RecordSet,
) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
    with pytest.raises(InvalidInputError, match=f"PointInTimeView: .*{message}"):
        extract(small, obs, families=[_one(compute, tables)])


def test_rows_without_the_date_are_in_no_segment(small: RecordSet) -> None:
    # L2's second instalment is open (no paid_on): never a payment, whatever the as_of.
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2030-01-01"]})
    x = extract(small, obs, families=[FAMILY])
    assert x["repaid"].iloc[0] == 400.0  # 5 instalments of 100, one open
    assert np.isfinite(x.to_numpy()).all()
