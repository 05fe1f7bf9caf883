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

import pandas as pd

__all__ = ["Column", "ColumnKind", "ForeignKey", "TableSchema"]

ColumnKind = Literal["id", "text", "category", "date", "datetime", "float", "int"]

#: Plausible calendar range for every date column (inclusive).
DATE_MIN = pd.Timestamp("1950-01-01")
DATE_MAX = pd.Timestamp("2100-12-31 23:59:59.999999")

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
        if (self.kind == "category") != (self.enum is not None):
            raise ValueError(f"column {self.name!r}: an enum is required exactly for category columns")
        if (self.minimum is not None or self.maximum is not None) and self.kind not in ("float", "int"):
            raise ValueError(f"column {self.name!r}: a range needs a numeric column")

    # ---- wording of each rule (one place) ----------------------------------
    @property
    def allowed(self) -> tuple[str, ...]:
        """Allowed values of a category column, in declaration order."""
        return tuple(m.value for m in self.enum) if self.enum is not None else ()

    def dtype_label(self) -> str:
        """The pandas dtype of the normalised column."""
        return _DTYPE_LABEL[self.kind]

    def range_text(self) -> str | None:
        """The numeric range as ``a ≤ value < b``, or None when unbounded."""
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
        """All rules of the column in words, as shown in the documentation."""
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
        return f"cannot be read as {_KIND_LABEL[self.kind]}"

    def msg_required(self) -> str:
        return "is required (must not be missing)"

    def msg_finite(self) -> str:
        return "must be finite (not ±inf); use NaN for unknown values where the column allows it"

    def msg_integral(self) -> str:
        return "must be a whole number"

    def msg_range(self) -> str:
        return f"must satisfy {self.range_text()}"

    def msg_allowed(self) -> str:
        return "must be one of: " + ", ".join(self.allowed)

    def msg_time_of_day(self) -> str:
        return "must be a date without time of day (use .dt.normalize() if the time is irrelevant)"

    def msg_date_range(self) -> str:
        return f"must be a plausible date between {DATE_MIN.date()} and {DATE_MAX.date()}"

    def msg_empty(self) -> str:
        return "must not be an empty string"

    # ---- scalar evaluation (record construction) ---------------------------
    def check_scalar(self, value: Any) -> str | None:
        """Return the rule ``value`` breaks, or None when it is valid.

        ``value`` must already have the record field's Python type (``str``,
        the enum, :class:`datetime.date`, :class:`datetime.datetime`,
        ``float`` or ``int``) or be ``None``.
        """
        if value is None:
            return None if self.nullable else self.msg_required()
        if self.kind in ("id", "text"):
            if not isinstance(value, str):
                return self.msg_coerce()
            return self.msg_empty() if (self.kind == "id" and value == "") else None
        if self.kind == "category":
            return None if value in self.allowed else self.msg_allowed()
        if self.kind in ("date", "datetime"):
            if not isinstance(value, dt.date):
                return self.msg_coerce()
            if self.kind == "date" and isinstance(value, dt.datetime):
                return self.msg_coerce()
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                return self.msg_coerce()
            ts = pd.Timestamp(value)
            return None if DATE_MIN <= ts <= DATE_MAX else self.msg_date_range()
        # numeric
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.msg_coerce()
        if math.isnan(value):
            return None if self.nullable else self.msg_required()
        if math.isinf(value):
            return self.msg_finite()
        if self.kind == "int" and not float(value).is_integer():
            return self.msg_integral()
        return None if self.in_range_scalar(float(value)) else self.msg_range()

    def in_range_scalar(self, x: float) -> bool:
        if self.minimum is not None and (x <= self.minimum if self.exclusive_minimum else x < self.minimum):
            return False
        return not (
            self.maximum is not None and (x >= self.maximum if self.exclusive_maximum else x > self.maximum)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ForeignKey:
    """Columns of one table that must exist as a key of another table."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TableSchema:
    """The schema of one record table.

    Parameters
    ----------
    name : str
        Table name (a key of :data:`SCHEMAS`).
    columns : tuple of Column
        Columns in canonical order.
    primary_key : tuple of str
        Columns that identify a row; duplicates are errors.
    foreign_keys : tuple of ForeignKey
        References checked by :class:`RecordSet`.
    description, description_zh : str
        One row per what, in English and Chinese.
    """

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    description: str
    description_zh: str
    _by_name: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {c.name: c for c in self.columns}
        if len(by_name) != len(self.columns):
            raise ValueError(f"table {self.name!r}: duplicate column names")
        missing = [k for k in self.primary_key if k not in by_name]
        if missing:
            raise ValueError(f"table {self.name!r}: primary key columns {missing} are not columns")
        object.__setattr__(self, "_by_name", by_name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in canonical order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError when there is none)."""
        return self._by_name[name]

    def to_frame(self) -> pd.DataFrame:
        """The schema as a DataFrame, one row per column (for display).

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
