"""Step series: per-borrower functions of the status date built from the rows known before it.

A status such as the outstanding principal or the limit in force is a
function of the status date ``t`` that only changes on the day after a row
becomes known: a step function per borrower. :class:`StepSeries` stores
each borrower's change points (the days from which a new value holds) and
the value from each, combines series point by point (the union of their
change points), and reduces them per observation over status dates with no
per-day loop: the value on ``as_of``, and the mean, maximum and minimum over
``(as_of - w, as_of]`` from per-step areas and one range reduction.

Every value of a borrower's series is built from that borrower's rows only:
running sums restart at each borrower (no table-wide cumulative sum, whose
rounding would mix in other borrowers), and the window reductions read only
the observation's own steps inside the window.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Real
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.features._kernels import BoolArray, FloatArray, IntArray, Timeline, range_reduce, range_sum

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["HALF_FEN", "StepSeries", "positive_ratio", "step_series"]

#: Money is kept in fen (0.01 CNY): a difference of two sums of amounts whose size is below half a
#: fen is rounding noise, not an amount (the default tolerance of :meth:`StepSeries.snap_to_zero`).
HALF_FEN: Final = 0.005

_FUNC: Final = "PointInTimeView"
_Op = Callable[[FloatArray, FloatArray], FloatArray]


def positive_ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` where ``den > 0``, NaN elsewhere (``den`` 0, negative or NaN), without a warning.

    Examples
    --------
    >>> import numpy as np
    >>> positive_ratio(np.array([1.0, 1.0, 1.0, np.nan]), np.array([4.0, 0.0, -2.0, 1.0])).tolist()
    [0.25, nan, nan, nan]
    """
    num, den = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    out = np.full(num.shape, np.nan)
    with np.errstate(over="ignore", under="ignore"):
        np.divide(num, den, out=out, where=den > 0)  # NaN > 0 is False: no warning
    return out


def _add(a: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(over="ignore", invalid="ignore"):
        out: FloatArray = np.add(a, b)
    return out


def _subtract(a: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(over="ignore", invalid="ignore"):
        out: FloatArray = np.subtract(a, b)
    return out


def _multiply(a: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        out: FloatArray = np.multiply(a, b)
    return out


def _union(a: StepSeries, b: StepSeries) -> tuple[Timeline, FloatArray, FloatArray]:
    """The change points of ``a`` and of ``b`` (sorted, no repeats), and both series' values there."""
    days = np.concatenate([a._day, b._day])
    groups = np.concatenate([a._group, b._group])
    if days.size == 0:
        return Timeline.build(groups, days), np.zeros(0), np.zeros(0)
    day0 = int(days.min())
    span = int(days.max()) - day0 + 2
    key = groups * span + (days - day0)
    from_a = np.zeros(key.size, dtype=bool)
    from_a[: a._day.size] = True
    # Two sorted runs: a stable sort merges them in linear time, ``a`` first among equal keys.
    order = np.argsort(key, kind="stable")
    key, from_a = key[order], from_a[order]
    # The latest change point of each series at or before each merged point ...
    pos_a = np.cumsum(from_a) - 1
    pos_b = np.cumsum(~from_a) - 1
    # ... read at the last of equal keys, where both series' points of that key are counted.
    last = np.ones(key.size, dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    key, pos_a, pos_b = key[last], pos_a[last], pos_b[last]
    group = key // span
    points = Timeline(order=np.arange(key.size, dtype=np.intp), key=key, day0=day0, span=span)
    return points, a._on(group, pos_a), b._on(group, pos_b)


def _group_cumsum(values: FloatArray, groups: IntArray) -> FloatArray:
    """Running sum of ``values`` within each run of equal ``groups`` (sorted), restarting at each group.

    Each group's sums read only its own values, in order, so their bits do
    not depend on the other groups. A missing value makes the sums NaN from
    that row to the group's end (as :meth:`Segments.sum` propagates NaN).
    """
    missing = np.isnan(values)
    filled = np.where(missing, 0.0, values)
    sums = pd.Series(filled, copy=False).groupby(groups, sort=False).cumsum()
    out: FloatArray = np.array(sums.to_numpy(), dtype=np.float64)
    if missing.any():
        first = np.ones(values.size, dtype=bool)
        first[1:] = groups[1:] != groups[:-1]
        group_start = np.maximum.accumulate(np.where(first, np.arange(values.size), 0))
        seen = np.cumsum(missing)
        before = seen[group_start] - missing[group_start]
        out[seen - before > 0] = np.nan
    return out


def step_series(
    view: PointInTimeView, rows: Timeline, values: FloatArray, how: Literal["sum", "last"]
) -> StepSeries:
    """The running sum or running last value of ``values`` (one per row of the sorted ``rows``).

    A row known on day ``d`` counts from status date ``d + 1``: the series
    changes on the day after the last row of each ``(borrower, day)`` run.
    """
    n = len(rows)
    end = np.ones(n, dtype=bool)
    if n > 1:
        end[:-1] = rows.key[1:] != rows.key[:-1]
    last_row = np.flatnonzero(end)
    groups = rows.groups()
    points = Timeline.build(groups[last_row], rows.days()[last_row] + 1, presorted=True)
    if how == "sum":
        return StepSeries(view, points, _group_cumsum(values, groups)[last_row], 0.0)
    return StepSeries(view, points, values[last_row], np.nan)


class StepSeries:
    """A per-borrower step function of the status date ``t``, read at each observation.

    The value of a borrower's series on ``t`` is built only from the
    borrower's rows known before ``t``. Series come from
    :meth:`Segments.running_sum` and :meth:`Segments.running_last`, combine
    with ``+``, ``-``, ``*`` and ``/`` (with another series of the same view,
    or a real number), and reduce to one value per observation with
    :meth:`now`, :meth:`mean`, :meth:`max` and :meth:`min`. Not constructed
    directly.

    Parameters
    ----------
    view : PointInTimeView
        The view whose observations the series is read at; only series of
        the same view combine.
    points : Timeline
        The change points, sorted by borrower then day: borrower code and
        the first status day (days since 1970-01-01) of each step.
    values : ndarray of float64
        The value from each change point on, aligned with ``points``; NaN
        where the series is undefined.
    initial : float
        The value before a borrower's first change point (0.0 for a running
        sum, NaN for a running last value).

    Notes
    -----
    A series is stored as change points: borrower ``b`` takes value ``v_k``
    on the status dates ``[t_k, t_{k+1})`` and an initial value ``v_0`` (0
    for a running sum, NaN for a running last value) before its first change
    point. NaN means "undefined on that day": the window reductions leave
    such days out.

    Operations are point by point: ``(x ∘ y)(t) = x(t) ∘ y(t)`` on the union
    of the two series' change points. Division is ``x(t) / y(t)`` where
    ``y(t) > 0`` and NaN elsewhere (a ratio to a limit, an amount or a
    count), so a missing or zero denominator never gives an infinity.

    Examples
    --------
    Utilisation: principal outstanding over the limit in force.

    >>> import pandas as pd
    >>> from jiebei_credit.records import RecordSet
    >>> from jiebei_credit.features import FeatureFamily, FeatureSpec, extract
    >>> rs = RecordSet.from_frames(
    ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
    ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
    ...     credit_line_events=pd.DataFrame({"borrower_id": ["b1"], "effective_on": ["2024-01-01"],
    ...         "limit": [1000.0], "daily_rate": [0.0004]}),
    ...     loans=pd.DataFrame({"loan_id": ["L1"], "borrower_id": ["b1"], "drawn_on": ["2024-01-10"],
    ...         "principal": [300.0], "term_months": [3], "repayment_method": ["equal_principal"],
    ...         "daily_rate": [0.0004], "purpose": ["business"]}),
    ...     installments=pd.DataFrame({"loan_id": ["L1"] * 3, "seq": [1, 2, 3],
    ...         "due_on": ["2024-02-10", "2024-03-10", "2024-04-10"],
    ...         "principal_due": [100.0] * 3, "interest_due": [12.0, 8.0, 4.0],
    ...         "paid_on": ["2024-02-09", "2024-03-09", None]}))
    >>> def util(v):
    ...     owed = (v.events("installments").running_sum("principal_due")
    ...             - v.events("installments", at="paid_on").running_sum("principal_due"))
    ...     u = owed.snap_to_zero() / v.events("credit_line_events").running_last("limit")
    ...     return {"u_now": u.now(), "u_mean_30": u.mean(30), "u_max_30": u.max(30)}
    >>> specs = tuple(FeatureSpec(name=n, family="mine", window=None, unit="ratio",
    ...     description="Utilisation.", description_zh="额度使用率",
    ...     sources=("credit_line_events", "loans", "installments"), category="credit_history",
    ...     nan_meaning="no positive limit") for n in ("u_now", "u_mean_30", "u_max_30"))
    >>> fam = FeatureFamily("mine", ("credit_line_events", "loans", "installments"), specs, util)
    >>> obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-03-01"]})
    >>> extract(rs, obs, families=[fam]).iloc[0].round(4).tolist()
    [0.2, 0.23, 0.3]

    On 2024-03-01, 200 CNY of the 1000 limit is owed (the February 9
    payment is known). The 30 status dates February 1 to March 1 have 9
    days at 0.3 (through February 9) and 21 days at 0.2: mean 0.23, max 0.3.
    """

    __slots__ = ("_areas", "_day", "_group", "_initial", "_points", "_spans_memo", "_values", "_view")

    #: numpy defers to the series' operators (which refuse arrays with a clear error).
    __array_ufunc__ = None

    def __init__(self, view: PointInTimeView, points: Timeline, values: FloatArray, initial: float) -> None:
        self._view = view
        self._points = points
        self._values = np.asarray(values, dtype=np.float64)
        self._initial = float(initial)
        self._group = points.groups()
        self._day = points.days()
        self._areas: tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None = None
        self._spans_memo: dict[int, tuple[IntArray, IntArray, BoolArray, FloatArray]] = {}

    def __repr__(self) -> str:
        return f"StepSeries(family={self._view._family!r}, change_points={len(self._points)})"

    # ---- values on status dates ---------------------------------------------------------------
    def _on(self, group: IntArray, pos: IntArray) -> FloatArray:
        """Value from change point ``pos`` if it is borrower ``group``'s, else the initial value."""
        out = np.full(group.size, self._initial)
        found = pos >= 0
        found[found] = self._group[pos[found]] == group[found]
        out[found] = self._values[pos[found]]
        return out

    def now(self) -> FloatArray:
        """The value on the status date ``as_of``: built from the rows known before ``as_of``.

        Returns
        -------
        ndarray of float64
            One value per observation; NaN where the series is undefined on
            ``as_of`` (a running last value before the borrower's first row).

        Examples
        --------
        See :class:`StepSeries`.
        """
        obs = self._view._obs
        if not len(self._points):
            return np.full(len(obs.code), self._initial)
        last = self._points.query(obs.code, obs.day + 1) - 1  # the latest change point on or before as_of
        return self._on(obs.code, last)

    # ---- arithmetic -----------------------------------------------------------------------------
    def _combine(self, other: object, op: _Op, reflected: bool = False) -> StepSeries:
        if isinstance(other, StepSeries):
            if other._view is not self._view:
                raise V.fail(
                    _FUNC,
                    "other",
                    f"must be a step series of the same view (family {self._view._family!r}, this batch "
                    "of observations)",
                    f"a series of family {other._view._family!r}" + (
                        "" if other._view._family != self._view._family else " from another view"),
                    "Combine series built from one PointInTimeView.",
                )
            points, a, b = _union(self, other)
            init_a, init_b = np.array([self._initial]), np.array([other._initial])
        else:
            if isinstance(other, bool | np.bool_) or not isinstance(other, Real):
                raise V.fail(
                    _FUNC,
                    "other",
                    "must be a step series of the same view or a real number",
                    f"{other!r:.60} ({type(other).__name__})",
                    "Reduce the series with now(), mean() or max() before combining it with arrays.",
                )
            x = V.real(other, func=_FUNC, name="other")
            points = self._points
            a, b = self._values, np.full(self._values.shape, x)
            init_a, init_b = np.array([self._initial]), np.array([x])
        if reflected:
            a, b, init_a, init_b = b, a, init_b, init_a
        return StepSeries(self._view, points, op(a, b), float(op(init_a, init_b)[0]))

    def __add__(self, other: object) -> StepSeries:
        return self._combine(other, _add)

    def __radd__(self, other: object) -> StepSeries:
        return self._combine(other, _add, reflected=True)

    def __sub__(self, other: object) -> StepSeries:
        return self._combine(other, _subtract)

    def __rsub__(self, other: object) -> StepSeries:
        return self._combine(other, _subtract, reflected=True)

    def __mul__(self, other: object) -> StepSeries:
        return self._combine(other, _multiply)

    def __rmul__(self, other: object) -> StepSeries:
        return self._combine(other, _multiply, reflected=True)

    def __truediv__(self, other: object) -> StepSeries:
        """``self / other`` where ``other > 0``, NaN where it is 0, negative or NaN."""
        return self._combine(other, positive_ratio)

    def __rtruediv__(self, other: object) -> StepSeries:
        return self._combine(other, positive_ratio, reflected=True)

    def __neg__(self) -> StepSeries:
        return StepSeries(self._view, self._points, -self._values, -self._initial)

    def snap_to_zero(self, tolerance: float = HALF_FEN) -> StepSeries:
        """The series with every value within ``tolerance`` of 0 set to exactly 0.

        A difference of two running sums of amounts (owed minus repaid)
        carries the rounding of both sums: a repaid balance comes out as
        ``1e-12`` instead of 0. Money is kept in fen, so the default reads
        anything smaller than half a fen as 0.

        Parameters
        ----------
        tolerance : float, default 0.005
            A finite number ``>= 0``: values ``v`` with ``|v| <= tolerance``
            become 0; NaN stays NaN.

        Returns
        -------
        StepSeries
            ``v(t) if |v(t)| > tolerance else 0``.

        Raises
        ------
        InvalidInputError
            When ``tolerance`` is not a finite number ``>= 0``.

        Examples
        --------
        See :class:`StepSeries`: ``owed.snap_to_zero()`` is the outstanding
        principal, 0 once every instalment is repaid.
        """
        tol = V.real(tolerance, func=_FUNC, name="tolerance", low=0)

        def snap(v: FloatArray) -> FloatArray:
            out: FloatArray = np.where(np.abs(v) > tol, v, 0.0)  # NaN: abs(NaN) > tol is False, kept below
            out[np.isnan(v)] = np.nan
            return out

        initial = float(snap(np.array([self._initial]))[0])
        return StepSeries(self._view, self._points, snap(self._values), initial)

    # ---- window reductions ----------------------------------------------------------------------
    def _window(self, window: int) -> tuple[int, IntArray, IntArray, IntArray]:
        """``w``, each observation's borrower, and its status dates ``[first, stop) = (as_of - w, as_of]``."""
        w = V.integer(window, func=_FUNC, name="window", low=1, high=3650)
        obs = self._view._obs
        return w, obs.code, obs.day - w + 1, obs.day + 1

    def _layout(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Per step: value with NaN as 0, defined flag, and their areas (value x length) in days."""
        if self._areas is None:
            v, day, group = self._values, self._day, self._group
            length = np.zeros(v.size, dtype=np.float64)
            if v.size > 1:
                length[:-1] = np.where(group[1:] == group[:-1], day[1:] - day[:-1], 0)
            defined = (~np.isnan(v)).astype(np.float64)
            value = np.where(defined > 0, v, 0.0)
            self._areas = (value, defined, _multiply(value, length), defined * length)
        return self._areas

    def _spans(
        self, window: int, code: IntArray, first: IntArray, stop: IntArray
    ) -> tuple[IntArray, IntArray, BoolArray, FloatArray]:
        """Steps in force on ``[first, stop)``.

        Returns positions ``lo..hi`` (``hi`` inclusive), a found mask, and the
        number of days before the borrower's first change point (initial value).
        """
        if window in self._spans_memo:
            return self._spans_memo[window]
        p = self._points
        start = p.start(code)
        ja = p.query(code, first + 1) - 1  # step in force on ``first`` (if any)
        hi = p.query(code, stop) - 1  # last step starting before ``stop``
        found = hi >= start
        lo = np.where(ja >= start, ja, start)
        has = start < len(p)
        has[has] = self._group[start[has]] == code[has]
        first_point = np.where(has, self._day[np.minimum(start, len(p) - 1)], np.iinfo(np.int64).max)
        before = np.clip(np.minimum(stop, first_point) - first, 0, None).astype(np.float64)
        spans = (np.where(found, lo, 0), np.where(found, hi, 0), found, before)
        self._spans_memo[window] = spans
        return spans

    def _integral(
        self, weight: FloatArray, area: FloatArray, lo: IntArray, hi: IntArray, found: BoolArray,
        first: IntArray, stop: IntArray,
    ) -> FloatArray:
        """``Σ_t weight(t)`` over the status dates ``[first, stop)`` covered by the steps ``lo..hi``."""
        days = self._day
        n = days.size
        nxt = days[np.minimum(lo + 1, n - 1)]
        head_end = np.where(hi > lo, nxt, stop)
        # The step in force on ``first`` (or the first one after it), the whole steps strictly
        # inside (their own areas), and the step in force on the last day.
        head = _multiply(weight[lo], (head_end - np.maximum(first, days[lo])).astype(np.float64))
        middle = range_sum(area, lo + 1, hi)
        tail = np.where(hi > lo, _multiply(weight[hi], (stop - days[hi]).astype(np.float64)), 0.0)
        total: FloatArray = np.where(found, _add(_add(head, middle), tail), 0.0)
        return total

    def mean(self, window: int) -> FloatArray:
        """Mean of the defined values over the status dates ``(as_of - window, as_of]``.

        Parameters
        ----------
        window : int
            Days, 1 to 3650: the status dates ``as_of - window + 1`` to
            ``as_of``.

        Returns
        -------
        ndarray of float64
            One value per observation; NaN when no day of the window has a
            defined value.

        Raises
        ------
        InvalidInputError
            When ``window`` is not an integer from 1 to 3650.

        Notes
        -----
        ``mean = Σ_{t ∈ D} x(t) / |D|`` with ``D`` the status dates of the
        window on which ``x`` is defined (not NaN). Computed per step as
        value × days in the window, so a window of a year costs no more than
        a window of a day.

        Examples
        --------
        See :class:`StepSeries`.
        """
        w, code, first, stop = self._window(window)
        init_defined = not np.isnan(self._initial)
        total = np.zeros(code.size)
        count = np.zeros(code.size)
        if len(self._points):
            lo, hi, found, before = self._spans(w, code, first, stop)
            value, defined, value_area, defined_area = self._layout()
            total = self._integral(value, value_area, lo, hi, found, first, stop)
            count = self._integral(defined, defined_area, lo, hi, found, first, stop)
        else:
            before = (stop - first).astype(np.float64)
        if init_defined:
            total = _add(total, _multiply(np.full(code.size, self._initial), before))
            count = count + before
        out = np.full(code.size, np.nan)
        np.divide(total, count, out=out, where=count > 0)
        return out

    def _extreme(self, ufunc: np.ufunc, window: int) -> FloatArray:
        w, code, first, stop = self._window(window)
        out = np.full(code.size, np.nan)
        if len(self._points):
            lo, hi, found, before = self._spans(w, code, first, stop)
            out = range_reduce(ufunc, self._values, lo, np.where(found, hi + 1, lo), np.nan)
        else:
            before = (stop - first).astype(np.float64)
        if not np.isnan(self._initial):
            out = np.where(before > 0, ufunc(out, self._initial), out)
        return out

    def max(self, window: int) -> FloatArray:
        """Largest defined value over the status dates ``(as_of - window, as_of]``.

        Parameters
        ----------
        window : int
            Days, 1 to 3650 (see :meth:`mean`).

        Returns
        -------
        ndarray of float64
            One value per observation; NaN when no day of the window has a
            defined value.

        Raises
        ------
        InvalidInputError
            When ``window`` is not an integer from 1 to 3650.

        Notes
        -----
        ``max_{t ∈ D} x(t)`` with ``D`` as in :meth:`mean`: the largest
        value of the steps in force on some day of the window.

        Examples
        --------
        See :class:`StepSeries`.
        """
        return self._extreme(np.fmax, window)

    def min(self, window: int) -> FloatArray:
        """Smallest defined value over the status dates ``(as_of - window, as_of]``; as :meth:`max`.

        Parameters
        ----------
        window : int
            Days, 1 to 3650 (see :meth:`mean`).

        Returns
        -------
        ndarray of float64
            One value per observation; NaN when no day of the window has a
            defined value.

        Raises
        ------
        InvalidInputError
            When ``window`` is not an integer from 1 to 3650.

        Notes
        -----
        ``min_{t ∈ D} x(t)`` with ``D`` as in :meth:`mean`: the smallest
        value of the steps in force on some day of the window.

        Examples
        --------
        See :class:`StepSeries`; ``limit.min(90)`` is the lowest limit in
        force over the last 90 status dates.
        """
        return self._extreme(np.fmin, window)
