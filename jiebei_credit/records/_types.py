"""Typed, frozen row records, one class per table.

Each record checks its invariants on construction with the same declared
rules (:class:`Column`) the table validator uses, so a record that exists is
a valid row. Change a record with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

import pandas as pd

from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.records._enums import (
    KIND_DIRECTION,
    BusinessType,
    Direction,
    InstitutionType,
    LoanPurpose,
    RepaymentMethod,
    TransactionKind,
    kind_direction_rule,
)
from jiebei_credit.records._schema import Column, TableSchema
from jiebei_credit.records._tables import SCHEMAS

__all__ = [
    "RECORD_TYPES",
    "Borrower",
    "CreditLineEvent",
    "Inquiry",
    "Installment",
    "Loan",
    "Record",
    "Transaction",
    "ZhimaScore",
]

def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and v != v


def _from_cell(col: Column, v: Any) -> Any:
    """Convert a frame cell to the record field's Python type (best effort).

    Values that cannot be converted are returned unchanged so that the
    record's own checks report them with the column's rule.
    """
    if _is_missing(v):
        return None
    try:
        if col.kind in ("id", "text"):
            return str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if col.kind == "category":
            return col.enum(v) if (col.enum is not None and v in col.allowed) else v
        if col.kind in ("date", "datetime"):
            if isinstance(v, str | dt.date):
                ts = pd.Timestamp(v)
                if col.kind == "date" and ts == ts.normalize():
                    return ts.date()
                return ts.to_pydatetime()
            return v
        if col.kind == "int":
            x = float(v)
            return int(x) if x.is_integer() else x
        return float(v)
    except (ValueError, TypeError, OverflowError):
        return v


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Base of the row records: checks, ``from_row`` and ``to_row``."""

    table: ClassVar[str]

    @classmethod
    def schema(cls) -> TableSchema:
        """The :class:`TableSchema` of this record's table."""
        return SCHEMAS[cls.table]

    def __post_init__(self) -> None:
        schema = self.schema()
        problems: list[Problem] = []
        for col in schema.columns:
            value = getattr(self, col.name)
            if col.enum is not None and isinstance(value, str) and value in col.allowed:
                object.__setattr__(self, col.name, col.enum(value))
                continue
            rule = col.check_scalar(value)
            if rule is not None:
                problems.append(Problem(table=schema.name, column=col.name, row=None, value=value, rule=rule))
        problems += self._row_rules()
        if problems:
            raise SchemaError(problems, context=type(self).__name__)

    def _row_rules(self) -> list[Problem]:
        return []

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | pd.Series) -> Self:
        """Build a record from a mapping or a frame row.

        Cells are converted to the field types (strings to enums, timestamps
        at midnight to dates, whole floats to ints); missing values (None,
        NaN, NaT, NA) become None. Nullable columns may be absent.

        Raises
        ------
        InvalidInputError
            When the row has unknown keys or lacks a required one.
        SchemaError
            When a value breaks the column's rule.

        Examples
        --------
        >>> from jiebei_credit.records import ZhimaScore
        >>> z = ZhimaScore.from_row({"borrower_id": "b1", "observed_on": "2024-03-01",
        ...                          "score": 702.0})
        >>> z.score, z.observed_on
        (702, datetime.date(2024, 3, 1))
        >>> z.to_row()
        {'borrower_id': 'b1', 'observed_on': datetime.date(2024, 3, 1), 'score': 702}
        """
        schema = cls.schema()
        keys = [str(k) for k in row.keys()]  # noqa: SIM118 (pandas rows too)
        unknown = [k for k in keys if k not in schema.column_names]
        missing = [c.name for c in schema.columns if c.name not in keys and not c.nullable]
        if unknown or missing:
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if unknown:
                parts.append(f"unknown {unknown}")
            raise InvalidInputError(
                f"{cls.__name__}.from_row: keys do not match table {schema.name!r}: "
                f"{'; '.join(parts)}; expected {list(schema.column_names)}"
            )
        values = {c.name: _from_cell(c, row[c.name]) if c.name in keys else None for c in schema.columns}
        return cls(**values)

    def to_row(self) -> dict[str, Any]:
        """The record as a plain dict (enum values as strings), in column order."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.value if isinstance(v, StrEnum) else v
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Borrower(Record):
    """A small-business owner and their business (table ``borrowers``)."""

    table: ClassVar[str] = "borrowers"
    borrower_id: str
    business_type: BusinessType
    industry: str | None = None
    business_registered_on: dt.date | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditLineEvent(Record):
    """A change of limit or rate on a credit line (table ``credit_line_events``)."""

    table: ClassVar[str] = "credit_line_events"
    borrower_id: str
    effective_on: dt.date
    limit: float
    daily_rate: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Loan(Record):
    """A drawdown on the credit line (table ``loans``).

    Examples
    --------
    >>> import datetime as dt
    >>> from jiebei_credit.records import Loan
    >>> Loan(loan_id="L1", borrower_id="b1", drawn_on=dt.date(2024, 1, 1), principal=-5.0,
    ...      term_months=12, repayment_method="equal_installment", daily_rate=0.0004,
    ...      purpose="business")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.SchemaError: Loan: 1 schema problem:
      loans.principal: value -5.0: must satisfy 0 < value ≤ 10,000,000
    """

    table: ClassVar[str] = "loans"
    loan_id: str
    borrower_id: str
    drawn_on: dt.date
    principal: float
    term_months: int
    repayment_method: RepaymentMethod
    daily_rate: float
    purpose: LoanPurpose


@dataclass(frozen=True, slots=True, kw_only=True)
class Installment(Record):
    """One scheduled instalment of a loan (table ``installments``)."""

    table: ClassVar[str] = "installments"
    loan_id: str
    seq: int
    due_on: dt.date
    principal_due: float
    interest_due: float
    paid_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction(Record):
    """A merchant-account flow (table ``transactions``)."""

    table: ClassVar[str] = "transactions"
    transaction_id: str
    borrower_id: str
    occurred_at: dt.datetime
    amount: float
    direction: Direction
    kind: TransactionKind
    counterparty_id: str | None = None

    def _row_rules(self) -> list[Problem]:
        expected = KIND_DIRECTION.get(TransactionKind(self.kind)) if self.kind in TransactionKind else None
        if expected is not None and self.direction != expected:
            rule = kind_direction_rule(self.kind, expected)
            return [Problem(table=self.table, column="direction", row=None, value=self.direction, rule=rule)]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class ZhimaScore(Record):
    """A Zhima score snapshot (table ``zhima_scores``)."""

    table: ClassVar[str] = "zhima_scores"
    borrower_id: str
    observed_on: dt.date
    score: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Inquiry(Record):
    """A credit inquiry by a lender (table ``inquiries``)."""

    table: ClassVar[str] = "inquiries"
    inquiry_id: str
    borrower_id: str
    inquired_on: dt.date
    institution_type: InstitutionType


#: Record class of each table.
RECORD_TYPES: Mapping[str, type[Record]] = {
    cls.table: cls for cls in (Borrower, CreditLineEvent, Loan, Installment, Transaction, ZhimaScore, Inquiry)
}
