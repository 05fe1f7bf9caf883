"""Rules that span tables: foreign keys and loan / instalment consistency."""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._keys import order_by, positions
from jiebei_credit.errors import Problem
from jiebei_credit.records._schema import ForeignKey, TableSchema
from jiebei_credit.records._tables import SCHEMAS
from jiebei_credit.records._validate import problems_at

__all__ = ["cross_table_problems", "present_in", "references"]

#: Tolerance of the principal-sum rule: one fen per instalment (plus float noise).
FEN = 0.01


def references(schema: TableSchema) -> tuple[ForeignKey, ...]:
    """The schema's foreign keys, plus ``borrower_key -> borrowers.borrower_id`` when not declared."""
    fks = schema.foreign_keys
    key = schema.borrower_key
    if key is None or any(fk.columns == (key,) and fk.ref_table == "borrowers" for fk in fks):
        return fks
    return (*fks, ForeignKey(columns=(key,), ref_table="borrowers", ref_columns=("borrower_id",)))


def present_in(
    frame: pd.DataFrame, cols: tuple[str, ...], parent: pd.DataFrame, ref: tuple[str, ...]
) -> np.ndarray:
    if len(cols) == 1:
        return np.asarray(frame[cols[0]].isin(parent[ref[0]]), dtype=bool)
    keys = pd.MultiIndex.from_frame(frame[list(cols)])
    return np.asarray(keys.isin(pd.MultiIndex.from_frame(parent[list(ref)].set_axis(list(cols), axis=1))),
                      dtype=bool)


def _tuples(frame: pd.DataFrame, cols: tuple[str, ...], mask: np.ndarray) -> np.ndarray:
    """The key tuples of the masked rows (others None), for a multi-column reference's message."""
    out = np.empty(len(frame), dtype=object)
    sub = frame[list(cols)].iloc[np.flatnonzero(mask)]
    for i, row in zip(np.flatnonzero(mask), sub.itertuples(index=False, name=None), strict=True):
        out[i] = tuple(V.plain(v) for v in row)
    return out


def _foreign_keys(
    frames: Mapping[str, pd.DataFrame],
    present: Set[str],
    schemas: Mapping[str, TableSchema],
    only: Set[str] | None,
) -> list[Problem]:
    """Foreign-key problems of the (clean) ``frames`` (of the tables in ``only`` when given).

    A referenced table that was passed but has problems of its own is not
    "missing": those problems are reported already, and its keys cannot be
    trusted, so the references to it are not checked.
    """
    problems: list[Problem] = []
    for name, frame in frames.items():
        if only is not None and name not in only:
            continue
        for fk in references(schemas[name]):
            cols, ref_cols = fk.columns, fk.ref_columns
            parent = frames.get(fk.ref_table)
            ref_text = ", ".join(f"{fk.ref_table}.{c}" for c in ref_cols)
            column = ", ".join(cols)
            if parent is None:
                if fk.ref_table in present:
                    continue
                rule = f"table {name!r} references {ref_text}; pass the {fk.ref_table} table too"
                problems.append(Problem(table=name, column=column, row=None, value=None, rule=rule))
                continue
            bad = ~present_in(frame, cols, parent, ref_cols)
            rule = f"foreign key: no {fk.ref_table} row has this {', '.join(ref_cols)}"
            values = frame[cols[0]].to_numpy() if len(cols) == 1 else _tuples(frame, cols, bad)
            problems += problems_at(name, column, frame.index, bad, values, rule)
    return problems


def _installments(loans: pd.DataFrame, inst: pd.DataFrame) -> list[Problem]:
    """Schedules against their loans; assumes foreign keys already hold."""
    problems: list[Problem] = []
    code = positions(loans["loan_id"], inst["loan_id"])
    seq = inst["seq"].to_numpy(dtype=np.int64)
    due = inst["due_on"].to_numpy()
    paid = inst["paid_on"].to_numpy()
    order = order_by(code, seq)
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


def cross_table_problems(
    frames: Mapping[str, pd.DataFrame],
    clean: set[str],
    schemas: Mapping[str, TableSchema] | None = None,
    only: Set[str] | None = None,
) -> list[Problem]:
    """Every cross-table problem among the ``clean`` (individually valid) tables.

    ``schemas`` gives the schemas of user tables (built-ins come from
    :data:`SCHEMAS`); ``only`` restricts the foreign-key checks to the
    references of those tables (the others are known to hold).
    """
    lookup = {**SCHEMAS, **(schemas or {})}
    usable = {k: v for k, v in frames.items() if k in clean}
    problems = _foreign_keys(usable, set(frames), lookup, only)
    checked = only is None or bool({"loans", "installments"} & set(only))
    if checked and "loans" in usable and "installments" in usable and not problems:
        problems += _installments(usable["loans"], usable["installments"])
    return problems
