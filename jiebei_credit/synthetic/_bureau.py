"""Zhima score snapshots and credit inquiries.

Zhima: one snapshot a month per borrower, on a fixed day of month, with

    score = 690 − 40·r + u_i + e_m − 20·[stressed] − 45·[distressed]
            − 60·[reached 30 days past due in the last 180 days]
            − 100·[more than 30 days after the final stop]

rounded and clipped to 350–950 (``u_i ~ N(0, 20²)`` a borrower effect,
``e_m ~ N(0, 8²)`` monthly noise). "More than 30 days" is strict: the
penalty starts with the snapshots from 31 days after the stop day.

Inquiries (征信查询): a Poisson number a month with mean
``0.12 · exp(0.25·r) · BURST[regime]``; a stressed or distressed borrower
shops around (多头借贷), so inquiries burst before distress turns into
default, and the mix shifts from banks and consumer-finance companies to
micro-lenders. The line's own lender makes one inquiry on the opening day.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.records import InstitutionType
from jiebei_credit.synthetic._arrays import categorical, latest_at
from jiebei_credit.synthetic._borrowers import Borrowers
from jiebei_credit.synthetic._calendar import MonthGrid

__all__ = ["inquiries", "zhima_scores"]

IntArray = npt.NDArray[np.int64]

ZHIMA_MID: Final = 690.0
ZHIMA_RISK: Final = 40.0
ZHIMA_STATE: Final = np.array([0.0, -20.0, -45.0])
ZHIMA_LATE: Final = -60.0
ZHIMA_STOPPED: Final = -100.0
LATE_MEMORY_DAYS: Final = 180

INSTITUTIONS: Final = tuple(t.value for t in InstitutionType)
INQUIRY_BASE: Final = 0.12
INQUIRY_RISK: Final = 0.25
BURST: Final = np.array([1.0, 3.0, 8.0])
#: Institution mix by regime, in InstitutionType order (bank, consumer finance, micro-loan, guarantee, other).
INSTITUTION_P: Final = np.array(
    [
        [0.40, 0.35, 0.12, 0.05, 0.08],
        [0.25, 0.35, 0.25, 0.07, 0.08],
        [0.15, 0.30, 0.38, 0.09, 0.08],
    ]
)


def zhima_scores(
    rng: np.random.Generator,
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
    late_days: tuple[IntArray, IntArray],
    stop_day: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """``(borrower, day, score)`` of the monthly snapshots in ``[start, end)``.

    ``late_days`` is ``(borrower, day)`` of every day an account reached 30
    days past due (cured episodes of severity B and C).
    """
    n = b.n
    n_months = grid.months_before(end)
    dom = rng.integers(0, 28, n)
    day = grid.starts[:n_months][None, :] + dom[:, None]
    who = np.broadcast_to(np.arange(n)[:, None], day.shape)
    ok = (day >= start) & (day < end)
    # latest day at which each borrower reached 30 DPD before each snapshot
    late_who, late_day = late_days
    stopped_30 = stop_day + 30
    has_stop = stopped_30 < end
    all_who = np.concatenate([late_who, np.flatnonzero(has_stop)])
    all_day = np.concatenate([late_day, stopped_30[has_stop]])
    recent = np.zeros(day.shape, dtype=bool)
    if all_who.size:
        prev = latest_at(all_who, all_day, who, day - 1)
        recent = (prev >= 0) & (day - all_day[prev] <= LATE_MEMORY_DAYS)
    stopped = day > stopped_30[:, None]  # strictly: from 31 days after the stop day
    person = rng.normal(0.0, 20.0, n)
    score = (
        ZHIMA_MID
        - ZHIMA_RISK * b.risk[:, None]
        + person[:, None]
        + rng.normal(0.0, 8.0, day.shape)
        + ZHIMA_STATE[states[:, :n_months]]
        + ZHIMA_LATE * recent
        + ZHIMA_STOPPED * stopped
    )
    score = np.clip(np.round(score), 350, 950).astype(np.int64)
    return who[ok].astype(np.int64), day[ok].astype(np.int64), score[ok]


def inquiries(
    rng: np.random.Generator,
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """``(borrower, day, institution type code)`` of the inquiries in ``[start, end)``."""
    n = b.n
    n_months = grid.months_before(end)
    st = states[:, :n_months].astype(np.int64)
    lam = INQUIRY_BASE * np.exp(INQUIRY_RISK * b.risk)[:, None] * BURST[st]
    counts = rng.poisson(lam).reshape(-1)
    cell = np.repeat(np.arange(n * n_months), counts)
    who, month = cell // n_months, cell % n_months
    length = grid.lengths[month]
    day = grid.starts[month] + np.floor(rng.random(who.size) * length).astype(np.int64)
    inst = categorical(rng, INSTITUTION_P[st[who, month]])
    # the line's own lender (a consumer-finance company) on the opening day
    opened = b.open_day < end
    cf = INSTITUTIONS.index(InstitutionType.CONSUMER_FINANCE.value)
    who = np.concatenate([who, np.flatnonzero(opened)])
    day = np.concatenate([day, b.open_day[opened]])
    inst = np.concatenate([inst, np.full(int(opened.sum()), cf)])
    ok = (day >= start) & (day < end)
    return who[ok], day[ok], inst[ok]
