"""The immutable, validated collection of record tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.records._crosscheck import cross_table_problems
from jiebei_credit.records._tables import SCHEMAS, TABLE_NAMES
from jiebei_credit.records._types import RECORD_TYPES, Record
from jiebei_credit.records._validate import UnknownColumns, check_options, validate_frame

__all__ = ["RecordSet"]

_PANDAS_COW: Final = int(pd.__version__.split(".")[0]) >= 3

_DATE_COLUMN: Final = {
    "credit_line_events": "effective_on",
    "loans": "drawn_on",
    "installments": "due_on",
    "transactions": "occurred_at",
    "zhima_scores": "observed_on",
    "inquiries": "inquired_on",
}


def _protected(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy the caller may change without touching the RecordSet.

    Under pandas 3 copy-on-write a shallow copy is enough (and costs almost
    nothing); older pandas gets a deep copy.
    """
    return frame.copy(deep=not _PANDAS_COW)


class RecordSet:
    """Validated record tables of one portfolio; immutable.

    Build it with :meth:`from_frames` or :meth:`from_records`; both validate
    every table against :data:`SCHEMAS` and the rules that span tables:

    * foreign keys: every row's ``borrower_id`` exists in ``borrowers`` and
      every instalment's ``loan_id`` in ``loans``;
    * each loan has instalments numbered 1, 2, …, n whose due dates increase
      with ``seq`` and fall after ``drawn_on``, whose ``principal_due`` sums to
      the loan's principal within one fen per instalment, and which were not
      paid before ``drawn_on``.

    Only ``borrowers`` is required; any other table may be absent (``None``).
    The table properties return copies, so a caller cannot change the set.
    A RecordSet pickles and copies (``pickle``, ``copy.copy``,
    ``copy.deepcopy``), for instance to send it to a worker process; the
    copy is equal and gives the same results.

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.records import RecordSet
    >>> rs = RecordSet.from_frames(
    ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
    ...                             "industry": ["catering"], "business_registered_on": ["2019-04-01"],
    ...                             "region": ["Zhejiang"]}),
    ...     zhima_scores=pd.DataFrame({"borrower_id": ["b1"], "observed_on": ["2024-01-31"],
    ...                                "score": [702]}))
    >>> rs.tables
    ('borrowers', 'zhima_scores')
    >>> rs.zhima_scores["score"].tolist()
    [702]
    >>> rs.loans is None
    True
    """

    __slots__ = ("_frames",)
    _frames: Mapping[str, pd.DataFrame]

    def __init__(self, *, _frames: Mapping[str, pd.DataFrame]) -> None:
        # Private: use from_frames / from_records, which validate.
        object.__setattr__(self, "_frames", dict(_frames))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"RecordSet is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"RecordSet is immutable; cannot delete {name!r}")

    # ---- pickling and copying ------------------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its (already validated) tables; never through __setattr__.
        return (_restore, (dict(self._frames),))

    def __copy__(self) -> RecordSet:
        return RecordSet(_frames=self._frames)

    def __deepcopy__(self, memo: dict[int, Any]) -> RecordSet:
        return RecordSet(_frames={n: f.copy(deep=True) for n, f in self._frames.items()})

    # ---- construction ------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        *,
        borrowers: pd.DataFrame,
        credit_line_events: pd.DataFrame | None = None,
        loans: pd.DataFrame | None = None,
        installments: pd.DataFrame | None = None,
        transactions: pd.DataFrame | None = None,
        zhima_scores: pd.DataFrame | None = None,
        inquiries: pd.DataFrame | None = None,
        unknown_columns: UnknownColumns = "raise",
        date_format: str | None = None,
    ) -> RecordSet:
        """Validate the tables and the rules between them.

        Parameters
        ----------
        borrowers : pandas.DataFrame
            Required.
        credit_line_events, loans, installments : pandas.DataFrame, optional
            Absent tables are ``None``; ``installments`` needs ``loans``.
        transactions, zhima_scores, inquiries : pandas.DataFrame, optional
            Absent tables are ``None``.
        unknown_columns : {"raise", "keep", "drop"}, default "raise"
            Passed to :func:`validate` for every table.
        date_format : str, optional
            Passed to :func:`validate` for every table: the ``strftime``
            format of date strings (ISO 8601 when not given).

        Returns
        -------
        RecordSet

        Raises
        ------
        SchemaError
            With every problem of every table and every cross-table rule.
            Cross-table rules are checked among the tables that are valid on
            their own (a table that has problems of its own is reported for
            those, not as absent).
        InvalidInputError
            When ``borrowers`` is missing (``None``), a table is not a
            DataFrame, or an option is invalid.
        """
        func = "RecordSet.from_frames"
        given = {
            "borrowers": borrowers,
            "credit_line_events": credit_line_events,
            "loans": loans,
            "installments": installments,
            "transactions": transactions,
            "zhima_scores": zhima_scores,
            "inquiries": inquiries,
        }
        unknown, fmt = check_options(unknown_columns, date_format, func=func)
        if borrowers is None:
            raise V.fail(func, "borrowers", "is required (every other table refers to it)", "None",
                         "Pass the borrowers table.")
        for name in TABLE_NAMES:
            frame = given[name]
            if frame is not None and not isinstance(frame, pd.DataFrame):
                raise V.fail(func, name, "must be a pandas DataFrame or None", f"a {type(frame).__name__}")
        frames: dict[str, pd.DataFrame] = {}
        problems: list[Problem] = []
        clean: set[str] = set()
        for name in TABLE_NAMES:
            frame = given[name]
            if frame is None:
                continue
            out, found = validate_frame(SCHEMAS[name], frame, unknown, fmt)
            problems += found
            frames[name] = out
            if not found:
                clean.add(name)
        problems += cross_table_problems(frames, clean)
        if problems:
            raise SchemaError(problems, context=func)
        return cls(_frames=frames)

    @classmethod
    def from_records(
        cls,
        *,
        borrowers: Iterable[Record],
        credit_line_events: Iterable[Record] | None = None,
        loans: Iterable[Record] | None = None,
        installments: Iterable[Record] | None = None,
        transactions: Iterable[Record] | None = None,
        zhima_scores: Iterable[Record] | None = None,
        inquiries: Iterable[Record] | None = None,
    ) -> RecordSet:
        """Build a RecordSet from typed records (see :class:`Loan` and friends).

        Each argument takes records of its table's type; the result equals
        ``from_frames`` on frames made of the records' ``to_row()`` dicts.

        Raises
        ------
        InvalidInputError
            When ``borrowers`` is missing (``None``), an argument is not an
            iterable of records, or an item is not a record of the table's
            type.
        SchemaError
            When a cross-row or cross-table rule fails (duplicate keys,
            foreign keys, schedules).
        """
        given = {
            "borrowers": borrowers,
            "credit_line_events": credit_line_events,
            "loans": loans,
            "installments": installments,
            "transactions": transactions,
            "zhima_scores": zhima_scores,
            "inquiries": inquiries,
        }
        func = "RecordSet.from_records"
        if borrowers is None:
            raise V.fail(func, "borrowers", "is required (every other table refers to it)", "None",
                         "Pass the borrower records.")
        frames: dict[str, pd.DataFrame | None] = {}
        for name, items in given.items():
            if items is None:
                frames[name] = None
                continue
            kind = RECORD_TYPES[name]
            given_items: object = items
            if isinstance(given_items, pd.DataFrame):
                raise V.fail(func, name, f"must be an iterable of {kind.__name__} records or None",
                             "a DataFrame", "Use RecordSet.from_frames for DataFrames.")
            if isinstance(given_items, str | bytes | Mapping) or not isinstance(given_items, Iterable):
                raise V.fail(func, name, f"must be an iterable of {kind.__name__} records or None",
                             f"a {type(given_items).__name__}")
            rows = []
            for i, rec in enumerate(items):
                if not isinstance(rec, kind):
                    raise V.fail(func, f"{name}[{i}]", f"must be a {kind.__name__}",
                                 f"a {type(rec).__name__}")
                rows.append(rec.to_row())
            columns = list(SCHEMAS[name].column_names)
            frames[name] = pd.DataFrame(rows, columns=columns) if rows else _empty_frame(columns)
        borrowers_frame = frames["borrowers"]
        if borrowers_frame is None:  # pragma: no cover - checked above
            raise V.fail(func, "borrowers", "is required", "None")
        return cls.from_frames(
            borrowers=borrowers_frame,
            credit_line_events=frames["credit_line_events"],
            loans=frames["loans"],
            installments=frames["installments"],
            transactions=frames["transactions"],
            zhima_scores=frames["zhima_scores"],
            inquiries=frames["inquiries"],
        )

    @classmethod
    def _from_normalised(cls, frames: Mapping[str, pd.DataFrame]) -> RecordSet:
        """Wrap frames that are valid by construction, checking only their shape.

        Library-internal (the synthetic generator builds millions of rows that
        are valid by construction; its tests run the full validation). Columns
        must be exactly the schema's, in order, with the normalised dtypes.
        """
        for name, frame in frames.items():
            schema = SCHEMAS[name]
            got = [(str(c), str(t)) for c, t in frame.dtypes.items()]
            want = [(c.name, c.dtype_label()) for c in schema.columns]
            if [g[0] for g in got] != [w[0] for w in want] or any(
                g[1] != w[1] and not (w[1] == "category" and g[1] == "category")
                for g, w in zip(got, want, strict=True)
            ):
                raise InvalidInputError(f"RecordSet: table {name!r} is not normalised: {got} != {want}")
        if "borrowers" not in frames:
            raise InvalidInputError("RecordSet: borrowers is required")
        return cls(_frames=frames)

    # ---- access ------------------------------------------------------------
    @property
    def tables(self) -> tuple[str, ...]:
        """Names of the tables present, in :data:`TABLE_NAMES` order."""
        return tuple(n for n in TABLE_NAMES if n in self._frames)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._frames

    def __getitem__(self, name: str) -> pd.DataFrame:
        """A copy of table ``name``; KeyError when it is absent."""
        if not isinstance(name, str):
            raise V.fail("RecordSet[...]", "table", "must be a table name (a string)", V.show([name]),
                         f"Use one of {', '.join(map(repr, self.tables))}.")
        if name not in self._frames:
            raise KeyError(f"table {name!r} is not in this RecordSet (present: {', '.join(self.tables)})")
        return _protected(self._frames[name])

    def _get(self, name: str) -> pd.DataFrame | None:
        frame = self._frames.get(name)
        return None if frame is None else _protected(frame)

    def _shared(self, name: str) -> pd.DataFrame | None:
        """The stored table itself, without a copy, or None when absent.

        Library-internal, for code that only reads (feature extraction on
        millions of rows): the frame must never be modified.
        """
        return self._frames.get(name)

    @property
    def borrowers(self) -> pd.DataFrame:
        """Borrowers (always present)."""
        return _protected(self._frames["borrowers"])

    @property
    def credit_line_events(self) -> pd.DataFrame | None:
        """Credit-line events, or None when absent."""
        return self._get("credit_line_events")

    @property
    def loans(self) -> pd.DataFrame | None:
        """Loans (drawdowns), or None when absent."""
        return self._get("loans")

    @property
    def installments(self) -> pd.DataFrame | None:
        """Instalments, or None when absent."""
        return self._get("installments")

    @property
    def transactions(self) -> pd.DataFrame | None:
        """Merchant transactions, or None when absent."""
        return self._get("transactions")

    @property
    def zhima_scores(self) -> pd.DataFrame | None:
        """Zhima score snapshots, or None when absent."""
        return self._get("zhima_scores")

    @property
    def inquiries(self) -> pd.DataFrame | None:
        """Credit inquiries, or None when absent."""
        return self._get("inquiries")

    # ---- derived sets --------------------------------------------------------
    def replace(self, **frames: pd.DataFrame | None) -> RecordSet:
        """A new, fully validated RecordSet with some tables replaced or removed.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> rs = RecordSet.from_frames(borrowers=pd.DataFrame(
        ...     {"borrower_id": ["b1"], "business_type": ["unregistered"], "industry": [None],
        ...      "business_registered_on": [None], "region": [None]}))
        >>> rs.replace(inquiries=pd.DataFrame({"inquiry_id": ["q1"], "borrower_id": ["b1"],
        ...     "inquired_on": ["2024-05-01"], "institution_type": ["bank"]})).tables
        ('borrowers', 'inquiries')
        """
        func = "RecordSet.replace"
        unknown = [k for k in frames if k not in SCHEMAS]
        if unknown:
            raise V.fail(func, "tables", f"must be among {', '.join(map(repr, TABLE_NAMES))}",
                         f"unknown tables {V.show(unknown)}")
        for name, frame in frames.items():
            if frame is not None and not isinstance(frame, pd.DataFrame):
                raise V.fail(func, name, "must be a pandas DataFrame or None", f"a {type(frame).__name__}")
        merged: dict[str, Any] = {n: self._frames.get(n) for n in TABLE_NAMES}
        merged.update(frames)
        if merged["borrowers"] is None:
            raise V.fail(func, "borrowers", "cannot be removed", "None", "Every other table refers to it.")
        return RecordSet.from_frames(**merged)

    def subset(self, borrower_ids: Iterable[str]) -> RecordSet:
        """The records of the given borrowers only (their loans' instalments included).

        ``borrower_ids`` is a list, tuple, array, Index or Series of
        identifiers (strings, or whole numbers read as their decimal text).
        Unknown identifiers raise :class:`InvalidInputError`.
        """
        func = "RecordSet.subset"
        if isinstance(borrower_ids, set | frozenset):
            borrower_ids = sorted(borrower_ids, key=str)
        items = V.listlike(borrower_ids, func=func, name="borrower_ids")
        parsed = V.ids(pd.Series(items, dtype=object), func=func, name="borrower_ids")
        ids = pd.Index(parsed).unique()
        known = self._frames["borrowers"]["borrower_id"]
        missing = ids[~ids.isin(known)]
        if len(missing):
            raise V.fail(func, "borrower_ids", "must be borrowers of this RecordSet",
                         f"{len(missing)} unknown borrower_id{'s' if len(missing) != 1 else ''} "
                         f"({V.show(list(missing), len(missing))})")
        out: dict[str, pd.DataFrame] = {}
        loan_ids: pd.Series | None = None
        for name, frame in self._frames.items():
            if name == "installments":
                continue
            keep = np.asarray(frame["borrower_id"].isin(ids), dtype=bool)
            out[name] = frame.loc[keep].copy()
            if name == "loans":
                loan_ids = out[name]["loan_id"]
        if "installments" in self._frames and loan_ids is not None:
            inst = self._frames["installments"]
            out["installments"] = inst.loc[np.asarray(inst["loan_id"].isin(loan_ids), dtype=bool)].copy()
        return RecordSet(_frames=out)

    # ---- comparison and display --------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecordSet):
            return NotImplemented
        if self.tables != other.tables:
            return False
        return all(self._frames[n].equals(other._frames[n]) for n in self.tables)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = ", ".join(f"{n}={len(self._frames[n]):,}" for n in self.tables)
        return f"RecordSet({parts})"

    def summary(self) -> pd.DataFrame:
        """Rows, borrowers covered and date range of each table present.

        Returns
        -------
        pandas.DataFrame
            Indexed by table name, with columns ``rows``, ``borrowers``,
            ``first`` and ``last`` (dates; NaT for ``borrowers``).
        """
        loans = self._frames.get("loans")
        rows = []
        for name in self.tables:
            frame = self._frames[name]
            if "borrower_id" in frame:
                who = frame["borrower_id"].nunique()
            elif loans is not None:
                who = loans.loc[loans["loan_id"].isin(frame["loan_id"]), "borrower_id"].nunique()
            else:  # pragma: no cover - installments always come with loans
                who = 0
            col = _DATE_COLUMN.get(name)
            first = frame[col].min() if col else pd.NaT
            last = frame[col].max() if col else pd.NaT
            rows.append({"table": name, "rows": len(frame), "borrowers": who, "first": first, "last": last})
        return pd.DataFrame(rows).set_index("table")


def _empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _restore(frames: dict[str, pd.DataFrame]) -> RecordSet:
    """Unpickle a RecordSet from its tables (see ``RecordSet.__reduce__``)."""
    return RecordSet(_frames=frames)
