"""Roll rates (迁徙率): transitions of accounts between delinquency buckets, and flow-through."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit._types import Dates, SupportsArray
from jiebei_credit._validation import IntArray, choice, dates, fail, listlike, offending, show
from jiebei_credit.monitoring._delinquency import day_numbers, loan_book
from jiebei_credit.records import RecordSet

__all__ = [
    "CLOSED",
    "DEFAULT_BUCKETS",
    "FlowThrough",
    "RollRates",
    "flow_through",
    "roll_rates",
]

Measure = Literal["count", "balance"]
_MEASURES: Final[tuple[Measure, ...]] = ("count", "balance")
#: The PBoC report buckets up to 90+ days past due.
DEFAULT_BUCKETS: Final = ("current", "1-30", "31-60", "61-90", "90+")
#: Name of the absorbing state of accounts fully repaid.
CLOSED: Final = "closed"
_RANGE: Final = re.compile(r"^(\d+)-(\d+)$")
_OPEN_END: Final = re.compile(r"^(\d+)\+$")
_BUCKET_RULE: Final = ("must be labels 'current', 'a-b' or 'N+' that cover every number of days past "
                       "due from 0 up, in order, without gaps or overlaps, the last one 'N+'")
_BUCKET_FIX: Final = "E.g. buckets=('current', '1-30', '31-60', '61-90', '90+')."


def _lower_bounds(buckets: object, *, func: str) -> tuple[tuple[str, ...], IntArray]:
    """The bucket labels and the least DPD of each; refuses labels that do not tile [0, inf)."""
    labels = listlike(buckets, func=func, name="buckets", min_size=2, unique=True)
    bad = [b for b in labels if not isinstance(b, str)]
    if bad:
        raise fail(func, "buckets", _BUCKET_RULE, f"non-text labels ({show(bad)})", _BUCKET_FIX)
    lows: list[int] = []
    expected = 0
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        rng, top = _RANGE.match(label), _OPEN_END.match(label)
        if label == "current":
            low, high = 0, 0
        elif rng is not None:
            low, high = int(rng.group(1)), int(rng.group(2))
        elif top is not None:
            # 'N+' after a bucket ending at N reads "over N days" (the PBoC '90+' after '61-90')
            low, high = int(top.group(1)), -1
            low = expected if low == expected - 1 else low
        else:
            raise fail(func, "buckets", _BUCKET_RULE, f"{label!r} at position {i}", _BUCKET_FIX)
        if low != expected or (high >= 0 and high < low) or (high < 0) != last:
            where = f"{label!r} at position {i} (expected a bucket starting at {expected} days" + (
                ", open-ended as the last one)" if last else ")")
            raise fail(func, "buckets", _BUCKET_RULE, where, _BUCKET_FIX)
        lows.append(low)
        expected = high + 1
    if CLOSED in labels:  # pragma: no cover - 'closed' does not parse as a bucket
        raise fail(func, "buckets", f"must not use the name {CLOSED!r}", repr(CLOSED))
    return tuple(labels), np.asarray(lows, dtype=np.int64)


def _status_dates(values: object, *, func: str) -> tuple[pd.Timestamp, ...]:
    """Strictly increasing whole dates, at least two."""
    items = listlike(values, func=func, name="dates")
    parsed = dates(np.asarray(items, dtype=object), func=func, name="dates", whole_days=True)
    if parsed.size < 2:
        raise fail(func, "dates", "must hold at least two dates (each consecutive pair is a period)",
                   f"{parsed.size}", "Pass e.g. month ends: dates=['2024-01-31', '2024-02-29'].")
    step = np.diff(parsed.view(np.int64))
    for rule, mask, fix in (
        ("must not repeat a date", step == 0, "Drop the repeated dates."),
        ("must be in increasing order", step < 0, "Pass sorted(dates)."),
    ):
        if mask.any():
            where = np.r_[False, mask]
            raise fail(func, "dates", rule, offending(where, parsed.astype("datetime64[D]").astype(str)), fix)
    return tuple(pd.Timestamp(d) for d in parsed)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class RollRates:
    """Transition matrices of accounts between delinquency buckets, one per period.

    Parameters
    ----------
    dates : tuple of pandas.Timestamp
        The status dates; period ``i`` runs from ``dates[i]`` to ``dates[i + 1]``.
    buckets : tuple of str
        The delinquency buckets (the rows of each matrix).
    states : tuple of str
        The columns: the buckets, then ``"closed"``.
    measure : {"count", "balance"}
        What the rates weigh: accounts, or their outstanding principal at the
        start of the period.
    rates : pandas.DataFrame
        Index (``start``, ``from``): the period's first date and the bucket
        there; columns ``states``. Each row sums to 1; a row with no account
        is NaN.
    counts : pandas.DataFrame
        Same shape: number of accounts (int64).
    balances : pandas.DataFrame
        Same shape: their outstanding principal at the start date (float64).
    """

    dates: tuple[pd.Timestamp, ...]
    buckets: tuple[str, ...]
    states: tuple[str, ...]
    measure: Measure
    rates: pd.DataFrame
    counts: pd.DataFrame
    balances: pd.DataFrame

    def __repr__(self) -> str:
        # the dataclass repr would print three tables in full; this one stays on one line
        return (f"RollRates(periods={len(self.dates) - 1}, buckets={self.buckets!r}, "
                f"measure={self.measure!r})")

    def _repr_html_(self) -> str:
        """Notebook display: the dates and buckets, then the last period's matrix."""
        from jiebei_credit._html import render

        start, end = self.dates[-2], self.dates[-1]
        rows = [("periods", len(self.dates) - 1), ("first date", self.dates[0].date()),
                ("last date", end.date()), ("buckets", ", ".join(self.buckets)), ("measure", self.measure)]
        return render("RollRates", rows, self.matrix(-1),
                      caption=f"Rates from {start.date()} to {end.date()} (rows: bucket at the start)")

    @property
    def periods(self) -> tuple[tuple[pd.Timestamp, pd.Timestamp], ...]:
        """The ``(start, end)`` pairs of consecutive dates."""
        return tuple(zip(self.dates[:-1], self.dates[1:], strict=True))

    def _weights(self) -> pd.DataFrame:
        return self.balances if self.measure == "balance" else self.counts.astype(np.float64)

    def matrix(self, period: int = -1) -> pd.DataFrame:
        """The rates of one period (by position; -1 is the last), indexed by bucket.

        Parameters
        ----------
        period : int, default -1
            Position of the period among the transitions between consecutive
            ``dates`` (0 is the first; negative positions count from the end).

        Returns
        -------
        pandas.DataFrame
            Indexed by bucket (``from``), columns ``states``: the share of each
            bucket's weight that moved to each state in that period.

        Raises
        ------
        InvalidInputError
            If ``period`` is not an integer position of a period.
        """
        n = len(self.dates) - 1
        if isinstance(period, bool) or not isinstance(period, int | np.integer) or not -n <= period < n:
            raise fail("RollRates.matrix", "period", f"must be an integer in [{-n}, {n - 1}]",
                       repr(period), "Periods are numbered from 0; -1 is the last.")
        p, n_b = int(period) % n, len(self.buckets)
        return pd.DataFrame(self.rates.to_numpy()[p * n_b:(p + 1) * n_b],
                            index=pd.Index(list(self.buckets), name="from"), columns=self.rates.columns)

    def pooled(self) -> pd.DataFrame:
        """The rates of all periods pooled: summed weights (accounts or balances) over periods, per row.

        Returns
        -------
        pandas.DataFrame
            Indexed by bucket, columns ``states``; rows sum to 1 (NaN when no
            period had an account in the bucket).
        """
        w = self._weights().groupby(level="from", sort=False).sum().reindex(list(self.buckets))
        return _normalise(w)

    def to_frame(self) -> pd.DataFrame:
        """Every cell in long form.

        Returns
        -------
        pandas.DataFrame
            Columns ``start``, ``end``, ``from``, ``to``, ``accounts``,
            ``balance`` and ``rate``.
        """
        n_b, n_s = len(self.buckets), len(self.states)
        starts = np.repeat(np.asarray(self.dates[:-1], dtype="datetime64[ns]"), n_b * n_s)
        ends = np.repeat(np.asarray(self.dates[1:], dtype="datetime64[ns]"), n_b * n_s)
        n_p = len(self.dates) - 1
        return pd.DataFrame({
            "start": starts,
            "end": ends,
            "from": np.tile(np.repeat(np.asarray(self.buckets, dtype=object), n_s), n_p),
            "to": np.tile(np.asarray(self.states, dtype=object), n_b * n_p),
            "accounts": self.counts.to_numpy().reshape(-1),
            "balance": self.balances.to_numpy().reshape(-1),
            "rate": self.rates.to_numpy().reshape(-1),
        })


def _normalise(weights: pd.DataFrame) -> pd.DataFrame:
    w = weights.to_numpy(dtype=np.float64)
    total = w.sum(axis=1, keepdims=True)
    out = np.full(w.shape, np.nan)
    np.divide(w, total, out=out, where=total > 0)
    return pd.DataFrame(out, index=weights.index, columns=weights.columns)


def roll_rates(
    records: RecordSet,
    *,
    dates: Dates,
    buckets: Sequence[str] | SupportsArray = DEFAULT_BUCKETS,
    measure: Measure = "count",
) -> RollRates:
    """Roll rates: how accounts open at each date move between delinquency buckets by the next.

    Parameters
    ----------
    records : jiebei_credit.records.RecordSet
        Records with the ``loans`` and ``installments`` tables, complete up
        to the last date. Never modified.
    dates : list-like of dates
        Status dates, strictly increasing, at least two (month ends are
        typical, any dates without a time of day are accepted). Each
        consecutive pair is a period.
    buckets : list-like of str, default ("current", "1-30", "31-60", "61-90", "90+")
        Days-past-due buckets: ``"current"`` (0 days), ``"a-b"`` (a to b
        days) and a last ``"N+"``, in order, covering every value from 0 up
        without gaps or overlaps. ``"N+"`` is N days or more, or, right after
        a bucket ending at N, more than N days: in the default, ``"90+"``
        after ``"61-90"`` is 91 days or more, as in the PBoC report buckets.
    measure : {"count", "balance"}, default "count"
        Weigh each account by 1, or by its outstanding principal at the
        start of the period.

    Returns
    -------
    RollRates
        ``rates``, ``counts`` and ``balances`` per period and bucket;
        ``matrix(i)`` gives one period's matrix, ``pooled()`` all periods
        pooled, ``to_frame()`` the long form.

    Raises
    ------
    InvalidInputError
        If ``records`` is not a RecordSet with loans and instalments,
        ``dates`` has fewer than two dates, repeats one or is not in
        increasing order, ``buckets`` does not tile the days past due, or
        ``measure`` is not allowed.

    Notes
    -----
    Status on day ``t`` reads only events dated on or before ``t``. An
    instalment is ``k`` days past due on ``t`` iff
    ``due_on + k <= t <= paid_on`` (``paid_on`` open-ended while unpaid); a
    loan's DPD on ``t`` is the largest such ``k``, i.e. ``t`` minus its
    earliest due date still unpaid on ``t`` (0 when none).

    A loan is *closed* on ``t`` when every instalment has ``paid_on <= t``
    (fully repaid); closed takes precedence over the day-count rule, which
    would count the day of the last payment as past due. A loan is *open* on
    ``t`` when ``drawn_on <= t`` and it is not closed. Row ``b`` of the
    period ``(d1, d2)`` holds the accounts open on ``d1`` in bucket ``b``;
    column ``s`` is their state on ``d2``: a bucket, or ``"closed"`` (an
    absorbing state: a closed loan never reopens). Loans drawn after ``d1``
    are not in the period. With weights ``w`` (1, or the principal of the
    instalments not repaid on ``d1``), ``rate[b, s] = sum(w [b -> s]) / sum(w [b])``.

    Forward roll rates (bucket ``i`` to ``i + 1``) describe the usual monthly
    flow when the dates are month ends; with longer periods accounts can
    skip buckets. See :func:`flow_through`.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> from jiebei_credit.monitoring import roll_rates
    >>> records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2024-12-31",
    ...                                          seed=1).records
    >>> rr = roll_rates(records, dates=["2024-03-31", "2024-04-30", "2024-05-31"])
    >>> rr.matrix(0).loc["1-30"].round(2).tolist()  # to current, 1-30, ..., 90+, closed
    [0.2, 0.2, 0.4, 0.0, 0.0, 0.2]
    >>> rr.counts.loc[("2024-03-31", "1-30")].tolist()
    [1, 1, 2, 0, 0, 1]
    >>> rr.matrix(0).sum(axis=1).round(12).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    func = "roll_rates"
    labels, lows = _lower_bounds(buckets, func=func)
    when = _status_dates(dates, func=func)
    measure = choice(measure, _MEASURES, func=func, name="measure")
    book = loan_book(records, func=func)
    days = [int(d) for d in day_numbers(np.asarray(when, dtype="datetime64[ns]"))]
    n_b = len(labels)
    states = (*labels, CLOSED)
    n_s = n_b + 1
    counts = np.zeros((len(days) - 1, n_b, n_s), dtype=np.int64)
    balances = np.zeros((len(days) - 1, n_b, n_s), dtype=np.float64)

    def state_on(t: int) -> IntArray:
        bucket = np.searchsorted(lows, book.dpd_on(t), side="right") - 1
        return np.where(book.closed_on(t), n_b, bucket).astype(np.int64)

    now = state_on(days[0])
    for p, (d1, d2) in enumerate(itertools.pairwise(days)):
        nxt = state_on(d2)
        open_ = (book.drawn <= d1) & (now < n_b)
        cell = now[open_] * n_s + nxt[open_]
        counts[p] = np.bincount(cell, minlength=n_b * n_s).reshape(n_b, n_s)
        balances[p] = np.bincount(cell, weights=book.outstanding_on(d1)[open_],
                                  minlength=n_b * n_s).reshape(n_b, n_s)
        now = nxt

    index = pd.MultiIndex.from_product([pd.DatetimeIndex(when[:-1]), list(labels)], names=["start", "from"])
    columns = pd.Index(list(states), name="to")
    count_frame = pd.DataFrame(counts.reshape(-1, n_s), index=index, columns=columns)
    balance_frame = pd.DataFrame(balances.reshape(-1, n_s), index=index, columns=columns)
    weights = balance_frame if measure == "balance" else count_frame.astype(np.float64)
    return RollRates(dates=when, buckets=labels, states=states, measure=measure,
                     rates=_normalise(weights), counts=count_frame, balances=balance_frame)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FlowThrough:
    """Flow-through rate from the first bucket to the last.

    Parameters
    ----------
    rate : float
        Product of the pooled forward roll rates (NaN when a bucket on the
        way had no account in any period).
    rolls : pandas.Series
        The pooled forward roll rates, indexed ``"current -> 1-30"`` etc.
    by_period : pandas.Series
        The same product for each period alone, indexed by its start date.
    """

    rate: float
    rolls: pd.Series
    by_period: pd.Series


def flow_through(result: RollRates) -> FlowThrough:
    """Steady-state flow-through rate: the share of current accounts that roll through to the last bucket.

    Parameters
    ----------
    result : RollRates
        Output of :func:`roll_rates`.

    Returns
    -------
    FlowThrough
        The pooled rate, the forward rolls it multiplies and the rate of
        each period alone.

    Raises
    ------
    InvalidInputError
        If ``result`` is not a RollRates.

    Notes
    -----
    With buckets ``b_0 = current, b_1, ..., b_K``, the flow-through rate is
    ``prod_{i<K} r(b_i -> b_{i+1})``: the share of today's current balance
    (or accounts) expected to reach ``b_K`` (90+ by default) ``K`` periods
    later if every period rolls like the average. The average pools the
    periods: ``r(b_i -> b_{i+1}) = sum_p w_p(b_i -> b_{i+1}) / sum_p w_p(b_i)``,
    with ``w`` accounts or balances as the result's ``measure`` (periods with
    more accounts weigh more, and a period with an empty bucket does not make
    the average undefined). It is meaningful for periods of one month, the
    usual monthly roll.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> from jiebei_credit.monitoring import flow_through, roll_rates
    >>> records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2024-12-31",
    ...                                          seed=1).records
    >>> ends = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    >>> ft = flow_through(roll_rates(records, dates=ends))
    >>> list(ft.rolls.index)
    ['current -> 1-30', '1-30 -> 31-60', '31-60 -> 61-90', '61-90 -> 90+']
    >>> bool(abs(ft.rate - ft.rolls.prod()) < 1e-15)
    True
    """
    func = "flow_through"
    if not isinstance(result, RollRates):
        raise fail(func, "result", "must be a RollRates (the output of roll_rates)", type(result).__name__)
    b = result.buckets
    names = [f"{b[i]} -> {b[i + 1]}" for i in range(len(b) - 1)]
    forward = np.arange(len(b) - 1)
    pooled = result.pooled().to_numpy(dtype=np.float64)
    rolls = pd.Series(pooled[forward, forward + 1], index=pd.Index(names, name="roll"), name="rate",
                      dtype=np.float64)
    rates = result.rates.to_numpy(dtype=np.float64).reshape(len(result.dates) - 1, len(b), len(b) + 1)
    per = np.prod(rates[:, forward, forward + 1], axis=1)
    by_period = pd.Series(per, index=pd.DatetimeIndex(result.dates[:-1], name="start"), name="flow_through")
    return FlowThrough(rate=float(np.prod(rolls.to_numpy())), rolls=rolls, by_period=by_period)
