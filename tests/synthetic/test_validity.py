"""The records are valid by construction and obey the mechanics the docs promise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.limits import annual_rate, schedules
from jiebei_credit.records import SCHEMAS, RecordSet
from jiebei_credit.synthetic import Portfolio, SimulationConfig, simulate_portfolio

#: Event date column of each table (borrowers has none).
EVENT_DATES = {
    "credit_line_events": "effective_on",
    "loans": "drawn_on",
    "transactions": "occurred_at",
    "zhima_scores": "observed_on",
    "inquiries": "inquired_on",
}


def full_validation(p: Portfolio) -> RecordSet:
    r = p.records
    return RecordSet.from_frames(**{name: r[name] for name in r.tables})


def assert_valid(p: Portfolio) -> None:
    """Full validation gives back exactly the generated frames; no event outside [start, end)."""
    assert full_validation(p) == p.records
    for name in p.records.tables:
        frame = p.records[name]
        got = [str(t) for t in frame.dtypes]
        assert got == [c.dtype_label() for c in SCHEMAS[name].columns], name
    for name, col in EVENT_DATES.items():
        values = p.records[name][col]
        if len(values):
            assert values.min() >= p.start, name
            assert values.max() < p.end, name
    inst = p.records.installments
    assert (inst["paid_on"].dropna() < p.end).all()
    registered = p.records.borrowers["business_registered_on"].dropna()
    assert (registered < p.start).all()


@pytest.mark.parametrize(
    ("n", "start", "end", "seed"),
    [
        (1, "2023-01-01", "2023-04-01", 0),  # shortest span, one borrower
        (37, "2023-01-31", "2024-02-29", 1),  # month-end start, leap-day end
        (400, "2022-12-15", "2025-03-01", 2),
    ],
)
def test_full_validation_on_several_sizes_and_seeds(n: int, start: str, end: str, seed: int) -> None:
    assert_valid(simulate_portfolio(n, start=start, end=end, seed=seed))


def test_full_validation_small_fixture(small: Portfolio) -> None:
    assert_valid(small)


@settings(max_examples=12)
@given(
    n=st.integers(1, 40),
    start=st.dates(min_value=pd.Timestamp("2018-01-01").date(), max_value=pd.Timestamp("2026-12-31").date()),
    days=st.integers(90, 800),
    seed=st.integers(0, 2**32 - 1),
    intensity=st.sampled_from([1.0, 6.0]),
    onboarding=st.integers(0, 400),
    review=st.integers(1, 12),
)
def test_any_small_portfolio_is_valid(
    n: int, start: object, days: int, seed: int, intensity: float, onboarding: int, review: int
) -> None:
    t0 = pd.Timestamp(start)  # type: ignore[arg-type]
    cfg = SimulationConfig(default_intensity=intensity, onboarding_days=onboarding, review_months=review)
    assert_valid(simulate_portfolio(n, start=t0, end=t0 + pd.Timedelta(days=days), seed=seed, config=cfg))


def test_instalments_follow_the_limits_schedules(small: Portfolio) -> None:
    loans = small.records.loans
    inst = small.records.installments
    expected = schedules(
        loans["principal"].to_numpy(),
        annual_rate(loans["daily_rate"].to_numpy(), basis=360),
        loans["term_months"].to_numpy(dtype=np.int64),
        method=loans["repayment_method"].astype(str).to_numpy(),
        start=loans["drawn_on"].to_numpy(),
    )
    assert len(expected) == len(inst)
    assert (inst["loan_id"].to_numpy() == loans["loan_id"].to_numpy()[expected["loan"].to_numpy()]).all()
    assert (inst["seq"].to_numpy(dtype=np.int64) == expected["seq"].to_numpy()).all()
    assert (inst["due_on"].to_numpy() == expected["due_on"].to_numpy()).all()
    np.testing.assert_array_equal(inst["principal_due"].to_numpy(), expected["principal"].to_numpy())
    np.testing.assert_array_equal(inst["interest_due"].to_numpy(), expected["interest"].to_numpy())


def test_terms_methods_purposes_and_rates(small: Portfolio) -> None:
    loans = small.records.loans
    assert set(loans["term_months"].astype(int)) == {3, 6, 12}
    methods = {"equal_installment", "equal_principal", "interest_first"}
    assert set(loans["repayment_method"].astype(str)) == methods
    assert set(loans["purpose"].astype(str)) == {"consumption", "business", "unknown"}
    ev = small.records.credit_line_events
    for rates in (ev["daily_rate"], loans["daily_rate"]):
        assert rates.min() >= 0.00015
        assert rates.max() <= 0.0006
    positive = ev.loc[ev["limit"] > 0, "limit"]
    assert positive.min() >= 1_000
    assert positive.max() <= 200_000
    assert (ev["limit"] % 100 == 0).all()
    assert (loans["principal"] % 100 == 0).all()
    assert loans["principal"].min() >= 500


def _line_in_force(p: Portfolio) -> pd.DataFrame:
    """Each loan with the limit and rate of the latest line event effective before drawn_on.

    No loan is drawn on the day of a line event of its borrower, so "before"
    and "on or before" give the same line.
    """
    loans = p.records.loans.assign(borrower=lambda f: f["borrower_id"].astype(str)).sort_values("drawn_on")
    ev = p.records.credit_line_events.assign(borrower=lambda f: f["borrower_id"].astype(str))
    ev = ev.sort_values("effective_on").rename(columns={"daily_rate": "line_rate"})
    return pd.merge_asof(
        loans, ev[["borrower", "effective_on", "limit", "line_rate"]],
        left_on="drawn_on", right_on="effective_on", by="borrower", direction="backward",
        allow_exact_matches=False,
    )


def test_loans_drawn_only_on_an_open_line_within_the_available_limit(small: Portfolio) -> None:
    merged = _line_in_force(small)
    ev = small.records.credit_line_events
    same_day = small.records.loans.merge(
        ev, left_on=["borrower_id", "drawn_on"], right_on=["borrower_id", "effective_on"]
    )
    assert same_day.empty  # no drawdown on the day of a line event
    assert merged["limit"].notna().all()  # the line had opened
    assert (merged["limit"] > 0).all()  # and was not frozen
    assert (merged["daily_rate"] == merged["line_rate"]).all()  # priced at the line's rate
    # principal outstanding on the draw day: earlier loans' principal less principal due before that day
    loans = small.records.loans[["loan_id", "borrower_id", "drawn_on", "principal"]]
    inst = small.records.installments[["loan_id", "due_on", "principal_due"]]
    pairs = loans.merge(loans, on="borrower_id", suffixes=("", "_other"))
    pairs = pairs[pairs["drawn_on_other"] < pairs["drawn_on"]]
    due = pairs[["loan_id", "loan_id_other", "drawn_on"]].merge(
        inst, left_on="loan_id_other", right_on="loan_id", suffixes=("", "_i")
    )
    repaid = due[due["due_on"] < due["drawn_on"]].groupby("loan_id")["principal_due"].sum()
    lent = pairs.groupby("loan_id")["principal_other"].sum()
    outstanding = lent.sub(repaid, fill_value=0.0).reindex(merged["loan_id"]).fillna(0.0).to_numpy()
    assert (merged["principal"].to_numpy() + outstanding <= merged["limit"].to_numpy() + 1e-6).all()


def _previous_limit(ev: pd.DataFrame) -> pd.DataFrame:
    ev = ev.sort_values(["borrower_id", "effective_on"])
    return ev.assign(prev=ev.groupby("borrower_id", observed=True)["limit"].shift())


def test_cuts_and_freezes_follow_30_days_past_due(small: Portfolio) -> None:
    ev = _previous_limit(small.records.credit_line_events)
    down = ev[ev["prev"].notna() & (ev["limit"] < ev["prev"])]
    assert (down["limit"] == 0).any()
    assert (down["limit"] > 0).any()
    loans = small.records.loans.set_index("loan_id")["borrower_id"]
    inst = small.records.installments.assign(borrower_id=lambda f: f["loan_id"].map(loans))
    trigger = down.assign(due_on=down["effective_on"] - pd.Timedelta(days=30))
    hit = trigger.merge(inst, on=["borrower_id", "due_on"], how="left")
    unpaid = hit["paid_on"].isna() | (hit["paid_on"] >= hit["effective_on"])
    explained = unpaid.groupby([hit["borrower_id"], hit["effective_on"]], observed=True).any()
    assert len(explained) == len(down)
    assert explained.all()


def test_increases_only_after_clean_repayment(small: Portfolio) -> None:
    ev = _previous_limit(small.records.credit_line_events)
    up = ev[(ev["prev"] > 0) & (ev["limit"] > ev["prev"])]
    assert len(up) > 100  # about 1.5 increases per borrower over two years (user guide, Levels)
    loans = small.records.loans.set_index("loan_id")["borrower_id"]
    inst = small.records.installments.assign(borrower_id=lambda f: f["loan_id"].map(loans))
    late = inst[inst["paid_on"].isna() | (inst["paid_on"] - inst["due_on"] > pd.Timedelta(days=7))]
    pairs = up[["borrower_id", "effective_on"]].merge(late[["borrower_id", "due_on"]], on="borrower_id")
    # Late instalments lie inside a cured episode: due in [start, cure) with cure at most
    # 85 days after the start (severity C, EPISODE_DAYS), and an increase needs
    # effective - start > 180 (CLEAN_DAYS), so none is due after effective - 95 (180 - 85).
    # The last 10 days are left out: an instalment paid 1-7 days late (LATE_DAYS) after the
    # observation end is recorded unpaid, i.e. "late" here, without any episode.
    window = (pairs["due_on"] > pairs["effective_on"] - pd.Timedelta(days=95)) & (
        pairs["due_on"] <= pairs["effective_on"] - pd.Timedelta(days=10)
    )
    assert not window.any()


def test_paid_instalments_after_drawdown_and_open_ones_missing(small: Portfolio) -> None:
    loans = small.records.loans.set_index("loan_id")
    inst = small.records.installments
    drawn = inst["loan_id"].map(loans["drawn_on"])
    paid = inst["paid_on"].notna()
    assert (inst.loc[paid, "paid_on"] >= drawn[paid]).all()
    # every instalment due on or after a defaulter's stop date stays open
    stop = small.truth.borrowers["stop_date"]
    owner_stop = inst["loan_id"].map(loans["borrower_id"]).map(stop)
    after_stop = owner_stop.notna() & (inst["due_on"] >= owner_stop)
    assert after_stop.any()
    assert inst.loc[after_stop, "paid_on"].isna().all()


def test_repayment_behaviour_mix(small: Portfolio) -> None:
    inst = small.records.installments
    paid = inst[inst["paid_on"].notna()]
    delay = (paid["paid_on"] - paid["due_on"]).dt.days
    share = lambda mask: float(mask.mean())  # noqa: E731
    # model: 15 % early, 2.5 % · (1, 3, 6)[regime] · exp(0.4 r) a few days late, episodes under 2 %
    assert share(delay <= 0) > 0.85  # mostly on time or early
    assert 0.01 < share((delay >= 1) & (delay <= 7)) < 0.15  # a few days late
    assert (delay.between(30, 59)).any()
    assert (delay.between(60, 89)).any()
    assert delay.max() < 90  # a paid instalment never reached 90 DPD: those are defaults
    assert small.truth.default_date.notna().sum() > 20  # and defaults roll to 90+


def test_loan_flows_appear_in_transactions(small: Portfolio) -> None:
    tx = small.records.transactions
    loans = small.records.loans
    inst = small.records.installments
    disb = tx[tx["kind"] == "loan_disbursement"]
    assert len(disb) == len(loans)
    left = disb.assign(day=disb["occurred_at"].dt.normalize())[["borrower_id", "day", "amount"]]
    right = loans.rename(columns={"drawn_on": "day", "principal": "amount"})[["borrower_id", "day", "amount"]]
    assert len(left.merge(right, on=["borrower_id", "day", "amount"])) >= len(loans)
    rep = tx[tx["kind"] == "loan_repayment"]
    paid = inst[inst["paid_on"].notna()]
    assert len(rep) == len(paid)
    assert rep["amount"].sum() == pytest.approx((paid["principal_due"] + paid["interest_due"]).sum(), abs=0.5)
    assert (tx.loc[tx["kind"] == "sale", "direction"] == "in").all()
    assert (tx.loc[tx["kind"] == "refund", "direction"] == "out").all()


def test_transactions_ordered_by_borrower_then_time(small: Portfolio) -> None:
    tx = small.records.transactions
    assert tx["transaction_id"].is_monotonic_increasing
    key = list(zip(tx["borrower_id"].astype(str), tx["occurred_at"], strict=True))
    assert key == sorted(key)
    assert (tx["occurred_at"] != tx["occurred_at"].dt.normalize()).mean() > 0.99  # times of day


def test_business_attributes(small: Portfolio) -> None:
    b = small.records.borrowers
    unregistered = b["business_type"] == "unregistered"
    assert b.loc[unregistered, "business_registered_on"].isna().all()
    assert b.loc[~unregistered, "business_registered_on"].notna().all()
    assert b["industry"].nunique() == 7
    assert b["region"].nunique() > 10
    assert set(b["business_type"].astype(str)) == {m.value for m in jc.records.BusinessType}
