"""State shared by the feature families during one :func:`extract` call.

The context hands out record tables only when they are both present and
allowed by ``sources=`` (so a family cannot read a table the caller has no
consent for), and memoises the sorted views several families share: the
loans by drawdown date and the instalments by borrower and drawdown date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from jiebei_credit._keys import order_by, positions
from jiebei_credit.features._kernels import FloatArray, IntArray, Timeline, day_numbers
from jiebei_credit.features._observations import Observations
from jiebei_credit.records import RecordSet

__all__ = ["Context", "InstallmentView", "LoanView", "category_codes"]

T = TypeVar("T")


def category_codes(column: pd.Series, value: str) -> Any:
    """Boolean mask ``column == value`` for a categorical column, via its integer codes."""
    cats = column.cat.categories
    if value not in cats:
        return np.zeros(len(column), dtype=bool)
    return column.cat.codes.to_numpy() == cats.get_loc(value)


@dataclass(frozen=True, slots=True, eq=False)
class LoanView:
    """Loans sorted by ``(borrower, drawn day, row)``: a timeline keyed by drawdown day."""

    timeline: Timeline
    borrower: IntArray  # original row order
    drawn: IntArray  # original row order
    principal: FloatArray  # original row order
    rank: IntArray  # sorted position of each original loan row


@dataclass(frozen=True, slots=True, eq=False)
class InstallmentView:
    """Instalments sorted by ``(borrower, loan drawn day, loan, seq)``, arrays in that order.

    ``timeline`` is keyed by ``(borrower, drawn day)``, so the instalments of
    the loans visible at ``as_of`` are a prefix of the borrower's run.
    """

    timeline: Timeline
    loan: IntArray  # sorted position of the loan in LoanView
    seq: IntArray
    due: IntArray
    paid: IntArray  # NEVER when open
    principal: FloatArray
    interest: FloatArray
    borrower: IntArray
    drawn: IntArray


class Context:
    """Tables, observations and memoised views for one extraction."""

    __slots__ = ("_allowed", "_memo", "obs", "records")

    def __init__(self, records: RecordSet, obs: Observations, allowed: frozenset[str]) -> None:
        self.records = records
        self.obs = obs
        self._allowed = allowed
        self._memo: dict[str, Any] = {}

    def has(self, *names: str) -> bool:
        """Whether every table is present in the records and allowed."""
        return all(n in self._allowed and n in self.records for n in names)

    def table(self, name: str) -> pd.DataFrame:
        """The stored table (read-only); KeyError when absent or not allowed."""
        if not self.has(name):
            raise KeyError(f"table {name!r} is absent or not allowed")
        frame = self.records._shared(name)
        if frame is None:  # pragma: no cover - has() checked presence
            raise KeyError(name)
        return frame

    def memo(self, key: str, build: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = build()
        out: T = self._memo[key]
        return out

    def memoised(self, key: str) -> bool:
        return key in self._memo

    def borrower_codes(self, name: str) -> IntArray:
        """Row position in ``borrowers`` of each row's ``borrower_id``."""

        def build() -> IntArray:
            known = self.records._shared("borrowers")["borrower_id"]  # type: ignore[index]
            return positions(known, self.table(name)["borrower_id"])

        return self.memo(f"codes:{name}", build)

    def loans(self) -> LoanView:
        def build() -> LoanView:
            loans = self.table("loans")
            borrower = self.borrower_codes("loans")
            drawn_at = loans["drawn_on"].to_numpy()
            drawn = day_numbers(drawn_at)
            # Same-day loans of a borrower in the order of their identifiers (the primary key).
            ties = (
                drawn_at.astype("datetime64[ns]").view(np.int64),
                pd.util.hash_array(loans["loan_id"].astype(str).to_numpy(dtype=object)).view(np.int64),
            )
            tl = Timeline.build(borrower, drawn, ties=ties)
            rank = np.empty(len(tl), dtype=np.int64)
            rank[tl.order] = np.arange(len(tl), dtype=np.int64)
            principal = loans["principal"].to_numpy(dtype=np.float64)
            return LoanView(timeline=tl, borrower=borrower, drawn=drawn, principal=principal, rank=rank)

        return self.memo("loans", build)

    def installments(self) -> InstallmentView:
        def build() -> InstallmentView:
            lv = self.loans()
            inst = self.table("installments")
            loan_row = positions(self.table("loans")["loan_id"], inst["loan_id"])
            loan_pos = lv.rank[loan_row]
            seq = inst["seq"].to_numpy(dtype=np.int64)
            order = order_by(loan_pos, seq)
            loan_sorted = loan_pos[order]
            rows = lv.timeline.order[loan_sorted]
            borrower = lv.borrower[rows]
            drawn = lv.drawn[rows]
            # Already in (borrower, drawn, loan, seq) order: keyed without sorting again.
            tl = Timeline.build(borrower, drawn, presorted=True)
            return InstallmentView(
                timeline=Timeline(order=order, key=tl.key, day0=tl.day0, span=tl.span),
                loan=loan_sorted,
                seq=seq[order],
                due=day_numbers(inst["due_on"].to_numpy())[order],
                paid=day_numbers(inst["paid_on"].to_numpy())[order],
                principal=inst["principal_due"].to_numpy(dtype=np.float64)[order],
                interest=inst["interest_due"].to_numpy(dtype=np.float64)[order],
                borrower=borrower,
                drawn=drawn,
            )

        return self.memo("installments", build)
