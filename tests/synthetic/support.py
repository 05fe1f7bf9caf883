"""Outcome helpers for the synthetic tests, computed from the record tables alone."""

from __future__ import annotations

import pandas as pd

import jiebei_credit as jc


def first_dpd90(records: jc.records.RecordSet, end: pd.Timestamp) -> pd.Series:
    """First day some instalment of each borrower is 90+ days past due, on or before ``end``.

    Computed from the tables alone, as an outcome definition would: an
    instalment is 90+ DPD on ``due_on + 90 days`` unless it was paid by then.
    Borrowers that never reach 90 DPD are absent.
    """
    inst = records.installments
    loans = records.loans
    assert inst is not None
    assert loans is not None
    owner = inst["loan_id"].map(pd.Series(loans["borrower_id"].to_numpy(), index=loans["loan_id"]))
    hit = inst["due_on"] + pd.Timedelta(days=90)
    bad = (inst["paid_on"].isna() | (inst["paid_on"] > hit)) & (hit <= end)
    return hit[bad].groupby(owner[bad].astype(str)).min().rename("default_date")


def realised_bads(records: jc.records.RecordSet, end: pd.Timestamp, as_of: str, horizon_days: int = 365
                  ) -> pd.Series:
    """1/0 per borrower not in default at ``as_of``: first 90+ DPD in (as_of, as_of + horizon]."""
    t = pd.Timestamp(as_of)
    assert t + pd.Timedelta(days=horizon_days) <= end
    first = first_dpd90(records, end)
    ids = records.borrowers["borrower_id"].astype(str)
    d = first.reindex(ids.to_numpy())
    d.index = pd.Index(ids.to_numpy(), name="borrower_id")
    keep = d.isna() | (d > t)
    return ((d > t) & (d <= t + pd.Timedelta(days=horizon_days))).astype(int)[keep]
