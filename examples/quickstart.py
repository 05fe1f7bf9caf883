"""Quickstart: validate a small portfolio of records and summarise it.

Run with ``make demo`` (or ``python examples/quickstart.py`` inside the
project's virtual environment).
"""

from __future__ import annotations

import pandas as pd

import jiebei_credit as jc


def example_frames() -> dict[str, pd.DataFrame]:
    """Two borrowers, a credit line each, one loan with its schedule."""
    borrowers = pd.DataFrame(
        {
            "borrower_id": ["b001", "b002"],
            "business_type": ["individual_business", "limited_company"],
            "industry": ["catering", "retail"],
            "business_registered_on": ["2018-06-01", "2021-03-15"],
            "region": ["Zhejiang", "Sichuan"],
        }
    )
    credit_line_events = pd.DataFrame(
        {
            "borrower_id": ["b001", "b002", "b001"],
            "effective_on": ["2023-01-05", "2023-02-10", "2023-09-05"],
            "limit": [20_000.0, 50_000.0, 30_000.0],
            "daily_rate": [0.0004, 0.00035, 0.00035],
        }
    )
    loans = pd.DataFrame(
        {
            "loan_id": ["L1"],
            "borrower_id": ["b001"],
            "drawn_on": ["2023-10-08"],
            "principal": [6_000.0],
            "term_months": [3],
            "repayment_method": ["equal_principal"],
            "daily_rate": [0.00035],
            "purpose": ["business"],
        }
    )
    installments = pd.DataFrame(
        {
            "loan_id": ["L1", "L1", "L1"],
            "seq": [1, 2, 3],
            "due_on": ["2023-11-08", "2023-12-08", "2024-01-08"],
            "principal_due": [2_000.0, 2_000.0, 2_000.0],
            "interest_due": [63.0, 42.0, 21.0],
            "paid_on": ["2023-11-08", "2023-12-12", None],
        }
    )
    transactions = pd.DataFrame(
        {
            "transaction_id": ["t1", "t2", "t3", "t4"],
            "borrower_id": ["b001", "b001", "b002", "b001"],
            "occurred_at": pd.to_datetime(
                ["2023-10-01 12:03", "2023-10-01 18:40", "2023-10-02 09:15", "2023-10-03 20:00"]
            ),
            "amount": [58.0, 126.5, 2_300.0, 58.0],
            "direction": ["in", "in", "in", "out"],
            "kind": ["sale", "sale", "sale", "refund"],
            "counterparty_id": ["c9", "c12", "c40", "c9"],
        }
    )
    zhima_scores = pd.DataFrame(
        {"borrower_id": ["b001", "b002"], "observed_on": ["2023-10-01", "2023-10-01"], "score": [688, 731]}
    )
    inquiries = pd.DataFrame(
        {
            "inquiry_id": ["q1", "q2"],
            "borrower_id": ["b001", "b001"],
            "inquired_on": ["2023-09-20", "2023-09-28"],
            "institution_type": ["bank", "micro_loan"],
        }
    )
    return {
        "borrowers": borrowers,
        "credit_line_events": credit_line_events,
        "loans": loans,
        "installments": installments,
        "transactions": transactions,
        "zhima_scores": zhima_scores,
        "inquiries": inquiries,
    }


def main() -> None:
    frames = example_frames()
    records = jc.records.RecordSet.from_frames(**frames)
    print(f"jiebei_credit {jc.__version__}")
    print(records)
    print()
    print(records.summary().to_string())

    # A messy row: every problem is reported at once, with the row label.
    messy = frames["loans"].assign(principal=[-6_000.0], repayment_method=["balloon"])
    try:
        jc.records.validate("loans", messy)
    except jc.errors.SchemaError as err:
        print()
        print(err)


if __name__ == "__main__":
    main()
