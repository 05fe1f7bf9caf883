"""Seasonality profiles of merchant flows: month of year, day of week, time of day.

Each industry has twelve month-of-year multiples (mean one), seven
day-of-week weights (Monday first) and a two-component time-of-day mixture.
Days are sampled by inverse CDF over the days of each calendar month, with
one flat CDF array for all (industry, month) blocks, so a single
``searchsorted`` places millions of rows.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.synthetic._borrowers import INDUSTRIES
from jiebei_credit.synthetic._calendar import MonthGrid

__all__ = ["MONTH_OF_YEAR", "DayPicker", "month_of_year_factor", "seconds_of_day"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Month-of-year multiples (January first) per industry, normalised to mean one.
_MOY: Final = {
    "catering": [1.10, 0.85, 0.95, 0.95, 1.00, 1.00, 1.05, 1.05, 0.95, 1.05, 0.95, 1.10],
    "retail": [1.15, 0.90, 0.90, 0.90, 0.95, 1.00, 0.95, 0.95, 0.95, 1.00, 1.25, 1.20],
    "wholesale": [1.20, 0.60, 0.95, 1.00, 1.00, 1.00, 0.95, 1.00, 1.05, 1.05, 1.10, 1.10],
    "services": [1.05, 0.90, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.05],
    "logistics": [1.10, 0.60, 0.95, 0.95, 1.00, 1.00, 0.95, 1.00, 1.00, 1.05, 1.30, 1.10],
    "manufacturing": [1.05, 0.60, 1.00, 1.05, 1.05, 1.05, 1.00, 1.00, 1.05, 1.00, 1.05, 1.10],
    "agriculture": [0.90, 0.80, 0.85, 0.90, 0.95, 1.00, 1.00, 1.05, 1.40, 1.40, 0.95, 0.80],
}
#: Day-of-week weights (Monday first) per industry.
_DOW: Final = {
    "catering": [0.85, 0.85, 0.90, 0.95, 1.15, 1.35, 1.25],
    "retail": [0.90, 0.90, 0.90, 0.95, 1.05, 1.25, 1.20],
    "wholesale": [1.15, 1.15, 1.10, 1.10, 1.10, 0.70, 0.40],
    "services": [0.90, 0.95, 0.95, 1.00, 1.05, 1.15, 1.10],
    "logistics": [1.10, 1.10, 1.10, 1.10, 1.10, 0.80, 0.50],
    "manufacturing": [1.15, 1.15, 1.15, 1.10, 1.10, 0.60, 0.40],
    "agriculture": [1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00],
}
#: Time of day (hours): weight of the first component, mean and sd of each component.
_TOD: Final = {
    "catering": (0.45, 12.2, 0.8, 18.8, 1.3),
    "retail": (0.50, 11.5, 2.0, 17.5, 2.5),
    "wholesale": (0.80, 10.0, 1.8, 15.0, 2.0),
    "services": (0.50, 11.0, 2.0, 16.5, 2.5),
    "logistics": (0.70, 10.5, 2.0, 15.5, 2.0),
    "manufacturing": (0.75, 10.5, 1.8, 15.0, 2.0),
    "agriculture": (0.70, 8.5, 1.5, 15.0, 2.0),
}

_MOY_RAW: Final = np.array([_MOY[k] for k in INDUSTRIES], dtype=np.float64)
MONTH_OF_YEAR: Final = _MOY_RAW / _MOY_RAW.mean(axis=1, keepdims=True)
_DOW_W: Final = np.array([_DOW[k] for k in INDUSTRIES], dtype=np.float64)
_TOD_P: Final = np.array([_TOD[k] for k in INDUSTRIES], dtype=np.float64)
#: Earliest and latest second of the day for merchant flows (06:00 to 23:30).
FIRST_SECOND: Final = 6 * 3600
LAST_SECOND: Final = 23 * 3600 + 1800


def month_of_year_factor(industry: IntArray, grid: MonthGrid, n_months: int) -> FloatArray:
    """Month-of-year multiple per borrower (rows) and month (columns)."""
    moy = grid.calendar_month()[:n_months] - 1
    out: FloatArray = MONTH_OF_YEAR[industry][:, moy]
    return out


class DayPicker:
    """Samples days within calendar months with each industry's day-of-week weights."""

    def __init__(self, grid: MonthGrid, n_months: int) -> None:
        self.grid = grid
        self.n_months = n_months
        n_ind = _DOW_W.shape[0]
        lengths = grid.lengths[:n_months]
        first = grid.starts[:n_months]
        day = first[:, None] + np.arange(31)[None, :]
        inside = np.arange(31)[None, :] < lengths[:, None]
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        w = _DOW_W[:, weekday] * inside[None, :, :]  # (industry, month, 31)
        cdf = np.cumsum(w, axis=2)
        cdf /= cdf[:, :, -1:]
        blocks = np.arange(n_ind * n_months, dtype=np.float64).reshape(n_ind, n_months, 1)
        self._flat = (cdf + blocks).reshape(-1)

    def sample(self, rng: np.random.Generator, industry: IntArray, month: IntArray) -> IntArray:
        """One day number per row, in ``month`` (grid position), for the row's industry."""
        block = industry * self.n_months + month
        u = rng.random(block.size)
        pos = np.searchsorted(self._flat, block + u, side="right")
        offset = np.minimum(pos - block * 31, 30)
        return self.grid.starts[month] + offset


def seconds_of_day(rng: np.random.Generator, industry: IntArray) -> IntArray:
    """Second of the day of each row from the industry's two-component mixture."""
    p = _TOD_P[industry]
    first = rng.random(industry.size) < p[:, 0]
    mean = np.where(first, p[:, 1], p[:, 3])
    sd = np.where(first, p[:, 2], p[:, 4])
    hours = mean + sd * rng.standard_normal(industry.size)
    sec = np.round(hours * 3600.0).astype(np.int64)
    return np.clip(sec, FIRST_SECOND, LAST_SECOND)
