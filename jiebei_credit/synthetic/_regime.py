"""The latent regime chain and the stop-paying hazard: the ground truth of defaults.

Each borrower moves monthly between three regimes, ``normal``, ``stressed``
(a cash-flow shock) and ``distressed``, by a Markov chain whose transition
probabilities load on the risk index ``r``. Within a calendar month the
borrower stops paying for good with a constant daily hazard

    λ(m) = intensity · exp(H0 + HB·r) · MULT[state(m)] · seasoning(mob) / 30.4375

which is zero until the line has been open for 63 days. The first
instalment left unpaid after the stop is due on the stop day itself (the
generator draws the loan that makes it so), so the default date, the first
day an instalment reaches 90 days past due, is exactly ``stop + 90``.

Because the chain and the hazard are known, the probability of default over
any window given the regime at ``as_of`` is computed exactly by a forward
recursion over months (:func:`stop_probability`).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.synthetic._arrays import categorical
from jiebei_credit.synthetic._calendar import DAYS_PER_MONTH, MonthGrid

__all__ = [
    "DEFAULT_LAG_DAYS",
    "MULT",
    "base_hazard",
    "initial_states",
    "sample_stops",
    "simulate_states",
    "stop_probability",
    "transition_matrices",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Regime states are coded 0 (normal), 1 (stressed) and 2 (distressed).
#: Days from the stop (first unpaid due date) to the default date (DPD 90).
DEFAULT_LAG_DAYS: Final = 90
#: Days on book before the stop hazard switches on (room for the loan whose instalment is missed).
ELIGIBLE_AFTER_DAYS: Final = 63

#: Monthly stop probability of a normal, fully seasoned borrower with r = 0: exp(H0).
H0: Final = float(np.log(0.0008))
#: Log-hazard slope on the risk index.
HB: Final = 0.75
#: Hazard multiple of each regime.
MULT: Final = np.array([1.0, 6.0, 40.0])
#: Seasoning: hazard multiple ``min(1, SEASON_0 + SEASON_SLOPE · months on book)``.
SEASON_0: Final = 0.55
SEASON_SLOPE: Final = 0.075

#: Transitions: logit of normal -> stressed is A01 + B01·r; stressed -> distressed is A12 + B12·r.
A01: Final = -4.0
B01: Final = 0.7
A12: Final = -2.3
B12: Final = 0.5
P10: Final = 0.30
P20: Final = 0.08
P21: Final = 0.17
#: Months the chain runs from ``normal`` before the observation starts.
BURN_IN: Final = 36


def _expit(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def transition_matrices(risk: FloatArray) -> FloatArray:
    """Monthly transition matrices, shape ``(n, 3, 3)``; rows sum to one."""
    n = risk.size
    p01 = _expit(A01 + B01 * risk)
    p12 = np.minimum(_expit(A12 + B12 * risk), 0.6)
    out = np.zeros((n, 3, 3))
    out[:, 0, 1] = p01
    out[:, 0, 0] = 1.0 - p01
    out[:, 1, 0] = P10
    out[:, 1, 2] = p12
    out[:, 1, 1] = 1.0 - P10 - p12
    out[:, 2, 0] = P20
    out[:, 2, 1] = P21
    out[:, 2, 2] = 1.0 - P20 - P21
    return out


def _step(rng: np.random.Generator, trans: FloatArray, state: IntArray) -> IntArray:
    return categorical(rng, trans[np.arange(state.size), state])


def initial_states(rng: np.random.Generator, trans: FloatArray) -> IntArray:
    """Regime in the first month: the chain run ``BURN_IN`` months from ``normal``."""
    state = np.zeros(trans.shape[0], dtype=np.int64)
    for _ in range(BURN_IN):
        state = _step(rng, trans, state)
    return state


def simulate_states(rng: np.random.Generator, trans: FloatArray, n_months: int) -> npt.NDArray[np.int8]:
    """Regime of each borrower in each month, shape ``(n, n_months)``."""
    state = initial_states(rng, trans)
    out = np.empty((trans.shape[0], n_months), dtype=np.int8)
    for m in range(n_months):
        if m:
            state = _step(rng, trans, state)
        out[:, m] = state
    return out


def base_hazard(
    risk: FloatArray, open_day: IntArray, month_start: IntArray, *, intensity: float
) -> FloatArray:
    """Daily stop hazard in the ``normal`` regime, per borrower (rows) and month (columns).

    ``month_start`` holds calendar-month start days, one per column (any
    months, not necessarily consecutive) or one per row and column.
    """
    ms = np.asarray(month_start, dtype=np.int64)
    if ms.ndim == 1:
        ms = np.broadcast_to(ms, (risk.size, ms.size))
    open_month = _month_number(open_day)[:, None]
    mob = _month_number(ms) - open_month
    season = np.minimum(1.0, SEASON_0 + SEASON_SLOPE * np.maximum(mob, 0))
    eligible = ms >= (open_day[:, None] + ELIGIBLE_AFTER_DAYS)
    level = intensity * np.exp(H0 + HB * risk)[:, None] / DAYS_PER_MONTH
    return np.where(eligible, level * season, 0.0)


def _month_number(days: npt.ArrayLike) -> IntArray:
    d = np.asarray(days, dtype=np.int64)
    return d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def sample_stops(
    rng: np.random.Generator, hazard: FloatArray, grid: MonthGrid, start: int
) -> FloatArray:
    """Stop time (continuous day number) of each borrower, ``inf`` when none in the grid.

    ``hazard`` is the realised daily hazard per month (regime multiple
    included). Exposure starts at ``start``; the stop is the first time the
    cumulative hazard exceeds a unit exponential draw.
    """
    lo = np.maximum(grid.starts[:-1], start)
    days = np.maximum(grid.starts[1:] - lo, 0).astype(np.float64)
    cum = np.cumsum(hazard * days, axis=1)
    e = rng.exponential(1.0, size=(hazard.shape[0],))
    hit = cum >= e[:, None]
    any_hit = hit.any(axis=1)
    m = np.where(any_hit, hit.argmax(axis=1), 0)
    rows = np.arange(hazard.shape[0])
    before = np.where(m > 0, cum[rows, np.maximum(m - 1, 0)], 0.0)
    lam = hazard[rows, m]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = lo[m] + (e - before) / lam
    return np.where(any_hit, t, np.inf)


def stop_probability(
    *,
    risk: FloatArray,
    open_day: IntArray,
    trans: FloatArray,
    state: IntArray,
    t0: IntArray,
    t1: IntArray,
    intensity: float,
) -> FloatArray:
    """P(stop in ``[t0, t1)`` | no stop before ``t0``, regime of the month of ``t0``).

    All arguments are per observation. The recursion multiplies the
    surviving probability mass per regime by ``exp(-λ·days)`` for the days
    of each month inside the window, and moves it by the transition matrix
    at each month start, so the result is exact for the model.
    """
    n = risk.size
    out = np.zeros(n)
    live = t1 > t0
    if not live.any():
        return out
    first_month = _month_number(t0)
    last_month = _month_number(t1 - 1)
    own_steps = last_month - first_month + 1
    steps = int(own_steps[live].max())
    mass = np.zeros((n, 3))
    mass[np.arange(n), state] = 1.0
    for k in range(steps):
        month = first_month + k
        m_start = month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        m_end = (month + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        if k:
            # Move only the rows whose window reaches this month: a row's result must not depend
            # on how far the windows of other rows reach (transitions conserve mass only up to
            # rounding).
            moving = np.flatnonzero(own_steps > k)
            mass[moving] = np.einsum("ns,nst->nt", mass[moving], trans[moving])
        days = np.clip(np.minimum(m_end, t1) - np.maximum(m_start, t0), 0, None).astype(np.float64)
        lam = base_hazard(risk, open_day, m_start[:, None], intensity=intensity)[:, 0]
        mass = mass * np.exp(-(lam * days)[:, None] * MULT[None, :])
    # clip: the rows of the transition matrices sum to one only up to rounding
    return np.where(live, np.clip(1.0 - mass.sum(axis=1), 0.0, 1.0), 0.0)
