"""Small records shared by the vintage and roll-rate tests, and a loan-by-loan DPD reference."""

from __future__ import annotations

from functools import cache

import pandas as pd

import jiebei_credit as jc
from jiebei_credit.records import RecordSet

#: (loan_id, drawn_on, principal, [(due_on, principal_due, paid_on or None), ...])
HAND_LOANS = [
    # 30 DPD on 2024-04-09 (03-10 + 30), cured 04-20: bad from MOB 3, counts although cured
    ("L1", "2024-01-10", 1000.0, [("2024-02-10", 500.0, "2024-02-10"), ("2024-03-10", 500.0, "2024-04-20")]),
    ("L2", "2024-01-20", 3000.0, [("2024-02-20", 3000.0, "2024-02-20")]),  # on time: never bad
    # unpaid since 2024-01-31: 60 DPD on 03-31, 90 on 04-30, 121 on 05-31; 30 DPD on 03-01 (MOB 2)
    ("L9", "2024-01-05", 1000.0, [("2024-01-31", 1000.0, None)]),
    ("L3", "2024-02-05", 2000.0, [("2024-03-05", 2000.0, None)]),  # 30 DPD on 2024-04-04 (MOB 2)
    ("L4", "2024-02-15", 1000.0, [("2024-03-15", 1000.0, "2024-04-14")]),  # paid on day 30: bad (MOB 2)
    ("L5", "2024-02-20", 1000.0, [("2024-03-20", 1000.0, "2024-04-18")]),  # paid on day 29: never bad
    # paid 2024-07-15, after as_of 2024-06-01: unknown then, so open; 30 DPD on 05-01 (MOB 2)
    ("L8", "2024-03-01", 1000.0, [("2024-04-01", 1000.0, "2024-07-15")]),
    ("L6", "2024-05-10", 1000.0, [("2024-06-10", 1000.0, None)]),  # May cohort: MOB 0 only
    ("L7", "2024-06-01", 1000.0, [("2024-07-01", 1000.0, None)]),  # drawn on as_of: not read
]


def borrowers(n: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"borrower_id": [f"b{i}" for i in range(n)], "business_type": ["unregistered"] * n,
                         "industry": [None] * n, "business_registered_on": [None] * n, "region": [None] * n})


def build(loans: list[tuple[str, str, float, list[tuple[str, float, str | None]]]]) -> RecordSet:
    """A RecordSet of one borrower holding ``loans``."""
    loan_rows, inst_rows = [], []
    for loan_id, drawn, principal, schedule in loans:
        loan_rows.append({"loan_id": loan_id, "borrower_id": "b0", "drawn_on": drawn, "principal": principal,
                          "term_months": len(schedule), "repayment_method": "equal_installment",
                          "daily_rate": 0.0004, "purpose": "business"})
        for seq, (due, part, paid) in enumerate(schedule, start=1):
            inst_rows.append({"loan_id": loan_id, "seq": seq, "due_on": due, "principal_due": part,
                              "interest_due": 10.0, "paid_on": paid})
    return RecordSet.from_frames(borrowers=borrowers(), loans=pd.DataFrame(loan_rows),
                                 installments=pd.DataFrame(inst_rows))


@cache
def hand_records() -> RecordSet:
    return build(HAND_LOANS)


@cache
def synthetic_records() -> RecordSet:
    """A small synthetic portfolio (300 borrowers over 2023)."""
    return jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2023-12-31", seed=11).records


def day(value: object) -> int:
    """Proleptic ordinal (day number) of a date."""
    return pd.Timestamp(value).date().toordinal()  # type: ignore[arg-type]


def loans_by_loan(records: RecordSet) -> list[dict[str, object]]:
    """Each loan with its drawdown day, principal and instalments as (due, paid, principal_due) ordinals.

    ``paid`` is None while unpaid.
    """
    loans = records.loans
    inst = records.installments
    assert loans is not None
    assert inst is not None
    out = []
    for row in loans.itertuples(index=False):
        sched = inst[inst["loan_id"] == row.loan_id]
        out.append({
            "loan_id": row.loan_id,
            "drawn": day(row.drawn_on),
            "drawn_on": pd.Timestamp(row.drawn_on),
            "principal": float(row.principal),
            "inst": [(day(d), None if pd.isna(p) else day(p), float(a)) for d, p, a in
                     zip(sched["due_on"], sched["paid_on"], sched["principal_due"], strict=True)],
        })
    return out


def dpd_on(instalments: list[tuple[int, int | None, float]], t: int, known_before: int | None = None) -> int:
    """Days past due on day t: the largest k with due + k <= t <= paid over the instalments.

    A payment dated on or after ``known_before`` is not known (the instalment is open).
    """
    worst = 0
    for due, paid, _ in instalments:
        if paid is not None and known_before is not None and paid >= known_before:
            paid = None
        k = t - due
        if k >= 1 and (paid is None or t <= paid):
            worst = max(worst, k)
    return worst
