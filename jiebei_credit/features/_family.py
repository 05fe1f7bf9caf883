"""Feature families as data: :class:`FeatureFamily` and the point-in-time view it computes on.

A family declares the tables it reads and one :class:`FeatureSpec` per
feature, and a compute function from a :class:`PointInTimeView` to one array
per feature. The view hands out reductions over each observation's
borrower's rows known before ``as_of`` (windowed sums, counts, last value,
min / max, trend, days since the last event), never the rows themselves,
so a family written against it cannot see the future.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._keys import order_by, positions
from jiebei_credit._types import Sample
from jiebei_credit.features._catalog import FeatureSpec
from jiebei_credit.features._context import Context
from jiebei_credit.features._kernels import (
    BLOCK_DAYS,
    NEVER,
    FloatArray,
    IntArray,
    Timeline,
    day_numbers,
    expand,
    range_reduce,
)
from jiebei_credit.features._pairs import PAIR_BUDGET, Pairs, run_pairs
from jiebei_credit.features._steps import StepSeries, step_series
from jiebei_credit.records import SCHEMAS

__all__ = ["EVENT_DATE", "REVEALED", "FeatureFamily", "PointInTimeView", "Segments"]

#: The event-date column of each built-in event table a family may read through the view (its
#: ``TableSchema.event_date``, which is also its knowledge time ``known_at``).
EVENT_DATE: Final[Mapping[str, str]] = MappingProxyType(
    {name: s.event_date for name, s in SCHEMAS.items() if s.event_date is not None}
)

#: Date columns of a built-in table that record a later event than the row's knowledge time: an
#: instalment is known from its loan's drawdown, its ``paid_on`` only from the payment. The
#: default segments leave these columns out; ``events(table, at=column)`` reads the rows as
#: events of that date.
REVEALED: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"installments": ("paid_on",)})

Compute = Callable[["PointInTimeView"], Mapping[str, Any]]


@dataclass(frozen=True, slots=True, eq=False)
class FeatureFamily:
    """A named group of features computed together from declared tables.

    Parameters
    ----------
    name : str
        Family name; must not be the name of a built-in family.
    tables : tuple of str
        The record tables the family reads: built-in tables and user tables
        (added with :meth:`RecordSet.with_table`), by name.
        :meth:`PointInTimeView.events` refuses any other table;
        ``features.extract`` refuses the family when one of them is absent
        from the records or not allowed by ``sources=``.
    features : tuple of FeatureSpec
        One catalog entry per output column, ``family`` equal to ``name``.
    compute : callable
        ``compute(view) -> {feature name: array of len(view)}``, vectorised
        over the observations of the :class:`PointInTimeView`.

    Raises
    ------
    InvalidInputError
        When the name is empty, a table name is not a non-empty string or is
        repeated, a feature spec belongs to another family, reads an
        undeclared table, or repeats a name. Whether the tables exist is
        checked against the records when the family is extracted.

    Examples
    --------
    >>> from jiebei_credit.features import FeatureFamily, FeatureSpec
    >>> spec = FeatureSpec(name="inq_total", family="my_inq", window=None, unit="count",
    ...     description="Inquiries before as_of.", description_zh="观测日前查询次数",
    ...     sources=("inquiries",), category="inquiries", nan_meaning="never NaN")
    >>> fam = FeatureFamily("my_inq", ("inquiries",), (spec,),
    ...     lambda view: {"inq_total": view.events("inquiries").count()})
    >>> fam.feature_names
    ('inq_total',)
    """

    name: str
    tables: tuple[str, ...]
    features: tuple[FeatureSpec, ...]
    compute: Compute = field(repr=False)

    def __post_init__(self) -> None:
        func = "FeatureFamily"
        if not isinstance(self.name, str) or not self.name:
            raise V.fail(func, "name", "must be a non-empty string", repr(self.name), "Name the family.")
        given: object = self.tables
        if isinstance(given, str | bytes) or not isinstance(given, tuple | list):
            raise V.fail(func, "tables", f"of family {self.name!r} must be a tuple of table names",
                         repr(given), "Pass e.g. tables=('inquiries',).")
        tables = tuple(given)
        odd = [t for t in tables if not isinstance(t, str) or not t]
        if odd:
            raise V.fail(
                func,
                "tables",
                f"of family {self.name!r} must be table names (non-empty strings): built-in "
                f"{list(SCHEMAS)} or user tables",
                V.show(odd),
                "Declare the tables by name.",
            )
        repeated = sorted({t for t in tables if tables.count(t) > 1})
        if repeated:
            raise V.fail(func, "tables", f"of family {self.name!r} must name each table once",
                         V.show(repeated), "Drop the repeats.")
        object.__setattr__(self, "tables", tables)
        specs = tuple(self.features)
        if not specs or not all(isinstance(s, FeatureSpec) for s in specs):
            raise V.fail(
                func,
                "features",
                f"of family {self.name!r} must be a non-empty tuple of FeatureSpec",
                repr(specs)[:80],
                "Give one FeatureSpec per feature.",
            )
        names = [s.name for s in specs]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise V.fail(
                func,
                "features",
                f"of family {self.name!r} must have distinct names",
                f"{len(dup)} repeated: {dup[:5]}",
                "Rename the duplicates.",
            )
        other = [s.name for s in specs if s.family != self.name]
        if other:
            raise V.fail(
                func,
                "features",
                f"must all have family={self.name!r}",
                f"{len(other)} with another family: {other[:5]}",
                "Set FeatureSpec.family.",
            )
        undeclared = [s.name for s in specs if any(t not in tables for t in s.sources)]
        if undeclared:
            raise V.fail(
                func,
                "features",
                f"of family {self.name!r} may only read its declared tables {tables}",
                f"{len(undeclared)} reading others: {undeclared[:5]}",
                "Declare the table in tables= or fix FeatureSpec.sources.",
            )
        if not callable(self.compute):
            raise V.fail(
                func,
                "compute",
                f"of family {self.name!r} must be callable",
                type(self.compute).__name__,
                "Pass a function of the view.",
            )
        object.__setattr__(self, "features", specs)

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The output columns, in catalog order."""
        return tuple(s.name for s in self.features)


def value_ranks(values: pd.Series) -> IntArray:
    """Code of each value, ranked by value (equal values, equal codes); -1 where missing.

    The same ranking as ``pd.factorize(values, sort=True)``, but only the
    distinct values are sorted, not every row: the codes of a subset of
    rows keep their order, so they group and order the subset as its own
    factorisation would.
    """
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    try:
        by_value = np.asarray(uniques.argsort(), dtype=np.int64)
    except TypeError:  # values of mixed types in an object column: pandas' safe sort
        sorted_codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
        return np.asarray(sorted_codes, dtype=np.int64)
    rank = np.empty(by_value.size + 1, dtype=np.int64)
    rank[by_value] = np.arange(by_value.size, dtype=np.int64)
    rank[-1] = -1  # the missing code
    out: IntArray = rank[codes]
    return out


def matches(values: pd.Series, wanted: list[Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """``values.isin(wanted)`` as a numpy array; categories through a lookup table of their codes.

    A category column (the kinds and directions of transactions) is matched
    by one index into a table of its few categories rather than pandas'
    set test over every row: the same flags, about five times faster on
    millions of rows. Missing values match when ``wanted`` holds a missing
    value, as in pandas.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        found = np.asarray(values.cat.categories.get_indexer(pd.Index(wanted)), dtype=np.int64)
        table = np.zeros(len(values.cat.categories) + 1, dtype=bool)
        table[found[found >= 0]] = True
        table[-1] = any(np.ndim(w) == 0 and bool(pd.isna(w)) for w in wanted)  # code -1: missing
        out: np.ndarray[Any, np.dtype[np.bool_]] = table[values.cat.codes.to_numpy()]
        return out
    return values.isin(wanted).to_numpy(dtype=bool)


def _is_text(dtype: Any) -> bool:
    """Whether a column of ``dtype`` holds text (object or string storage): slow to hash."""
    return bool(pd.api.types.is_string_dtype(dtype)) and not isinstance(dtype, pd.CategoricalDtype)


class Segments:
    """One table's rows per observation: the borrower's rows known before ``as_of``, in canonical order.

    Rows are sorted by borrower, event day, then the full row content, so
    same-day rows come in the same order whatever the input order
    (instalments: loan by loan, each loan's in ``seq`` order; see
    :meth:`PointInTimeView.events`). Every reduction reads only the
    observation's own segment ``[start, as_of)`` (or the window
    ``[as_of - w, as_of)``).

    Not constructed directly: :meth:`PointInTimeView.events` builds and
    memoises them, and :meth:`where` derives subsets.

    Parameters
    ----------
    view : PointInTimeView
        The view whose observations the segments belong to.
    frame : pandas.DataFrame
        The table's rows read by the reductions (without the later-event
        columns of :data:`REVEALED`).
    day : ndarray of int64
        Knowledge day of each row of ``frame`` (days since 1970-01-01).
    borrower : ndarray of int64
        Borrower of each row of ``frame``, as its row position in the
        ``borrowers`` table.
    revealed : pandas.DataFrame, optional
        The later-event columns (:data:`REVEALED`), row-aligned with
        ``frame``; read only by :meth:`map_pairs`, masked per pair. By
        default none.
    """

    __slots__ = (
        "_codes", "_frame", "_grouped", "_hi", "_lows", "_padded", "_revealed", "_start", "_subsets", "_tl",
        "_view",
    )

    def __init__(
        self,
        view: PointInTimeView,
        frame: pd.DataFrame,
        day: IntArray,
        borrower: IntArray,
        revealed: pd.DataFrame | None = None,
    ) -> None:
        # Same-day rows of a borrower in the order of a hash of their content: first of the
        # columns that hash fast (numbers, dates, categories), then, for the rows still tied
        # (rarely any: that needs the same timestamp and amount), of the text columns. A row's
        # hashes depend on its own values alone.
        text = [c for c in frame.columns if _is_text(frame[c].dtype)]
        fast = [c for c in frame.columns if c not in text]

        def hashes(columns: list[str]) -> Callable[[np.ndarray], tuple[IntArray]]:
            def content(rows: np.ndarray) -> tuple[IntArray]:
                part = frame[columns].iloc[rows]
                h: IntArray = pd.util.hash_pandas_object(part, index=False).to_numpy().view(np.int64)
                return (h,)

            return content

        stages = [hashes(columns) for columns in (fast, text) if columns]
        ties = stages[0] if stages else ()
        then = stages[1] if len(stages) > 1 else None
        self._setup(view, frame, Timeline.build(borrower, day, ties=ties, then=then))
        # Later-event columns (REVEALED), row-aligned with ``frame``: out of every reduction and of
        # the canonical order, read only by map_pairs, masked per pair.
        self._revealed = frame.iloc[:, :0] if revealed is None else revealed

    def _setup(self, view: PointInTimeView, frame: pd.DataFrame, timeline: Timeline) -> None:
        """Hold ``timeline`` (sorted positions of rows of ``frame``) and each observation's segment bounds."""
        self._tl = timeline
        self._frame = frame
        self._view = view
        self._start = timeline.start(view._obs.code)
        self._hi = timeline.query(view._obs.code, view._obs.day)
        self._lows: dict[int, IntArray] = {}
        self._subsets: dict[tuple[str, tuple[str, ...], bool], Segments] = {}
        self._padded: dict[str, FloatArray] = {}
        self._codes: dict[str, IntArray] = {}
        self._grouped: tuple[tuple[str, int | None], tuple[IntArray, IntArray, IntArray]] | None = None

    def _restricted(self, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> Segments:
        """The segments of the rows flagged in ``keep`` (in sorted order), keeping the canonical order."""
        tl = self._tl
        rows = np.flatnonzero(keep)  # one pass over the flags, then two takes: 3x a mask index each
        sub = Timeline(order=tl.order.take(rows), key=tl.key.take(rows), day0=tl.day0, span=tl.span)
        out = Segments.__new__(Segments)
        out._setup(self._view, self._frame, sub)
        out._revealed = self._revealed  # the parent's rows: the same frame and later-event columns
        return out

    def _lo(self, window: int | None) -> IntArray:
        if window is None:
            return self._start
        w = V.integer(window, func="PointInTimeView", name="window", low=1, high=3650)
        return self._position(w)

    def _position(self, days: int) -> IntArray:
        """Sorted position of each observation's first row known on or after ``as_of - days``."""
        if days == 0:
            return self._hi
        if days not in self._lows:
            self._lows[days] = np.maximum(
                self._tl.query(self._view._obs.code, self._view._obs.day - days), self._start
            )
        return self._lows[days]

    def _column(self, column: str) -> FloatArray:
        """A numeric ``column`` as float64, in sorted order."""
        out: FloatArray = self._column_padded(column)[:-1]
        return out

    def _column_padded(self, column: str) -> FloatArray:
        """``column`` as float64 in sorted order with one trailing 0.0 (:func:`range_reduce`'s ``padded``)."""
        if column not in self._padded:
            if column not in self._frame.columns:
                raise V.fail(
                    "PointInTimeView",
                    "column",
                    f"must be a column of the table; family {self._view._family!r} asked for {column!r}",
                    f"columns {list(self._frame.columns)}",
                    "Use a declared column.",
                )
            values = self._frame[column]
            if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_complex_dtype(values)):
                raise V.fail(
                    "PointInTimeView",
                    "column",
                    f"must be numeric to reduce; {column!r} is not",
                    str(values.dtype),
                    "Reduce a numeric column.",
                )
            raw = values.to_numpy(dtype=np.float64, na_value=np.nan)
            padded = np.empty(len(self._tl) + 1)
            np.take(raw, self._tl.order, out=padded[:-1])
            padded[-1] = 0.0
            self._padded[column] = padded
        return self._padded[column]

    def where(self, column: str, values: Sample) -> Segments:
        """The same segments restricted to the rows whose ``column`` is one of ``values``.

        Every reduction of the result (sums, counts, last value, trend,
        group reductions, another :meth:`where`) reads only those rows, with
        the same knowledge time and windows.

        Parameters
        ----------
        column : str
            Any column of the table (category, text, number); a missing
            value matches nothing.
        values : list-like
            The values kept, e.g. ``["issued"]`` (a list, tuple, array or Index).

        Returns
        -------
        Segments
            The filtered segments (memoised: asking again is free).

        Raises
        ------
        InvalidInputError
            When ``column`` is not a column of the table or ``values`` is not
            a list-like.

        Notes
        -----
        The kept rows keep their canonical order (borrower, knowledge day,
        row content), so a reduction over them is bit-identical whatever
        the other rows of the table.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3"],
        ...         "borrower_id": ["b1"] * 3, "occurred_at": ["2024-05-02", "2024-05-03", "2024-05-04"],
        ...         "amount": [100.0, 40.0, 250.0], "direction": ["in", "out", "in"],
        ...         "kind": ["sale", "refund", "sale"], "counterparty_id": ["p1", "p1", "p2"]}))
        >>> spec = FeatureSpec(name="sales_30", family="mine", window=30, unit="CNY",
        ...     description="Sale receipts, last 30 days.", description_zh="近30天销售收款",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("transactions",), (spec,),
        ...     lambda v: {"sales_30": v.events("transactions").where("kind", ["sale"]).sum("amount", 30)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["sales_30"].tolist()
        [350.0]
        """
        return self._filtered(column, values, keep=True)

    def _filtered(self, column: str, values: object, *, keep: bool) -> Segments:
        """The rows whose ``column`` is (``keep``) or is not (not ``keep``) one of ``values`` (memoised)."""
        self._any_column(column)
        wanted = V.listlike(values, func="PointInTimeView", name="values")
        key = (column, tuple(sorted(repr(v) for v in wanted)), keep)
        if key not in self._subsets:
            match = matches(self._frame[column], list(wanted))[self._tl.order]
            self._subsets[key] = self._restricted(match if keep else ~match)
        return self._subsets[key]

    def _group_sums(self, column: str, by: str, window: int | None) -> tuple[IntArray, FloatArray]:
        """Sum of ``column`` per value of ``by`` in each segment: (observation of each group, its sum).

        Groups of one observation come in the order of their ``by`` values
        and each sum adds its rows in canonical order, so the bits depend
        only on the observation's own rows.
        """
        values = self._column(column)
        owner, item, starts = self._grouping(by, window)
        if owner.size == 0:
            return owner, np.zeros(0)
        sums: FloatArray = np.add.reduceat(values[item], starts)
        return owner[starts], sums

    def _group_codes(self, by: str) -> IntArray:
        """Code of each row's ``by`` value in sorted order, ranked by value; -1 where missing (memoised)."""
        self._any_column(by)
        if by not in self._codes:
            self._codes[by] = value_ranks(self._frame[by].take(self._tl.order))
        return self._codes[by]

    def _grouping(self, by: str, window: int | None) -> tuple[IntArray, IntArray, IntArray]:
        """The segments' rows with a ``by`` value, grouped: ``(owner, item, starts)``.

        ``item`` lists the sorted positions of each observation's rows in the
        window, ordered by observation, then group (``by`` value), then
        canonical order; ``owner`` is the observation of each; ``starts``
        marks where each (observation, group) run begins. The last grouping
        is kept: the group reductions of one window share it.
        """
        key = (by, window)
        if self._grouped is not None and self._grouped[0] == key:
            return self._grouped[1]
        group = self._group_codes(by)
        owner, item = expand(self._lo(window), self._hi)
        g = group[item]
        named = np.flatnonzero(g >= 0)  # rows without a group value take no part
        owner, item, g = owner.take(named), item.take(named), g.take(named)
        order = order_by(owner, g)  # stable: rows of a group stay in canonical order
        owner, item, g = owner.take(order), item.take(order), g.take(order)
        first = np.ones(owner.size, dtype=bool)
        first[1:] = (owner[1:] != owner[:-1]) | (g[1:] != g[:-1])
        grouped = (owner, item, np.flatnonzero(first))
        self._grouped = (key, grouped)
        return grouped

    def _per_observation(
        self, ufunc: np.ufunc, owner: IntArray, values: FloatArray, empty: float
    ) -> FloatArray:
        """``ufunc`` over each observation's run of ``values`` (owner-sorted); ``empty`` without one."""
        out = np.full(len(self._view), empty)
        if owner.size == 0:
            return out
        first = np.ones(owner.size, dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        starts = np.flatnonzero(first)
        out[owner[starts]] = ufunc.reduceat(values, starts)
        return out

    def _shares(self, column: str, by: str, window: int | None) -> tuple[IntArray, FloatArray]:
        owner, sums = self._group_sums(column, by, window)
        total = self._per_observation(np.add, owner, sums, np.nan)
        t = total[owner]
        share = np.full(sums.size, np.nan)
        np.divide(sums, t, out=share, where=t > 0)
        return owner, share

    def hhi(self, column: str, by: str, window: int | None = None) -> FloatArray:
        """Herfindahl-Hirschman index of ``column`` by value of ``by``: the sum of squared group shares.

        Parameters
        ----------
        column : str
            A numeric column, non-negative for shares to mean anything
            (an amount).
        by : str
            The column whose values form the groups (a counterparty); rows
            where it is missing take no part.
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            In ``[1 / k, 1]`` for ``k`` groups; 1 is a single group. NaN
            when the segment has no row with a group, or its total is not
            positive.

        Raises
        ------
        InvalidInputError
            When a column is not a column of the table, or ``column`` is not
            numeric.

        Notes
        -----
        ``HHI = Σ_g (S_g / S)²`` with ``S_g`` the sum of ``column`` over the
        rows of group ``g`` in the segment and ``S = Σ_g S_g``.

        Examples
        --------
        See :meth:`where`; ``events("transactions").where("kind", ["sale"]).hhi("amount",
        "counterparty_id", 90)`` is the payer concentration of the last 90 days.
        """
        owner, share = self._shares(column, by, window)
        return self._per_observation(np.add, owner, share * share, np.nan)

    def top_share(self, column: str, by: str, window: int | None = None) -> FloatArray:
        """Largest group's share of ``column``: ``max_g S_g / S`` (see :meth:`hhi`); NaN as there.

        Parameters
        ----------
        column : str
            A numeric column, non-negative for shares to mean anything
            (an amount).
        by : str
            The column whose values form the groups (a counterparty); rows
            where it is missing take no part.
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            In ``[1 / k, 1]`` for ``k`` groups; 1 is a single group. NaN
            when the segment has no row with a group, or its total is not
            positive.

        Raises
        ------
        InvalidInputError
            When a column is not a column of the table, ``column`` is not
            numeric, or ``window`` is not an integer from 1 to 3650.

        Notes
        -----
        ``top_share = max_g S_g / S`` with ``S_g`` and ``S`` as in :meth:`hhi`.
        """
        owner, share = self._shares(column, by, window)
        return self._per_observation(np.fmax, owner, share, np.nan)

    def count_distinct(self, by: str, window: int | None = None, *, min_rows: int = 1) -> FloatArray:
        """Number of distinct non-missing values of ``by`` in each segment (0 with no row, never NaN).

        Parameters
        ----------
        by : str
            Any column of the table (a counterparty); missing values are not counted.
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.
        min_rows : int, default 1
            Count only the values held by at least this many rows of the
            segment (window): ``min_rows=2`` counts the repeat counterparties.

        Returns
        -------
        ndarray of float64
            Counts, 0 with no such value (never NaN).

        Raises
        ------
        InvalidInputError
            When ``by`` is not a column of the table, or ``min_rows`` is not
            an integer >= 1.

        Notes
        -----
        ``#{g : n_g >= min_rows}`` with ``n_g`` the number of the segment's
        rows whose ``by`` value is ``g``.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3", "t4"],
        ...         "borrower_id": ["b1"] * 4,
        ...         "occurred_at": ["2024-05-02", "2024-05-09", "2024-05-10", "2024-05-20"],
        ...         "amount": [100.0, 40.0, 250.0, 60.0], "direction": ["in"] * 4, "kind": ["sale"] * 4,
        ...         "counterparty_id": ["p1", "p1", "p2", None]}))
        >>> names = ("payers_90", "repeat_payers_90")
        >>> specs = tuple(FeatureSpec(name=n, family="mine", window=90, unit="count",
        ...     description="Payers of the last 90 days.", description_zh="近90天付款方个数",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        ...     for n in names)
        >>> def compute(v):
        ...     sales = v.events("transactions").where("kind", ["sale"])
        ...     return {"payers_90": sales.count_distinct("counterparty_id", 90),
        ...             "repeat_payers_90": sales.count_distinct("counterparty_id", 90, min_rows=2)}
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> fam = FeatureFamily("mine", ("transactions",), specs, compute)
        >>> extract(rs, obs, families=[fam]).iloc[0].tolist()  # p1 twice, p2 once; t4 has no payer
        [2.0, 1.0]
        """
        k = V.integer(min_rows, func="PointInTimeView", name="min_rows", low=1)
        owner, _, starts = self._grouping(by, window)
        rows = np.diff(np.append(starts, owner.size))
        out: FloatArray = np.bincount(owner[starts[rows >= k]], minlength=len(self._view)).astype(np.float64)
        return out

    def count(self, window: int | None = None) -> FloatArray:
        """Number of rows before ``as_of`` (in the last ``window`` days).

        Parameters
        ----------
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            Exact counts, 0 with no row (never NaN).

        Raises
        ------
        InvalidInputError
            When ``window`` is not an integer from 1 to 3650.
        """
        return (self._hi - self._lo(window)).astype(np.float64)

    def sum(self, column: str, window: int | None = None) -> FloatArray:
        """Sum of ``column`` over the rows before ``as_of`` (in the window); 0 with no row.

        Parameters
        ----------
        column : str
            A numeric column of the table.
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            The sum over each segment, added in canonical order; 0 with no
            row, NaN when a row of the segment has a missing value.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``window`` is not an integer from 1 to 3650.
        """
        return range_reduce(np.add, self._column_padded(column), self._lo(window), self._hi, 0.0, padded=True)

    def mean(self, column: str, window: int | None = None) -> FloatArray:
        """Mean of ``column`` (NaN with no row).

        Parameters
        ----------
        column : str
            A numeric column of the table.
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            :meth:`sum` over :meth:`count`; NaN with no row, or when a row of
            the segment has a missing value.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``window`` is not an integer from 1 to 3650.
        """
        n = self.count(window)
        s = self.sum(column, window)
        out = np.full(n.size, np.nan)
        np.divide(s, n, out=out, where=n > 0)
        return out

    def min(self, column: str, window: int | None = None) -> FloatArray:
        """Smallest ``column`` value (NaN with no row).

        Parameters
        ----------
        column : str
            A numeric column of the table; missing values are skipped.
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            The smallest non-missing value of each segment; NaN with no
            row, or when every value of the segment is missing.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``window`` is not an integer from 1 to 3650.
        """
        return range_reduce(np.fmin, self._column(column), self._lo(window), self._hi, np.nan)

    def max(self, column: str, window: int | None = None) -> FloatArray:
        """Largest ``column`` value (NaN with no row).

        Parameters
        ----------
        column : str
            A numeric column of the table; missing values are skipped.
        window : int, optional
            Days before ``as_of``, 1 to 3650: only the rows known in
            ``[as_of - window, as_of)``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            The largest non-missing value of each segment; NaN with no
            row, or when every value of the segment is missing.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``window`` is not an integer from 1 to 3650.
        """
        return range_reduce(np.fmax, self._column(column), self._lo(window), self._hi, np.nan)

    def last(self, column: str) -> FloatArray:
        """``column`` of the latest row before ``as_of`` (canonical among same-day rows); NaN with none.

        Parameters
        ----------
        column : str
            A numeric column of the table.

        Returns
        -------
        ndarray of float64
            One value per observation; NaN when the borrower has no row
            before ``as_of``, or the latest row's value is missing.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table.
        """
        values = self._column(column)
        has = self._hi > self._start
        out = np.full(has.size, np.nan)
        out[has] = values[self._hi[has] - 1]
        return out

    def days_since_last(self) -> FloatArray:
        """Count days from the latest row's event day to ``as_of``; NaN with no row.

        Returns
        -------
        ndarray of float64
            ``as_of`` minus the knowledge day of the borrower's latest row
            before ``as_of``, in days (at least 1); NaN when there is no such
            row.
        """
        has = self._hi > self._start
        out = np.full(has.size, np.nan)
        out[has] = (self._view._obs.day[has] - self._tl.day_at(self._hi[has] - 1)).astype(np.float64)
        return out

    def trend(self, column: str, months: int) -> FloatArray:
        """Fit the least-squares slope of the 30-day block sums of ``column`` over the last ``months`` blocks.

        Blocks are ``[as_of - 30(k+1), as_of - 30k)``, k = 0 (newest) … ``months - 1``.

        Parameters
        ----------
        column : str
            A numeric column of the table.
        months : int
            Number of 30-day blocks, 2 to 120.

        Returns
        -------
        ndarray of float64
            The slope in ``column`` units per 30-day block, positive when the
            recent blocks are larger; 0 with no row, NaN when a row of the
            blocks has a missing value.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``months`` is not an integer from 2 to 120.

        Notes
        -----
        ``slope = Σ_k (B_k - B̄) x_k / Σ_k x_k²`` with ``B_k`` the sums of
        :meth:`block_sums`, ``B̄`` their mean and ``x_k = (m - 1) / 2 - k``
        the centred time of block ``k`` (block 0 newest, ``m = months``).
        """
        m = V.integer(months, func="PointInTimeView", name="months", low=2, high=120)
        blocks = self._block_sums(column, m)
        x = np.arange(m, dtype=np.float64)[::-1] - (m - 1) / 2.0  # centred time, block 0 newest
        total = np.zeros(len(self._view))
        for k in range(m):
            total = total + blocks[:, k]
        mean = total / m
        slope = np.zeros(len(self._view))
        for k in range(m):
            slope = slope + (blocks[:, k] - mean) * x[k]
        result: FloatArray = slope / float(np.sum(x * x))
        return result

    def last_before(self, column: str, days: int) -> FloatArray:
        """``column`` of the latest row dated before ``as_of - days``; NaN with none.

        The value in force ``days`` days before the observation, e.g. the
        credit limit a window ago; ``last_before(column, 0)`` equals
        :meth:`last`.

        Parameters
        ----------
        column : str
            A numeric column of the table.
        days : int
            How many days before ``as_of`` the value is read, 0 to 3650.

        Returns
        -------
        ndarray of float64
            One value per observation; NaN when the borrower has no row dated
            before ``as_of - days``.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or ``days``
            is not an integer from 0 to 3650.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import BUILTIN_FAMILIES, FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     zhima_scores=pd.DataFrame({"borrower_id": ["b1", "b1"],
        ...         "observed_on": ["2024-01-10", "2024-05-20"], "score": [650, 700]}))
        >>> spec = FeatureSpec(name="score_60d_ago", family="mine", window=None, unit="points",
        ...     description="Score 60 days before as_of.", description_zh="60天前芝麻分",
        ...     sources=("zhima_scores",), category="third_party_score", nan_meaning="no score then")
        >>> fam = FeatureFamily("mine", ("zhima_scores",), (spec,),
        ...     lambda v: {"score_60d_ago": v.events("zhima_scores").last_before("score", 60)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["score_60d_ago"].tolist()
        [650.0]
        """
        d = V.integer(days, func="PointInTimeView", name="days", low=0, high=3650)
        values = self._column(column)
        hi = self._hi if d == 0 else self._tl.query(self._view._obs.code, self._view._obs.day - d)
        has = hi > self._start
        out = np.full(has.size, np.nan)
        out[has] = values[hi[has] - 1]
        return out

    def days_since_first(self) -> FloatArray:
        """Count days from the borrower's first event day to ``as_of``; NaN with no row before ``as_of``.

        Returns
        -------
        ndarray of float64
            ``as_of - first event day`` in days, one per observation.

        Notes
        -----
        The first row is the borrower's earliest; it is visible whenever any
        row is, so the value never depends on rows dated on or after ``as_of``.

        Examples
        --------
        See :meth:`last_before` for how a family calls the view.
        """
        has = self._hi > self._start
        out = np.full(has.size, np.nan)
        out[has] = (self._view._obs.day[has] - self._tl.day_at(self._start[has])).astype(np.float64)
        return out

    def _count_flags(self, flags: np.ndarray[Any, np.dtype[np.bool_]], window: int | None) -> FloatArray:
        """Rows with ``flags`` (sorted order) in each observation's segment, as exact float counts."""
        cs = np.zeros(flags.size + 1, dtype=np.int64)
        np.cumsum(flags, out=cs[1:])
        return (cs[self._hi] - cs[self._lo(window)]).astype(np.float64)

    def count_where(self, column: str, values: Sample, window: int | None = None) -> FloatArray:
        """Count rows before ``as_of`` (in the last ``window`` days) whose ``column`` is one of ``values``.

        Parameters
        ----------
        column : str
            Any column of the table (category, text, number); a missing value
            matches nothing.
        values : list-like
            The values counted, e.g. ``["bank"]`` (a list, tuple, array or Index).
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            Counts, 0 with no matching row (never NaN).

        Raises
        ------
        InvalidInputError
            When the column is not a column of the table or ``values`` is not a
            list-like.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     inquiries=pd.DataFrame({"inquiry_id": ["q1", "q2"], "borrower_id": ["b1", "b1"],
        ...         "inquired_on": ["2024-05-20", "2024-05-25"],
        ...         "institution_type": ["bank", "micro_loan"]}))
        >>> spec = FeatureSpec(name="bank_inq", family="mine", window=None, unit="count",
        ...     description="Bank inquiries.", description_zh="银行查询次数",
        ...     sources=("inquiries",), category="inquiries", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("inquiries",), (spec,),
        ...     lambda v: {"bank_inq": v.events("inquiries").count_where("institution_type", ["bank"])})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["bank_inq"].tolist()
        [1.0]
        """
        self._any_column(column)
        wanted = V.listlike(values, func="PointInTimeView", name="values")
        flags = self._tl.take(self._frame[column].isin(list(wanted)).to_numpy(dtype=bool))
        return self._count_flags(flags, window)

    def count_at_least(self, column: str, threshold: float, window: int | None = None) -> FloatArray:
        """Number of rows before ``as_of`` (in the last ``window`` days) whose ``column`` is ``>= threshold``.

        Parameters
        ----------
        column : str
            A numeric column of the table; a missing value is not counted.
        threshold : float
            The smallest value counted.
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            Counts, 0 with no matching row (never NaN).

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table or the
            threshold is not a real number.

        Examples
        --------
        See :meth:`count_where`; ``count_at_least("term_months", 12)`` counts
        the loans of a year or more.
        """
        t = V.real(threshold, func="PointInTimeView", name="threshold")
        flags = self._column(column) >= t  # NaN compares False, without a warning
        return self._count_flags(flags, window)

    def count_changes(self, column: str, direction: str, window: int | None = None) -> FloatArray:
        """Count rows in the window whose ``column`` moved ``"up"`` or ``"down"`` from the previous row.

        Parameters
        ----------
        column : str
            A numeric column of the table, e.g. the credit limit.
        direction : {"up", "down"}
            Count rows above (``"up"``) or below (``"down"``) the value of the
            borrower's previous row, in canonical order (which may lie before
            the window). The borrower's first row never counts.
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            Counts, 0 with no such row (never NaN).

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``direction`` is neither ``"up"`` nor ``"down"``.

        Notes
        -----
        Row ``k`` counts when ``v[k] > v[k - 1]`` (``"up"``) or
        ``v[k] < v[k - 1]`` (``"down"``) and rows ``k - 1`` and ``k`` belong to
        the same borrower. The previous row is dated no later than row ``k``,
        so it is known whenever row ``k`` is.

        Examples
        --------
        See :meth:`count_where`; ``count_changes("limit", "up", 90)`` counts
        the limit increases of the last 90 days.
        """
        way = V.choice(direction, ("up", "down"), func="PointInTimeView", name="direction")
        values = self._column(column)
        groups = self._tl.groups()
        flags = np.zeros(values.size, dtype=bool)
        if values.size > 1:
            same = groups[1:] == groups[:-1]
            moved = values[1:] > values[:-1] if way == "up" else values[1:] < values[:-1]
            flags[1:] = same & moved
        return self._count_flags(flags, window)

    def _any_column(self, column: str) -> None:
        """Refuse a name that is not a column of the table."""
        if not isinstance(column, str) or column not in self._frame.columns:
            raise V.fail(
                "PointInTimeView",
                "column",
                f"must be a column of the table; family {self._view._family!r} asked for {column!r}",
                f"columns {list(self._frame.columns)}",
                "Use a declared column.",
            )

    # --- per-row pairs ---
    def map_pairs(
        self,
        fn: Callable[[Pairs], Mapping[str, Any]],
        *,
        window: int | None = None,
        budget: int = PAIR_BUDGET,
    ) -> dict[str, FloatArray]:
        """Compute per (observation, row) pairs and reduce per observation, chunk by chunk.

        For the reductions the other methods do not offer: the status of
        each row at each ``as_of`` (an instalment paid or past due then),
        runs of rows, distinct values among rows in a state.

        Parameters
        ----------
        fn : callable
            ``fn(pairs) -> {name: array}``: receives one :class:`Pairs` per
            contiguous chunk of observations and returns, for each name, one
            real value per observation of the chunk (``pairs.observations``),
            the same names for every chunk.
        window : int, optional
            Pair each observation with the rows of the last ``window`` days
            only (knowledge days ``[as_of - window, as_of)``); by default
            every row before ``as_of``.
        budget : int, default 4_000_000
            Most pairs per chunk (bounds memory); an observation with more
            rows than that gets a chunk of its own. Results do not depend
            on it.

        Returns
        -------
        dict of str to ndarray of float64
            Each name's values for every observation, in the caller's order.

        Raises
        ------
        InvalidInputError
            When ``fn`` is not callable or returns anything but the same
            names with one real value per observation of the chunk, when
            ``budget`` is not a positive integer or ``window`` not an integer
            from 1 to 3650, and (from :class:`Pairs`) when a column is not
            one of the table or not of the kind asked.

        Notes
        -----
        The pairs of observation ``i`` are ``(i, r)`` for the rows ``r`` of
        its segment, in canonical order. A later-event column
        (:data:`REVEALED`) is read per pair as
        ``v(i, r) = x_r if x_r < as_of_i else missing``, which keeps the
        pairs point in time: ``paid_on`` is seen only once the payment is.
        Chunks hold whole observations, so each result depends only on the
        observation's own rows.

        Examples
        --------
        Amount overdue at ``as_of``: instalments due before it and not paid
        before it (the March 20 payment is not yet known on March 20).

        >>> import numpy as np
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     loans=pd.DataFrame({"loan_id": ["L1"], "borrower_id": ["b1"], "drawn_on": ["2024-01-10"],
        ...         "principal": [300.0], "term_months": [3], "repayment_method": ["equal_principal"],
        ...         "daily_rate": [0.0004], "purpose": ["business"]}),
        ...     installments=pd.DataFrame({"loan_id": ["L1"] * 3, "seq": [1, 2, 3],
        ...         "due_on": ["2024-02-10", "2024-03-10", "2024-04-10"],
        ...         "principal_due": [100.0] * 3, "interest_due": [12.0, 8.0, 4.0],
        ...         "paid_on": ["2024-02-09", "2024-03-20", None]}))
        >>> def overdue(p):
        ...     late = (p.dates("due_on") < p.as_of) & np.isnan(p.dates("paid_on"))
        ...     return {"overdue": p.sum(late * (p.column("principal_due") + p.column("interest_due")))}
        >>> spec = FeatureSpec(name="overdue", family="mine", window=None, unit="CNY",
        ...     description="Overdue at as_of.", description_zh="观测日逾期金额",
        ...     sources=("loans", "installments"), category="credit_history", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("loans", "installments"), (spec,),
        ...     lambda v: v.events("installments").map_pairs(overdue))
        >>> obs = pd.DataFrame({"borrower_id": ["b1"] * 2, "as_of": ["2024-03-20", "2024-03-21"]})
        >>> extract(rs, obs, families=[fam])["overdue"].tolist()
        [108.0, 0.0]
        """
        return run_pairs(
            fn, budget, frame=self._frame, revealed=self._revealed, order=self._tl.order,
            days=self._tl.days(), lo=self._lo(window), hi=self._hi, as_of=self._view._obs.day,
        )

    # --- reductions for cash-flow features ---

    def _block_bounds(self, months: int) -> tuple[IntArray, IntArray]:
        """``(lo, hi)``, each (observations x months): sorted positions of the 30-day blocks, newest first."""
        at = np.stack([self._position(k * BLOCK_DAYS) for k in range(months + 1)], axis=1)
        return at[:, 1:], at[:, :-1]

    def _block_sums(self, column: str, months: int) -> FloatArray:
        """:meth:`block_sums` without the argument checks (``trend`` shares it)."""
        lo, hi = self._block_bounds(months)
        sums = range_reduce(np.add, self._column_padded(column), lo.ravel(), hi.ravel(), 0.0, padded=True)
        out: FloatArray = sums.reshape(lo.shape)
        return out

    def block_sums(self, column: str, months: int) -> FloatArray:
        """Sum ``column`` over each of the last ``months`` 30-day blocks, newest first.

        Parameters
        ----------
        column : str
            A numeric column of the table.
        months : int
            Number of 30-day blocks, 1 to 120.

        Returns
        -------
        ndarray of float64, shape (observations, months)
            Column ``k`` is the sum over the block ``[as_of - 30(k+1), as_of - 30k)``:
            column 0 the last 30 days. 0 for a block without rows; NaN when a
            row of the block has a missing value.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``months`` is not an integer from 1 to 120.

        Notes
        -----
        ``B[i, k] = Σ {v_r : as_of_i - 30(k+1) <= d_r < as_of_i - 30k}`` over
        the rows ``r`` of observation ``i``'s segment, ``d_r`` their knowledge
        day. Each block adds its own rows in canonical order, so its bits
        depend on those rows alone. :meth:`trend` is the least-squares slope
        of these sums; :meth:`block_counts` counts the rows of the same blocks.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3", "t4"],
        ...         "borrower_id": ["b1"] * 4,
        ...         "occurred_at": ["2024-03-10", "2024-05-05", "2024-05-20", "2024-05-20"],
        ...         "amount": [200.0, 100.0, 300.0, 50.0], "direction": ["in", "in", "in", "out"],
        ...         "kind": ["sale", "sale", "sale", "refund"], "counterparty_id": ["p1", "p1", "p2", "p2"]}))
        >>> names = ("sales_0_30", "sales_30_60", "sales_60_90")
        >>> specs = tuple(FeatureSpec(name=n, family="mine", window=90, unit="CNY",
        ...     description="Sale receipts of one 30-day block.", description_zh="一个 30 天分段的销售收款",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        ...     for n in names)
        >>> def compute(v):
        ...     blocks = v.events("transactions").where("kind", ["sale"]).block_sums("amount", 3)
        ...     return {n: blocks[:, k] for k, n in enumerate(names)}
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> fam = FeatureFamily("mine", ("transactions",), specs, compute)
        >>> extract(rs, obs, families=[fam]).iloc[0].tolist()
        [400.0, 0.0, 200.0]
        """
        m = V.integer(months, func="PointInTimeView", name="months", low=1, high=120)
        return self._block_sums(column, m)

    def block_counts(self, months: int) -> FloatArray:
        """Number of rows in each of the last ``months`` 30-day blocks, newest first.

        Parameters
        ----------
        months : int
            Number of 30-day blocks, 1 to 120.

        Returns
        -------
        ndarray of float64, shape (observations, months)
            Column ``k`` counts the rows known in ``[as_of - 30(k+1), as_of - 30k)``
            (exact counts, 0 for an empty block, never NaN).

        Raises
        ------
        InvalidInputError
            When ``months`` is not an integer from 1 to 120.

        Notes
        -----
        ``N[i, k] = #{r : as_of_i - 30(k+1) <= d_r < as_of_i - 30k}``, the
        blocks of :meth:`block_sums`; ``(N == 0).sum(axis=1)`` is the number of
        empty blocks (months without a row).

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3"], "borrower_id": ["b1"] * 3,
        ...         "occurred_at": ["2024-03-10", "2024-05-05", "2024-05-20"],
        ...         "amount": [200.0, 100.0, 300.0],
        ...         "direction": ["in"] * 3, "kind": ["sale"] * 3, "counterparty_id": ["p1", "p1", "p2"]}))
        >>> spec = FeatureSpec(name="months_without_sale_90", family="mine", window=90, unit="count",
        ...     description="30-day blocks of the last 90 days without a transaction.",
        ...     description_zh="近90天无流水的分段数",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("transactions",), (spec,), lambda v: {
        ...     "months_without_sale_90": (v.events("transactions").block_counts(3) == 0).sum(axis=1)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["months_without_sale_90"].tolist()  # counts 2, 0, 1
        [1.0]
        """
        m = V.integer(months, func="PointInTimeView", name="months", low=1, high=120)
        lo, hi = self._block_bounds(m)
        out: FloatArray = (hi - lo).astype(np.float64)
        return out

    def _between(self, newer: int, older: int) -> tuple[IntArray, IntArray]:
        """Sorted positions ``(lo, hi)`` of the window ``[as_of - older, as_of - newer)``, checked."""
        a = V.integer(newer, func="PointInTimeView", name="newer", low=0, high=3649)
        b = V.integer(older, func="PointInTimeView", name="older", low=1, high=3650)
        if b <= a:
            raise V.fail("PointInTimeView", "older", f"must be greater than newer={a} (days before as_of)",
                         str(b), "The window is [as_of - older, as_of - newer).")
        return self._position(b), self._position(a)

    def sum_between(self, column: str, newer: int, older: int) -> FloatArray:
        """Sum of ``column`` over the rows known in ``[as_of - older, as_of - newer)``: an earlier window.

        Parameters
        ----------
        column : str
            A numeric column of the table.
        newer : int
            Days before ``as_of`` where the window ends (excluded), 0 to 3649;
            0 is ``sum(column, older)``.
        older : int
            Days before ``as_of`` where the window starts (included),
            ``newer + 1`` to 3650.

        Returns
        -------
        ndarray of float64
            One sum per observation; 0 with no row in the window, NaN when a
            row of the window has a missing value.

        Raises
        ------
        InvalidInputError
            When the column is not a numeric column of the table, or
            ``newer`` / ``older`` are not integers with
            ``0 <= newer < older <= 3650``.

        Notes
        -----
        ``Σ {v_r : as_of - older <= d_r < as_of - newer}``, ``d_r`` the
        knowledge day of row ``r``. The growth of the last 90 days over the 90
        before is ``sum(c, 90) / sum_between(c, 90, 180) - 1``.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3"], "borrower_id": ["b1"] * 3,
        ...         "occurred_at": ["2024-03-10", "2024-05-05", "2024-05-20"],
        ...         "amount": [200.0, 100.0, 300.0],
        ...         "direction": ["in"] * 3, "kind": ["sale"] * 3, "counterparty_id": ["p1", "p1", "p2"]}))
        >>> spec = FeatureSpec(name="sales_30_90_ago", family="mine", window=90, unit="CNY",
        ...     description="Sales 90 to 30 days before as_of.", description_zh="观测日前90至30天销售收款",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("transactions",), (spec,), lambda v: {
        ...     "sales_30_90_ago": v.events("transactions").sum_between("amount", 30, 90)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["sales_30_90_ago"].tolist()  # [03-03, 05-02): the 03-10 sale
        [200.0]
        """
        lo, hi = self._between(newer, older)
        return range_reduce(np.add, self._column_padded(column), lo, hi, 0.0, padded=True)

    def count_between(self, newer: int, older: int) -> FloatArray:
        """Number of rows known in ``[as_of - older, as_of - newer)`` (see :meth:`sum_between`).

        Parameters
        ----------
        newer : int
            Days before ``as_of`` where the window ends (excluded), 0 to 3649.
        older : int
            Days before ``as_of`` where the window starts (included),
            ``newer + 1`` to 3650.

        Returns
        -------
        ndarray of float64
            Exact counts, 0 with no row in the window (never NaN).

        Raises
        ------
        InvalidInputError
            When ``newer`` / ``older`` are not integers with
            ``0 <= newer < older <= 3650``.

        Notes
        -----
        ``#{r : as_of - older <= d_r < as_of - newer}``; ``count_between(0, w)``
        equals ``count(w)``.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     inquiries=pd.DataFrame({"inquiry_id": ["q1", "q2", "q3"], "borrower_id": ["b1"] * 3,
        ...         "inquired_on": ["2024-01-15", "2024-04-20", "2024-05-25"],
        ...         "institution_type": ["bank", "bank", "micro_loan"]}))
        >>> spec = FeatureSpec(name="inq_30_180_ago", family="mine", window=180, unit="count",
        ...     description="Inquiries 180 to 30 days before as_of.",
        ...     description_zh="观测日前180至30天查询次数",
        ...     sources=("inquiries",), category="inquiries", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("inquiries",), (spec,), lambda v: {
        ...     "inq_30_180_ago": v.events("inquiries").count_between(30, 180)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["inq_30_180_ago"].tolist()  # [2023-12-04, 2024-05-02)
        [2.0]
        """
        lo, hi = self._between(newer, older)
        out: FloatArray = (hi - lo).astype(np.float64)
        return out

    def active_days(self, window: int | None = None) -> FloatArray:
        """Number of distinct days with at least one row before ``as_of`` (in the last ``window`` days).

        Parameters
        ----------
        window : int, optional
            Days before ``as_of``; by default every row before ``as_of``.

        Returns
        -------
        ndarray of float64
            Exact counts from 0 to ``window``, 0 with no row (never NaN).

        Raises
        ------
        InvalidInputError
            When ``window`` is not an integer from 1 to 3650.

        Notes
        -----
        ``#{d_r : r in the segment (window)}``, the distinct knowledge days
        ``d_r`` (the calendar day of a timestamp: two sales at 09:00 and 21:00
        are one active day). ``active_days(w) / w`` is the share of active days.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3"], "borrower_id": ["b1"] * 3,
        ...         "occurred_at": ["2024-05-20 09:00", "2024-05-20 21:00", "2024-05-25 12:00"],
        ...         "amount": [100.0, 300.0, 80.0], "direction": ["in"] * 3, "kind": ["sale"] * 3,
        ...         "counterparty_id": ["p1", "p1", "p2"]}))
        >>> spec = FeatureSpec(name="sale_days_30", family="mine", window=30, unit="days",
        ...     description="Days with a sale, last 30 days.", description_zh="近30天有销售的天数",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("transactions",), (spec,), lambda v: {
        ...     "sale_days_30": v.events("transactions").where("kind", ["sale"]).active_days(30)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["sale_days_30"].tolist()  # 05-20 (twice) and 05-25
        [2.0]
        """
        key = self._tl.key  # (borrower, day) in sorted order: a run per borrower and day
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        # Every segment and window starts at the first row of a day, so the runs starting
        # inside it are exactly its distinct days.
        return self._count_flags(first, window)

    def where_not(self, column: str, values: Sample) -> Segments:
        """The same segments restricted to the rows whose ``column`` is not one of ``values``.

        The complement of :meth:`where`: ``where(column, values)`` and
        ``where_not(column, values)`` split the rows in two, so a missing
        value (which :meth:`where` never matches) is kept here.

        Parameters
        ----------
        column : str
            Any column of the table (category, text, number).
        values : list-like
            The values left out, e.g. ``["loan_disbursement"]`` (a list, tuple,
            array or Index).

        Returns
        -------
        Segments
            The filtered segments (memoised), in canonical order.

        Raises
        ------
        InvalidInputError
            When ``column`` is not a column of the table or ``values`` is not
            a list-like.

        Notes
        -----
        Row ``r`` is kept iff ``c_r ∉ values``; every reduction of the result
        reads the kept rows only, with the same knowledge time and windows.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     transactions=pd.DataFrame({"transaction_id": ["t1", "t2", "t3"], "borrower_id": ["b1"] * 3,
        ...         "occurred_at": ["2024-05-05", "2024-05-20", "2024-05-25"],
        ...         "amount": [100.0, 300.0, 1000.0],
        ...         "direction": ["in"] * 3, "kind": ["sale", "transfer", "loan_disbursement"],
        ...         "counterparty_id": ["p1", None, None]}))
        >>> spec = FeatureSpec(name="inflow_no_loans_30", family="mine", window=30, unit="CNY",
        ...     description="Inflows but loan disbursements, last 30 days.",
        ...     description_zh="近30天非贷款流入",
        ...     sources=("transactions",), category="financial_account_flows", nan_meaning="never NaN")
        >>> fam = FeatureFamily("mine", ("transactions",), (spec,), lambda v: {"inflow_no_loans_30":
        ...     v.events("transactions").where("direction", ["in"]).where_not("kind", ["loan_disbursement"])
        ...     .sum("amount", 30)})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam])["inflow_no_loans_30"].tolist()
        [400.0]
        """
        return self._filtered(column, values, keep=False)

    # --- step series ---
    def running_sum(self, column: str) -> StepSeries:
        """The running sum of ``column`` as a step series of the status date ``t``.

        On status date ``t`` the series is the sum of ``column`` over the
        borrower's rows known before ``t`` (0 before the first); read it at
        each observation with :meth:`StepSeries.now`, or over the status
        dates of a window with :meth:`StepSeries.mean` / :meth:`StepSeries.max`.

        Parameters
        ----------
        column : str
            A numeric column of the table.

        Returns
        -------
        StepSeries
            ``S(t) = Σ {x_r : row r of the borrower, known on a day < t}``;
            NaN from the first known row whose ``column`` is missing.

        Raises
        ------
        InvalidInputError
            When ``column`` is not a column of the table or is not numeric.

        Notes
        -----
        The sum runs over the borrower's rows in canonical order and restarts
        at each borrower, so its bits depend on the borrower's rows only.
        ``running_sum(c).now()`` equals :meth:`sum` up to float rounding.

        Examples
        --------
        The principal outstanding on each status date is the principal
        scheduled minus the principal repaid:

        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     loans=pd.DataFrame({"loan_id": ["L1"], "borrower_id": ["b1"], "drawn_on": ["2024-01-10"],
        ...         "principal": [300.0], "term_months": [3], "repayment_method": ["equal_principal"],
        ...         "daily_rate": [0.0004], "purpose": ["business"]}),
        ...     installments=pd.DataFrame({"loan_id": ["L1"] * 3, "seq": [1, 2, 3],
        ...         "due_on": ["2024-02-10", "2024-03-10", "2024-04-10"],
        ...         "principal_due": [100.0] * 3, "interest_due": [12.0, 8.0, 4.0],
        ...         "paid_on": ["2024-02-09", "2024-03-09", None]}))
        >>> def owed(v):
        ...     o = (v.events("installments").running_sum("principal_due")
        ...          - v.events("installments", at="paid_on").running_sum("principal_due")).snap_to_zero()
        ...     return {"owed_now": o.now(), "owed_max_60": o.max(60)}
        >>> specs = tuple(FeatureSpec(name=n, family="mine", window=None, unit="CNY",
        ...     description="Principal outstanding.", description_zh="未还本金",
        ...     sources=("loans", "installments"), category="credit_history", nan_meaning="never NaN")
        ...     for n in ("owed_now", "owed_max_60"))
        >>> fam = FeatureFamily("mine", ("loans", "installments"), specs, owed)
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-15"]})
        >>> extract(rs, obs, families=[fam]).iloc[0].tolist()
        [100.0, 300.0]
        """
        self._any_column(column)
        return step_series(self._view, self._tl, self._column(column), "sum")

    def running_last(self, column: str) -> StepSeries:
        """The latest value of ``column`` as a step series of the status date ``t``.

        On status date ``t`` the series is ``column`` of the borrower's
        latest row known before ``t`` (canonical among same-day rows, as
        :meth:`last`): the value in force, such as the credit limit.

        Parameters
        ----------
        column : str
            A numeric column of the table.

        Returns
        -------
        StepSeries
            ``L(t) = x_r`` for the borrower's latest row ``r`` known on a
            day ``< t``; NaN (undefined) before the first row.

        Raises
        ------
        InvalidInputError
            When ``column`` is not a column of the table or is not numeric.

        Notes
        -----
        ``running_last(c).now()`` equals :meth:`last` bit for bit.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     credit_line_events=pd.DataFrame({"borrower_id": ["b1", "b1"],
        ...         "effective_on": ["2024-01-01", "2024-05-21"], "limit": [1000.0, 4000.0],
        ...         "daily_rate": [0.0004, 0.0004]}))
        >>> def limits(v):
        ...     limit = v.events("credit_line_events").running_last("limit")
        ...     return {"limit_mean_30": limit.mean(30), "limit_min_30": limit.min(30)}
        >>> specs = tuple(FeatureSpec(name=n, family="mine", window=None, unit="CNY",
        ...     description="Limit over 30 days.", description_zh="近30天额度",
        ...     sources=("credit_line_events",), category="credit_history", nan_meaning="no line")
        ...     for n in ("limit_mean_30", "limit_min_30"))
        >>> fam = FeatureFamily("mine", ("credit_line_events",), specs, limits)
        >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
        >>> extract(rs, obs, families=[fam]).iloc[0].tolist()
        [2100.0, 1000.0]

        The status dates May 3 to June 1: the 4000 limit holds from May 22
        (the day after it took effect), 11 days; 1000 on the other 19:
        ``(19 × 1000 + 11 × 4000) / 30 = 2100``.
        """
        self._any_column(column)
        return step_series(self._view, self._tl, self._column(column), "last")


class PointInTimeView:
    """What a family sees for a batch of observations: reductions over rows known before each ``as_of``.

    "Known" is the table's knowledge time: the event date for the built-in
    tables, the ``known_at`` column of a user table (see :meth:`events`).

    Not constructed directly: :func:`extract` builds one per family and
    passes it to the family's ``compute``.

    Parameters
    ----------
    ctx : Context
        The extraction's records, observations and shared memoised rows.
    family : str
        Name of the family the view serves (named in error messages).
    tables : tuple of str
        The tables the family declared: the only ones :meth:`events`,
        :meth:`profile` and :meth:`has` accept.
    windows : tuple of int
        The windows requested from :func:`extract`.

    Attributes
    ----------
    as_of : ndarray of datetime64[D]
        Each observation's date, in the caller's order.
    borrower_ids : ndarray
        Each observation's borrower, in the caller's order.
    windows : tuple of int
        The windows requested from :func:`extract`.

    Examples
    --------
    See :class:`FeatureFamily` and the "bring your own tables" guide.
    """

    __slots__ = ("_ctx", "_family", "_obs", "_segments", "_tables", "windows")

    def __init__(self, ctx: Context, family: str, tables: tuple[str, ...], windows: tuple[int, ...]) -> None:
        self._ctx = ctx
        self._obs = ctx.obs
        self._family = family
        self._tables = tables
        self._segments: dict[str, Segments] = {}
        self.windows = windows

    def __len__(self) -> int:
        return len(self._obs)

    def has(self, table: str) -> bool:
        """Whether the family may read ``table``: declared, held by the records and allowed by ``sources=``.

        A user family is extracted only when all its tables are available,
        so this is always true for its declared tables; a built-in family
        whose features read optional tables asks before reading them.

        Parameters
        ----------
        table : str
            A table the family declared.

        Returns
        -------
        bool
            True when the records hold ``table`` and ``sources=`` allows it.

        Raises
        ------
        InvalidInputError
            When the family did not declare ``table``.
        """
        self._check_table(table)
        return self._ctx.has(table)

    @property
    def as_of(self) -> np.ndarray:
        """Each observation's ``as_of`` (datetime64[D]), in the caller's order."""
        return self._obs.day.astype("datetime64[D]")

    @property
    def borrower_ids(self) -> np.ndarray:
        """Each observation's ``borrower_id``, in the caller's order (keys only, no data)."""
        ids: np.ndarray = self._ctx.records._shared("borrowers")["borrower_id"].to_numpy()[self._obs.code]  # type: ignore[index]
        return ids

    def _check_table(self, table: str) -> None:
        if table not in self._tables:
            raise V.fail(
                "PointInTimeView",
                "table",
                f"must be one the family {self._family!r} declared {self._tables}",
                repr(table),
                "Add it to FeatureFamily.tables.",
            )

    def events(self, table: str, *, at: str | None = None) -> Segments:
        """The per-observation segments of an event table: the rows known before ``as_of``.

        A row belongs to an observation's segment iff its borrower is the
        observation's and its knowledge time falls on a day before ``as_of``;
        windows ``[as_of - w, as_of)``, trend blocks and ``days_since_last``
        count in knowledge days too. The knowledge time is:

        * the event date for the built-in event tables (:data:`EVENT_DATE`);
        * for ``installments``, the drawdown date of the instalment's loan
          (the schedule is known from the drawdown), so a family reading
          them declares ``loans`` too;
        * the ``known_at`` column of a user table, which may be later than
          its event date: an invoice issued on the 3rd and reported on the
          15th is in no segment before the 16th, and counts in the 30-day
          window from the 15th.

        Rows of one borrower known on the same day come in canonical order:
        by row content, except the instalments, which come loan by loan (the
        loans in the order of their drawdown time, then of a hash of their
        ``loan_id``), each loan's in ``seq`` order.

        Columns that record a later event (:data:`REVEALED`: an instalment's
        ``paid_on``) are left out of these segments. ``at=column`` reads the
        rows as events of that date instead: a row's knowledge time becomes
        the later of its own and ``column``, and rows without a ``column``
        date are in no segment. ``events("installments", at="paid_on")`` are
        the payments, each known from its payment day.

        Parameters
        ----------
        table : str
            A table the family declared.
        at : str, optional
            A date column of the table whose date the rows are read at.

        Returns
        -------
        Segments
            Memoised per ``(table, at)`` for the extraction.

        Raises
        ------
        InvalidInputError
            When the family did not declare ``table`` (or ``loans`` with
            ``installments``), the table has no knowledge time
            (``borrowers``: use :meth:`profile`), or ``at`` is not a date
            column of the table.

        Examples
        --------
        >>> import pandas as pd
        >>> from jiebei_credit.records import RecordSet
        >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
        >>> rs = RecordSet.from_frames(
        ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
        ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
        ...     loans=pd.DataFrame({"loan_id": ["L1"], "borrower_id": ["b1"], "drawn_on": ["2024-01-10"],
        ...         "principal": [300.0], "term_months": [3], "repayment_method": ["equal_principal"],
        ...         "daily_rate": [0.0004], "purpose": ["business"]}),
        ...     installments=pd.DataFrame({"loan_id": ["L1"] * 3, "seq": [1, 2, 3],
        ...         "due_on": ["2024-02-10", "2024-03-10", "2024-04-10"],
        ...         "principal_due": [100.0] * 3, "interest_due": [12.0, 8.0, 4.0],
        ...         "paid_on": ["2024-02-09", "2024-03-20", None]}))
        >>> spec = [FeatureSpec(name=n, family="mine", window=None, unit="CNY", description=d,
        ...     description_zh=d, sources=("loans", "installments"), category="credit_history",
        ...     nan_meaning="never NaN") for n, d in [("scheduled", "Principal scheduled."),
        ...     ("repaid", "Principal repaid.")]]
        >>> fam = FeatureFamily("mine", ("loans", "installments"), tuple(spec), lambda v: {
        ...     "scheduled": v.events("installments").sum("principal_due"),
        ...     "repaid": v.events("installments", at="paid_on").sum("principal_due")})
        >>> obs = pd.DataFrame({"borrower_id": ["b1"] * 2, "as_of": ["2024-03-01", "2024-06-01"]})
        >>> extract(rs, obs, families=[fam])[["scheduled", "repaid"]].to_numpy().tolist()
        [[300.0, 100.0], [300.0, 200.0]]
        """
        self._check_table(table)
        records = self._ctx.records
        user = table in records.user_tables
        if table not in EVENT_DATE and table != "installments" and not user:
            raise V.fail(
                "PointInTimeView",
                "table",
                "must be an event table (one with a knowledge time): "
                f"{sorted([*EVENT_DATE, 'installments'])} or a user table of the records",
                repr(table),
                "Read borrowers with profile().",
            )
        if table == "installments" and "loans" not in self._tables:
            raise V.fail(
                "PointInTimeView",
                "table",
                f"'installments' needs 'loans' (an instalment is known from its loan's drawdown); family "
                f"{self._family!r} declared {self._tables}",
                "'installments' without 'loans'",
                "Add 'loans' to FeatureFamily.tables.",
            )
        memo = table if at is None else f"{table}@{at}"
        if memo not in self._segments:
            # The rows and their canonical order depend on the table alone, not on the family:
            # built once per extraction and shared by the views of every family.
            frame, revealed, timeline = self._ctx.memo(f"view:{memo}", lambda: self._rows(table, at, user))
            seg = Segments.__new__(Segments)
            seg._setup(self, frame, timeline)
            seg._revealed = revealed
            self._segments[memo] = seg
        return self._segments[memo]

    def _rows(self, table: str, at: str | None, user: bool) -> tuple[pd.DataFrame, pd.DataFrame, Timeline]:
        """The rows of ``table`` read at ``at``, their later-event columns, and their canonical order."""
        frame = self._ctx.table(table)
        hidden = [c for c in REVEALED.get(table, ()) if c in frame.columns] if at is None else []
        if table == "installments" and at is None:
            # Instalments known on one day come loan by loan (the loans' canonical order: drawdown
            # time, then a hash of the loan id), each loan's in seq order: the order of the
            # extraction's shared instalment index, reused rather than sorted again.
            return frame.drop(columns=hidden), frame[hidden], self._ctx.installments().timeline
        day, borrower = self._knowledge(table, frame, user)
        revealed = frame[hidden]
        if hidden:
            frame = frame.drop(columns=hidden)
        if at is not None:
            if at not in frame.columns or not pd.api.types.is_datetime64_any_dtype(frame[at]):
                dates = [str(c) for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
                raise V.fail(
                    "PointInTimeView",
                    "at",
                    f"must be a date column of {table!r}",
                    repr(at),
                    f"Use one of {dates}.",
                )
            event = day_numbers(frame[at].to_numpy())
            keep = event != NEVER
            frame = frame[keep]
            revealed = revealed[keep]
            day = np.maximum(day[keep], event[keep])
            borrower = borrower[keep]
        seg = Segments(self, frame, day, borrower, revealed)
        return seg._frame, seg._revealed, seg._tl

    def _knowledge(self, table: str, frame: pd.DataFrame, user: bool) -> tuple[IntArray, IntArray]:
        """Knowledge day and borrower code of each row of ``table`` (original row order)."""
        if table == "installments":
            loans = self._ctx.loans()
            row = positions(self._ctx.table("loans")["loan_id"], frame["loan_id"])
            return loans.drawn[row], loans.borrower[row]
        schema = self._ctx.records.schema(table)
        known = EVENT_DATE[table] if not user else schema.known_at
        key = schema.borrower_key
        if known is None or key is None:  # pragma: no cover - RecordSet requires both of a user table
            raise V.fail("PointInTimeView", "table", "must have known_at and borrower_key", repr(table))
        return day_numbers(frame[known].to_numpy()), self._borrower_codes(table, key)

    def _borrower_codes(self, table: str, key: str) -> IntArray:
        """Row position in ``borrowers`` of each row's borrower (memoised per extraction)."""
        if key == "borrower_id":
            return self._ctx.borrower_codes(table)
        ctx = self._ctx

        def build() -> IntArray:
            known = ctx.records._shared("borrowers")["borrower_id"]  # type: ignore[index]
            return positions(known, ctx.table(table)[key])

        return ctx.memo(f"codes:{table}:{key}", build)

    def profile(self, column: str) -> np.ndarray:
        """A column of the ``borrowers`` table, one value per observation (static attributes).

        Parameters
        ----------
        column : str
            A column of the ``borrowers`` table, e.g. ``"business_type"``.

        Returns
        -------
        ndarray
            The value of each observation's borrower, in the caller's order,
            with the column's dtype (missing values as the column holds them).

        Raises
        ------
        InvalidInputError
            When the family did not declare ``borrowers``, or ``column`` is
            not a column of it.
        """
        self._check_table("borrowers")
        frame = self._ctx.table("borrowers")
        if column not in frame.columns:
            raise V.fail(
                "PointInTimeView",
                "column",
                "must be a borrowers column",
                repr(column),
                f"Use one of {list(frame.columns)}.",
            )
        out: np.ndarray = frame[column].to_numpy()[self._obs.code]
        return out
