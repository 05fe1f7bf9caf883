"""Vintage analysis (账龄分析): cumulative bad share by origination cohort and month on book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit._types import DateLike
from jiebei_credit._validation import FloatArray, IntArray, choice, date, integer
from jiebei_credit.monitoring._delinquency import (
    NEVER,
    day_numbers,
    loan_book,
    month_end_day,
    month_numbers,
)
from jiebei_credit.records import RecordSet

__all__ = ["COHORTS", "MEASURES", "Cohort", "Measure", "VintageTable", "vintage_table"]

Measure = Literal["count", "balance"]
Cohort = Literal["month", "quarter"]
#: Allowed values of ``measure``: share of loans, or of original principal.
MEASURES: Final[tuple[Measure, ...]] = ("count", "balance")
#: Allowed values of ``cohort``: loans grouped by the month or the quarter of ``drawn_on``.
COHORTS: Final[tuple[Cohort, ...]] = ("month", "quarter")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class VintageTable:
    """Cumulative bad shares of origination cohorts by month on book.

    Parameters
    ----------
    shares : pandas.DataFrame
        One row per cohort (a ``PeriodIndex`` named ``cohort``), one column
        per month on book (integers from 0, named ``mob``). Cell ``(c, m)``
        is the share of the cohort's loans (``measure="count"``) or of their
        original principal (``"balance"``) that were ``min_dpd`` or more days past
        due on some day up to the end of month on book ``m``. NaN where the
        cell is not yet observable at ``as_of``, never 0.
    bads : pandas.DataFrame
        Same shape: the numerators, i.e. the number of bad loans (``"count"``)
        or their original principal (``"balance"``); NaN where not observable.
    counts : pandas.DataFrame
        One row per cohort: ``loans`` (int64), ``principal`` (float64, the
        original principal) and ``last_mob`` (int64, the last observable
        month on book).
    as_of : pandas.Timestamp
        Observation date: nothing dated on or after it was read.
    min_dpd : int
        Days past due that make a loan bad.
    measure : {"count", "balance"}
    cohort : {"month", "quarter"}
    """

    shares: pd.DataFrame
    bads: pd.DataFrame
    counts: pd.DataFrame
    as_of: pd.Timestamp
    min_dpd: int
    measure: Measure
    cohort: Cohort

    def __repr__(self) -> str:
        # the dataclass repr would print three tables in full; this one stays on one line
        return (f"VintageTable(cohorts={len(self.shares)}, months_on_book={self.shares.shape[1]}, "
                f"measure={self.measure!r}, min_dpd={self.min_dpd}, as_of={self.as_of.date()})")

    def _repr_html_(self) -> str:
        """Notebook display: the settings, then the shares (cohorts by month on book)."""
        from jiebei_credit._html import render

        rows = [("cohorts", len(self.shares)), ("months on book", self.shares.shape[1]),
                ("loans", int(self.counts["loans"].sum())), ("measure", self.measure),
                ("min_dpd", self.min_dpd), ("cohort", self.cohort), ("as_of", self.as_of.date())]
        return render("VintageTable", rows, self.shares,
                      caption=f"Cumulative share {self.min_dpd}+ days past due (blank: not yet observable)")

    def to_frame(self) -> pd.DataFrame:
        """The observable cells in long form, one row per (cohort, month on book).

        Returns
        -------
        pandas.DataFrame
            Columns ``cohort`` (Period), ``mob`` (int64), ``observed_to``
            (the end of that month on book for the cohort's last drawdown
            month), ``loans``, ``principal``, ``bads`` and ``share``.
        """
        shares = self.shares.to_numpy(dtype=np.float64)
        rows, cols = np.nonzero(~np.isnan(shares))
        index = self.shares.index
        as_of_month = month_numbers(day_numbers(np.array([self.as_of.to_datetime64()])))[0]
        last_month = as_of_month - 1 - self.counts["last_mob"].to_numpy(dtype=np.int64)
        ends = month_end_day(last_month[rows] + cols).astype("datetime64[D]").astype("datetime64[ns]")
        return pd.DataFrame({
            "cohort": index[rows],
            "mob": cols.astype(np.int64),
            "observed_to": ends,
            "loans": self.counts["loans"].to_numpy()[rows],
            "principal": self.counts["principal"].to_numpy()[rows],
            "bads": self.bads.to_numpy(dtype=np.float64)[rows, cols],
            "share": shares[rows, cols],
        })


def vintage_table(
    records: RecordSet,
    *,
    as_of: DateLike,
    min_dpd: int = 30,
    measure: Measure = "count",
    cohort: Cohort = "month",
) -> VintageTable:
    """Vintage table: the cumulative share of each cohort ``min_dpd`` or more days past due.

    Parameters
    ----------
    records : jiebei_credit.records.RecordSet
        Records with the ``loans`` and ``installments`` tables. Never modified.
    as_of : date
        Observation date (a date without a time of day). Point in time:
        nothing dated on or after ``as_of`` is read (see Notes). To include
        everything up to a month end, pass the first day of the next month
        (``as_of="2025-01-01"`` fills the cells ending 2024-12-31).
    min_dpd : int, default 30
        Days past due that make a loan bad (>= 1; 30 and 90 are usual).
    measure : {"count", "balance"}, default "count"
        Share of loans, or share of original principal.
    cohort : {"month", "quarter"}, default "month"
        Group loans by the calendar month or quarter of ``drawn_on``.

    Returns
    -------
    VintageTable
        ``shares`` (cohort x month on book), ``bads`` (their numerators) and
        ``counts`` (loans and principal per cohort); ``to_frame()`` gives the
        observable cells in long form.

    Raises
    ------
    InvalidInputError
        If ``records`` is not a RecordSet with loans and instalments,
        ``as_of`` is not a date, ``min_dpd`` is not an integer >= 1, or
        ``measure`` or ``cohort`` is not one of the allowed values.

    Notes
    -----
    An instalment is ``k`` days past due on day ``t`` iff
    ``due_on + k <= t <= paid_on`` (``paid_on`` open-ended while unpaid), so
    a loan is first ``k`` or more days past due on ``min(due_on + k)`` over its
    instalments with ``paid_on >= due_on + k``. Cured loans still count.

    A loan drawn in month ``c`` is at month on book ``m`` at the end of month
    ``c + m`` (MOB 0 is the end of the drawdown month). With weights
    ``w_i`` (1, or the original principal), cell ``(C, m)`` of cohort ``C``
    is ``sum(w_i [loan i first k+ DPD on or before the end of month c_i + m])
    / sum(w_i)`` over the loans of ``C``. Month on book is counted from each
    loan's own drawdown month, also for quarterly cohorts.

    A cell is observable iff the end of month ``c + m`` is before ``as_of``
    for every loan of the cohort (its last drawdown month); otherwise it is
    NaN. Only complete cohorts are rows: a cohort whose last drawdown month
    has not ended before ``as_of`` has no observable cell and is left out, as
    are loans drawn on or after ``as_of``. Months without loans have no row.

    Point in time: instalments due on or after ``as_of`` are not read (they
    cannot be past due before ``as_of``), and a ``paid_on`` on or after
    ``as_of`` is not yet known, so that instalment counts as unpaid. Both
    only concern days on or after ``as_of``, which no filled cell covers, so
    truncating the records at ``as_of`` gives the same table.

    A cohort of zero total principal has NaN shares under ``"balance"`` (the
    share is 0/0).

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> from jiebei_credit.monitoring import vintage_table
    >>> records = jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2024-12-31",
    ...                                          seed=1).records
    >>> vt = vintage_table(records, as_of="2024-07-01", cohort="quarter")
    >>> vt.shares.loc["2023Q2", [2, 3, 12, 13]].round(3).tolist()  # MOB 13 ends after as_of
    [0.009, 0.053, 0.142, nan]
    >>> vt.counts.loc["2023Q2"].tolist()
    [113.0, 1241800.0, 12.0]
    """
    func = "vintage_table"
    cut_ts = date(as_of, func=func, name="as_of")
    k = integer(min_dpd, func=func, name="min_dpd", low=1, fix="Pass e.g. min_dpd=30.")
    measure = choice(measure, MEASURES, func=func, name="measure")
    cohort = choice(cohort, COHORTS, func=func, name="cohort")
    book = loan_book(records, func=func, before=cut_ts)
    cut = int(day_numbers(np.array([cut_ts.to_datetime64()], dtype="datetime64[ns]"))[0])
    last_observable = int(month_numbers(np.array([cut], dtype=np.int64))[0]) - 1

    loan_month = month_numbers(book.drawn)
    per = 3 if cohort == "quarter" else 1
    ordinal = loan_month // per  # Period ordinals: months (or quarters) since 1970-01
    complete = ordinal * per + (per - 1) <= last_observable
    first = book.first_reach(k, cut)[complete]
    loan_month, ordinal = loan_month[complete], ordinal[complete]
    weight: FloatArray = book.principal[complete] if measure == "balance" else np.ones(
        int(complete.sum()), dtype=np.float64)

    cohorts, inverse = np.unique(ordinal, return_inverse=True)
    inverse = inverse.reshape(-1)
    last_mob: IntArray = (last_observable - (cohorts * per + (per - 1))).astype(np.int64)
    n_cols = int(last_mob.max()) + 1 if cohorts.size else 0
    bad_mob = np.where(first < NEVER, month_numbers(np.minimum(first, cut)) - loan_month, n_cols)
    in_table = bad_mob < n_cols
    flat = np.bincount(inverse[in_table] * n_cols + bad_mob[in_table], weights=weight[in_table],
                       minlength=cohorts.size * n_cols)
    cum = np.cumsum(flat.reshape(cohorts.size, n_cols), axis=1)
    total = np.bincount(inverse, weights=weight, minlength=cohorts.size)
    observable = np.arange(n_cols)[None, :] <= last_mob[:, None]
    bads = np.where(observable, cum, np.nan)
    shares = np.full(bads.shape, np.nan)
    np.divide(bads, total[:, None], out=shares, where=observable & (total[:, None] > 0))

    first_days = (cohorts * per).astype("datetime64[M]").astype("datetime64[ns]")
    index = pd.DatetimeIndex(first_days).to_period("Q" if cohort == "quarter" else "M").rename("cohort")
    columns = pd.Index(np.arange(n_cols, dtype=np.int64), name="mob")
    counts = pd.DataFrame({
        "loans": np.bincount(inverse, minlength=cohorts.size).astype(np.int64),
        "principal": np.bincount(inverse, weights=book.principal[complete], minlength=cohorts.size),
        "last_mob": last_mob,
    }, index=index)
    return VintageTable(
        shares=pd.DataFrame(shares, index=index, columns=columns),
        bads=pd.DataFrame(bads, index=index, columns=columns),
        counts=counts,
        as_of=cut_ts,
        min_dpd=k,
        measure=measure,
        cohort=cohort,
    )
