"""Rules that span tables: foreign keys and loan / instalment consistency."""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import pandas as pd

from jiebei_credit.errors import Problem
from jiebei_credit.records._tables import SCHEMAS
from jiebei_credit.records._validate import problems_at

__all__ = ["cross_table_problems"]

#: Tolerance of the principal-sum rule: one fen per instalment (plus float noise).
FEN = 0.01


def _foreign_keys(frames: Mapping[str, pd.DataFrame], present: Set[str]) -> list[Problem]:
    """Foreign-key problems of the (clean) ``frames``.

    A referenced table that was passed but has problems of its own is not
    "missing": those problems are reported already, and its keys cannot be
    trusted, so the references to it are not checked.
    """
    problems: list[Problem] = []
    for name, frame in frames.items():
        for fk in SCHEMAS[name].foreign_keys:
            (col,), (ref_col,) = fk.columns, fk.ref_columns
            parent = frames.get(fk.ref_table)
            if parent is None:
                if fk.ref_table in present:
                    continue
                rule = (
                    f"table {name!r} references {fk.ref_table}.{ref_col}; pass the {fk.ref_table} table too"
                )
                problems.append(Problem(table=name, column=col, row=None, value=None, rule=rule))
                continue
            bad = ~np.asarray(frame[col].isin(parent[ref_col]), dtype=bool)
            rule = f"foreign key: no {fk.ref_table} row has this {ref_col}"
            problems += problems_at(name, col, frame.index, bad, frame[col].to_numpy(), rule)
    return problems


def _installments(loans: pd.DataFrame, inst: pd.DataFrame) -> list[Problem]:
    """Schedules against their loans; assumes foreign keys already hold."""
    problems: list[Problem] = []
    code = pd.Index(loans["loan_id"]).get_indexer(inst["loan_id"])
    seq = inst["seq"].to_numpy(dtype=np.int64)
    due = inst["due_on"].to_numpy()
    paid = inst["paid_on"].to_numpy()
    order = np.lexsort((seq, code))
    c, s, d = code[order], seq[order], due[order]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    starts = np.flatnonzero(first)
    run_start = np.repeat(starts, np.diff(np.append(starts, len(c))))
    position = np.arange(len(c)) - run_start + 1
    gap = np.zeros(len(inst), dtype=bool)
    gap[order] = s != position
    problems += problems_at(
        "installments",
        "seq",
        inst.index,
        gap,
        seq,
        "instalment numbers of a loan must run 1, 2, …, n without gaps",
    )
    not_later = np.zeros(len(inst), dtype=bool)
    not_later[order[1:]] = ~first[1:] & (d[1:] <= d[:-1])
    problems += problems_at(
        "installments", "due_on", inst.index, not_later, due, "due dates must increase with seq within a loan"
    )
    drawn = loans["drawn_on"].to_numpy()[code]
    early_due = due <= drawn
    problems += problems_at(
        "installments", "due_on", inst.index, early_due, due, "due date must be after the loan's drawn_on"
    )
    early_paid = ~np.isnat(paid) & (paid < drawn)
    problems += problems_at(
        "installments",
        "paid_on",
        inst.index,
        early_paid,
        paid,
        "paid_on must not be before the loan's drawn_on",
    )
    n_loans = len(loans)
    count = np.bincount(code, minlength=n_loans)
    total = np.bincount(code, weights=inst["principal_due"].to_numpy(dtype=np.float64), minlength=n_loans)
    principal = loans["principal"].to_numpy(dtype=np.float64)
    no_schedule = count == 0
    problems += problems_at(
        "loans", "loan_id", loans.index, no_schedule, loans["loan_id"].to_numpy(), "loan has no instalments"
    )
    off = ~no_schedule & (np.abs(total - principal) > FEN * count + 1e-6)
    pairs = np.empty(n_loans, dtype=object)  # the message's values, for the offending loans only
    for i in np.flatnonzero(off):
        pairs[i] = (round(float(principal[i]), 2), round(float(total[i]), 2))
    problems += problems_at(
        "loans",
        "principal",
        loans.index,
        off,
        pairs,
        "instalments' principal_due must sum to the loan principal within one fen per instalment "
        "(value: principal, sum of principal_due)",
    )
    return problems


def cross_table_problems(frames: Mapping[str, pd.DataFrame], clean: set[str]) -> list[Problem]:
    """Every cross-table problem among the ``clean`` (individually valid) tables."""
    usable = {k: v for k, v in frames.items() if k in clean}
    problems = _foreign_keys(usable, set(frames))
    if "loans" in usable and "installments" in usable and not problems:
        problems += _installments(usable["loans"], usable["installments"])
    return problems
