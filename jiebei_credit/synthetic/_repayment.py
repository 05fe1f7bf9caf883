"""Repayment behaviour: when each instalment is paid, and the default date.

Each instalment is, in order of precedence:

* never paid if it falls due on or after the borrower's stop day (the stop
  day is itself a due date, so its instalment reaches 90 days past due 90
  days later: the default date);
* paid on the cure day if it falls due inside a cured delinquency episode
  (the borrower clears all arrears at once);
* otherwise paid 1-5 days early (15 %), a few days late (1-7 days, with a
  probability that rises with the regime and the risk index) or on the due
  date.

Payments on or after the end of the observation are not observed: the
instalment is open (``paid_on`` missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.synthetic._arrays import latest_at
from jiebei_credit.synthetic._calendar import MonthGrid
from jiebei_credit.synthetic._loans import NEVER, Book
from jiebei_credit.synthetic._regime import DEFAULT_LAG_DAYS

__all__ = ["Repayment", "first_default_day", "repay"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

P_EARLY: Final = 0.15
EARLY_DAYS: Final = (1, 5)
#: Probability of paying a few days late: LATE_BASE · LATE_STATE[regime] · exp(LATE_RISK · r), at most 0.5.
LATE_BASE: Final = 0.025
LATE_STATE: Final = np.array([1.0, 3.0, 6.0])
LATE_RISK: Final = 0.4
LATE_DAYS: Final = (1, 7)


@dataclass(frozen=True, slots=True)
class Repayment:
    """Per instalment: owner and due / paid day; per borrower: realised stop and default day."""

    owner: IntArray
    due_day: IntArray
    paid_day: IntArray  # NEVER while open at the end of the observation
    stop_day: IntArray  # realised stop (first unpaid due date for good), NEVER if none
    default_day: IntArray  # first day an instalment is 90+ DPD, on or before end; NEVER if none


def _realised_stop(owner: IntArray, due: IntArray, planned: IntArray) -> IntArray:
    """Realised stop day: the first due date on or after the planned stop (NEVER if none).

    It equals the planned day whenever the final draw was made, since that
    loan has an instalment due on it; otherwise (no limit available for the
    final draw) it is the next due date of an existing loan, or NEVER when
    the borrower owes nothing.
    """
    stop = np.full(planned.size, NEVER, dtype=np.int64)
    sel = due >= planned[owner]
    np.minimum.at(stop, owner[sel], due[sel])
    return stop


def first_default_day(owner: IntArray, due: IntArray, paid: IntArray, n: int, *, end: int) -> IntArray:
    """First day some instalment of each borrower is 90+ days past due, on or before ``end``.

    An instalment is 90+ days past due on ``due + 90`` when it is still
    unpaid then (``paid`` is NEVER while open).
    """
    hit = due + DEFAULT_LAG_DAYS
    bad = (paid > hit) & (hit <= end)
    out = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(out, owner[bad], hit[bad])
    return out


def repay(
    rng: np.random.Generator,
    book: Book,
    *,
    risk: FloatArray,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    planned_stop: IntArray,
    end: int,
) -> Repayment:
    """Assign a payment day to every instalment of ``book``."""
    sched = book.schedule
    loan = sched["loan"].to_numpy()
    owner = book.loan_borrower[loan]
    due = sched["due_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
    n = risk.size
    stop = _realised_stop(owner, due, planned_stop)
    # normal behaviour
    month = np.clip(grid.month_of(due), 0, states.shape[1] - 1)
    state = states[owner, month]
    p_late = np.minimum(LATE_BASE * LATE_STATE[state] * np.exp(LATE_RISK * risk[owner]), 0.5)
    u = rng.random(due.size)
    early = rng.integers(EARLY_DAYS[0], EARLY_DAYS[1] + 1, size=due.size)
    late = rng.integers(LATE_DAYS[0], LATE_DAYS[1] + 1, size=due.size)
    paid = np.where(u < P_EARLY, due - early, np.where(u > 1.0 - p_late, due + late, due))
    # cured episodes: everything due in [start, cure) is paid on the cure day
    if book.episode_borrower.size:
        episode = latest_at(book.episode_borrower, book.episode_start, owner, due)
        cure = book.episode_cure[episode]
        inside = (episode >= 0) & (due < cure)
        paid = np.where(inside, cure, paid)
    paid = np.where(due >= stop[owner], NEVER, paid)
    paid = np.where(paid >= end, NEVER, paid)
    default = first_default_day(owner, due, paid, n, end=end)
    return Repayment(owner=owner, due_day=due, paid_day=paid, stop_day=stop, default_day=default)
