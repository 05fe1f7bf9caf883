"""One borrower on 2024-07-01, every family, expected values computed by hand in the comments."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest

from jiebei_credit.features import extract
from jiebei_credit.records import RecordSet

MONTH = 30.4375  # days in a mean Gregorian month, as documented for the *_months features


@pytest.fixture(scope="module")
def features() -> pd.Series:
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1"],
                "business_type": ["limited_company"],
                "industry": ["retail"],
                "business_registered_on": ["2022-07-01"],
                "region": ["Zhejiang"],
            }
        ),
        credit_line_events=pd.DataFrame(
            {
                "borrower_id": ["b1"] * 3,
                "effective_on": ["2024-01-01", "2024-06-01", "2024-06-20"],
                "limit": [10_000.0, 20_000.0, 15_000.0],
                "daily_rate": [0.0005, 0.0004, 0.0004],
            }
        ),
        loans=pd.DataFrame(
            {
                "loan_id": ["L1", "L2"],
                "borrower_id": ["b1", "b1"],
                "drawn_on": ["2024-03-01", "2024-06-06"],
                "principal": [3000.0, 6000.0],
                "term_months": [3, 2],
                "repayment_method": ["equal_principal", "equal_principal"],
                "daily_rate": [0.0004, 0.0004],
                "purpose": ["business", "consumption"],
            }
        ),
        installments=pd.DataFrame(
            {
                "loan_id": ["L1", "L1", "L1", "L2", "L2"],
                "seq": [1, 2, 3, 1, 2],
                "due_on": ["2024-03-31", "2024-04-30", "2024-05-30", "2024-07-06", "2024-08-05"],
                "principal_due": [1000.0, 1000.0, 1000.0, 3000.0, 3000.0],
                "interest_due": [30.0, 30.0, 30.0, 50.0, 50.0],
                "paid_on": ["2024-03-31", "2024-05-15", "2024-05-30", None, None],
            }
        ),
        transactions=pd.DataFrame(
            {
                "transaction_id": [f"t{i}" for i in range(10)],
                "borrower_id": ["b1"] * 10,
                "occurred_at": pd.to_datetime(
                    [
                        "2024-03-01 09:00",
                        "2024-04-10 12:00",
                        "2024-05-10 12:00",
                        "2024-06-06 10:00",
                        "2024-06-10 18:00",
                        "2024-06-11 08:00",
                        "2024-06-11 20:00",
                        "2024-06-15 10:00",
                        "2024-06-20 10:00",
                        "2024-07-01 00:00",
                    ]
                ),
                "amount": [850.0, 200.0, 500.0, 6000.0, 100.0, 300.0, 600.0, 50.0, 400.0, 9999.0],
                "direction": ["in", "in", "in", "in", "in", "in", "in", "out", "out", "in"],
                "kind": [
                    "sale",
                    "sale",
                    "sale",
                    "loan_disbursement",
                    "sale",
                    "sale",
                    "sale",
                    "refund",
                    "purchase",
                    "sale",
                ],
                "counterparty_id": ["c9", "c3", "c2", None, "c1", "c1", "c2", "c1", "s1", "c1"],
            }
        ),
        zhima_scores=pd.DataFrame(
            {
                "borrower_id": ["b1"] * 3,
                "observed_on": ["2024-01-15", "2024-05-20", "2024-06-25"],
                "score": [680, 650, 700],
            }
        ),
        inquiries=pd.DataFrame(
            {
                "inquiry_id": ["q1", "q2", "q3"],
                "borrower_id": ["b1"] * 3,
                "inquired_on": ["2024-05-31", "2024-06-01", "2024-06-30"],
                "institution_type": ["consumer_finance", "micro_loan", "bank"],
            }
        ),
    )
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-07-01"]}, index=["app"])
    return extract(rs, obs).loc["app"]


def test_line(features: pd.Series) -> None:
    assert features["limit_now"] == 15_000.0  # event of 2024-06-20, the latest before 07-01
    assert features["daily_rate_now"] == 0.0004
    assert features["line_age_months"] == pytest.approx(182 / MONTH)  # 2024-01-01 -> 07-01 is 182 days
    assert features["limit_increase_count_30d"] == 1.0  # 06-01: 10 000 -> 20 000, inside [06-01, 07-01)
    assert features["limit_decrease_count_30d"] == 1.0  # 06-20: 20 000 -> 15 000
    assert features["limit_ratio_30d"] == 1.5  # 15 000 / 10 000 in force on 06-01 (effective before it)
    assert math.isnan(features["limit_ratio_365d"])  # no line before 2023-07-02


def test_utilisation(features: pd.Series) -> None:
    assert features["util_now"] == pytest.approx(0.4)  # L2's 6 000 outstanding / 15 000
    # Status dates 06-02 .. 07-01: 06-02..06-06 nothing drawn yet (5 days at 0); 06-07..06-20 6 000 / 20 000
    # (14 days at 0.3; the 06-20 event counts from 06-21); 06-21..07-01 6 000 / 15 000 (11 days at 0.4).
    assert features["util_mean_30d"] == pytest.approx((5 * 0 + 14 * 0.3 + 11 * 0.4) / 30)
    assert features["util_max_30d"] == pytest.approx(0.4)
    # Over 90 days L1 counts too, at most 2 000 of a 10 000 limit (0.2) in April: the maximum stays 0.4.
    assert features["util_max_90d"] == pytest.approx(0.4)
    assert features["draw_to_limit_30d"] == pytest.approx(6000 / 15_000)


def test_draws(features: pd.Series) -> None:
    assert features["draw_count_30d"] == 1.0
    assert features["draw_count_180d"] == 2.0
    # L1 was paid off on 05-30 (its last payment); L2 drawn on 06-06 is exactly 7 days later: a re-draw.
    assert features["redraw_after_payoff_count_30d"] == 1.0
    assert features["days_since_last_draw"] == 25.0  # 06-06 -> 07-01
    assert features["credit_history_months"] == pytest.approx(122 / MONTH)  # 03-01 -> 07-01
    assert features["long_term_share"] == 0.0  # terms of 3 and 2 months
    assert features["business_purpose_share"] == 0.5


def test_repayment(features: pd.Series) -> None:
    assert features["dpd_now"] == 0.0
    assert features["overdue_amount_now"] == 0.0
    assert features["outstanding_now"] == 6000.0
    assert features["active_loans_now"] == 1.0
    # L1's second instalment (due 04-30) was past due on status dates 05-01 .. 05-15, reaching 15 days.
    assert features["dpd_max_30d"] == 0.0
    assert features["dpd_max_90d"] == 15.0
    assert features["dpd1_count_90d"] == 1.0
    assert features["dpd30_count_90d"] == 0.0
    assert features["days_since_delinquency"] == 47.0  # 05-15 -> 07-01
    assert features["ontime_ratio_90d"] == 0.5  # due in [04-02, 07-01): 04-30 late, 05-30 on time
    assert math.isnan(features["ontime_ratio_30d"])  # nothing due in June
    assert features["prepaid_share_90d"] == 0.0  # paid 05-15 and 05-30, neither 30+ days early
    assert features["delinq_3c6c_24m"] == 0.0  # one late instalment


def test_cashflow(features: pd.Series) -> None:
    # Sales by 30-day block before 07-01: [06-01, 07-01) 100 + 300 + 600 = 1 000; [05-02, 06-01) 500;
    # [04-02, 05-02) 200; [03-03, 04-02) none; [02-02, 03-03) 850 (03-01). The 07-01 00:00 sale is invisible.
    assert features["receipts_monthly_mean_30d"] == 1000.0
    assert features["receipts_monthly_mean_90d"] == pytest.approx(1700 * 30 / 90)
    assert features["receipts_cv_90d"] == pytest.approx(statistics.pstdev([1000, 500, 200]) / (1700 / 3))
    # Three equally spaced points: the least-squares slope is (last - first) / 2.
    assert features["receipts_trend_90d"] == pytest.approx((math.log(1001) - math.log(201)) / 2)
    assert features["receipts_growth_3v3m"] == pytest.approx(1700 / 850 - 1)
    assert features["active_day_ratio_30d"] == pytest.approx(2 / 30)  # 06-10 and 06-11
    assert features["zero_sale_months_180d"] == 2.0  # [03-03, 04-02) and [01-03, 02-02)
    # Payers in June: c1 100 + 300 (two sales), c2 600.
    assert features["payer_count_30d"] == 2.0
    assert features["payer_hhi_30d"] == pytest.approx(0.4**2 + 0.6**2)
    assert features["payer_top1_share_30d"] == pytest.approx(0.6)
    assert features["repeat_payer_ratio_30d"] == 0.5
    assert features["refund_ratio_30d"] == pytest.approx(50 / 1000)
    assert features["net_inflow_monthly_30d"] == pytest.approx(1000 - 50 - 400)  # loan disbursement excluded
    assert features["loan_inflow_share_30d"] == pytest.approx(6000 / 7000)
    assert features["merchant_tenure_months"] == pytest.approx(122 / MONTH)


def test_capacity(features: pd.Series) -> None:
    # Debt service: L2's two instalments, due 07-06 and 08-05 (before 07-01 + 90 days), 3 050 each.
    assert features["debt_service_coverage_90d"] == pytest.approx(1700 / 6100)
    assert features["draw_to_receipts_30d"] == pytest.approx(6000 / 1000)


def test_zhima_inquiries_profile(features: pd.Series) -> None:
    assert features["zhima_latest"] == 700.0
    assert features["zhima_age_days"] == 6.0
    assert features["zhima_change_30d"] == 50.0  # 700 - 650 (latest before 06-01)
    assert features["zhima_min_30d"] == 700.0
    assert features["zhima_min_90d"] == 650.0
    assert features["inq_count_30d"] == 2.0
    assert features["inq_nonbank_count_30d"] == 1.0
    assert features["inq_count_90d"] == 3.0
    assert features["inq_nonbank_count_90d"] == 2.0
    assert features["inq_days_since"] == 1.0
    assert features["business_age_months"] == pytest.approx(731 / MONTH)  # 2022-07-01 -> 2024-07-01
    assert features["is_registered_business"] == 1.0
    assert features["is_limited_company"] == 1.0


def _schedule_case(paid: list[str | None]) -> float:
    """The 3c6c flag on 2024-12-01 for one loan with monthly instalments from 2024-02-01."""
    n = len(paid)
    due = pd.date_range("2024-02-01", periods=n, freq="MS").strftime("%Y-%m-%d").tolist()
    rs = RecordSet.from_frames(
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
                "loan_id": ["L"],
                "borrower_id": ["b1"],
                "drawn_on": ["2024-01-01"],
                "principal": [100.0 * n],
                "term_months": [n],
                "repayment_method": ["equal_principal"],
                "daily_rate": [0.0004],
                "purpose": ["business"],
            }
        ),
        installments=pd.DataFrame(
            {
                "loan_id": ["L"] * n,
                "seq": list(range(1, n + 1)),
                "due_on": due,
                "principal_due": [100.0] * n,
                "interest_due": [1.0] * n,
                "paid_on": paid,
            }
        ),
    )
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-12-01"]})
    return float(extract(rs, obs, families=["repayment"])["delinq_3c6c_24m"].iloc[0])


def test_three_consecutive_or_six_cumulative_flag() -> None:
    on, late = "due", "late"

    def paid(pattern: list[str]) -> list[str | None]:
        due = pd.date_range("2024-02-01", periods=len(pattern), freq="MS")
        return [
            (d + pd.Timedelta(days=0 if p == on else 3)).strftime("%Y-%m-%d")
            for d, p in zip(due, pattern, strict=True)
        ]

    assert _schedule_case(paid([late, late, late, on, on])) == 1.0  # three consecutive
    assert _schedule_case(paid([late, late, on, late, late, on])) == 0.0  # four, never three in a row
    assert _schedule_case(paid([late, late, on, late, late, on, late, late])) == 1.0  # six cumulative
    # Instalment 3 (due 04-01) is paid on as_of (12-01): not paid before as_of, so late,
    # completing a run of three.
    third_paid_on_as_of = paid([late, late, on, on])
    third_paid_on_as_of[2] = "2024-12-01"
    assert _schedule_case(third_paid_on_as_of) == 1.0


def test_a_repaid_line_has_utilisation_exactly_zero() -> None:
    # In schedule order 0.1 + 0.2 + 0.3 == 0.6000000000000001, repaid in reverse order 0.3 + 0.2 + 0.1 == 0.6:
    # the difference of the two running sums is rounding noise, not principal.
    assert 0.1 + 0.2 + 0.3 - (0.3 + 0.2 + 0.1) > 0
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1"],
                "business_type": ["unregistered"],
                "industry": [None],
                "business_registered_on": [None],
                "region": [None],
            }
        ),
        credit_line_events=pd.DataFrame(
            {"borrower_id": ["b1"], "effective_on": ["2024-01-01"], "limit": [1.0], "daily_rate": [0.0004]}
        ),
        loans=pd.DataFrame(
            {
                "loan_id": ["L"],
                "borrower_id": ["b1"],
                "drawn_on": ["2024-01-02"],
                "principal": [0.6],
                "term_months": [3],
                "repayment_method": ["equal_principal"],
                "daily_rate": [0.0004],
                "purpose": ["business"],
            }
        ),
        installments=pd.DataFrame(
            {
                "loan_id": ["L"] * 3,
                "seq": [1, 2, 3],
                "due_on": ["2024-02-02", "2024-03-02", "2024-04-02"],
                "principal_due": [0.1, 0.2, 0.3],
                "interest_due": [0.0] * 3,
                "paid_on": ["2024-01-12", "2024-01-11", "2024-01-10"],
            }
        ),
    )
    x = extract(rs, pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]}), families=["utilisation"])
    assert x["util_now"].iloc[0] == 0.0
    # Status dates 02-01 .. 03-01 all come after the last payment (01-12).
    assert x["util_max_30d"].iloc[0] == 0.0
    assert x["util_mean_30d"].iloc[0] == 0.0
    assert x["util_max_90d"].iloc[0] == pytest.approx(0.6)  # 0.6 of a limit of 1 from 01-03 to 01-10


def test_a_legal_form_counts_from_its_registration_date() -> None:
    # Today's borrowers table says limited company, registered 2024-06-01: observed on
    # 2024-06-01 it was not yet registered (nothing on or after as_of counts), a day later it was.
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1"],
                "business_type": ["limited_company"],
                "industry": [None],
                "business_registered_on": ["2024-06-01"],
                "region": [None],
            }
        )
    )
    obs = pd.DataFrame({"borrower_id": ["b1", "b1"], "as_of": pd.to_datetime(["2024-06-01", "2024-06-02"])})
    got = extract(rs, obs, families=["profile"])
    assert got["is_registered_business"].tolist() == [0.0, 1.0]
    assert got["is_limited_company"].tolist() == [0.0, 1.0]
    assert math.isnan(got["business_age_months"].iloc[0])
