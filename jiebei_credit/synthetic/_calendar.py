"""Day numbers and the calendar-month grid the simulation runs on.

Internally every date is an ``int64`` day number (days since 1970-01-01) and
every month a position on a grid of calendar-month starts. Frames get
``datetime64[ns]`` only when they are assembled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._validation import date, date_format_param

__all__ = ["DAYS_PER_MONTH", "MonthGrid", "as_day", "day_to_datetime", "days_to_datetime"]

IntArray = npt.NDArray[np.int64]

#: Mean length of a calendar month in days (365.25 / 12).
DAYS_PER_MONTH: Final = 30.4375


def as_day(value: Any, *, func: str, name: str, date_format: str | None = None) -> int:
    """Day number of a date read the library's one way (:func:`jiebei_credit._validation.date`).

    Numbers, relative words such as ``"today"``, a time of day, a time zone,
    a date outside 1950–2100 or an unreadable value raise
    :class:`~jiebei_credit.errors.InvalidInputError`.
    """
    ts = date(value, func=func, name=name, date_format=date_format_param(date_format, func=func))
    return int(ts.to_datetime64().astype("datetime64[D]").astype(np.int64))


def days_to_datetime(days: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """``datetime64[ns]`` array of day numbers; negative sentinels are not allowed here."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def day_to_datetime(day: int) -> pd.Timestamp:
    """Timestamp (midnight) of one day number."""
    return pd.Timestamp(np.datetime64(int(day), "D"))


@dataclass(frozen=True, slots=True)
class MonthGrid:
    """Calendar months from the month of ``first_day`` on.

    ``starts[m]`` is the first day of month ``m``; ``starts[-1]`` is the day
    after the last month, so month ``m`` covers ``[starts[m], starts[m + 1])``.
    """

    starts: IntArray

    @classmethod
    def covering(cls, first_day: int, last_day: int, *, extra: int = 0) -> MonthGrid:
        """Months from the month of ``first_day`` to the month of ``last_day``, plus ``extra``."""
        m0 = np.datetime64(int(first_day), "D").astype("datetime64[M]")
        m1 = np.datetime64(int(last_day), "D").astype("datetime64[M]") + np.timedelta64(1 + extra, "M")
        months = np.arange(m0, m1 + np.timedelta64(1, "M"), dtype="datetime64[M]")
        return cls(starts=months.astype("datetime64[D]").astype(np.int64))

    @property
    def n(self) -> int:
        """Number of months."""
        return int(self.starts.size - 1)

    @property
    def lengths(self) -> IntArray:
        """Days in each month."""
        return np.diff(self.starts)

    def month_of(self, days: npt.ArrayLike) -> IntArray:
        """Month position of each day (``-1`` before the grid, ``n`` after it)."""
        pos = np.searchsorted(self.starts, np.asarray(days, dtype=np.int64), side="right")
        return pos.astype(np.int64) - 1

    def months_before(self, end: int) -> int:
        """Number of months from the first up to the one holding day ``end - 1``."""
        return int(self.month_of(end - 1)) + 1

    def calendar_month(self) -> IntArray:
        """Calendar month number (1-12) of each month."""
        months = self.starts[:-1].astype("datetime64[D]").astype("datetime64[M]")
        return (months.astype(np.int64) % 12 + 1).astype(np.int64)

    def timestamps(self) -> pd.DatetimeIndex:
        """Month starts as a ``DatetimeIndex`` (without the closing boundary)."""
        return pd.DatetimeIndex(days_to_datetime(self.starts[:-1]))
