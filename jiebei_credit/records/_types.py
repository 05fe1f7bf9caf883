"""Typed, frozen row records, one class per table.

Each record checks its invariants on construction with the same declared
rules (:class:`Column`) the table validator uses, so a record that exists is
a valid row. Change a record with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import Problem, SchemaError
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
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return isinstance(v, float | np.floating) and v != v


def _from_cell(col: Column, v: Any) -> Any:
    """Convert a frame cell to the record field's Python type, by the library's rules.

    Values that cannot be converted are returned unchanged so that the
    record's own checks report them with the column's rule: booleans are
    never numbers, floats never identifiers, numbers never dates, and date
    strings are read as ISO 8601 (relative words such as ``"today"`` are
    not dates).
    """
    if _is_missing(v):
        return None
    if col.kind in ("id", "text"):
        return str(v) if V.is_integer(v) else v
    if col.kind == "category":
        return col.enum(v) if (col.enum is not None and isinstance(v, str) and v in col.allowed) else v
    if col.kind in ("date", "datetime"):
        if isinstance(v, str | dt.date | np.datetime64):
            parsed = V.parse_dates(np.array([v], dtype=object))
            if parsed.problems or np.isnat(parsed.dates[0]):
                return v
            ts = pd.Timestamp(parsed.dates[0])
            if col.kind == "date" and ts == ts.normalize():
                return ts.date()
            return ts.to_pydatetime(warn=False) if ts.nanosecond == 0 else ts
        return v
    if isinstance(v, bool | np.bool_ | complex | np.complexfloating):
        return v
    if isinstance(v, str | decimal.Decimal):  # read as a table column reads them
        got = V.parse_numbers(np.array([v], dtype=object))
        if got.problems or np.isnan(got.numbers[0]):
            return v
        v = float(got.numbers[0])
    if not isinstance(v, int | float | np.integer | np.floating):
        return v
    if col.kind == "int":
        x = float(v)
        return int(x) if x.is_integer() and abs(x) <= 2.0**53 else v
    return float(v)


def _normalised(col: Column, value: Any) -> Any:
    """A field value in its canonical type: numpy scalars to Python, strings to enums, dates to midnights."""
    if col.enum is not None and isinstance(value, str) and value in col.allowed:
        return col.enum(value)
    if isinstance(value, np.str_):
        return str(value)
    if col.kind == "int" and V.is_integer(value):
        return int(value)
    if col.kind == "float" and (V.is_integer(value) or isinstance(value, np.floating)):
        return float(value)
    if col.kind == "datetime" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())  # a date is its midnight, as in a table
    return value


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
            canonical = _normalised(col, value)
            if canonical is not value:
                object.__setattr__(self, col.name, canonical)
                value = canonical
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

        Parameters
        ----------
        row : Mapping or pandas.Series
            One row: the table's column names as keys (strings), e.g. ``frame.iloc[0]``.

        Returns
        -------
        Self
            A record of this class with the row's values.

        Raises
        ------
        InvalidInputError
            When the row is not a mapping or a Series, repeats a key, has
            unknown keys or lacks a required one.
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
        func = f"{cls.__name__}.from_row"
        if not isinstance(row, Mapping | pd.Series):
            raise V.fail(func, "row", "must be a mapping (a dict) or a frame row (a Series)",
                         f"a {type(row).__name__}", "Pass e.g. frame.iloc[0] or a dict of column values.")
        labels = list(row.keys())
        repeated = [k for k in dict.fromkeys(labels) if labels.count(k) > 1]
        if repeated:
            raise V.fail(func, "row", "must have each key once", f"repeated keys {V.show(repeated)}")
        keys = [k for k in labels if isinstance(k, str)]
        unknown = [k for k in labels if not isinstance(k, str) or k not in schema.column_names]
        missing = [c.name for c in schema.columns if c.name not in keys and not c.nullable]
        if unknown or missing:
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if unknown:
                parts.append(f"unknown {[str(k) for k in unknown]}")
            raise V.fail(func, "row", f"must have the keys of table {schema.name!r} "
                         f"{list(schema.column_names)} (nullable ones may be absent)", "; ".join(parts))
        values = {c.name: _from_cell(c, row[c.name]) if c.name in keys else None for c in schema.columns}
        return cls(**values)

    def to_row(self) -> dict[str, Any]:
        """The record as a plain dict (enum values as strings), in column order.

        Returns
        -------
        dict of str to object
            Field name to value; ``from_row`` of this dict gives an equal record.
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.value if isinstance(v, StrEnum) else v
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Borrower(Record):
    """A small-business owner and their business (table ``borrowers``).

    Parameters
    ----------
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    business_type : BusinessType or str
        Legal form of the business; one of ``individual_business``, ``sole_proprietorship``,
        ``partnership``, ``limited_company``, ``unregistered``.
    industry : str, default None
        Industry of the business (free text or a lender's code).
    business_registered_on : datetime.date, default None
        Business registration date; missing for unregistered businesses; date without time of day,
        1950-01-01 to 2100-12-31.
    region : str, default None
        Region of the business (e.g. province).

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "borrowers"
    borrower_id: str
    business_type: BusinessType
    industry: str | None = None
    business_registered_on: dt.date | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditLineEvent(Record):
    """A change of limit or rate on a credit line (table ``credit_line_events``).

    Parameters
    ----------
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    effective_on : datetime.date
        Date from which the limit and rate apply; date without time of day, 1950-01-01 to 2100-12-31.
    limit : float
        Credit limit in CNY; 0 means the line is frozen or closed; finite number, 0 ≤ value ≤ 10,000,000.
    daily_rate : float
        Daily interest rate of the line as a decimal (0.0004 is 0.04 % a day); finite number, 0 < value ≤
        0.01.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "credit_line_events"
    borrower_id: str
    effective_on: dt.date
    limit: float
    daily_rate: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Loan(Record):
    """A drawdown on the credit line (table ``loans``).

    Parameters
    ----------
    loan_id : str
        Loan identifier; non-empty string.
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    drawn_on : datetime.date
        Drawdown date; date without time of day, 1950-01-01 to 2100-12-31.
    principal : float
        Principal drawn, CNY; finite number, 0 < value ≤ 10,000,000.
    term_months : int
        Number of monthly instalments; whole number, 1 ≤ value ≤ 60.
    repayment_method : RepaymentMethod or str
        Repayment method; one of ``equal_installment``, ``equal_principal``, ``interest_first``.
    daily_rate : float
        Daily interest rate of the loan as a decimal (0.0004 is 0.04 % a day); finite number, 0 < value ≤
        0.01.
    purpose : LoanPurpose or str
        Declared purpose of the loan; one of ``consumption``, ``business``, ``unknown``.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.

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
    """One scheduled instalment of a loan (table ``installments``).

    Parameters
    ----------
    loan_id : str
        Loan identifier; non-empty string.
    seq : int
        Instalment number, 1 for the first; whole number, 1 ≤ value ≤ 360.
    due_on : datetime.date
        Due date; date without time of day, 1950-01-01 to 2100-12-31.
    principal_due : float
        Principal due in this instalment, CNY; finite number, 0 ≤ value ≤ 10,000,000.
    interest_due : float
        Interest due in this instalment, CNY; finite number, 0 ≤ value ≤ 10,000,000.
    paid_on : datetime.date, default None
        Date the instalment was cleared in full; missing while it is open; date without time of day,
        1950-01-01 to 2100-12-31.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "installments"
    loan_id: str
    seq: int
    due_on: dt.date
    principal_due: float
    interest_due: float
    paid_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction(Record):
    """A merchant-account flow (table ``transactions``).

    Parameters
    ----------
    transaction_id : str
        Transaction identifier; non-empty string.
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    occurred_at : datetime.datetime
        When the flow happened (China local time, naive); naive timestamp, 1950-01-01 to 2100-12-31.
    amount : float
        Amount in CNY, always positive; the direction says which way; finite number, 0 < value ≤
        10,000,000.
    direction : Direction or str
        Inflow or outflow; one of ``in``, ``out``.
    kind : TransactionKind or str
        What the flow is; one of ``sale``, ``refund``, ``purchase``, ``transfer``, ``loan_disbursement``,
        ``loan_repayment``, ``other``.
    counterparty_id : str, default None
        Pseudonymous payer or payee; missing when unknown.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "transactions"
    transaction_id: str
    borrower_id: str
    occurred_at: dt.datetime
    amount: float
    direction: Direction
    kind: TransactionKind
    counterparty_id: str | None = None

    def _row_rules(self) -> list[Problem]:
        # a kind outside the enum is reported by its column rule; `x in TransactionKind` raises for it
        expected = KIND_DIRECTION.get(self.kind) if isinstance(self.kind, TransactionKind) else None
        if expected is not None and self.direction != expected:
            rule = kind_direction_rule(self.kind, expected)
            return [Problem(table=self.table, column="direction", row=None, value=self.direction, rule=rule)]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class ZhimaScore(Record):
    """A Zhima score snapshot (table ``zhima_scores``).

    Parameters
    ----------
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    observed_on : datetime.date
        Snapshot date; date without time of day, 1950-01-01 to 2100-12-31.
    score : int
        Zhima score (350-950); whole number, 350 ≤ value ≤ 950.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "zhima_scores"
    borrower_id: str
    observed_on: dt.date
    score: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Inquiry(Record):
    """A credit inquiry by a lender (table ``inquiries``).

    Parameters
    ----------
    inquiry_id : str
        Inquiry identifier; non-empty string.
    borrower_id : str
        Pseudonymous borrower (business owner) identifier; non-empty string.
    inquired_on : datetime.date
        Inquiry date; date without time of day, 1950-01-01 to 2100-12-31.
    institution_type : InstitutionType or str
        Type of the inquiring institution; one of ``bank``, ``consumer_finance``, ``micro_loan``,
        ``guarantee``, ``other``.

    Raises
    ------
    SchemaError
        A value breaks its column's rule, listing every broken rule.
    """

    table: ClassVar[str] = "inquiries"
    inquiry_id: str
    borrower_id: str
    inquired_on: dt.date
    institution_type: InstitutionType


#: Record class of each table.
RECORD_TYPES: Mapping[str, type[Record]] = {
    cls.table: cls for cls in (Borrower, CreditLineEvent, Loan, Installment, Transaction, ZhimaScore, Inquiry)
}
