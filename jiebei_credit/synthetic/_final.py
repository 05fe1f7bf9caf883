"""The final draw: the loan whose ``k``-th instalment falls due on the stop day.

A borrower who stops paying on day ``S`` draws, ``k`` calendar months
earlier (``k`` = 1, 2 or 3 with probabilities 0.3, 0.4, 0.3), a loan whose
``k``-th due date is ``S``: they pay ``k − 1`` instalments and miss the
``k``-th. Month arithmetic is pandas' ``DateOffset`` (the rule the schedules
use); a ``k`` is usable when ``(S − k months) + k months == S`` and the draw
is after the day the line opened. Because the hazard is zero for the first
63 days on book, some ``k ≤ 2`` is always usable.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.synthetic._calendar import days_to_datetime
from jiebei_credit.synthetic._loans import NEVER, FinalDraws

__all__ = ["plan_final_draws"]

IntArray = npt.NDArray[np.int64]

K_VALUES: Final = (1, 2, 3)
K_P: Final = (0.3, 0.4, 0.3)


def plan_final_draws(rng: np.random.Generator, stop_day: IntArray, open_day: IntArray) -> FinalDraws:
    """Draw day and instalment number of each borrower's final draw (NEVER where no stop)."""
    n = stop_day.size
    day = np.full(n, NEVER, dtype=np.int64)
    k_out = np.zeros(n, dtype=np.int64)
    who = np.flatnonzero(stop_day < NEVER)
    pref = rng.choice(np.array(K_VALUES), size=who.size, p=np.array(K_P))
    if who.size == 0:
        return FinalDraws(day=day, k=k_out)
    stop = pd.DatetimeIndex(days_to_datetime(stop_day[who]))
    cand_day = np.empty((who.size, len(K_VALUES)), dtype=np.int64)
    usable = np.empty((who.size, len(K_VALUES)), dtype=bool)
    for j, k in enumerate(K_VALUES):
        w = stop - pd.DateOffset(months=k)
        back = w + pd.DateOffset(months=k)
        w_day = w.to_numpy().astype("datetime64[D]").astype(np.int64)
        cand_day[:, j] = w_day
        usable[:, j] = np.asarray(back == stop) & (w_day > open_day[who])
    # preferred k if usable, else the largest usable k below it, else the smallest usable above it
    choice = np.full(who.size, -1, dtype=np.int64)
    pj = pref - 1
    for j in range(len(K_VALUES) - 1, -1, -1):
        choice = np.where((choice < 0) & usable[:, j] & (j <= pj), j, choice)
    for j in range(len(K_VALUES)):
        choice = np.where((choice < 0) & usable[:, j], j, choice)
    ok = choice >= 0
    rows = np.flatnonzero(ok)
    day[who[ok]] = cand_day[rows, choice[ok]]
    k_out[who[ok]] = np.array(K_VALUES)[choice[ok]]
    return FinalDraws(day=day, k=k_out)
