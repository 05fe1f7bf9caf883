"""PSI of a score or feature per calendar period against a reference sample."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._bands import band_edges
from jiebei_credit._lights import Status, index_thresholds, worst
from jiebei_credit._psi import MISSING_OPTIONS, Missing, bin_samples, check_smoothing, psi_parts
from jiebei_credit._types import Dates, Sample, Vector
from jiebei_credit._validation import choice, float_vector, integer, same_rows, vector
from jiebei_credit._validation import dates as date_vector
from jiebei_credit.metrics import PSI_THRESHOLDS, BinningLike, PSIResult, psi_status

_FUNC = "psi_over_time"
Freq = Literal["W-MON", "MS", "QS", "YS"]
#: Allowed period frequencies: weeks from Monday, months, quarters and years, by their first day.
FREQ_OPTIONS: Final[tuple[Freq, ...]] = ("W-MON", "MS", "QS", "YS")
_MONDAY: Final = 4  # 1970-01-05, day 4 of the epoch, is a Monday


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PSIOverTime:
    """Result of :func:`psi_over_time`: one PSI per period.

    Parameters
    ----------
    freq : {"W-MON", "MS", "QS", "YS"}
        The period length.
    table : pandas.DataFrame
        Index ``period`` (the first day of each period, every period from the
        first to the last date, empty ones included), columns ``n`` (rows in
        the period), ``psi`` (NaN when ``n`` is 0, never 0), ``status``
        (traffic light; ``"insufficient"`` when ``n`` is 0) and
        ``empty_bins`` (bins empty in the reference or the period).
    results : tuple of PSIResult or None
        The per-bin detail of each period, in the order of ``table`` (None
        for an empty period).
    reference_n : int
        Rows in the reference sample.
    thresholds : tuple of two floats
        The traffic-light cut-offs used.
    """

    freq: Freq
    table: pd.DataFrame
    results: tuple[PSIResult | None, ...]
    reference_n: int
    thresholds: tuple[float, float]

    @property
    def status(self) -> Status:
        """The most serious light over the periods (an empty period is ``"insufficient"``)."""
        return worst(self.table["status"])

    def to_frame(self) -> pd.DataFrame:
        """The per-period table (a copy of :attr:`table`).

        Returns
        -------
        pandas.DataFrame
            One row per period, as :attr:`table`; changing it does not change this object.
        """
        return self.table.copy()


def period_starts(days: npt.NDArray[np.datetime64], freq: Freq) -> npt.NDArray[np.datetime64]:
    """The first day of the period of each date (``datetime64[ns]``)."""
    if freq == "W-MON":
        d = days.astype("datetime64[D]").astype(np.int64)
        start = (d - (d - _MONDAY) % 7).astype("datetime64[D]")
    elif freq == "MS":
        start = days.astype("datetime64[M]").astype("datetime64[D]")
    elif freq == "QS":
        m = days.astype("datetime64[M]").astype(np.int64)
        start = (m - m % 3).astype("datetime64[M]").astype("datetime64[D]")
    else:
        start = days.astype("datetime64[Y]").astype("datetime64[D]")
    out: npt.NDArray[np.datetime64] = start.astype("datetime64[ns]")
    return out


def _calendar(first: np.datetime64, last: np.datetime64, freq: Freq) -> npt.NDArray[np.datetime64]:
    """Every period start from ``first`` to ``last`` (both period starts)."""
    if freq == "W-MON":
        span = np.arange(first.astype("datetime64[D]"), last.astype("datetime64[D]") + 1, 7)
    elif freq == "YS":
        span = np.arange(first.astype("datetime64[Y]"), last.astype("datetime64[Y]") + 1).astype(
            "datetime64[D]")
    else:
        step = 1 if freq == "MS" else 3
        span = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1, step).astype(
            "datetime64[D]")
    out: npt.NDArray[np.datetime64] = span.astype("datetime64[ns]")
    return out


def _plain_numbers(x: object, arr: npt.NDArray[np.generic]) -> bool:
    """Whether a sample is read as numbers (not categories) by metrics.psi: a real numeric array."""
    dtype = getattr(x, "dtype", arr.dtype)
    return arr.dtype.kind in "iuf" and not isinstance(dtype, pd.CategoricalDtype) and not (
        pd.api.types.is_bool_dtype(dtype))


def psi_over_time(
    reference: Sample,
    current: Sample,
    dates: Dates,
    *,
    freq: Freq = "MS",
    bins: int = 10,
    edges: Vector | None = None,
    binning: BinningLike | None = None,
    missing: Missing = "raise",
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = PSI_THRESHOLDS,
) -> PSIOverTime:
    r"""PSI of each calendar period's values against a reference sample, with traffic lights.

    Parameters
    ----------
    reference : array-like of shape (m,)
        Reference sample (e.g. the development scores), binned once.
    current : array-like of shape (n,)
        Current values of the same variable, one per row.
    dates : array-like of shape (n,)
        Date of each value, in any order (the rows need not be sorted);
        missing dates (NaT) are refused. A Series must carry ``current``'s
        index.
    freq : {"MS", "QS", "YS", "W-MON"}, default "MS"
        Periods: calendar months, quarters, years or weeks from Monday,
        each labelled by its first day (the pandas aliases).
    bins : int, default 10
        For numeric input: number of bins, cut at quantiles of the reference
        (left-closed; ties can merge bins). Not used with ``edges`` or
        ``binning``.
    edges : array-like of float, optional
        Strictly increasing interior cut points for numeric input.
    binning : BinningLike, optional
        A fitted binning (e.g. :class:`jiebei_credit.scorecard.Binning`): its
        bins are used as they are, including its missing and special bins.
    missing : {"raise", "bin"}, default "raise"
        Missing values raise, or are counted in a separate ``"missing"`` bin.
        Not used with ``binning``.
    smoothing : float, default 0.5
        Added to every bin's count in both samples before taking shares, so
        bins empty in one sample give a finite PSI; ``0`` gives the textbook
        PSI.
    thresholds : tuple of two floats, default (0.1, 0.25)
        Traffic-light cut-offs ``(amber, red)``, see
        :func:`jiebei_credit.metrics.psi_status`.

    Returns
    -------
    PSIOverTime
        One row per period from the first date's period to the last's
        (``n``, ``psi``, ``status``, ``empty_bins``); periods without rows
        have ``n`` 0, PSI NaN and status ``"insufficient"``, never a PSI of 0.

    Raises
    ------
    InvalidInputError
        If a sample is empty or invalid as for
        :func:`jiebei_credit.metrics.psi`; ``dates`` has missing values,
        values that are not dates, or does not match ``current`` in length or
        index; or a parameter has the wrong type or is out of range.

    Notes
    -----
    Each period's PSI is :func:`jiebei_credit.metrics.psi` of the reference
    against that period's rows, with bins fixed by the reference alone (its
    quantiles, ``edges`` or ``binning``), so periods are comparable and each
    value equals ``metrics.psi(reference, current[in_period], ...)``. The
    result does not depend on the order of the rows.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 14 (system stability report over time).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.monitoring import psi_over_time
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.normal(600, 40, 5000)
    >>> when = pd.to_datetime(["2024-01-15"] * 1000 + ["2024-03-10"] * 1000)
    >>> now = np.r_[rng.normal(600, 40, 1000), rng.normal(630, 40, 1000)]
    >>> psi_over_time(ref, now, when).table.round(3)
                   n    psi        status  empty_bins
    period
    2024-01-01  1000  0.010         green           0
    2024-02-01     0    NaN  insufficient           0
    2024-03-01  1000  0.529           red           0
    """
    how: Missing = choice(missing, MISSING_OPTIONS, func=_FUNC, name="missing")
    period: Freq = choice(freq, FREQ_OPTIONS, func=_FUNC, name="freq",
                          fix="E.g. freq='MS' for calendar months.")
    alpha = check_smoothing(smoothing, func=_FUNC)
    cut_offs = index_thresholds(thresholds, func=_FUNC)
    n_bins = integer(bins, func=_FUNC, name="bins", low=1)
    arr, v_index = vector(current, func=_FUNC, name="current")
    vector(dates, func=_FUNC, name="dates")  # one-dimensional, not empty
    when = date_vector(dates, func=_FUNC, name="dates")
    d_index = dates.index if isinstance(dates, pd.Series) else None
    same_rows(_FUNC, ("current", arr.size, v_index), ("dates", when.size, d_index))
    ref_arr, _ = vector(reference, func=_FUNC, name="reference")
    numeric = _plain_numbers(reference, ref_arr) and _plain_numbers(current, arr)
    if binning is None and edges is None and numeric:
        # numeric samples: the reference's quantile cuts, computed once (as metrics.psi would each time)
        ref, _ = float_vector(reference, func=_FUNC, name="reference", allow_nan=True)
        observed = ref[~np.isnan(ref)]
        cuts = band_edges(observed, n_bins) if observed.size else np.empty(0)
        edges = cuts if cuts.size else None
        n_bins = 1
    starts = period_starts(when, period)
    calendar = _calendar(starts.min(), starts.max(), period)
    code = np.searchsorted(calendar, starts)
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(calendar.size + 1))
    series = current if isinstance(current, pd.Series) else pd.Series(arr, copy=False)
    rows: list[tuple[int, float, str, int]] = []
    results: list[PSIResult | None] = []
    for k in range(calendar.size):
        picked = order[bounds[k]:bounds[k + 1]]
        if picked.size == 0:
            rows.append((0, float("nan"), psi_status(float("nan"), thresholds=cut_offs), 0))
            results.append(None)
            continue
        part = series.iloc[np.sort(picked)]
        e_count, a_count, labels, _ = bin_samples(
            reference, part, bins=n_bins, edges=edges, binning=binning, missing=how, func=_FUNC,
            names=("reference", "current"))
        value, table, empty = psi_parts(e_count, a_count, labels, smoothing=alpha, func=_FUNC)
        status = psi_status(value, thresholds=cut_offs)
        results.append(PSIResult(value=value, status=status, table=table, empty_bins=empty))
        rows.append((int(picked.size), value, status, len(empty)))
    table = pd.DataFrame(rows, columns=["n", "psi", "status", "empty_bins"],
                         index=pd.DatetimeIndex(calendar, name="period"))
    return PSIOverTime(freq=period, table=table, results=tuple(results), reference_n=int(ref_arr.size),
                       thresholds=cut_offs)
