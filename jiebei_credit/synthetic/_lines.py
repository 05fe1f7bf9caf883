"""Credit-line policy and the delinquency episodes that drive it.

The line opens with the borrower's opening limit and rate. At each review
(every ``review_months`` on the day of month the line opened, capped at the
27th) a line in good standing, with no late instalment in the last 180 days
and in the ``normal`` regime, gets a limit increase with probability
``P_INCREASE`` (×1.15 to ×1.6, capped) and half the time a rate cut of
0.002 % a day. A frozen line is reopened at half its former limit at the
first review at least 180 days after the delinquency was cured.

Cured delinquency episodes start on an instalment's due date and end when
the borrower pays everything overdue: severity ``A`` after 10-29 days,
``B`` after 30-59 days (the limit is cut by half on the day the arrears
reach 30 days), ``C`` after 60-85 days (the line is frozen on day 30).
Draws are blocked from the first missed due date until the cure. After the
final stop the line is frozen when the arrears reach 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.synthetic._arrays import latest_at
from jiebei_credit.synthetic._borrowers import MIN_DAILY_RATE, floor_to

__all__ = [
    "CUT",
    "EPISODE_DAYS",
    "FREEZE",
    "LineState",
    "episode_probabilities",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Pending line actions after a delinquency.
CUT: Final = 1
FREEZE: Final = 2
#: Days in arrears at which the lender cuts or freezes the line.
ACTION_AFTER_DAYS: Final = 30
#: Clean days needed before a limit increase or lifting a freeze.
CLEAN_DAYS: Final = 180
P_INCREASE: Final = 0.6
INCREASE_RANGE: Final = (1.15, 1.6)
RATE_STEP: Final = 0.00002
CUT_FACTOR: Final = 0.5
REOPEN_FACTOR: Final = 0.5
#: Latest day of month for reviews (every month has it).
REVIEW_DAY_CAP: Final = 27

#: Cure delay ranges (days after the first missed due date) of episodes A, B, C.
EPISODE_DAYS: Final = ((10, 29), (30, 59), (60, 85))
#: Monthly probability of each episode for a borrower with an instalment due, r = 0, normal regime.
EPISODE_BASE: Final = np.array([0.004, 0.0018, 0.0006])
#: Log slope of the episode probabilities on the risk index.
EPISODE_RISK: Final = 0.5
#: Episode multiple by regime (rows) and severity (columns).
EPISODE_MULT: Final = np.array([[1.0, 1.0, 1.0], [4.0, 5.0, 5.0], [8.0, 12.0, 16.0]])


def episode_probabilities(risk: FloatArray, state: npt.NDArray[np.int8]) -> FloatArray:
    """Probability of starting an episode of each severity this month, shape ``(n, 3)``."""
    p = EPISODE_BASE[None, :] * np.exp(EPISODE_RISK * risk)[:, None] * EPISODE_MULT[state]
    total = p.sum(axis=1, keepdims=True)
    out: FloatArray = np.where(total > 0.5, p * (0.5 / np.maximum(total, 1e-12)), p)
    return out


@dataclass(slots=True)
class LineState:
    """Mutable per-borrower line state used inside the monthly loop."""

    limit: FloatArray
    rate: FloatArray
    frozen_limit: FloatArray  # limit before the current freeze
    pending_day: IntArray  # day of a pending cut / freeze, or a large sentinel
    pending_kind: IntArray
    reopen_after: IntArray  # a frozen line may reopen at a review on or after this day
    last_late_day: IntArray  # first missed due date of the latest episode

    @classmethod
    def closed(cls, n: int, never: int) -> LineState:
        return cls(
            limit=np.zeros(n),
            rate=np.zeros(n),
            frozen_limit=np.zeros(n),
            pending_day=np.full(n, never, dtype=np.int64),
            pending_kind=np.zeros(n, dtype=np.int64),
            reopen_after=np.full(n, never, dtype=np.int64),
            last_late_day=np.full(n, -never, dtype=np.int64),
        )

    def apply_actions(self, idx: IntArray, *, min_limit: float) -> tuple[FloatArray, FloatArray]:
        """Cut or freeze the lines ``idx`` whose pending action falls this month; new limit, rate."""
        kind = self.pending_kind[idx]
        old = self.limit[idx]
        cut = floor_to(old * CUT_FACTOR, 100.0)
        cut = np.where(old > 0, np.maximum(cut, min_limit), 0.0)
        new = np.where(kind == CUT, np.minimum(cut, old), 0.0)
        freezing = (kind == FREEZE) & (old > 0)
        self.frozen_limit[idx] = np.where(freezing, old, self.frozen_limit[idx])
        self.limit[idx] = new
        self.pending_kind[idx] = 0
        return new, self.rate[idx]

    def review(
        self,
        rng: np.random.Generator,
        idx: IntArray,
        day: IntArray,
        *,
        normal: npt.NDArray[np.bool_],
        stopped: npt.NDArray[np.bool_],
        min_limit: float,
        max_limit: float,
    ) -> tuple[FloatArray, FloatArray]:
        """Review the lines ``idx`` on ``day``; returns the new limit and rate of each."""
        old = self.limit[idx]
        rate = self.rate[idx]
        clean = (day - self.last_late_day[idx]) > CLEAN_DAYS
        frozen = old <= 0
        reopen = frozen & ~stopped & clean & (day >= self.reopen_after[idx]) & (self.frozen_limit[idx] > 0)
        reopened = np.maximum(floor_to(self.frozen_limit[idx] * REOPEN_FACTOR, 100.0), min_limit)
        u = rng.random(idx.size)
        factor = rng.uniform(*INCREASE_RANGE, size=idx.size)
        grow = ~frozen & ~stopped & clean & normal & (u < P_INCREASE)
        grown = np.minimum(np.maximum(floor_to(old * factor, 100.0), old), max_limit)
        new = np.where(reopen, reopened, np.where(grow, grown, old))
        cheaper = grow & (rng.random(idx.size) < 0.5)
        new_rate = np.where(cheaper, np.maximum(np.round(rate - RATE_STEP, 5), MIN_DAILY_RATE), rate)
        self.limit[idx] = new
        self.rate[idx] = new_rate
        return new, new_rate


def stop_freezes(
    event_borrower: IntArray,
    event_day: IntArray,
    event_limit: FloatArray,
    event_rate: FloatArray,
    *,
    stop_day: IntArray,
    end: int,
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Freeze events (limit 0) on the day the final arrears reach 30 days, where the line is open.

    Returns ``(borrower, day, limit, rate)`` of the new events; the rate is
    the one in force. No other event can fall on that day: reviews stop at
    the final stop and episode actions come 30 days after an earlier due date.
    """
    day = stop_day + ACTION_AFTER_DAYS
    who = np.flatnonzero(day < end)
    if who.size == 0 or event_borrower.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0)
    last = latest_at(event_borrower, event_day, who, day[who])
    open_line = (last >= 0) & (event_limit[last] > 0)
    who = who[open_line]
    return who, day[who], np.zeros(who.size), event_rate[last][open_line]
