"""Fixtures shared by the features tests."""

from __future__ import annotations

import pandas as pd
import pytest

from jiebei_credit.records import RecordSet


@pytest.fixture(scope="module")
def rs() -> RecordSet:
    return RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1", "7"],
                "business_type": ["unregistered", "partnership"],
                "industry": [None, None],
                "business_registered_on": [None, "2021-05-01"],
                "region": [None, None],
            }
        ),
        inquiries=pd.DataFrame(
            {
                "inquiry_id": ["q1"],
                "borrower_id": ["b1"],
                "inquired_on": ["2024-01-02"],
                "institution_type": ["bank"],
            }
        ),
        loans=pd.DataFrame(
            {
                "loan_id": ["L1"],
                "borrower_id": ["b1"],
                "drawn_on": ["2024-01-10"],
                "principal": [900.0],
                "term_months": [1],
                "repayment_method": ["interest_first"],
                "daily_rate": [0.0004],
                "purpose": ["unknown"],
            }
        ),
        installments=pd.DataFrame(
            {
                "loan_id": ["L1"],
                "seq": [1],
                "due_on": ["2024-02-10"],
                "principal_due": [900.0],
                "interest_due": [10.8],
                "paid_on": [None],
            }
        ),
    )


@pytest.fixture(scope="module")
def small() -> RecordSet:
    """One borrower, two loans and five instalments (one open): the instalment hand-worked cases."""
    return RecordSet.from_frames(
        borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
                                "industry": [None], "business_registered_on": ["2020-01-01"],
                                "region": [None]}),
        loans=pd.DataFrame({"loan_id": ["L1", "L2"], "borrower_id": ["b1", "b1"],
                            "drawn_on": ["2024-01-10", "2024-05-15"], "principal": [300.0, 200.0],
                            "term_months": [3, 2], "repayment_method": ["equal_principal"] * 2,
                            "daily_rate": [0.0004] * 2, "purpose": ["business", "consumption"]}),
        installments=pd.DataFrame({
            "loan_id": ["L1", "L1", "L1", "L2", "L2"], "seq": [1, 2, 3, 1, 2],
            "due_on": ["2024-02-10", "2024-03-10", "2024-04-10", "2024-06-15", "2024-07-15"],
            "principal_due": [100.0, 100.0, 100.0, 100.0, 100.0],
            "interest_due": [12.0, 8.0, 4.0, 8.0, 4.0],
            "paid_on": ["2024-02-09", "2024-03-20", "2024-06-03", "2024-06-01", None],
        }),
    )
