"""Shared as-of and window primitives: day numbers, sorted timelines, range reductions.

Every feature is built from three operations on tables sorted once:

* a :class:`Timeline` sorts events by ``(group, day)`` and answers "how many
  events of this group fall before day ``t``" with one ``searchsorted`` per
  query, so a window ``[t - w, t)`` is two lookups and a windowed sum is two
  lookups into a cumulative sum;
* :func:`range_reduce` applies a ufunc (max, min) to many contiguous ranges
  of a sorted array with one ``reduceat``;
* :func:`expand` lists ``(observation, item)`` pairs when a feature needs the
  status of each item at each observation date (instalments).

Dates are integer day numbers (days since 1970-01-01). Visibility is always
``event_day < as_of_day``; for a timestamp, ``floor(timestamp) < as_of`` is
the same test because ``as_of`` is a midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from jiebei_credit._keys import order_by

__all__ = [
    "BLOCK_DAYS",
    "MONTH_DAYS",
    "NEVER",
    "FloatArray",
    "IntArray",
    "Timeline",
    "chunk_bounds",
    "csum",
    "day_numbers",
    "expand",
    "padded",
    "per_owner",
    "range_reduce",
    "range_sum",
    "safe_div",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
#: Tie keys computed for some original rows only: rows -> keys aligned with them.
TieKeys = Callable[[npt.NDArray[np.intp]], Sequence[npt.ArrayLike]]

#: Day number standing for "never" (an instalment not paid yet): later than any real date.
NEVER: Final = 2**40
#: Length of a "month" block in cash-flow features (days).
BLOCK_DAYS: Final = 30
#: Mean Gregorian month in days, for ages in months (365.25 / 12).
MONTH_DAYS: Final = 30.4375
#: Largest key a timeline may build (keeps ``group * span + day`` inside int64).
_KEY_LIMIT: Final = 2**62


def day_numbers(values: Any) -> IntArray:
    """Whole days since 1970-01-01 (floored), with missing dates as :data:`NEVER`.

    Examples
    --------
    >>> import numpy as np
    >>> day_numbers(np.array(["1970-01-02T23:00", "NaT"], dtype="datetime64[ns]")).tolist()
    [1, 1099511627776]
    """
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = arr.astype("datetime64[ns]")
    out: IntArray = arr.astype("datetime64[D]").view(np.int64).copy()
    missing = np.isnat(arr)
    if missing.any():
        out[missing] = NEVER
    return out


def csum(values: npt.ArrayLike) -> FloatArray:
    """Cumulative sum with a leading zero: ``csum(v)[j] - csum(v)[i] == v[i:j].sum()``."""
    v = np.asarray(values, dtype=np.float64)
    out = np.empty(v.size + 1, dtype=np.float64)
    out[0] = 0.0
    np.cumsum(v, out=out[1:])
    return out


def per_owner(owner: IntArray, weights: npt.ArrayLike, size: int) -> FloatArray:
    """Sum of ``weights`` per owner ``0..size-1`` (``np.bincount`` as float64)."""
    w = np.asarray(weights, dtype=np.float64)
    return np.bincount(owner, weights=w, minlength=size).astype(np.float64, copy=False)


def safe_div(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` with NaN where ``den`` is 0 or NaN (no warning)."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = np.isfinite(den) & (den != 0)
    np.divide(num, den, out=out, where=ok)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class Timeline:
    """Events sorted by ``(group, day)`` for as-of lookups.

    Attributes
    ----------
    order : ndarray of intp
        ``order[k]`` is the original row of the k-th event in sorted order.
    key : ndarray of int64
        Sorted composite keys ``group * span + (day - day0)``.
    day0, span : int
        Offset and stride of the day part of the key.
    """

    order: npt.NDArray[np.intp]
    key: IntArray
    day0: int
    span: int

    @classmethod
    def build(
        cls,
        groups: IntArray,
        days: IntArray,
        *,
        presorted: bool = False,
        ties: Sequence[npt.ArrayLike] | TieKeys = (),
        then: TieKeys | None = None,
    ) -> Timeline:
        """Sort events of non-negative integer ``groups`` by group, then day, then ``ties``.

        ``ties`` are per-row content keys, most significant first, that order
        events of one group on one day canonically, whatever the input order
        (rows equal on every tie key are interchangeable for the caller).
        Without ties the sort is stable. ``ties`` may also be a function of
        an array of original rows returning their keys: it is called once,
        with only the rows that share their ``(group, day)`` with another row,
        so a costly key (a hash of the row content) is computed for those
        alone. ``then`` is a further such function, called once with only
        the rows still tied after ``ties`` (equal group, day and every
        ``ties`` key): the order is the lexicographic order of
        ``(group, day, *ties, *then)`` either way, and a key that is costly
        to compute (a hash of text columns) is left to the few rows that
        need it. ``presorted=True`` declares the events already in that
        order (no sort); keys found already sorted are not sorted again.
        """
        groups = np.asarray(groups, dtype=np.int64)
        days = np.asarray(days, dtype=np.int64)
        if days.size:
            day0, day1 = int(days.min()), int(days.max())
        else:
            day0 = day1 = 0
        span = day1 - day0 + 2
        top = int(groups.max()) + 1 if groups.size else 1
        if top * span >= _KEY_LIMIT:  # pragma: no cover - needs > 10**13 groups
            raise OverflowError("too many groups for a timeline key")
        key = groups * span + (days - day0)
        if presorted:
            return cls(order=np.arange(key.size, dtype=np.intp), key=key, day0=day0, span=span)
        if key.size < 2 or bool(np.all(key[1:] >= key[:-1])):
            order: npt.NDArray[np.intp] = np.arange(key.size, dtype=np.intp)  # already in key order
        else:
            order = np.argsort(key, kind="stable")
        stages = ([ties] if callable(ties) or len(ties) else []) + ([then] if then is not None else [])
        sorted_key = key[order]  # tie keys only reorder rows of equal key: this stays the sorted key
        pos = np.arange(key.size, dtype=np.intp)
        run = sorted_key
        for stage in stages:
            # Only rows tied with another row on every key so far need the next keys.
            same = run[1:] == run[:-1]
            if not same.any():
                break
            tied = np.zeros(run.size, dtype=bool)
            tied[1:] |= same
            tied[:-1] |= same
            pos, run = pos[tied], run[tied]
            rows = order[pos]
            given = stage(rows) if callable(stage) else [np.asarray(t)[rows] for t in stage]
            keys = [np.asarray(t) for t in given]
            perm = _sort_runs(run, keys)
            order[pos] = rows[perm]
            # Runs keep their place (``run`` is non-decreasing); split them where a key changes.
            same = run[1:] == run[:-1]
            for k in keys:
                same &= _equal_neighbours(k[perm])
            run = np.zeros(run.size, dtype=np.int64)
            np.cumsum(~same, out=run[1:])
        return cls(order=order, key=sorted_key, day0=day0, span=span)

    def __len__(self) -> int:
        return int(self.key.size)

    def query(self, groups: IntArray, days: IntArray | int) -> IntArray:
        """Sorted position of the first event of ``groups`` on or after ``days``.

        Events of the group before that position are exactly those with
        ``day < days``; a window ``[a, b)`` is ``query(g, b) - query(g, a)``.
        """
        rel = np.clip(np.asarray(days, dtype=np.int64) - self.day0, 0, self.span - 1)
        q = np.asarray(groups, dtype=np.int64) * self.span + rel
        return np.searchsorted(self.key, q, side="left").astype(np.int64)

    def start(self, groups: IntArray) -> IntArray:
        """Sorted position of the group's first event (its end when it has none)."""
        q = np.asarray(groups, dtype=np.int64) * self.span
        return np.searchsorted(self.key, q, side="left").astype(np.int64)

    def end(self, groups: IntArray) -> IntArray:
        """Sorted position just after the group's last event."""
        q = (np.asarray(groups, dtype=np.int64) + 1) * self.span
        return np.searchsorted(self.key, q, side="left").astype(np.int64)

    def days(self) -> IntArray:
        """Day numbers of the events in sorted order."""
        out: IntArray = self.key % self.span + self.day0
        return out

    def day_at(self, positions: IntArray) -> IntArray:
        """Day numbers of the events at sorted ``positions`` (``days()[positions]`` without the rest)."""
        out: IntArray = self.key[positions] % self.span + self.day0
        return out

    def groups(self) -> IntArray:
        """Groups of the events in sorted order."""
        out: IntArray = self.key // self.span
        return out

    def take(self, values: npt.ArrayLike) -> npt.NDArray[Any]:
        """``values`` (one per original row) in sorted order."""
        return np.asarray(values)[self.order]


def _equal_neighbours(values: npt.NDArray[Any]) -> BoolArray:
    """``values[i + 1] == values[i]`` for each i, NaN equal to NaN (a key, not a measurement)."""
    out: BoolArray = values[1:] == values[:-1]
    if values.dtype.kind in "fc":
        out |= np.isnan(values[1:]) & np.isnan(values[:-1])
    return out


def _sort_runs(run_key: IntArray, keys: Sequence[npt.NDArray[Any]]) -> npt.NDArray[np.intp]:
    """``np.lexsort((*reversed(keys), run_key))`` for a non-decreasing ``run_key``, the same permutation.

    With one tie key (a row hash, spanning all of int64), the runs are
    numbered and the key replaced by its stable rank, both below ``n``, so
    :func:`~jiebei_credit._keys.order_by` can pack them into one int64.
    """
    if len(keys) != 1:
        out: npt.NDArray[np.intp] = np.lexsort((*reversed(keys), run_key))
        return out
    n = run_key.size
    run = np.zeros(n, dtype=np.int64)
    np.cumsum(run_key[1:] != run_key[:-1], out=run[1:])
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(keys[0], kind="stable")] = np.arange(n, dtype=np.int64)
    return order_by(run, rank)

def range_reduce(
    ufunc: np.ufunc,
    values: npt.NDArray[Any],
    lo: IntArray,
    hi: IntArray,
    empty: float,
    *,
    padded: bool = False,
) -> FloatArray:
    """``ufunc.reduce(values[lo[i]:hi[i]])`` for every i, ``empty`` where the range is empty.

    One ``reduceat`` over the ranges sorted by start: the work is the total
    length of the ranges plus at most ``len(values)``.

    Examples
    --------
    >>> import numpy as np
    >>> v = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    >>> range_reduce(np.maximum, v, np.array([0, 2, 3]), np.array([2, 2, 5]), np.nan).tolist()
    [3.0, nan, 5.0]
    """
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    out = np.full(lo.size, empty, dtype=np.float64)
    ok = hi > lo
    if not ok.any():
        return out
    starts, stops = lo[ok], hi[ok]
    by_start = np.argsort(starts, kind="stable")
    bounds = np.empty(2 * starts.size, dtype=np.intp)
    bounds[0::2] = starts[by_start]
    bounds[1::2] = stops[by_start]
    # reduceat needs every bound below the length: a trailing element makes ``stop == len`` valid.
    # ``padded=True`` declares that ``values`` (float64) already ends with one extra element.
    full = np.asarray(values) if padded else np.append(np.asarray(values, dtype=np.float64), 0.0)
    reduced = ufunc.reduceat(full, bounds)[0::2]
    got = np.empty(starts.size, dtype=np.float64)
    got[by_start] = reduced
    out[ok] = got
    return out


def range_sum(values: npt.ArrayLike, lo: IntArray, hi: IntArray) -> FloatArray:
    """``values[lo[i]:hi[i]].sum()`` for every i, 0.0 where the range is empty.

    Each sum reads only the values of its range, in order: ``np.add.reduceat``
    reduces a segment by its offset within the segment, never by its position
    in the array, so the bits of a window sum do not depend on what lies
    outside it (other borrowers, later rows). A difference of two cumulative
    sums would carry the rounding of every earlier row of the table.

    Examples
    --------
    >>> import numpy as np
    >>> range_sum(np.array([0.1, 0.2, 0.3]), np.array([0, 1, 2]), np.array([2, 3, 2])).tolist()
    [0.30000000000000004, 0.5, 0.0]
    """
    return range_reduce(np.add, np.asarray(values, dtype=np.float64), lo, hi, 0.0)


def padded(values: npt.ArrayLike) -> FloatArray:
    """``values`` as float64 with one trailing 0.0, for ``range_reduce(..., padded=True)``."""
    out: FloatArray = np.append(np.asarray(values, dtype=np.float64), 0.0)
    return out


def expand(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """All ``(owner, item)`` pairs with ``lo[owner] <= item < hi[owner]``, owner-major.

    Examples
    --------
    >>> import numpy as np
    >>> owner, item = expand(np.array([5, 0, 2]), np.array([7, 0, 3]))
    >>> owner.tolist(), item.tolist()
    ([0, 0, 2], [5, 6, 2])
    """
    lo = np.asarray(lo, dtype=np.int64)
    length = np.maximum(np.asarray(hi, dtype=np.int64) - lo, 0)
    owner = np.repeat(np.arange(lo.size, dtype=np.int64), length)
    first = np.cumsum(length) - length
    item = np.arange(owner.size, dtype=np.int64) + np.repeat(lo - first, length)
    return owner, item


def chunk_bounds(sizes: IntArray, budget: int) -> Iterator[tuple[int, int]]:
    """Split owners ``0..n`` into consecutive runs whose ``sizes`` add up to about ``budget``.

    Each run holds at least one owner, so a single large owner still gets a run.
    """
    total = np.cumsum(np.asarray(sizes, dtype=np.int64))
    n = int(total.size)
    begin = 0
    while begin < n:
        before = int(total[begin - 1]) if begin else 0
        stop = int(np.searchsorted(total, before + budget, side="right"))
        stop = max(stop, begin + 1)
        yield begin, min(stop, n)
        begin = stop
