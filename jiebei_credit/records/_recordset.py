"""The immutable, validated collection of record tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.records._crosscheck import cross_table_problems, present_in, references
from jiebei_credit.records._schema import TableSchema
from jiebei_credit.records._tables import SCHEMAS, TABLE_NAMES
from jiebei_credit.records._types import RECORD_TYPES, Record
from jiebei_credit.records._validate import UnknownColumns, check_options, validate_frame

__all__ = ["RecordSet"]

_PANDAS_COW: Final = int(pd.__version__.split(".")[0]) >= 3

#: The date summarised for tables without an event date of their own.
_SUMMARY_DATE: Final = {"installments": "due_on"}

#: A user table: its schema and its frame.
UserTable = tuple[TableSchema, pd.DataFrame]


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

    A lender's own tables (*user tables*: VAT invoices, utility bills, court
    records, ...) join the set through :meth:`with_table` or the ``extra``
    argument of :meth:`from_frames`, each with its :class:`TableSchema`.
    They are validated by the same validator with the same messages, their
    ``borrower_key`` must reference ``borrowers``, and every row must be
    known no earlier than its event (``known_at >= event_date``). Indexing,
    :attr:`tables`, ``in``, :meth:`replace`, :meth:`subset`, :meth:`summary`,
    equality, pickling and copying cover them like the built-in tables, and
    :meth:`schema` returns the schema of any table in the set.
    A RecordSet pickles and copies (``pickle``, ``copy.copy``,
    ``copy.deepcopy``), for instance to send it to a worker process; the
    copy is equal and gives the same results.

    Parameters
    ----------
    _frames : mapping of str to pandas.DataFrame
        Private: the validated tables by name. Build a set with
        :meth:`from_frames`, :meth:`from_records` or :meth:`with_table`,
        which validate; the constructor does not.
    _schemas : mapping of str to TableSchema, optional
        Private: the schemas of the user tables among ``_frames``.

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

    __slots__ = ("_frames", "_schemas")
    _frames: Mapping[str, pd.DataFrame]
    _schemas: Mapping[str, TableSchema]  # user tables only

    def __init__(
        self, *, _frames: Mapping[str, pd.DataFrame], _schemas: Mapping[str, TableSchema] | None = None
    ) -> None:
        # Private: use from_frames / from_records / with_table, which validate.
        object.__setattr__(self, "_frames", dict(_frames))
        object.__setattr__(self, "_schemas", dict(_schemas or {}))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"RecordSet is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"RecordSet is immutable; cannot delete {name!r}")

    # ---- pickling and copying ------------------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its (already validated) tables; never through __setattr__.
        return (_restore, (dict(self._frames), dict(self._schemas)))

    def __copy__(self) -> RecordSet:
        return RecordSet(_frames=self._frames, _schemas=self._schemas)

    def __deepcopy__(self, memo: dict[int, Any]) -> RecordSet:
        # Schemas are frozen (immutable): shared, not copied.
        frames = {n: f.copy(deep=True) for n, f in self._frames.items()}
        return RecordSet(_frames=frames, _schemas=self._schemas)

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
        extra: Mapping[str, UserTable] | None = None,
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
        extra : mapping of str to (TableSchema, pandas.DataFrame), optional
            User tables, keyed by table name: each key equals its schema's
            ``name`` and is not a built-in table name; the schema sets
            ``borrower_key`` and ``known_at``. Validated like the built-in
            tables (same validator, options and messages), plus their
            foreign keys and the knowledge-time rule
            ``known_at >= event_date`` row by row.

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
            DataFrame, an option is invalid, or ``extra`` is not a mapping of
            user table names to ``(TableSchema, DataFrame)`` pairs as above.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import Column, RecordSet, TableSchema
        >>> court = TableSchema(
        ...     name="court_cases", primary_key=("case_id",), borrower_key="borrower_id",
        ...     event_date="filed_on", known_at="published_on", category="public_records",
        ...     description="Court cases naming the borrower.", description_zh="涉诉记录",
        ...     columns=(Column(name="case_id", kind="id", description="Case.", description_zh="案号"),
        ...              Column(name="borrower_id", kind="id", description="Borrower.",
        ...                     description_zh="借款人"),
        ...              Column(name="filed_on", kind="date", description="Filed.",
        ...                     description_zh="立案日期"),
        ...              Column(name="published_on", kind="date", description="Published.",
        ...                     description_zh="公开日期")))
        >>> borrowers = pd.DataFrame({"borrower_id": ["b1"], "business_type": ["unregistered"],
        ...     "industry": [None], "business_registered_on": [None], "region": [None]})
        >>> cases = pd.DataFrame({"case_id": ["c1"], "borrower_id": ["b1"], "filed_on": ["2024-03-01"],
        ...                       "published_on": ["2024-02-20"]})
        >>> RecordSet.from_frames(borrowers=borrowers, extra={"court_cases": (court, cases)})
        Traceback (most recent call last):
        ...
        jiebei_credit.errors.SchemaError: RecordSet.from_frames: 1 schema problem:
          court_cases.published_on row 0: value Timestamp('2024-02-20 00:00:00'): knowledge time must ...
        >>> rs = RecordSet.from_frames(borrowers=borrowers,
        ...     extra={"court_cases": (court, cases.assign(published_on=["2024-04-02"]))})
        >>> rs.tables, rs.schema("court_cases").known_at
        (('borrowers', 'court_cases'), 'published_on')
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
        user = _check_extra(extra, func=func)
        frames: dict[str, pd.DataFrame] = {}
        problems: list[Problem] = []
        clean: set[str] = set()
        work = [(SCHEMAS[n], given[n]) for n in TABLE_NAMES] + [user[n] for n in sorted(user)]
        for schema, frame in work:
            if frame is None:
                continue
            out, found = validate_frame(schema, frame, unknown, fmt)
            problems += found
            frames[schema.name] = out
            if not found:
                clean.add(schema.name)
        schemas = {n: schema for n, (schema, _) in user.items()}
        problems += cross_table_problems(frames, clean, schemas)
        if problems:
            raise SchemaError(problems, context=func)
        return cls(_frames=frames, _schemas=schemas)

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
        extra: Mapping[str, UserTable] | None = None,
    ) -> RecordSet:
        """Build a RecordSet from typed records (see :class:`Loan` and friends).

        Each argument takes records of its table's type; the result equals
        ``from_frames`` on frames made of the records' ``to_row()`` dicts.
        User tables have no record type: ``extra`` takes
        ``{name: (TableSchema, DataFrame)}`` as in :meth:`from_frames`.

        Parameters
        ----------
        borrowers : iterable of Borrower
            Required.
        credit_line_events : iterable of CreditLineEvent, optional
            Absent tables are ``None`` (an empty iterable gives an empty table).
        loans : iterable of Loan, optional
            Drawdowns.
        installments : iterable of Installment, optional
            Instalments; needs ``loans``.
        transactions : iterable of Transaction, optional
            Merchant-account flows.
        zhima_scores : iterable of ZhimaScore, optional
            Zhima score snapshots.
        inquiries : iterable of Inquiry, optional
            Credit inquiries.
        extra : mapping of str to (TableSchema, pandas.DataFrame), optional
            User tables, as for :meth:`from_frames`.

        Returns
        -------
        RecordSet
            The validated set; equal to ``from_frames`` on the records' rows.

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
        _check_extra(extra, func=func)
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
            extra=extra,
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
        """Names of the tables present: built-ins in :data:`TABLE_NAMES` order, then user tables by name."""
        return tuple(n for n in TABLE_NAMES if n in self._frames) + tuple(sorted(self._schemas))

    @property
    def user_tables(self) -> tuple[str, ...]:
        """Names of the user tables present, sorted."""
        return tuple(sorted(self._schemas))

    def schema(self, name: str) -> TableSchema:
        """The :class:`TableSchema` of table ``name`` of this set, built-in or user.

        Parameters
        ----------
        name : str
            A table of this set (see :attr:`tables`).

        Returns
        -------
        TableSchema
            The built-in schema from :data:`SCHEMAS`, or the user table's own.

        Raises
        ------
        InvalidInputError
            When ``name`` is not a table of this set.
        """
        if isinstance(name, str) and name in self._schemas:
            return self._schemas[name]
        if isinstance(name, str) and name in self._frames:
            return SCHEMAS[name]
        raise V.fail("RecordSet.schema", "name", "must be a table of this RecordSet",
                     V.show([name]), f"Use one of {', '.join(map(repr, self.tables))}.")

    @property
    def schemas(self) -> Mapping[str, TableSchema]:
        """The schema of every table present, in :attr:`tables` order (read-only)."""
        return MappingProxyType({n: self.schema(n) for n in self.tables})

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

        Parameters
        ----------
        **frames : pandas.DataFrame or None
            Table name (built-in or a user table of this set) to its new frame, or to ``None``
            to remove the table. Tables not named keep their current frames.

        Returns
        -------
        RecordSet
            A new set, validated again as by :meth:`from_frames`; this one is unchanged.

        Raises
        ------
        InvalidInputError
            When a name is not a table of this set, a value is neither a DataFrame nor None,
            or ``borrowers`` would be removed.
        SchemaError
            When the resulting tables break a table or cross-table rule.

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
        names = (*TABLE_NAMES, *self.user_tables)
        unknown = [k for k in frames if k not in names]
        if unknown:
            raise V.fail(func, "tables", f"must be among {', '.join(map(repr, names))}",
                         f"unknown tables {V.show(unknown)}",
                         "Add a user table with with_table(schema, frame).")
        for name, frame in frames.items():
            if frame is not None and not isinstance(frame, pd.DataFrame):
                raise V.fail(func, name, "must be a pandas DataFrame or None", f"a {type(frame).__name__}")
        merged: dict[str, Any] = {n: self._frames.get(n) for n in names}
        merged.update(frames)
        if merged["borrowers"] is None:
            raise V.fail(func, "borrowers", "cannot be removed", "None", "Every other table refers to it.")
        extra = {n: (self._schemas[n], merged.pop(n)) for n in self.user_tables}
        return RecordSet.from_frames(
            **merged, extra={n: pair for n, pair in extra.items() if pair[1] is not None}
        )

    def with_table(
        self,
        schema: TableSchema,
        frame: pd.DataFrame,
        *,
        unknown_columns: UnknownColumns = "raise",
        date_format: str | None = None,
    ) -> RecordSet:
        """A new RecordSet with a user table added (or a user table of the same name replaced).

        Parameters
        ----------
        schema : TableSchema
            The table's schema: a name that is not a built-in table's, a
            ``borrower_key`` and a ``known_at`` column.
        frame : pandas.DataFrame
            The table. Never modified.
        unknown_columns : {"raise", "keep", "drop"}, default "raise"
            What to do with columns the schema does not declare, as for :func:`validate`.
        date_format : str, optional
            The ``strftime`` format of date strings (ISO 8601 when not given), as for
            :func:`validate`.

        Returns
        -------
        RecordSet
            This set's tables (unchanged, not validated again) plus the new
            one, normalised.

        Raises
        ------
        SchemaError
            When the frame breaks its schema (exactly as :func:`validate`
            reports for a built-in table), a row's ``borrower_key`` is not a
            borrower of this set, a foreign key points nowhere, or a row is
            known before its event (``known_at < event_date``).
        InvalidInputError
            When ``schema`` is not a TableSchema fit for a user table or
            ``frame`` is not a DataFrame.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import Column, RecordSet, TableSchema
        >>> rs = RecordSet.from_frames(borrowers=pd.DataFrame({"borrower_id": ["b1"],
        ...     "business_type": ["unregistered"], "industry": [None], "business_registered_on": [None],
        ...     "region": [None]}))
        >>> rent = TableSchema(name="rent", primary_key=("borrower_id", "month"), borrower_key="borrower_id",
        ...     event_date="month", known_at="reported_on", category="utility_payments",
        ...     description="Monthly rent.", description_zh="月租金",
        ...     columns=(Column(name="borrower_id", kind="id", description="", description_zh=""),
        ...              Column(name="month", kind="date", description="", description_zh=""),
        ...              Column(name="reported_on", kind="date", description="", description_zh=""),
        ...              Column(name="paid", kind="float", minimum=0, description="", description_zh="")))
        >>> rs2 = rs.with_table(rent, pd.DataFrame({"borrower_id": ["b1"], "month": ["2024-01-01"],
        ...                                         "reported_on": ["2024-02-10"], "paid": [3000]}))
        >>> rs2.tables, "rent" in rs, rs2["rent"]["paid"].tolist()
        (('borrowers', 'rent'), False, [3000.0])
        """
        func = "RecordSet.with_table"
        if not isinstance(schema, TableSchema):
            raise V.fail(func, "schema", "must be a jiebei_credit.records.TableSchema",
                         f"a {type(schema).__name__}")
        if not isinstance(frame, pd.DataFrame):
            raise V.fail(func, "frame", "must be a pandas DataFrame", f"a {type(frame).__name__}")
        unknown, fmt = check_options(unknown_columns, date_format, func=func)
        name = schema.name
        others = {n: s for n, s in self._schemas.items() if n != name}
        _check_user_schema(schema, func=func, param="schema", names={*TABLE_NAMES, *others, name},
                           lookup={**SCHEMAS, **others, name: schema})
        out, problems = validate_frame(schema, frame, unknown, fmt)
        frames = {**self._frames, name: out}
        schemas = {**others, name: schema}
        clean = set(self._frames) - {name} | (set() if problems else {name})
        # Only the new table's references, and references to it, can break.
        touched = {name} | {n for n, s in others.items() if any(fk.ref_table == name for fk in references(s))}
        problems += cross_table_problems(frames, clean, schemas, only=touched)
        if problems:
            raise SchemaError(problems, context=func)
        return RecordSet(_frames=frames, _schemas=schemas)

    def subset(self, borrower_ids: Iterable[str]) -> RecordSet:
        """The records of the given borrowers only (their loans' instalments included).

        ``borrower_ids`` is a list, tuple, array, Index or Series of
        identifiers (strings, or whole numbers read as their decimal text).
        Unknown identifiers raise :class:`InvalidInputError`.

        Parameters
        ----------
        borrower_ids : iterable of str
            Borrowers of this set (a set is read in sorted order).

        Returns
        -------
        RecordSet
            Every table restricted to those borrowers' rows (instalments through their
            loans), user tables included.

        Raises
        ------
        InvalidInputError
            When ``borrower_ids`` is not list-like, holds an invalid identifier or names
            a borrower not in this set.
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
            key = self.schema(name).borrower_key or "borrower_id"
            keep = np.asarray(frame[key].isin(ids), dtype=bool)
            out[name] = frame.loc[keep].copy()
            if name == "loans":
                loan_ids = out[name]["loan_id"]
        if "installments" in self._frames and loan_ids is not None:
            inst = self._frames["installments"]
            out["installments"] = inst.loc[np.asarray(inst["loan_id"].isin(loan_ids), dtype=bool)].copy()
        # A user row that references another table's row (a loan, an invoice) of a borrower left
        # out goes too; repeated until no reference breaks (chains of user tables).
        changed = True
        while changed:
            changed = False
            for name in self.user_tables:
                for fk in references(self._schemas[name]):
                    parent = out.get(fk.ref_table)
                    if parent is None or fk.ref_table == "borrowers":
                        continue
                    keep = present_in(out[name], fk.columns, parent, fk.ref_columns)
                    if not keep.all():
                        out[name] = out[name].loc[keep]
                        changed = True
        return RecordSet(_frames=out, _schemas=self._schemas)

    # ---- comparison and display --------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecordSet):
            return NotImplemented
        if self.tables != other.tables or self._schemas != other._schemas:
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
            ``first`` and ``last`` (the range of the table's event date,
            due dates for ``installments``; NaT for ``borrowers`` and for a
            user table without an event date).
        """
        loans = self._frames.get("loans")
        rows = []
        for name in self.tables:
            frame = self._frames[name]
            schema = self.schema(name)
            key = schema.borrower_key or ("borrower_id" if name == "borrowers" else None)
            if key is not None:
                who = frame[key].nunique()
            elif loans is not None:
                who = loans.loc[loans["loan_id"].isin(frame["loan_id"]), "borrower_id"].nunique()
            else:  # pragma: no cover - installments always come with loans
                who = 0
            col = schema.event_date or _SUMMARY_DATE.get(name)
            first = frame[col].min() if col else pd.NaT
            last = frame[col].max() if col else pd.NaT
            rows.append({"table": name, "rows": len(frame), "borrowers": who, "first": first, "last": last})
        return pd.DataFrame(rows).set_index("table")


def _empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _restore(
    frames: dict[str, pd.DataFrame], schemas: dict[str, TableSchema] | None = None
) -> RecordSet:
    """Unpickle a RecordSet from its tables and user schemas (see ``RecordSet.__reduce__``)."""
    return RecordSet(_frames=frames, _schemas=schemas)


def _check_user_schema(
    schema: TableSchema, *, func: str, param: str, names: set[str], lookup: Mapping[str, TableSchema]
) -> None:
    """The rules a user table's schema must meet beyond :class:`TableSchema`'s own."""
    name = schema.name
    if name in SCHEMAS:
        raise V.fail(func, param, "may not reuse a built-in table name", repr(name),
                     "Name the table differently, e.g. 'my_' + name.")
    if schema.borrower_key is None:
        raise V.fail(func, param, f"of user table {name!r} must set borrower_key (the column holding "
                     "borrowers.borrower_id)", "borrower_key=None", "Set TableSchema(borrower_key=...).")
    if schema.known_at is None:
        raise V.fail(func, param, f"of user table {name!r} must set known_at (the knowledge-time column: "
                     "when a row becomes known to the lender)", "known_at=None",
                     "Set TableSchema(known_at=...); use the event date if rows are known when they happen.")
    for fk in references(schema):
        if fk.ref_table not in names:
            raise V.fail(func, param, f"of user table {name!r} has a foreign key to an unknown table",
                         repr(fk.ref_table), f"Reference one of {', '.join(map(repr, sorted(names)))}.")
        ref = lookup.get(fk.ref_table)
        absent = [c for c in fk.ref_columns if ref is not None and c not in ref.column_names]
        if absent:
            raise V.fail(func, param, f"of user table {name!r} has a foreign key to columns that "
                         f"{fk.ref_table!r} lacks", V.show(absent), "Fix ForeignKey.ref_columns.")


def _check_extra(extra: object, *, func: str) -> dict[str, UserTable]:
    """``extra`` of from_frames: ``{name: (TableSchema, DataFrame)}`` for user tables, checked."""
    if extra is None:
        return {}
    items = V.mapping(extra, func=func, name="extra")
    out: dict[str, UserTable] = {}
    for key, value in items.items():
        where = f"extra[{key!r}]"
        if not isinstance(key, str) or not key:
            raise V.fail(func, "extra", "must be keyed by table names (non-empty strings)", repr(key))
        if (not isinstance(value, tuple | list) or len(value) != 2
                or not isinstance(value[0], TableSchema) or not isinstance(value[1], pd.DataFrame)):
            raise V.fail(func, where, "must be a (TableSchema, DataFrame) pair",
                         f"a {type(value).__name__}" if not isinstance(value, tuple | list)
                         else f"({', '.join(type(v).__name__ for v in value)})",
                         "Pass extra={name: (schema, frame)}.")
        schema, frame = value
        if schema.name != key:
            raise V.fail(func, where, "must hold the schema of the table it is keyed by",
                         f"a schema named {schema.name!r}",
                         f"Key it by {schema.name!r} or rename the schema.")
        out[key] = (schema, frame)
    names = {*TABLE_NAMES, *out}
    lookup = {**SCHEMAS, **{n: s for n, (s, _) in out.items()}}
    for key, (schema, _) in out.items():
        _check_user_schema(schema, func=func, param=f"extra[{key!r}]", names=names, lookup=lookup)
    return out
