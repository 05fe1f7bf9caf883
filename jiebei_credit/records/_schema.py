"""Table schemas as data: columns, keys and the rules they imply.

A :class:`Column` declares each rule once (type, nullability, range, allowed
values); the vectorised validator, the scalar record checks and the
documentation all read the rule and its wording from here, so messages
cannot drift from checks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._validation import DATE_MAX, DATE_MIN
from jiebei_credit.records._categories import DATA_CATEGORIES, DataCategory

__all__ = ["Column", "ColumnKind", "ForeignKey", "TableSchema"]

ColumnKind = Literal["id", "text", "category", "date", "datetime", "float", "int"]

#: First and last day of the accepted calendar range (the library-wide DATE_MIN, DATE_MAX).
_FIRST_DAY: dt.date = DATE_MIN.date()
_LAST_DAY: dt.date = DATE_MAX.date()

_KIND_LABEL: dict[str, str] = {
    "id": "an identifier (string)",
    "text": "text",
    "category": "a category",
    "date": "a date",
    "datetime": "a date and time",
    "float": "a number",
    "int": "a whole number",
}

_DTYPE_LABEL: dict[str, str] = {
    "id": "string",
    "text": "string",
    "category": "category",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "float": "float64",
    "int": "Int64",
}


def _fmt_number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of a table schema.

    Parameters
    ----------
    name : str
        Column name in frames and record fields.
    kind : {"id", "text", "category", "date", "datetime", "float", "int"}
        Logical type. ``id`` and ``text`` normalise to the pandas ``string``
        dtype, ``category`` to a categorical with exactly the enum's values,
        ``date`` and ``datetime`` to naive ``datetime64[ns]`` (a ``date`` has
        no time of day), ``float`` to ``float64`` and ``int`` to ``Int64``.
    nullable : bool, default False
        Whether missing values are allowed.
    enum : StrEnum subclass, optional
        Allowed values of a ``category`` column.
    minimum, maximum : float, optional
        Allowed range of a numeric column.
    exclusive_minimum, exclusive_maximum : bool, default False
        Whether the bounds themselves are excluded.
    description, description_zh : str
        What the column holds, in English and Chinese.

    Examples
    --------
    >>> c = Column(name="score", kind="int", minimum=350, maximum=950,
    ...            description="Zhima score", description_zh="芝麻分")
    >>> c.rule_text()
    'whole number, 350 ≤ value ≤ 950'
    >>> c.check_scalar(1000)
    'must satisfy 350 ≤ value ≤ 950'
    """

    name: str
    kind: ColumnKind
    nullable: bool = False
    enum: type[StrEnum] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    description: str
    description_zh: str

    def __post_init__(self) -> None:
        func = "Column"
        _text(self.name, func=func, name="name")
        V.choice(self.kind, ColumnKind, func=func, name="kind")
        for flag in ("nullable", "exclusive_minimum", "exclusive_maximum"):
            V.flag(getattr(self, flag), func=func, name=flag)
        if self.enum is not None and not (isinstance(self.enum, type) and issubclass(self.enum, StrEnum)):
            raise V.fail(func, "enum", "must be a StrEnum subclass or None", repr(self.enum))
        if (self.kind == "category") != (self.enum is not None):
            raise V.fail(func, "enum", "is required exactly for category columns",
                         f"kind={self.kind!r} with enum={self.enum!r} (column {self.name!r})")
        for bound in ("minimum", "maximum"):
            value = getattr(self, bound)
            if value is not None:
                V.real(value, func=func, name=bound)
        if (self.minimum is not None or self.maximum is not None) and self.kind not in ("float", "int"):
            raise V.fail(func, "minimum", "and maximum need a numeric column (kind 'float' or 'int')",
                         f"kind={self.kind!r} (column {self.name!r})")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise V.fail(func, "minimum", "must not exceed maximum",
                         f"minimum={self.minimum!r}, maximum={self.maximum!r} (column {self.name!r})")
        _text(self.description, func=func, name="description", empty=True)
        _text(self.description_zh, func=func, name="description_zh", empty=True)

    # ---- wording of each rule (one place) ----------------------------------
    @property
    def allowed(self) -> tuple[str, ...]:
        """Allowed values of a category column, in declaration order."""
        return tuple(m.value for m in self.enum) if self.enum is not None else ()

    def dtype_label(self) -> str:
        """The pandas dtype of the normalised column.

        Returns
        -------
        str
            A dtype name such as ``"float64"``, ``"Int64"`` or ``"datetime64[ns]"``.
        """
        return _DTYPE_LABEL[self.kind]

    def range_text(self) -> str | None:
        """The numeric range as ``a ≤ value < b``, or None when unbounded.

        Returns
        -------
        str or None
            The range in words, e.g. ``"0 < value ≤ 10,000,000"``; None when the column has
            neither a minimum nor a maximum.
        """
        if self.minimum is None and self.maximum is None:
            return None
        parts = []
        if self.minimum is not None:
            parts.append(f"{_fmt_number(self.minimum)} {'<' if self.exclusive_minimum else '≤'} ")
        parts.append("value")
        if self.maximum is not None:
            parts.append(f" {'<' if self.exclusive_maximum else '≤'} {_fmt_number(self.maximum)}")
        return "".join(parts)

    def rule_text(self) -> str:
        """All rules of the column in words, as shown in the documentation.

        Returns
        -------
        str
            E.g. ``"finite number, 0 < value ≤ 10,000,000"``; a category column lists its
            allowed values.
        """
        if self.kind == "category":
            return "one of " + ", ".join(f"``{v}``" for v in self.allowed)
        if self.kind == "date":
            return f"date without time of day, {DATE_MIN.date()} to {DATE_MAX.date()}"
        if self.kind == "datetime":
            return f"naive timestamp, {DATE_MIN.date()} to {DATE_MAX.date()}"
        if self.kind in ("float", "int"):
            base = "finite number" if self.kind == "float" else "whole number"
            rng = self.range_text()
            return base if rng is None else f"{base}, {rng}"
        return "non-empty string" if not self.nullable else "string"

    def msg_coerce(self) -> str:
        """The rule broken by a value that cannot be read as the column's kind.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return f"cannot be read as {_KIND_LABEL[self.kind]}"

    def msg_required(self) -> str:
        """The rule broken by a missing value in a required column.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "is required (must not be missing)"

    def msg_missing(self) -> str:
        """The rule broken by NaN, NaT or NA in a nullable record field (a record uses None).

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "a missing value is None in a record (not NaN, NaT or NA)"

    def msg_finite(self) -> str:
        """The rule broken by an infinite number.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "must be finite (not ±inf); use NaN for unknown values where the column allows it"

    def msg_integral(self) -> str:
        """The rule broken by a fractional value in a whole-number column.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "must be a whole number"

    def msg_range(self) -> str:
        """The rule broken by a number outside the column's range.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return f"must satisfy {self.range_text()}"

    def msg_allowed(self) -> str:
        """The rule broken by a value outside a category column's allowed values.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "must be one of: " + ", ".join(self.allowed)

    def msg_time_of_day(self) -> str:
        """The rule broken by a time of day in a date column.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "must be a date without time of day (use .dt.normalize() if the time is irrelevant)"

    def msg_date_range(self) -> str:
        """The rule broken by a date outside the supported range.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return V.RULE_RANGE

    def msg_empty(self) -> str:
        """The rule broken by an empty string in an identifier column.

        Returns
        -------
        str
            The rule in words, as it appears in a :class:`~jiebei_credit.errors.Problem`.
        """
        return "must not be an empty string"

    # ---- scalar evaluation (record construction) ---------------------------
    def check_scalar(self, value: Any) -> str | None:
        """Return the rule ``value`` breaks, or None when it is valid.

        ``value`` must have the record field's type or be ``None``: ``str``
        for identifiers and text, the enum (or its string) for categories,
        :class:`datetime.date` for dates, :class:`datetime.datetime` for
        timestamps, a real number (``float``, ``int`` or a numpy number, not
        a ``bool``) for amounts, an integer (``int`` or a numpy integer, not
        a float) for whole numbers.

        Parameters
        ----------
        value : object
            A record field value, or None.

        Returns
        -------
        str or None
            The broken rule in words (one of the ``msg_*`` texts), or None when ``value``
            satisfies every rule of the column.
        """
        if value is None:
            return None if self.nullable else self.msg_required()
        numeric = self.kind in ("float", "int")
        if value is pd.NaT or value is pd.NA or (
            not numeric and isinstance(value, float | np.floating) and math.isnan(value)
        ):
            return self.msg_required() if not self.nullable else self.msg_missing()
        if self.kind in ("id", "text"):
            if not isinstance(value, str):
                return self.msg_coerce()
            return self.msg_empty() if (self.kind == "id" and value == "") else None
        if self.kind == "category":
            return None if isinstance(value, str) and value in self.allowed else self.msg_allowed()
        if self.kind in ("date", "datetime"):
            return self._check_date(value)
        # numeric
        is_number = isinstance(value, int | float | np.integer | np.floating)
        if isinstance(value, bool | np.bool_) or not is_number:
            return self.msg_coerce()
        if self.kind == "int" and not isinstance(value, int | np.integer):
            return f"{self.msg_integral()} (an int, not {type(value).__name__})"
        x = float(value)
        if math.isnan(x):
            return None if self.nullable else self.msg_required()
        if math.isinf(x):
            return self.msg_finite()
        return None if self.in_range_scalar(x) else self.msg_range()

    def _check_date(self, value: Any) -> str | None:
        if isinstance(value, str):
            # a string is not a date field's type; say why it could not be one either
            parsed = V.parse_dates(np.array([value], dtype=object))
            for rule in parsed.problems:
                return rule
            kind = "date" if self.kind == "date" else "datetime"
            return (f"{self.msg_coerce()}: pass a datetime.{kind}, or build the record with from_row, "
                    "which reads date strings")
        if not isinstance(value, dt.date):
            return self.msg_coerce()
        if self.kind == "date" and isinstance(value, dt.datetime):
            return self.msg_coerce()
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return self.msg_coerce()
        day = value.date() if isinstance(value, dt.datetime) else value
        return None if _FIRST_DAY <= day <= _LAST_DAY else self.msg_date_range()

    def in_range_scalar(self, x: float) -> bool:
        """Whether ``x`` lies within the column's minimum and maximum.

        Parameters
        ----------
        x : float
            A finite number.

        Returns
        -------
        bool
            True when ``x`` satisfies the bounds (exclusive or inclusive as declared); always
            True for a column without bounds.
        """
        if self.minimum is not None and (x <= self.minimum if self.exclusive_minimum else x < self.minimum):
            return False
        return not (
            self.maximum is not None and (x >= self.maximum if self.exclusive_maximum else x > self.maximum)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ForeignKey:
    """Columns of one table that must exist as a key of another table.

    Parameters
    ----------
    columns : tuple of str
        The referencing columns of this table (a list is accepted and stored as a tuple).
    ref_table : str
        Name of the referenced table.
    ref_columns : tuple of str
        The referenced columns of ``ref_table``, one per entry of ``columns``, in order.

    Raises
    ------
    InvalidInputError
        When a name is empty or not a string, or ``ref_columns`` and ``columns`` differ in length.
    """

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]

    def __post_init__(self) -> None:
        func = "ForeignKey"
        object.__setattr__(self, "columns", _names(self.columns, func=func, name="columns"))
        object.__setattr__(self, "ref_columns", _names(self.ref_columns, func=func, name="ref_columns"))
        _text(self.ref_table, func=func, name="ref_table")
        if len(self.columns) != len(self.ref_columns):
            raise V.fail(func, "ref_columns", "must have one column per column", f"{self.ref_columns!r} for "
                         f"{self.columns!r}")


def _text(value: Any, *, func: str, name: str, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise V.fail(func, name, "must be a string" if empty else "must be a non-empty string", repr(value))
    return value


_ROLE_KIND: dict[tuple[str, ...], str] = {
    ("id",): "an identifier column",
    ("date", "datetime"): "a date column",
}


def _role(schema: TableSchema, by_name: Mapping[str, Column], role: str, kinds: tuple[str, ...]) -> None:
    """``borrower_key`` / ``event_date`` / ``known_at``: None or a required column of the right kind."""
    value = getattr(schema, role)
    if value is None:
        return
    func = "TableSchema"
    _text(value, func=func, name=role)
    what = _ROLE_KIND[kinds]
    col = by_name.get(value)
    if col is None:
        raise V.fail(func, role, f"must name {what} of the table", f"{value!r}, not a column of table "
                     f"{schema.name!r} (columns: {V.show(list(by_name), len(by_name))})")
    if col.kind not in kinds or col.nullable:
        raise V.fail(func, role, f"must name {what} without missing values (nullable=False)",
                     f"{value!r} (kind {col.kind!r}, nullable={col.nullable}) in table {schema.name!r}",
                     "Declare the column nullable=False or choose another column.")


def _names(value: Any, *, func: str, name: str, min_size: int = 1) -> tuple[str, ...]:
    items = V.listlike(value, func=func, name=name, min_size=min_size, unique=True)
    for item in items:
        _text(item, func=func, name=name)
    return tuple(items)


@dataclass(frozen=True, slots=True, kw_only=True)
class TableSchema:
    """The schema of one record table, built-in or the lender's own.

    Parameters
    ----------
    name : str
        Table name (a key of :data:`SCHEMAS` for the built-in tables; any
        other name for a user table).
    columns : tuple of Column
        Columns in canonical order.
    primary_key : tuple of str
        Columns that identify a row; duplicates are errors.
    foreign_keys : tuple of ForeignKey, default ()
        References checked by :class:`RecordSet`. The reference from
        ``borrower_key`` to ``borrowers.borrower_id`` is checked whether or
        not it is declared here.
    description, description_zh : str
        One row per what, in English and Chinese.
    borrower_key : str or None, default None
        The column holding ``borrowers.borrower_id``. None only for
        ``borrowers`` itself and for ``installments``, which reach their
        borrower through ``loans``. A user table must set it.
    event_date : str or None, default None
        The column dated when the row's event happened (an invoice's issue
        date, a bill's date); a ``date`` or ``datetime`` column without
        missing values. None for tables without a single event date
        (``borrowers``; ``installments``, whose rows have a due date and a
        payment date).
    known_at : str or None, default None
        The knowledge-time column: when the row became known to the lender;
        a ``date`` or ``datetime`` column without missing values. Feature
        families see a row at ``as_of`` iff ``known_at < as_of``. For the
        built-in event tables it is the event date (the lender learns of its
        own credit events, and receives flows, scores and inquiries, when
        they happen). A user table must set it; when ``event_date`` is set
        too, every row must have ``known_at >= event_date``.
    category : str, default "other"
        The PIPL data category, a key of :data:`DATA_CATEGORIES` (e.g.
        ``"utility_payments"``, ``"tax_records"``, ``"public_records"``).

    Raises
    ------
    InvalidInputError
        When a field has the wrong type, two columns share a name, a key
        names no column, ``event_date`` or ``known_at`` names a column that
        is not a date or allows missing values, ``borrower_key`` names a
        column that is not an identifier, or ``category`` is unknown.

    Notes
    -----
    The knowledge time is what makes a feature honest: a utility bill dated
    31 January that the utility reports to the lender on 20 February cannot
    inform a decision on 10 February. Point-in-time views segment a user
    table's rows by ``known_at``, never by ``event_date``.

    Examples
    --------
    Monthly utility payments, reported to the lender after each bill is
    settled:

    >>> from jiebei_credit.records import Column, TableSchema
    >>> utility = TableSchema(
    ...     name="utility_payments",
    ...     description="One row per monthly utility bill of the business premises.",
    ...     description_zh="每行一期经营场所水电燃气账单",
    ...     primary_key=("borrower_id", "period_month"),
    ...     borrower_key="borrower_id",
    ...     event_date="billed_on",
    ...     known_at="known_on",
    ...     category="utility_payments",
    ...     columns=(
    ...         Column(name="borrower_id", kind="id", description="Borrower.", description_zh="借款人"),
    ...         Column(name="period_month", kind="date", description="First day of the billed month.",
    ...                description_zh="账期(月初)"),
    ...         Column(name="billed_on", kind="date", description="Bill date.", description_zh="出账日期"),
    ...         Column(name="paid_on", kind="date", nullable=True, description="Payment date.",
    ...                description_zh="缴费日期"),
    ...         Column(name="known_on", kind="date", description="Date the lender received the row.",
    ...                description_zh="数据到达日期"),
    ...         Column(name="amount", kind="float", minimum=0.0, description="Billed amount, CNY.",
    ...                description_zh="账单金额(元)"),
    ...         Column(name="days_late", kind="int", minimum=0, description="Days paid after the due date.",
    ...                description_zh="逾期缴费天数"),
    ...     ),
    ... )
    >>> utility.known_at, utility.category
    ('known_on', 'utility_payments')
    >>> TableSchema(name="t", columns=utility.columns, primary_key=("borrower_id", "period_month"),
    ...             borrower_key="borrower_id", known_at="paid_on", description="", description_zh="")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: TableSchema: known_at must name a date column without ...
    """

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    description: str
    description_zh: str
    borrower_key: str | None = None
    event_date: str | None = None
    known_at: str | None = None
    category: DataCategory = "other"
    _by_name: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        func = "TableSchema"
        _text(self.name, func=func, name="name")
        columns = V.listlike(self.columns, func=func, name="columns", min_size=1)
        odd = [c for c in columns if not isinstance(c, Column)]
        if odd:
            raise V.fail(func, "columns", "must hold Column objects", V.show(odd))
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "primary_key", _names(self.primary_key, func=func, name="primary_key"))
        fks = V.listlike(self.foreign_keys, func=func, name="foreign_keys")
        if any(not isinstance(f, ForeignKey) for f in fks):
            raise V.fail(func, "foreign_keys", "must hold ForeignKey objects", V.show(fks))
        object.__setattr__(self, "foreign_keys", tuple(fks))
        by_name = {c.name: c for c in self.columns}
        if len(by_name) != len(self.columns):
            names = [c.name for c in self.columns]
            raise V.fail(func, "columns", "must have distinct names",
                         f"repeats of {V.show(sorted({n for n in names if names.count(n) > 1}))} "
                         f"(table {self.name!r})")
        missing = [k for k in self.primary_key if k not in by_name]
        if missing:
            raise V.fail(func, "primary_key", "must name columns of the table",
                         f"{V.show(missing)} (table {self.name!r})")
        for fk in self.foreign_keys:
            absent = [k for k in fk.columns if k not in by_name]
            if absent:
                raise V.fail(func, "foreign_keys", "must name columns of the table",
                             f"{V.show(absent)} (table {self.name!r})")
        _text(self.description, func=func, name="description", empty=True)
        _text(self.description_zh, func=func, name="description_zh", empty=True)
        _role(self, by_name, "borrower_key", ("id",))
        _role(self, by_name, "event_date", ("date", "datetime"))
        _role(self, by_name, "known_at", ("date", "datetime"))
        V.choice(self.category, tuple(DATA_CATEGORIES), func=func, name="category",
                 fix="Pick the PIPL data category of the table (records.DATA_CATEGORIES).")
        object.__setattr__(self, "_by_name", by_name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in canonical order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Parameters
        ----------
        name : str
            A column name of this table.

        Returns
        -------
        Column
            The column's declaration.

        Raises
        ------
        KeyError
            When the table has no column ``name``.
        """
        return self._by_name[name]

    def to_frame(self) -> pd.DataFrame:
        """The schema as a DataFrame, one row per column (for display).

        Returns
        -------
        pandas.DataFrame
            Columns ``column``, ``dtype``, ``nullable``, ``rule`` (in words), ``description``
            and ``description_zh``, one row per column in canonical order.

        Examples
        --------
        >>> from jiebei_credit.records import SCHEMAS
        >>> SCHEMAS["zhima_scores"].to_frame()["column"].tolist()
        ['borrower_id', 'observed_on', 'score']
        """
        return pd.DataFrame(
            {
                "column": [c.name for c in self.columns],
                "dtype": [c.dtype_label() for c in self.columns],
                "nullable": [c.nullable for c in self.columns],
                "rule": [c.rule_text().replace("``", "") for c in self.columns],
                "description": [c.description for c in self.columns],
                "description_zh": [c.description_zh for c in self.columns],
            }
        )
