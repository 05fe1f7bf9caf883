"""Per-(observation, row) computations over the point-in-time view: :class:`Pairs`.

:meth:`Segments.map_pairs` hands a family's function one :class:`Pairs` per
contiguous chunk of observations: one entry per (observation, row of its
segment), in canonical order, with the row's columns, the observation's
``as_of`` and the later-event columns (:data:`REVEALED`) masked per pair,
so that a family can compute a status of every row at every ``as_of``
(an instalment paid or past due) and reduce it per observation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._keys import order_by
from jiebei_credit.features._kernels import (
    NEVER,
    FloatArray,
    IntArray,
    chunk_bounds,
    day_numbers,
    expand,
    range_reduce,
)

__all__ = ["PAIR_BUDGET", "Pairs", "run_pairs"]

#: Default largest number of (observation, row) pairs held in memory at once.
PAIR_BUDGET: Final = 4_000_000

_FUNC: Final = "PointInTimeView"


class _Columns:
    """The table's columns converted once per :meth:`Segments.map_pairs` call (original row order)."""

    __slots__ = ("_cache", "frame", "revealed")

    def __init__(self, frame: pd.DataFrame, revealed: pd.DataFrame) -> None:
        self.frame = frame
        self.revealed = revealed
        self._cache: dict[tuple[str, str], npt.NDArray[Any]] = {}

    def _series(self, name: object) -> pd.Series:
        if isinstance(name, str) and name in self.frame.columns:
            return self.frame[name]
        if isinstance(name, str) and name in self.revealed.columns:
            return self.revealed[name]
        columns = [*map(str, self.frame.columns), *map(str, self.revealed.columns)]
        raise V.fail(_FUNC, "column", "must be a column of the table", repr(name), f"Use one of {columns}.")

    def get(self, kind: str, name: str) -> npt.NDArray[Any]:
        key = (kind, name)
        if key not in self._cache:
            s = self._series(name)
            if kind == "numeric":
                if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_complex_dtype(s):
                    raise V.fail(_FUNC, "column", f"must be numeric for Pairs.column; {name!r} is not",
                                 str(s.dtype), "Use Pairs.dates for dates, Pairs.codes for labels.")
                self._cache[key] = s.to_numpy(dtype=np.float64, na_value=np.nan)
            elif kind == "dates":
                if not pd.api.types.is_datetime64_any_dtype(s):
                    raise V.fail(_FUNC, "column", f"must be a date column for Pairs.dates; {name!r} is not",
                                 str(s.dtype), "Use Pairs.column for numbers, Pairs.codes for labels.")
                days = day_numbers(s.to_numpy()).astype(np.float64)
                days[days == float(NEVER)] = np.nan
                self._cache[key] = days
            else:
                if name in self.revealed.columns:
                    raise V.fail(_FUNC, "column", "must not be a later-event column for Pairs.codes",
                                 repr(name), "Read it with Pairs.dates (masked per pair).")
                codes, _ = pd.factorize(s, use_na_sentinel=True)
                self._cache[key] = np.asarray(codes, dtype=np.int64)
        return self._cache[key]


class Pairs:
    """One chunk of (observation, row) pairs of :meth:`Segments.map_pairs`.

    Pair ``k`` joins observation ``owner[k]`` of the chunk (0 to
    ``observations - 1``, in the caller's order) with one row of that
    observation's segment. The pairs of an observation are contiguous and
    in the segment's canonical order (knowledge day, then as
    :meth:`PointInTimeView.events` states: instalments loan by loan, each
    loan's in ``seq`` order), so every reduction below is a function of the
    observation's own rows only.

    Not constructed directly: :meth:`Segments.map_pairs` builds one per chunk
    and passes it to the family's function.

    Parameters
    ----------
    columns : _Columns
        The table's columns (and later-event columns), converted once per
        :meth:`Segments.map_pairs` call, in the table's original row order.
    order : ndarray of intp
        Original row of each position of the segments' canonical (sorted)
        order.
    days : ndarray of int64
        Knowledge day of each row in sorted order (days since 1970-01-01).
    lo : ndarray of int64
        First sorted position of each observation's rows (window start).
    hi : ndarray of int64
        One past the last sorted position of each observation's rows; an
        observation with ``hi <= lo`` has no pair.
    as_of : ndarray of int64
        Each observation's ``as_of`` of the chunk (days since 1970-01-01).

    Attributes
    ----------
    owner : ndarray of int64
        The observation of each pair, by position in the chunk.
    as_of : ndarray of float64
        The observation's ``as_of`` of each pair, in days since 1970-01-01.
    known : ndarray of float64
        The row's knowledge day of each pair (days since 1970-01-01; for
        instalments, the loan's drawdown day).
    observation_as_of : ndarray of float64
        The ``as_of`` of each observation of the chunk (days since 1970-01-01).
    observations : int
        Number of observations in the chunk (some may have no pair).

    Notes
    -----
    Dates are day numbers (days since 1970-01-01, float64, NaN when
    missing), so ``pairs.as_of - pairs.dates("due_on")`` is the days from a
    due date to ``as_of``. A later-event column (:data:`REVEALED`, an
    instalment's ``paid_on``) is masked per pair: its value is kept iff it
    is before the pair's ``as_of``, and is NaN ("not yet") otherwise.

    Examples
    --------
    See :meth:`Segments.map_pairs`.
    """

    __slots__ = (
        "_columns",
        "_item",
        "_rows",
        "_start",
        "_stop",
        "as_of",
        "known",
        "observation_as_of",
        "observations",
        "owner",
    )

    def __init__(
        self, columns: _Columns, order: npt.NDArray[np.intp], days: IntArray, lo: IntArray, hi: IntArray,
        as_of: IntArray,
    ) -> None:
        owner, item = expand(lo, hi)
        length = np.maximum(hi - lo, 0)
        self._stop = np.cumsum(length)
        self._start = self._stop - length
        self._columns = columns
        self._item = item
        self._rows = order[item]
        self.owner = owner
        self.observations = int(lo.size)
        self.observation_as_of = as_of.astype(np.float64)
        self.as_of = self.observation_as_of[owner]
        self.known = days[item].astype(np.float64)

    def __len__(self) -> int:
        return int(self.owner.size)

    def column(self, name: str) -> FloatArray:
        """A numeric (or boolean) column of the table, one float64 per pair (NaN when missing).

        Parameters
        ----------
        name : str
            A numeric or boolean column of the table.

        Returns
        -------
        ndarray of float64
            The row's value of each pair, booleans as 0.0 / 1.0; NaN where
            the value is missing.

        Raises
        ------
        InvalidInputError
            When ``name`` is not a numeric column of the table.
        """
        out: FloatArray = self._columns.get("numeric", name)[self._rows]
        return out

    def dates(self, name: str) -> FloatArray:
        """A date column as day numbers per pair (NaN when missing); later-event columns masked.

        A column of :data:`REVEALED` keeps its value only where it is before
        the pair's ``as_of``; elsewhere it is NaN, as it is not known yet.

        Parameters
        ----------
        name : str
            A date column of the table, or a later-event column such as
            ``"paid_on"``.

        Returns
        -------
        ndarray of float64
            The row's date of each pair in days since 1970-01-01; NaN where
            the date is missing or (later-event column) not before the pair's
            ``as_of``.

        Raises
        ------
        InvalidInputError
            When ``name`` is not a date column of the table.
        """
        out: FloatArray = self._columns.get("dates", name)[self._rows]
        if name in self._columns.revealed.columns:
            out[~(out < self.as_of)] = np.nan  # NaN compares False: stays missing
        return out

    def codes(self, name: str) -> IntArray:
        """Integer codes of any column (labels, ids), equal iff the values are; -1 when missing.

        Codes only compare for equality: their values depend on the whole
        table, so use them to group or count distinct values, never as numbers.

        Parameters
        ----------
        name : str
            Any column of the table except a later-event column.

        Returns
        -------
        ndarray of int64
            The code of the row's value of each pair; -1 where it is missing.

        Raises
        ------
        InvalidInputError
            When ``name`` is not a column of the table, or is a later-event
            column (read those with :meth:`dates`).
        """
        out: IntArray = self._columns.get("codes", name)[self._rows]
        return out

    def _per_pair(self, values: npt.ArrayLike, name: str) -> npt.NDArray[Any]:
        arr = np.asarray(values)
        if arr.shape != self.owner.shape or arr.dtype.kind not in "biuf":
            raise V.fail(_FUNC, name, "must be a real (or boolean) array with one value per pair",
                         f"shape {arr.shape}, dtype {arr.dtype}; expected ({self.owner.size},)",
                         "Compute it from the Pairs columns.")
        return arr

    def sum(self, values: npt.ArrayLike) -> FloatArray:
        """Per observation: ``Σ_k values[k]`` over its pairs in pair order; 0 with none, NaN propagates.

        Parameters
        ----------
        values : array-like of float or bool, shape (len(pairs),)
            One real (or boolean) value per pair.

        Returns
        -------
        ndarray of float64, shape (observations,)
            The sum over each observation's pairs, added in pair order; 0 for
            an observation without pairs, NaN when one of its values is NaN.

        Raises
        ------
        InvalidInputError
            When ``values`` is not a real or boolean array with one value per
            pair.
        """
        arr = self._per_pair(values, "values").astype(np.float64, copy=False)
        out = np.bincount(self.owner, weights=arr, minlength=self.observations)
        return out.astype(np.float64, copy=False)

    def count(self, flags: npt.ArrayLike) -> FloatArray:
        """Per observation: the number of its pairs where ``flags`` is true (0 with none).

        Parameters
        ----------
        flags : array-like of bool, shape (len(pairs),)
            One flag per pair; a non-zero number counts as true.

        Returns
        -------
        ndarray of float64, shape (observations,)
            Exact counts, 0 for an observation without pairs (never NaN).

        Raises
        ------
        InvalidInputError
            When ``flags`` is not a boolean or real array with one value per
            pair.
        """
        hits = np.flatnonzero(self._per_pair(flags, "flags"))  # pairs of an observation are contiguous
        found = np.searchsorted(hits, self._stop) - np.searchsorted(hits, self._start)
        out: FloatArray = found.astype(np.float64)
        return out

    def min(self, values: npt.ArrayLike, empty: float = np.nan) -> FloatArray:
        """Per observation: the smallest non-missing value of its pairs; ``empty`` when there is none.

        Parameters
        ----------
        values : array-like of float or bool, shape (len(pairs),)
            One real (or boolean) value per pair; NaN values are skipped.
        empty : float, default nan
            The result for an observation with no pair or only NaN values
            (a real number, infinities allowed).

        Returns
        -------
        ndarray of float64, shape (observations,)
            The smallest non-NaN value of each observation's pairs; ``empty``
            (NaN by default: nothing to compare) where there is none.

        Raises
        ------
        InvalidInputError
            When ``values`` is not a real or boolean array with one value per
            pair, or ``empty`` is not a real number.
        """
        return self._extreme(np.fmin, values, empty)

    def max(self, values: npt.ArrayLike, empty: float = np.nan) -> FloatArray:
        """Per observation: the largest non-missing value of its pairs; ``empty`` when there is none.

        Parameters
        ----------
        values : array-like of float or bool, shape (len(pairs),)
            One real (or boolean) value per pair; NaN values are skipped.
        empty : float, default nan
            The result for an observation with no pair or only NaN values
            (a real number, infinities allowed).

        Returns
        -------
        ndarray of float64, shape (observations,)
            The largest non-NaN value of each observation's pairs; ``empty``
            (NaN by default: nothing to compare) where there is none.

        Raises
        ------
        InvalidInputError
            When ``values`` is not a real or boolean array with one value per
            pair, or ``empty`` is not a real number.
        """
        return self._extreme(np.fmax, values, empty)

    def _extreme(self, ufunc: np.ufunc, values: npt.ArrayLike, empty: float) -> FloatArray:
        arr = self._per_pair(values, "values").astype(np.float64, copy=False)
        e = np.nan if _is_nan(empty) else V.real(empty, func=_FUNC, name="empty", allow_inf=True)
        out = range_reduce(ufunc, arr, self._start, self._stop, np.nan)
        out[np.isnan(out)] = e
        return out

    def count_distinct(self, codes: npt.ArrayLike, where: npt.ArrayLike | None = None) -> FloatArray:
        """Per observation: the number of distinct non-negative ``codes`` among its pairs where ``where``.

        Parameters
        ----------
        codes : array-like of int, shape (len(pairs),)
            One integer code per pair, e.g. from :meth:`codes`; negative codes
            (missing values) are not counted.
        where : array-like of bool, shape (len(pairs),), optional
            Count only the pairs flagged here; by default every pair.

        Returns
        -------
        ndarray of float64, shape (observations,)
            Exact counts, 0 for an observation without such a pair (never
            NaN).

        Raises
        ------
        InvalidInputError
            When ``codes`` is not an integer array with one value per pair, or
            ``where`` is not a boolean or real array with one value per pair.
        """
        c = self._per_pair(codes, "codes")
        if c.dtype.kind not in "iu":
            raise V.fail(_FUNC, "codes", "must be integers (e.g. from Pairs.codes)", str(c.dtype),
                         "Pass Pairs.codes(column).")
        keep = c >= 0
        if where is not None:
            keep &= self._per_pair(where, "where").astype(bool, copy=False)
        owner, g = self.owner[keep], c[keep].astype(np.int64)
        order = order_by(owner, g)
        owner, g = owner[order], g[order]
        first = np.ones(owner.size, dtype=bool)
        first[1:] = (owner[1:] != owner[:-1]) | (g[1:] != g[:-1])
        return np.bincount(owner[first], minlength=self.observations).astype(np.float64)

    def order(self, *keys: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Pair positions sorted by observation, then by ``keys`` (first most significant); stable.

        Pairs equal on every key keep their canonical order, so the result
        depends only on each observation's own rows. ``pairs.order(pairs.codes("loan_id"),
        pairs.column("seq"))`` lists each observation's instalments loan by loan, in
        instalment order.

        Parameters
        ----------
        *keys : array-like of float, int or bool, shape (len(pairs),)
            Sort keys, one value per pair each, most significant first; with
            no key the result is the canonical order.

        Returns
        -------
        ndarray of intp, shape (len(pairs),)
            Pair positions: observation by observation (in chunk order), each
            observation's pairs sorted by the keys, ties in canonical order.

        Raises
        ------
        InvalidInputError
            When a key is not a real or boolean array with one value per pair.
        """
        arrays = [self._per_pair(k, "keys") for k in keys]
        return order_by(self.owner, *arrays)


def _is_nan(x: object) -> bool:
    return isinstance(x, float | np.floating) and bool(np.isnan(x))


Mapper = Callable[[Pairs], Mapping[str, Any]]


def run_pairs(
    fn: object, budget: object, *, frame: pd.DataFrame, revealed: pd.DataFrame, order: npt.NDArray[np.intp],
    days: IntArray, lo: IntArray, hi: IntArray, as_of: IntArray,
) -> dict[str, FloatArray]:
    """Call ``fn`` on the pairs of consecutive chunks of observations and assemble its results."""
    if not callable(fn):
        raise V.fail(_FUNC, "fn", "must be callable (Pairs -> mapping of name to array)",
                     type(fn).__name__, "Pass a function of Pairs.")
    b = V.integer(budget, func=_FUNC, name="budget", low=1,
                  fix="Give the most pairs held at once, e.g. 4_000_000.")
    columns = _Columns(frame, revealed)
    n = int(lo.size)
    bounds = list(chunk_bounds(hi - lo, b)) or [(0, 0)]
    out: dict[str, FloatArray] = {}
    names: tuple[str, ...] | None = None
    for a, z in bounds:
        got = fn(Pairs(columns, order, days, lo[a:z], hi[a:z], as_of[a:z]))
        if not isinstance(got, Mapping) or not all(isinstance(k, str) for k in got):
            raise V.fail(_FUNC, "fn", "must return a mapping of str name to array", type(got).__name__,
                         "Return {name: one value per observation of the chunk}.")
        if names is None:
            names = tuple(got)
            out = {k: np.full(n, np.nan) for k in names}
        elif tuple(got) != names:
            raise V.fail(_FUNC, "fn", "must return the same names for every chunk",
                         f"{sorted(got)} after {sorted(names)}", "Return every name every time.")
        for k, v in got.items():
            arr = np.asarray(v)
            if arr.shape != (z - a,) or arr.dtype.kind not in "biuf":
                raise V.fail(_FUNC, "fn", f"must return one real value per chunk observation for {k!r}",
                             f"shape {arr.shape}, dtype {arr.dtype}; expected ({z - a},)",
                             "Reduce per observation with Pairs.sum, count, min, max or count_distinct.")
            out[k][a:z] = arr
    return out
