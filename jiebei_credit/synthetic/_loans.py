"""The monthly loop: line events, cured delinquency episodes and drawdowns.

The loop runs over calendar months (never over borrowers). In month ``m``:

1. principal repaid by instalments due in the previous month frees limit;
2. borrowers with an instalment due this month may start a cured
   delinquency episode (see :mod:`._lines`);
3. the line opens, or a pending cut / freeze takes effect, or the line is
   reviewed (at most one event per borrower and month);
4. borrowers whose stop is planned draw the loan whose instalment they will
   miss (the *final draw*), on the day that puts its ``k``-th due date on
   the stop day;
5. other borrowers draw with a monthly probability that rises with the
   risk index, their usage propensity and the regime, a share of the
   available limit (``min(limit before, limit after any event this month)``
   minus the principal outstanding at the start of the month, so a draw
   never exceeds the limit in force on its day);
6. the new loans' schedules come from :func:`jiebei_credit.limits.schedules`
   and their principal repayments are booked on the month grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.limits import annual_rate, schedules
from jiebei_credit.records import LoanPurpose, RepaymentMethod
from jiebei_credit.synthetic._arrays import categorical
from jiebei_credit.synthetic._borrowers import Borrowers, floor_to
from jiebei_credit.synthetic._calendar import MonthGrid
from jiebei_credit.synthetic._config import SimulationConfig
from jiebei_credit.synthetic._lines import (
    ACTION_AFTER_DAYS,
    CUT,
    EPISODE_DAYS,
    FREEZE,
    REVIEW_DAY_CAP,
    LineState,
    episode_probabilities,
)

__all__ = ["NEVER", "Book", "FinalDraws", "run_book"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Day-number sentinel for "never" (far beyond any date).
NEVER: Final = 10**9
MIN_PRINCIPAL: Final = 500.0
TERMS: Final = np.array([3, 6, 12])
METHODS: Final = tuple(m.value for m in RepaymentMethod)
PURPOSES: Final = tuple(p.value for p in LoanPurpose)
#: Draw probability: logit = DRAW0 + usage + DRAW_RISK·r + DRAW_STATE[regime].
DRAW0: Final = -2.1
DRAW_RISK: Final = 0.25
DRAW_STATE: Final = np.array([0.0, 0.9, 1.6])
#: Share of the available limit drawn: Beta(a, b) by regime.
SHARE_BETA: Final = np.array([[2.0, 3.5], [3.0, 2.5], [4.0, 1.5]])
#: Term probabilities (3, 6, 12 months) by regime.
TERM_P: Final = np.array([[0.35, 0.35, 0.30], [0.20, 0.35, 0.45], [0.15, 0.30, 0.55]])
#: Columns of the repayment book past the last observed month: a loan drawn
#: in the last month has its last instalment up to ``max(TERMS)`` months later,
#: booked at the start of the month after it; one more column to spare.
REPAID_PAD_MONTHS: Final = int(TERMS.max()) + 2
#: Method probabilities in RepaymentMethod order (equal instalment, equal principal, interest first).
METHOD_P: Final = np.array([0.60, 0.15, 0.25])
#: Purpose probabilities in LoanPurpose order (consumption, business, unknown) by registration.
PURPOSE_P: Final = np.array([[0.35, 0.50, 0.15], [0.50, 0.30, 0.20]])
#: Planned defaulters keep this share of the limit free in the 200 days before the final draw.
RESERVE_SHARE: Final = 0.3
RESERVE_DAYS: Final = 200
#: No cured episode starts in the months before the final draw (the account looks clean).
QUIET_MONTHS: Final = 6


@dataclass(frozen=True, slots=True)
class FinalDraws:
    """The planned final draw of each borrower with a stop (``day`` is NEVER otherwise)."""

    day: IntArray  # drawdown day w, with w + k months == stop day
    k: IntArray  # instalment number due on the stop day


@dataclass(slots=True)
class Book:
    """Everything the loop produced (arrays in creation order)."""

    loan_borrower: IntArray
    loan_day: IntArray
    loan_principal: FloatArray
    loan_term: IntArray
    loan_method: IntArray
    loan_rate: FloatArray
    loan_purpose: IntArray
    loan_final: npt.NDArray[np.bool_]
    schedule: pd.DataFrame  # schedules(...) rows with ``loan`` = position in the loan arrays
    event_borrower: IntArray
    event_day: IntArray
    event_limit: FloatArray
    event_rate: FloatArray
    episode_borrower: IntArray
    episode_start: IntArray
    episode_cure: IntArray
    episode_severity: IntArray
    final_failed: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))


class _Collector:
    def __init__(self) -> None:
        self.parts: dict[str, list[npt.NDArray[np.generic]]] = {}

    def add(self, **arrays: npt.ArrayLike) -> None:
        for k, v in arrays.items():
            self.parts.setdefault(k, []).append(np.asarray(v))

    def get(self, name: str, dtype: type) -> npt.NDArray[Any]:
        parts = self.parts.get(name)
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def run_book(
    rng: np.random.Generator,
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
    stop_day: IntArray,
    final: FinalDraws,
    config: SimulationConfig,
) -> Book:
    """Run the monthly loop over the months of ``[start, end)``."""
    n = b.n
    risk = b.risk
    n_months = grid.months_before(end)
    line = LineState.closed(n, NEVER)
    outstanding = np.zeros(n)
    repaid = np.zeros((n, n_months + REPAID_PAD_MONTHS))  # principal change booked at month starts
    first_due = np.full((n, n_months), NEVER, dtype=np.int64)
    blocked_until = np.full(n, -NEVER, dtype=np.int64)
    final_month = np.where(final.day < end, grid.month_of(np.minimum(final.day, end)), NEVER)
    final_failed = np.zeros(n, dtype=bool)
    open_month = grid.month_of(b.open_day)
    open_dom = b.open_day - grid.starts[np.clip(open_month, 0, grid.n - 1)]
    review_dom = np.minimum(open_dom, REVIEW_DAY_CAP - 1)
    loans, events, episodes, scheds = _Collector(), _Collector(), _Collector(), []
    n_loans = 0
    purpose_row = np.where(b.registered, 0, 1)
    for m in range(n_months):
        m_lo = max(int(grid.starts[m]), start)
        m_hi = min(int(grid.starts[m + 1]), end)  # exclusive
        outstanding += repaid[:, m]
        state = states[:, m]
        limit_before = line.limit.copy()
        rate_before = line.rate.copy()
        event_day = np.full(n, NEVER, dtype=np.int64)
        # 1. cured delinquency episodes (before the review, which must see them)
        due = first_due[:, m]
        quiet = (m >= final_month - QUIET_MONTHS) | (due >= stop_day)
        can = (due < m_hi) & (due > blocked_until) & ~quiet
        cand = np.flatnonzero(can)
        if cand.size:
            p = episode_probabilities(risk[cand], state[cand])
            sev = categorical(rng, np.column_stack([p, 1.0 - p.sum(axis=1)]))
            hit = sev < 3
            who, sev = cand[hit], sev[hit]
            lo = np.array([EPISODE_DAYS[s][0] for s in range(3)])[sev]
            hi = np.array([EPISODE_DAYS[s][1] for s in range(3)])[sev]
            u_e = due[who]
            cure = u_e + rng.integers(lo, hi + 1)
            episodes.add(who=who, start=u_e, cure=cure, severity=sev)
            blocked_until[who] = np.maximum(blocked_until[who], cure)
            line.last_late_day[who] = u_e
            severe = sev > 0
            line.pending_day[who[severe]] = u_e[severe] + ACTION_AFTER_DAYS
            line.pending_kind[who[severe]] = np.where(sev[severe] == 1, CUT, FREEZE)
            c_idx = who[sev == 2]
            line.reopen_after[c_idx] = cure[sev == 2] + 180
        # 2. opening
        opening = np.flatnonzero(open_month == m)
        line.limit[opening] = b.limit0[opening]
        line.rate[opening] = b.rate0[opening]
        limit_before[opening] = b.limit0[opening]
        rate_before[opening] = b.rate0[opening]
        event_day[opening] = b.open_day[opening]
        events.add(who=opening, day=b.open_day[opening], limit=b.limit0[opening], rate=b.rate0[opening])
        # 3. pending cut / freeze
        acting = np.flatnonzero((line.pending_day >= m_lo) & (line.pending_day < m_hi) & (open_month < m))
        if acting.size:
            act_day = line.pending_day[acting]
            old = line.limit[acting].copy()
            new, rate = line.apply_actions(acting, min_limit=config.min_limit)
            line.pending_day[acting] = NEVER
            changed = new != old
            events.add(who=acting[changed], day=act_day[changed], limit=new[changed], rate=rate[changed])
            event_day[acting[changed]] = act_day[changed]
        # 4. review (skipped in a month with another event)
        since_open = m - open_month
        reviewing = np.flatnonzero(
            (since_open > 0) & (since_open % config.review_months == 0) & (event_day == NEVER)
        )
        rv_day = grid.starts[m] + review_dom[reviewing]
        keep = (rv_day >= m_lo) & (rv_day < m_hi)
        reviewing, rv_day = reviewing[keep], rv_day[keep]
        if reviewing.size:
            old = line.limit[reviewing].copy()
            old_rate = line.rate[reviewing].copy()
            new, new_rate = line.review(
                rng,
                reviewing,
                rv_day,
                normal=state[reviewing] == 0,
                # no review on or after the final draw (nor on its day: no draw on an event day)
                stopped=rv_day >= np.minimum(stop_day[reviewing], final.day[reviewing]),
                min_limit=config.min_limit,
                max_limit=config.max_limit,
            )
            changed = (new != old) | (new_rate != old_rate)
            events.add(
                who=reviewing[changed], day=rv_day[changed], limit=new[changed], rate=new_rate[changed]
            )
            event_day[reviewing[changed]] = rv_day[changed]
        # 5. draws
        lim_avail = np.minimum(limit_before, line.limit)
        avail = lim_avail - outstanding
        new_who: list[IntArray] = []
        new_day: list[IntArray] = []
        new_p: list[FloatArray] = []
        new_term: list[IntArray] = []
        new_final: list[npt.NDArray[np.bool_]] = []
        fin = np.flatnonzero(final_month == m)
        if fin.size:
            w = final.day[fin]
            ok = (lim_avail[fin] > 0) & (avail[fin] >= MIN_PRINCIPAL) & (w > blocked_until[fin])
            final_failed[fin[~ok]] = True
            fin, w = fin[ok], w[ok]
            share = rng.uniform(0.6, 1.0, size=fin.size)
            p_fin = floor_to(np.minimum(avail[fin], share * lim_avail[fin]), 100.0)
            p_fin = np.maximum(p_fin, MIN_PRINCIPAL)
            tp = np.tile(TERM_P[2], (fin.size, 1)) * (TERMS[None, :] >= final.k[fin][:, None])
            term = TERMS[categorical(rng, tp / tp.sum(axis=1, keepdims=True))]
            new_who.append(fin)
            new_day.append(w)
            new_p.append(p_fin)
            new_term.append(term)
            new_final.append(np.ones(fin.size, dtype=bool))
        lo_day = np.maximum(np.maximum(m_lo, b.open_day + 1), blocked_until + 1)
        hi_day = np.minimum(np.minimum(m_hi, stop_day), final.day) - 1
        reserve = np.where(
            (final.day < NEVER) & (final.day - m_lo < RESERVE_DAYS), RESERVE_SHARE * lim_avail, 0.0
        )
        elig = (lim_avail > 0) & (lo_day <= hi_day) & (final_month != m) & (avail - reserve >= MIN_PRINCIPAL)
        logit = DRAW0 + b.usage + DRAW_RISK * risk + DRAW_STATE[state]
        draw = elig & (rng.random(n) < 1.0 / (1.0 + np.exp(-logit)))
        reg = np.flatnonzero(draw)
        if reg.size:
            ab = SHARE_BETA[state[reg]]
            share = rng.beta(ab[:, 0], ab[:, 1])
            p_reg = floor_to(share * (avail[reg] - reserve[reg]), 100.0)
            keep = p_reg >= MIN_PRINCIPAL
            reg, p_reg = reg[keep], p_reg[keep]
            day = rng.integers(lo_day[reg], hi_day[reg] + 1)
            # never on the day of a line event: either reading of "in force on that day" holds
            clash = day == event_day[reg]
            day = np.where(clash & (day + 1 <= hi_day[reg]), day + 1, np.where(clash, day - 1, day))
            keep = day >= lo_day[reg]
            reg, p_reg, day = reg[keep], p_reg[keep], day[keep]
            term = TERMS[categorical(rng, TERM_P[state[reg]])]
            new_who.append(reg)
            new_day.append(day)
            new_p.append(p_reg)
            new_term.append(term)
            new_final.append(np.zeros(reg.size, dtype=bool))
        if not new_who:
            continue
        who = np.concatenate(new_who)
        day = np.concatenate(new_day)
        principal = np.concatenate(new_p)
        term = np.concatenate(new_term)
        method = categorical(rng, np.tile(METHOD_P, (who.size, 1)))
        purpose = categorical(rng, PURPOSE_P[purpose_row[who]])
        rate = np.where((event_day[who] < NEVER) & (day < event_day[who]), rate_before[who], line.rate[who])
        loans.add(
            who=who, day=day, principal=principal, term=term, method=method, rate=rate,
            purpose=purpose, final=np.concatenate(new_final),
        )
        sched = schedules(
            principal,
            annual_rate(rate, basis=360),
            term,
            method=np.asarray(METHODS, dtype=object)[method],
            start=day.astype("datetime64[D]"),
        )
        loan_pos = sched["loan"].to_numpy()
        due_day = sched["due_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
        owner = who[loan_pos]
        due_month = grid.month_of(due_day)
        np.add.at(repaid, (owner, np.minimum(due_month + 1, repaid.shape[1] - 1)),
                  -sched["principal"].to_numpy())
        repaid[who, m + 1] += principal
        inside = due_month < n_months
        np.minimum.at(first_due, (owner[inside], due_month[inside]), due_day[inside])
        sched = sched.assign(loan=loan_pos + n_loans)
        scheds.append(sched)
        n_loans += who.size
    schedule = (
        pd.concat(scheds, ignore_index=True)
        if scheds
        else schedules(np.zeros(0), 0.1, 3, method="equal_installment", start=np.zeros(0, "datetime64[D]"))
    )
    return Book(
        loan_borrower=loans.get("who", np.int64),
        loan_day=loans.get("day", np.int64),
        loan_principal=loans.get("principal", np.float64),
        loan_term=loans.get("term", np.int64),
        loan_method=loans.get("method", np.int64),
        loan_rate=loans.get("rate", np.float64),
        loan_purpose=loans.get("purpose", np.int64),
        loan_final=loans.get("final", np.bool_),
        schedule=schedule,
        event_borrower=events.get("who", np.int64),
        event_day=events.get("day", np.int64),
        event_limit=events.get("limit", np.float64),
        event_rate=events.get("rate", np.float64),
        episode_borrower=episodes.get("who", np.int64),
        episode_start=episodes.get("start", np.int64),
        episode_cure=episodes.get("cure", np.int64),
        episode_severity=episodes.get("severity", np.int64),
        final_failed=final_failed,
    )
