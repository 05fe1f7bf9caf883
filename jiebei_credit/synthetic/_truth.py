"""Ground truth of a simulated portfolio: risk, regimes, hazard, PDs and default dates."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas

from jiebei_credit._keys import positions
from jiebei_credit._types import DateLike
from jiebei_credit._validation import date_format_param, dates, fail, frame_columns, integer, offending
from jiebei_credit.synthetic._calendar import MonthGrid, as_day, day_to_datetime, days_to_datetime
from jiebei_credit.synthetic._loans import NEVER
from jiebei_credit.synthetic._regime import DEFAULT_LAG_DAYS, MULT, stop_probability

__all__ = ["Truth"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_HORIZON_DAYS: Final = 3650


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    out = np.array(a, copy=True)
    out.flags.writeable = False
    return out


def _dates_or_nat(days: IntArray) -> npt.NDArray[np.datetime64]:
    out = np.full(days.size, np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    ok = days < NEVER
    out[ok] = days_to_datetime(days[ok])
    return out


class Truth:
    """What the generator knows and a lender never sees, per borrower.

    Attributes are read-only views built on request; the object cannot be
    changed. Positions follow ``records.borrowers`` (borrower ids in order).
    :func:`simulate_portfolio` builds it; the constructor is not meant to be
    called directly and checks nothing.

    Parameters
    ----------
    ids : pandas.Index
        Borrower ids, in the order of ``records.borrowers`` (``n`` of them).
    latent : numpy.ndarray of float64, shape (n,)
        Latent creditworthiness draw of each borrower, standard normal,
        higher is riskier (``borrowers["latent_risk"]``).
    risk : numpy.ndarray of float64, shape (n,)
        Risk index: latent risk plus the segment's log-hazard shift
        (``borrowers["risk_index"]``).
    open_day : numpy.ndarray of int64, shape (n,)
        Day number (days since 1970-01-01) on which each credit line opened.
    stop_day : numpy.ndarray of int64, shape (n,)
        Day number on which each borrower stopped paying; a sentinel beyond
        any date for those who never stop.
    default_day : numpy.ndarray of int64, shape (n,)
        Day number of default (``stop_day + 90``), with the same sentinel.
    states : numpy.ndarray of int8, shape (n, months + 1)
        Regime of each borrower in each month of the grid (0 normal,
        1 stressed, 2 distressed); columns past the simulated window are
        dropped. The hazard of a month is ``base_hazard`` times the
        regime's multiplier (1, 6, 40).
    base_hazard : numpy.ndarray of float64, shape (n, months)
        Daily stop hazard of each borrower and month before the regime's
        multiplier is applied.
    trans : numpy.ndarray of float64, shape (3, 3)
        Monthly regime transition matrix (rows sum to 1).
    grid : MonthGrid
        The calendar months of the simulation.
    start : int
        Day number of the first simulated day.
    end : int
        Day number of the end of the simulation (exclusive).
    intensity : float
        ``SimulationConfig.default_intensity`` of the run, a multiplier of
        the hazard.

    Notes
    -----
    The default mechanism (see the user guide): each month a borrower is in
    one of three regimes (``normal``, ``stressed``, ``distressed``) and stops
    paying for good with the daily hazard in :attr:`hazard`. The stop day is
    a due date of one of their instalments, which therefore reaches 90 days
    past due 90 days later: ``default_date = stop_date + 90 days``, the first
    day any instalment of the borrower is 90+ DPD.

    The true probability of default over ``(as_of, as_of + h]`` given the
    regime in the month of ``as_of`` and everything before ``as_of`` is

    * 1 when the borrower stopped before ``as_of`` and defaults by
      ``as_of + h`` (this includes borrowers already in default: the Basel
      convention PD = 100 % for defaulted obligors);
    * 0 when the borrower stopped before ``as_of`` and defaults after the window;
    * otherwise ``P(stop in [as_of, as_of + h − 89))``, computed exactly by a
      forward recursion over the regime chain: the surviving mass in each
      regime is multiplied by ``exp(−λ·days)`` for the days of each month in
      the window and moved by the monthly transition matrix.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> t = jc.synthetic.simulate_portfolio(100, start="2023-01-01", end="2024-01-01", seed=1).truth
    >>> t.borrowers.columns.tolist()
    ['latent_risk', 'risk_index', 'line_opened_on', 'stop_date', 'default_date']
    >>> t.states.shape, t.hazard.shape
    ((100, 12), (100, 12))
    """

    _ids: pandas.Index
    _latent: FloatArray
    _risk: FloatArray
    _open: IntArray
    _stop: IntArray
    _default: IntArray
    _states: npt.NDArray[np.int8]
    _hazard: FloatArray
    _trans: FloatArray
    _grid: MonthGrid
    _start: int
    _end: int
    _intensity: float

    __slots__ = (
        "_default",
        "_end",
        "_grid",
        "_hazard",
        "_ids",
        "_intensity",
        "_latent",
        "_open",
        "_risk",
        "_start",
        "_states",
        "_stop",
        "_trans",
    )

    def __init__(
        self,
        *,
        ids: pandas.Index,
        latent: FloatArray,
        risk: FloatArray,
        open_day: IntArray,
        stop_day: IntArray,
        default_day: IntArray,
        states: npt.NDArray[np.int8],
        base_hazard: FloatArray,
        trans: FloatArray,
        grid: MonthGrid,
        start: int,
        end: int,
        intensity: float,
    ) -> None:
        n_months = grid.months_before(end) if end > start else 1
        values = {
            "_ids": ids,
            "_latent": _frozen(latent),
            "_risk": _frozen(risk),
            "_open": _frozen(open_day),
            "_stop": _frozen(stop_day),
            "_default": _frozen(default_day),
            "_states": _frozen(states[:, : n_months + 1]),
            "_hazard": _frozen(base_hazard[:, :n_months] * MULT[states[:, :n_months]]),
            "_trans": _frozen(trans),
            "_grid": grid,
            "_start": start,
            "_end": end,
            "_intensity": float(intensity),
        }
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Truth is immutable; cannot set {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle, copy and deepcopy rebuild from the stored fields, never through __setattr__.
        return (_restore_truth, ({k: getattr(self, k) for k in Truth.__slots__},))

    def __repr__(self) -> str:
        n_default = int((self._default < NEVER).sum())
        return f"Truth(borrowers={len(self._ids):,}, defaults={n_default:,})"

    # ---- per-borrower tables -----------------------------------------------
    @property
    def borrowers(self) -> pandas.DataFrame:
        """One row per borrower, indexed by ``borrower_id``.

        Columns: ``latent_risk`` (the standard-normal creditworthiness draw,
        higher is riskier), ``risk_index`` (latent risk plus the segment's
        log-hazard shift), ``line_opened_on``, ``stop_date`` (first instalment
        due date never paid; NaT when none before the end) and
        ``default_date`` (first day an instalment is 90+ days past due, on or
        before the end; NaT when none).
        """
        stop = np.where(self._stop < self._end, self._stop, NEVER)
        return pandas.DataFrame(
            {
                "latent_risk": self._latent,
                "risk_index": self._risk,
                "line_opened_on": days_to_datetime(self._open),
                "stop_date": _dates_or_nat(stop),
                "default_date": _dates_or_nat(self._default),
            },
            index=self._ids.copy(),
        )

    @property
    def default_date(self) -> pandas.Series:
        """Default date per borrower (NaT when the borrower did not default by the end)."""
        return pandas.Series(_dates_or_nat(self._default), index=self._ids.copy(), name="default_date")

    @property
    def months(self) -> pandas.DatetimeIndex:
        """Month starts of the observation (columns of :attr:`states` and :attr:`hazard`)."""
        return self._grid.timestamps()[: self._hazard.shape[1]]

    @property
    def states(self) -> pandas.DataFrame:
        """Regime per borrower (rows) and month (columns): 0 normal, 1 stressed, 2 distressed."""
        k = self._hazard.shape[1]
        return pandas.DataFrame(np.array(self._states[:, :k]), index=self._ids.copy(), columns=self.months)

    @property
    def hazard(self) -> pandas.DataFrame:
        """Realised daily stop hazard per borrower (rows) and month (columns).

        The hazard of the default date is the same curve shifted by 90 days.
        """
        return pandas.DataFrame(np.array(self._hazard), index=self._ids.copy(), columns=self.months)

    # ---- probabilities and outcomes ----------------------------------------
    def _positions(self, borrower_ids: Any, func: str) -> IntArray:
        pos = positions(self._ids, pandas.Index(pandas.array(borrower_ids, dtype="string")))
        if (pos < 0).any():
            raise fail(f"Truth.{func}", "column 'borrower_id'", "must hold ids of this portfolio",
                       "unknown ids: " + offending(pos < 0, np.asarray(borrower_ids, dtype=object)),
                       "Use ids from portfolio.records.borrowers.")
        return pos

    def _check(self, days: IntArray, horizon_days: Any, func: str, *, one: bool = True) -> int:
        h = integer(horizon_days, func=f"Truth.{func}", name="horizon_days", low=1, high=MAX_HORIZON_DAYS)
        bad = (days < self._start) | (days > self._end)
        if bad.any():
            shown = days.astype("datetime64[D]").astype(str)
            raise fail(f"Truth.{func}", "as_of" if one else "column 'as_of'",
                       f"must lie within the observation [{day_to_datetime(self._start).date()}, "
                       f"{day_to_datetime(self._end).date()}]",
                       repr(str(shown[0])) if one else offending(bad, shown))
        return h

    def _pd(self, pos: IntArray, t: IntArray, h: int) -> FloatArray:
        stop = self._stop[pos]
        stopped = stop < t
        known = np.where(stop + DEFAULT_LAG_DAYS <= t + h, 1.0, 0.0)
        state = self._states[pos, np.clip(self._grid.month_of(t), 0, self._states.shape[1] - 1)]
        p = stop_probability(
            risk=self._risk[pos],
            open_day=self._open[pos],
            trans=self._trans[pos],
            state=state.astype(np.int64),
            t0=t,
            t1=t + max(h - DEFAULT_LAG_DAYS + 1, 0),
            intensity=self._intensity,
        )
        return np.where(stopped, known, p)

    def pd(
        self, as_of: DateLike, *, horizon_days: int = 365, date_format: str | None = None
    ) -> pandas.Series:
        """True probability of default in ``(as_of, as_of + horizon_days]`` for every borrower.

        Parameters
        ----------
        as_of : date
            Observation date within ``[start, end]`` of the simulation.
        horizon_days : int, default 365
            Window length in days, 1 to 3650.
        date_format : str, optional
            ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO
            8601 (``"2025-01-31"``) when not given.

        Returns
        -------
        pandas.Series
            Float64 PDs indexed by ``borrower_id`` (see the class Notes; a
            borrower already in default gets 1.0).

        Raises
        ------
        InvalidInputError
            When ``as_of`` is not a date inside the observation or
            ``horizon_days`` is out of range.

        Examples
        --------
        >>> import jiebei_credit as jc
        >>> t = jc.synthetic.simulate_portfolio(100, start="2023-01-01", end="2024-01-01", seed=1).truth
        >>> p90, p365 = t.pd("2023-06-01", horizon_days=90), t.pd("2023-06-01")
        >>> bool((p90 <= p365).all()), p365.index.name
        (True, 'borrower_id')
        """
        t0 = as_day(as_of, func="Truth.pd", name="as_of", date_format=date_format)
        n = len(self._ids)
        t = np.full(n, t0, dtype=np.int64)
        h = self._check(t, horizon_days, "pd")
        values = self._pd(np.arange(n, dtype=np.int64), t, h)
        return pandas.Series(values, index=self._ids.copy(), name="pd")

    def pd_for(
        self, observations: pandas.DataFrame, *, horizon_days: int = 365, date_format: str | None = None
    ) -> pandas.Series:
        """True PD of each row of ``observations``, each at its own ``as_of``.

        Parameters
        ----------
        observations : pandas.DataFrame
            Columns ``borrower_id`` and ``as_of`` (other columns are ignored);
            not modified.
        horizon_days : int, default 365
            Window length in days, 1 to 3650.
        date_format : str, optional
            ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO
            8601 (``"2025-01-31"``) when not given.

        Returns
        -------
        pandas.Series
            Float64 PDs with the index of ``observations`` (same values as
            :meth:`pd` at each row's date).

        Raises
        ------
        InvalidInputError
            For a non-frame, repeated or missing columns, unknown borrowers,
            missing, unreadable, timed or out-of-range dates (read as in
            :func:`simulate_portfolio`: numbers are never dates), or a bad
            horizon.

        Examples
        --------
        >>> import pandas as pd
        >>> import jiebei_credit as jc
        >>> t = jc.synthetic.simulate_portfolio(100, start="2023-01-01", end="2024-01-01", seed=1).truth
        >>> obs = pd.DataFrame({"borrower_id": ["B03", "B03"], "as_of": ["2023-03-01", "2023-09-01"]})
        >>> t.pd_for(obs, horizon_days=120).index.tolist()
        [0, 1]
        """
        t, pos = self._observations(observations, "pd_for", date_format)
        h = self._check(t, horizon_days, "pd_for", one=False)
        return pandas.Series(self._pd(pos, t, h), index=observations.index.copy(), name="pd")

    def outcome(self, as_of: DateLike, *, horizon_days: int = 365, date_format: str | None = None
                ) -> pandas.Series:
        """Realised default flag in ``(as_of, as_of + horizon_days]`` per borrower.

        Parameters
        ----------
        as_of : date
            Observation date within ``[start, end]``.
        horizon_days : int, default 365
            Window length in days, 1 to 3650.
        date_format : str, optional
            ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO
            8601 (``"2025-01-31"``) when not given.

        Returns
        -------
        pandas.Series
            Indexed by ``borrower_id``: 1.0 when the default date falls in the
            window, 0.0 when it does not, NaN when the window ends after the
            observation or the borrower defaulted on or before ``as_of``.

        Raises
        ------
        InvalidInputError
            When ``as_of`` is outside the observation or ``horizon_days`` is
            out of range.

        Examples
        --------
        >>> import jiebei_credit as jc
        >>> t = jc.synthetic.simulate_portfolio(100, start="2023-01-01", end="2024-01-01", seed=1).truth
        >>> bool(t.outcome("2023-06-01", horizon_days=180).isin([0.0, 1.0]).all())
        True
        """
        t0 = as_day(as_of, func="Truth.outcome", name="as_of", date_format=date_format)
        n = len(self._ids)
        h = self._check(np.full(n, t0, dtype=np.int64), horizon_days, "outcome")
        d = self._default
        flag = ((d > t0) & (d <= t0 + h)).astype(np.float64)
        flag[(d <= t0) | (t0 + h > self._end)] = np.nan
        return pandas.Series(flag, index=self._ids.copy(), name="bad")

    def _observations(self, observations: Any, func: str, date_format: str | None
                      ) -> tuple[IntArray, IntArray]:
        frame = frame_columns(observations, ("borrower_id", "as_of"), func=f"Truth.{func}",
                              name="observations")
        fmt = date_format_param(date_format, func=f"Truth.{func}")
        when = dates(frame["as_of"], func=f"Truth.{func}", name="column 'as_of'", date_format=fmt,
                     whole_days=True)
        pos = self._positions(frame["borrower_id"].to_numpy(dtype=object), func)
        return when.astype("datetime64[D]").astype(np.int64), pos


def _restore_truth(state: dict[str, Any]) -> Truth:
    """Rebuild a :class:`Truth` from its fields (see ``Truth.__reduce__``); arrays stay read-only."""
    out = object.__new__(Truth)
    for k, v in state.items():
        object.__setattr__(out, k, _frozen(v) if isinstance(v, np.ndarray) else v)
    return out
