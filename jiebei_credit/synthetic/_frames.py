"""Assembly of the seven record tables with exactly the normalised dtypes.

Identifiers are built from integer codes (:mod:`._ids`); enums become
categoricals with exactly the schema's categories; dates are
``datetime64[ns]`` at midnight, transaction times to the second. Rows are
ordered by borrower, then date.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.records import SCHEMAS
from jiebei_credit.synthetic._borrowers import BUSINESS_TYPES, INDUSTRIES, REGIONS, Borrowers
from jiebei_credit.synthetic._calendar import days_to_datetime
from jiebei_credit.synthetic._flows import COUNTERPARTY_PREFIXES, Flows
from jiebei_credit.synthetic._ids import code_width, make_ids
from jiebei_credit.synthetic._loans import NEVER, Book
from jiebei_credit.synthetic._repayment import Repayment

__all__ = [
    "BorrowerIds",
    "book_frames",
    "borrowers_frame",
    "inquiries_frame",
    "transactions_frame",
    "zhima_frame",
]

IntArray = npt.NDArray[np.int64]


def _category(table: str, column: str, labels: tuple[str, ...], codes: npt.NDArray[np.integer[Any]]) -> Any:
    """Categorical with the schema's categories from codes into ``labels``."""
    allowed = list(SCHEMAS[table].column(column).allowed)
    remap = np.array([allowed.index(v) for v in labels], dtype=np.int64)
    return pd.Categorical.from_codes(remap[codes], dtype=pd.CategoricalDtype(allowed))


def _int64(values: npt.ArrayLike) -> Any:
    return pd.array(np.asarray(values, dtype=np.int64), dtype="Int64")


def _sort(*keys: IntArray) -> IntArray:
    """Stable order by the keys, the last one primary (like ``numpy.lexsort``)."""
    return np.lexsort(keys) if keys[0].size else np.zeros(0, dtype=np.int64)


class BorrowerIds:
    """Borrower ids formatted once, gathered for every table."""

    def __init__(self, n: int) -> None:
        self.width = code_width(n)
        self.ids = make_ids("B", np.arange(n), width=self.width)
        self._objects = np.asarray(self.ids, dtype=object)

    def take(self, who: npt.ArrayLike) -> Any:
        return pd.array(self._objects.take(np.asarray(who, dtype=np.intp)), dtype="string", copy=False)


def borrowers_frame(b: Borrowers, ids: BorrowerIds) -> pd.DataFrame:
    registered = np.where(b.registered, b.registered_day, 0)
    reg = days_to_datetime(registered)
    reg[~b.registered] = np.datetime64("NaT", "ns")
    return pd.DataFrame(
        {
            "borrower_id": ids.ids,
            "business_type": _category("borrowers", "business_type", tuple(BUSINESS_TYPES), b.business_type),
            "industry": pd.array(np.asarray(list(INDUSTRIES), dtype=object)[b.industry], dtype="string"),
            "business_registered_on": reg,
            "region": pd.array(np.asarray(list(REGIONS), dtype=object)[b.region], dtype="string"),
        }
    )


def book_frames(
    book: Book, rep: Repayment, ids: BorrowerIds, methods: tuple[str, ...], purposes: tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    """credit_line_events, loans and installments."""
    ev = _sort(book.event_day, book.event_borrower)
    events = pd.DataFrame(
        {
            "borrower_id": ids.take(book.event_borrower[ev]),
            "effective_on": days_to_datetime(book.event_day[ev]),
            "limit": book.event_limit[ev],
            "daily_rate": book.event_rate[ev],
        }
    )
    n_loans = book.loan_borrower.size
    order = _sort(np.arange(n_loans), book.loan_day, book.loan_borrower)
    new_pos = np.empty(n_loans, dtype=np.int64)
    new_pos[order] = np.arange(n_loans)
    loan_ids = make_ids("L", np.arange(n_loans), width=code_width(n_loans))
    loans = pd.DataFrame(
        {
            "loan_id": loan_ids,
            "borrower_id": ids.take(book.loan_borrower[order]),
            "drawn_on": days_to_datetime(book.loan_day[order]),
            "principal": book.loan_principal[order],
            "term_months": _int64(book.loan_term[order]),
            "repayment_method": _category("loans", "repayment_method", methods, book.loan_method[order]),
            "daily_rate": book.loan_rate[order],
            "purpose": _category("loans", "purpose", purposes, book.loan_purpose[order]),
        }
    )
    sched = book.schedule
    row_loan = new_pos[sched["loan"].to_numpy()]
    rows = np.argsort(row_loan, kind="stable")
    paid = rep.paid_day[rows]
    paid_on = days_to_datetime(np.where(paid < NEVER, paid, 0))
    paid_on[paid >= NEVER] = np.datetime64("NaT", "ns")
    installments = pd.DataFrame(
        {
            "loan_id": pd.array(np.asarray(loan_ids, dtype=object).take(row_loan[rows]), dtype="string"),
            "seq": _int64(sched["seq"].to_numpy()[rows]),
            "due_on": sched["due_on"].to_numpy()[rows],
            "principal_due": sched["principal"].to_numpy()[rows],
            "interest_due": sched["interest"].to_numpy()[rows],
            "paid_on": paid_on,
        }
    )
    return {"credit_line_events": events, "loans": loans, "installments": installments}


def _counterparty_ids(cp: npt.NDArray[np.int32], segments: tuple[int, ...], own_width: int) -> Any:
    """String ids of counterparty codes (``-1`` missing); only codes in use are formatted."""
    total = int(sum(segments))
    present = cp >= 0
    used_mask = np.zeros(total, dtype=bool)
    used_mask[cp[present]] = True
    used = np.flatnonzero(used_mask)
    rank = np.cumsum(used_mask) - 1
    bounds = np.concatenate([[0], np.cumsum(segments)])
    table = np.empty(used.size, dtype=object)
    for j, prefix in enumerate(COUNTERPARTY_PREFIXES):
        lo, hi = np.searchsorted(used, [bounds[j], bounds[j + 1]])
        width = own_width if prefix == "A" else code_width(segments[j])
        table[lo:hi] = np.asarray(make_ids(prefix, used[lo:hi] - bounds[j], width=width), dtype=object)
    values = table.take(rank[np.where(present, cp, 0)])
    values[~present] = None
    return pd.array(values, dtype="string", copy=False)


def transactions_frame(flows: Flows, ids: BorrowerIds, kinds: tuple[str, ...], directions: tuple[str, ...]
                       ) -> pd.DataFrame:
    """Transactions ordered by borrower, then time; ids ``T…`` in that order.

    Own-account counterparties (``A…``) carry the owner's borrower number.
    """
    sec0 = int(flows.seconds.min()) if flows.seconds.size else 0
    key = flows.borrower.astype(np.int64) * (2**36) + (flows.seconds - sec0)
    order = np.argsort(key)
    del key
    m = int(order.size)
    data: dict[str, Any] = {}
    data["transaction_id"] = make_ids("T", np.arange(m), width=code_width(m))
    data["borrower_id"] = ids.take(flows.borrower[order])
    data["occurred_at"] = flows.seconds[order].astype("datetime64[s]").astype("datetime64[ns]")
    data["amount"] = flows.amount[order]
    data["direction"] = _category("transactions", "direction", directions, flows.direction[order])
    data["kind"] = _category("transactions", "kind", kinds, flows.kind[order])
    data["counterparty_id"] = _counterparty_ids(flows.counterparty[order], flows.segments, ids.width)
    return pd.DataFrame(data, copy=False)


def zhima_frame(who: IntArray, day: IntArray, score: IntArray, ids: BorrowerIds) -> pd.DataFrame:
    order = _sort(day, who)
    return pd.DataFrame(
        {
            "borrower_id": ids.take(who[order]),
            "observed_on": days_to_datetime(day[order]),
            "score": _int64(score[order]),
        }
    )


def inquiries_frame(
    who: IntArray, day: IntArray, inst: IntArray, ids: BorrowerIds, institutions: tuple[str, ...]
) -> pd.DataFrame:
    order = _sort(day, who)
    m = int(order.size)
    return pd.DataFrame(
        {
            "inquiry_id": make_ids("Q", np.arange(m), width=code_width(m)),
            "borrower_id": ids.take(who[order]),
            "inquired_on": days_to_datetime(day[order]),
            "institution_type": _category("inquiries", "institution_type", institutions, inst[order]),
        }
    )
