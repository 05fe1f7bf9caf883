"""Point in time: nothing dated on or after as_of reaches a feature of that observation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.features import CATALOG, extract
from jiebei_credit.records import RecordSet
from tests.strategies import feature_cases

Frames = dict[str, pd.DataFrame]
DAY = dt.timedelta(days=1)
# Rebuilt records shift every cumulative sum, so equal features agree to float rounding.
CLOSE = {"check_exact": False, "rtol": 1e-9, "atol": 1e-7}


def _day(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    return v.date() if isinstance(v, dt.datetime) else v


@st.composite
def future_changes(draw: st.DrawFn, frames: Frames, d: dt.date) -> Frames:
    """``frames`` with events dated on or after ``d`` kept, dropped or changed, plus new ones from ``d``.

    New events always include one of each kind dated exactly ``d`` (the sharpest boundary).
    """
    ids = frames["borrowers"]["borrower_id"].tolist()
    later = st.sampled_from([0, 0, 1, 2, 30, 400]).map(lambda k: d + k * DAY)
    out: Frames = {}

    def fate() -> str:
        return draw(st.sampled_from(["keep", "drop", "change"]))

    b = frames["borrowers"].copy()
    b["business_registered_on"] = [
        v if _day(v) is None or _day(v) < d else draw(st.none() | later) for v in b["business_registered_on"]
    ]
    out["borrowers"] = b

    rows = []
    for r in frames["credit_line_events"].to_dict("records"):
        if _day(r["effective_on"]) < d or (f := fate()) == "keep":
            rows.append(r)
        elif f == "change":
            rows.append(dict(r, limit=draw(st.sampled_from([0.0, 1.0, 99_999.0]))))
    taken = {(r["borrower_id"], _day(r["effective_on"])) for r in rows}
    for who in ids:
        when = draw(later)
        if (who, when) not in taken:
            rows.append({"borrower_id": who, "effective_on": when, "limit": 7777.0, "daily_rate": 0.0003})
    out["credit_line_events"] = pd.DataFrame(rows, columns=frames["credit_line_events"].columns)

    visible = {r["loan_id"] for r in frames["loans"].to_dict("records") if _day(r["drawn_on"]) < d}
    kept_loans = [
        r for r in frames["loans"].to_dict("records") if r["loan_id"] in visible or fate() == "keep"
    ]
    kept_ids = {r["loan_id"] for r in kept_loans}
    insts = []
    for r in frames["installments"].to_dict("records"):
        if r["loan_id"] not in kept_ids:
            continue
        paid = _day(r["paid_on"])
        if r["loan_id"] in visible and (paid is None or paid >= d):
            r = dict(r, paid_on=draw(st.none() | later))  # paid on or after as_of: still unpaid at as_of
        insts.append(r)
    for k, who in enumerate(ids):
        when = draw(later)
        kept_loans.append(
            {
                "loan_id": f"new{k}",
                "borrower_id": who,
                "drawn_on": when,
                "principal": 500.0,
                "term_months": 1,
                "repayment_method": "interest_first",
                "daily_rate": 0.0004,
                "purpose": "consumption",
            }
        )
        insts.append(
            {
                "loan_id": f"new{k}",
                "seq": 1,
                "due_on": when + 30 * DAY,
                "principal_due": 500.0,
                "interest_due": 6.0,
                "paid_on": draw(st.none() | st.just(when + 60 * DAY)),
            }
        )
    out["loans"] = pd.DataFrame(kept_loans, columns=frames["loans"].columns)
    out["installments"] = pd.DataFrame(insts, columns=frames["installments"].columns)

    midnight = pd.Timestamp(d)
    rows = []
    for r in frames["transactions"].to_dict("records"):
        if pd.Timestamp(r["occurred_at"]) < midnight or (f := fate()) == "keep":
            rows.append(r)
        elif f == "change":
            rows.append(dict(r, amount=123.45, counterparty_id="c1"))
    for k, who in enumerate(ids):
        for j, kind in enumerate(["sale", "refund", "loan_disbursement"]):
            rows.append(
                {
                    "transaction_id": f"new{k}-{j}",
                    "borrower_id": who,
                    "occurred_at": midnight + pd.Timedelta(seconds=draw(st.sampled_from([0, 1, 86_400 * 3]))),
                    "amount": 50.0,
                    "direction": "out" if kind == "refund" else "in",
                    "kind": kind,
                    "counterparty_id": "c1",
                }
            )
    out["transactions"] = pd.DataFrame(rows, columns=frames["transactions"].columns)

    rows = []
    for r in frames["zhima_scores"].to_dict("records"):
        if _day(r["observed_on"]) < d or (f := fate()) == "keep":
            rows.append(r)
        elif f == "change":
            rows.append(dict(r, score=350))
    taken = {(r["borrower_id"], _day(r["observed_on"])) for r in rows}
    for who in ids:
        when = draw(later)
        if (who, when) not in taken:
            rows.append({"borrower_id": who, "observed_on": when, "score": 950})
    out["zhima_scores"] = pd.DataFrame(rows, columns=frames["zhima_scores"].columns)

    rows = []
    for r in frames["inquiries"].to_dict("records"):
        if _day(r["inquired_on"]) < d or (f := fate()) == "keep":
            rows.append(r)
        elif f == "change":
            rows.append(dict(r, institution_type="micro_loan"))
    for k, who in enumerate(ids):
        rows.append(
            {
                "inquiry_id": f"new{k}",
                "borrower_id": who,
                "inquired_on": draw(later),
                "institution_type": "consumer_finance",
            }
        )
    out["inquiries"] = pd.DataFrame(rows, columns=frames["inquiries"].columns)
    return out


@given(case=feature_cases(max_observations=1), data=st.data())
def test_events_on_or_after_as_of_never_change_a_feature(
    case: tuple[Frames, pd.DataFrame], data: st.DataObject
) -> None:
    frames, obs = case
    d = obs["as_of"].iloc[0].date()
    changed = data.draw(future_changes(frames, d))
    before = extract(RecordSet.from_frames(**frames), obs)
    after = extract(RecordSet.from_frames(**changed), obs)
    pd.testing.assert_frame_equal(before, after, **CLOSE)


@given(case=feature_cases(max_observations=5))
def test_each_row_depends_on_its_observation_only(case: tuple[Frames, pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    together = extract(rs, obs)
    one_by_one = pd.concat([extract(rs, obs.iloc[[i]]) for i in range(len(obs))])
    pd.testing.assert_frame_equal(together, one_by_one, **CLOSE)
    reversed_ = extract(rs, obs.iloc[::-1])
    pd.testing.assert_frame_equal(reversed_, together.iloc[::-1])


# ---- the boundary rules, on hand-made records -------------------------------------------------


def _borrower() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "borrower_id": ["b1"],
            "business_type": ["individual_business"],
            "industry": [None],
            "business_registered_on": ["2020-01-01"],
            "region": [None],
        }
    )


def _one_instalment_loan(drawn: str, due: str, paid: str | None) -> Frames:
    return {
        "loans": pd.DataFrame(
            {
                "loan_id": ["L1"],
                "borrower_id": ["b1"],
                "drawn_on": [drawn],
                "principal": [1000.0],
                "term_months": [1],
                "repayment_method": ["equal_installment"],
                "daily_rate": [0.0004],
                "purpose": ["business"],
            }
        ),
        "installments": pd.DataFrame(
            {
                "loan_id": ["L1"],
                "seq": [1],
                "due_on": [due],
                "principal_due": [1000.0],
                "interest_due": [12.0],
                "paid_on": [paid],
            }
        ),
    }


def _obs(*dates: str) -> pd.DataFrame:
    return pd.DataFrame({"borrower_id": ["b1"] * len(dates), "as_of": pd.to_datetime(list(dates))})


def test_instalment_paid_on_as_of_is_unpaid_at_as_of() -> None:
    rs = RecordSet.from_frames(
        borrowers=_borrower(), **_one_instalment_loan("2024-01-01", "2024-01-31", "2024-03-01")
    )
    x = extract(rs, _obs("2024-03-01", "2024-03-02"), families=["repayment"])
    # as_of 2024-03-01: paid that very day, so unpaid at as_of;
    # 2024-01-31 -> 2024-03-01 is 30 days (leap February).
    assert x["dpd_now"].tolist() == [30.0, 0.0]
    assert x["overdue_amount_now"].tolist() == [1012.0, 0.0]  # 1000 principal + 12 interest
    assert x["outstanding_now"].tolist() == [1000.0, 0.0]
    assert x["active_loans_now"].tolist() == [1.0, 0.0]
    # as_of 2024-03-02: the status of 2024-03-01 (DPD 30) is inside (as_of - 30, as_of].
    assert x["dpd_max_30d"].tolist() == [30.0, 30.0]
    assert x["dpd30_count_30d"].tolist() == [1.0, 1.0]
    assert x["days_since_delinquency"].tolist() == [0.0, 1.0]


def test_limit_in_force_is_the_latest_event_effective_before_as_of() -> None:
    events = pd.DataFrame(
        {
            "borrower_id": ["b1"] * 3,
            "effective_on": ["2024-01-01", "2024-03-01", "2024-03-02"],
            "limit": [10_000.0, 20_000.0, 0.0],
            "daily_rate": [0.0005, 0.0004, 0.0004],
        }
    )
    rs = RecordSet.from_frames(
        borrowers=_borrower(),
        credit_line_events=events,
        **_one_instalment_loan("2024-02-01", "2024-04-01", None),
    )
    x = extract(
        rs, _obs("2024-01-01", "2024-03-01", "2024-03-02", "2024-03-03"), families=["line", "utilisation"]
    )
    assert x["limit_now"].tolist()[1:] == [10_000.0, 20_000.0, 0.0]
    assert np.isnan(x["limit_now"].iloc[0])  # the opening event is effective on as_of: not yet visible
    assert x["daily_rate_now"].tolist()[1:] == [0.0005, 0.0004, 0.0004]
    # 1000 outstanding over the limit in force; a frozen line (limit 0) has no utilisation.
    assert x["util_now"].tolist()[1:3] == [0.1, 0.05]
    assert np.isnan(x["util_now"].iloc[3])
    # The increase of 2024-03-01 is visible from 2024-03-02; the freeze of 2024-03-02 from 2024-03-03.
    assert x["limit_increase_count_30d"].tolist()[1:] == [0.0, 1.0, 1.0]
    assert x["limit_decrease_count_30d"].tolist()[1:] == [0.0, 0.0, 1.0]


def test_loan_drawn_on_as_of_is_invisible() -> None:
    rs = RecordSet.from_frames(
        borrowers=_borrower(), **_one_instalment_loan("2024-02-01", "2024-03-01", None)
    )
    x = extract(rs, _obs("2024-02-01", "2024-02-02"), families=["draws", "repayment"])
    assert x["draw_count_30d"].tolist() == [0.0, 1.0]
    assert np.isnan(x["outstanding_now"].iloc[0])  # no loan drawn before as_of: not applicable
    assert x["outstanding_now"].iloc[1] == 1000.0
    assert np.isnan(x["days_since_last_draw"].iloc[0])
    assert x["days_since_last_draw"].iloc[1] == 1.0


def test_transaction_at_midnight_of_as_of_is_invisible() -> None:
    tx = pd.DataFrame(
        {
            "transaction_id": ["t1", "t2"],
            "borrower_id": ["b1", "b1"],
            "occurred_at": pd.to_datetime(["2024-01-31 23:59:59", "2024-02-01 00:00:00"]),
            "amount": [100.0, 1000.0],
            "direction": ["in", "in"],
            "kind": ["sale", "sale"],
            "counterparty_id": ["c1", "c2"],
        }
    )
    rs = RecordSet.from_frames(borrowers=_borrower(), transactions=tx)
    x = extract(rs, _obs("2024-02-01", "2024-02-02"), families=["cashflow"])
    assert x["receipts_monthly_mean_30d"].tolist() == [100.0, 1100.0]
    assert x["payer_count_30d"].tolist() == [1.0, 2.0]


@given(case=feature_cases(max_observations=2))
def test_inputs_are_never_modified(case: tuple[Frames, pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    tables = {name: rs[name] for name in rs.tables}
    obs_before = obs.copy(deep=True)
    extract(rs, obs)
    pd.testing.assert_frame_equal(obs, obs_before)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(rs[name], frame)


@pytest.mark.parametrize("excluded", ["transactions", "installments", "credit_line_events", "zhima_scores"])
@given(case=feature_cases(max_observations=2))
def test_excluded_sources_are_never_read(excluded: str, case: tuple[Frames, pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    allowed = [t for t in rs.tables if t != excluded]
    got = extract(rs, obs, sources=allowed)
    assert all(excluded not in CATALOG[c].sources for c in got.columns)
    assert len(got.columns) > 0
    if excluded == "installments":  # every loan needs its schedule: erase the payments instead
        other_table = frames["installments"].assign(paid_on=None)
    else:
        other_table = frames[excluded].iloc[0:0]
    other = extract(rs.replace(**{excluded: other_table}), obs, sources=allowed)
    pd.testing.assert_frame_equal(got, other, **CLOSE)
