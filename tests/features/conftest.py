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
