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
    CLEAN_DAYS,
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
BoolArray = npt.NDArray[np.bool_]

# Sources: "docs" is docs/user_guide/02_synthetic.rst (the simulator's documented
# mechanics); DOMAIN.md is the product description the mechanics follow.

#: Day-number sentinel for "never" (far beyond any date).
NEVER: Final = 10**9
#: Smallest principal of a draw, CNY (docs, "Drawdowns": "at least 500").
MIN_PRINCIPAL: Final = 500.0
#: Principals are floored to a multiple of this many CNY (docs, "Drawdowns": "floored to 100 CNY").
PRINCIPAL_STEP: Final = 100.0
#: Loan terms in months (DOMAIN.md: "Terms up to 12 months; 3/6/12 instalments").
TERMS: Final = np.array([3, 6, 12])
METHODS: Final = tuple(m.value for m in RepaymentMethod)
PURPOSES: Final = tuple(p.value for p in LoanPurpose)
#: Draw probability: logit = DRAW0 + usage + DRAW_RISK·r + DRAW_STATE[regime]
#: (docs, "Drawdowns": expit(−2.1 + u + 0.25 r + D_regime), D = (0, 0.9, 1.6)).
DRAW0: Final = -2.1
DRAW_RISK: Final = 0.25
DRAW_STATE: Final = np.array([0.0, 0.9, 1.6])
#: Share of the available limit drawn: Beta(a, b) by regime (docs, "Drawdowns").
SHARE_BETA: Final = np.array([[2.0, 3.5], [3.0, 2.5], [4.0, 1.5]])
#: Term probabilities (3, 6, 12 months) by regime (docs, "Drawdowns": 35/35/30 % normal,
#: longer in stress).
TERM_P: Final = np.array([[0.35, 0.35, 0.30], [0.20, 0.35, 0.45], [0.15, 0.30, 0.55]])
#: Columns of the repayment book past the last observed month: a loan drawn
#: in the last month has its last instalment up to ``max(TERMS)`` months later,
#: booked at the start of the month after it; one more column to spare.
REPAID_PAD_MONTHS: Final = int(TERMS.max()) + 2
#: Method probabilities in RepaymentMethod order (equal instalment, equal principal, interest
#: first; docs, "Drawdowns": 60 / 15 / 25 %).
METHOD_P: Final = np.array([0.60, 0.15, 0.25])
#: Purpose probabilities in LoanPurpose order (consumption, business, unknown) by registration
#: (docs, "Drawdowns": 35/50/15 % registered, 50/30/20 % unregistered owners).
PURPOSE_P: Final = np.array([[0.35, 0.50, 0.15], [0.50, 0.30, 0.20]])
#: Planned defaulters keep this share of the limit free in the ``RESERVE_DAYS`` days before
#: the final draw (docs, "The final draw": 30 % of the limit in the 200 days before it).
RESERVE_SHARE: Final = 0.3
RESERVE_DAYS: Final = 200
#: No cured episode starts in the months before the final draw (the account looks clean;
#: docs, "The final draw": "no cured delinquency starts in the six months before it").
QUIET_MONTHS: Final = 6
#: The final draw takes a share of the limit uniform on this range, capped by what is
#: available (docs, "The final draw": "60–100 % of the limit").
FINAL_SHARE: Final = (0.6, 1.0)
#: Regime whose term mix the final draw has (docs, "The final draw": "the term mix of a
#: distressed borrower").
DISTRESSED: Final = 2
#: Episode severities A, B, C are 0, 1, 2 (cure delays of EPISODE_DAYS); the categorical
#: draw of an episode gives this code for "no episode this month".
NO_EPISODE: Final = len(EPISODE_DAYS)
#: Severity B cuts the line, C freezes it (docs, "Credit lines"; :mod:`._lines`).
SEVERITY_CUT: Final = 1
SEVERITY_FREEZE: Final = 2
#: Shortest and longest cure delay (days after the missed due date) of each severity.
EPISODE_MIN_DAYS: Final = np.array([d[0] for d in EPISODE_DAYS])
EPISODE_MAX_DAYS: Final = np.array([d[1] for d in EPISODE_DAYS])
#: Day-count basis turning the lines' daily rates into the schedules' annual rates (DOMAIN.md:
#: 360 or 365 varies by lender; the simulator uses 360, docs "Drawdowns": monthly rate =
#: daily × 360 / 12).
RATE_BASIS: Final = 360


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


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What the loop reads and never changes: borrowers, plans, calendar and knobs."""

    b: Borrowers
    states: npt.NDArray[np.int8]
    grid: MonthGrid
    start: int
    end: int
    n_months: int
    stop_day: IntArray
    final: FinalDraws
    final_month: IntArray  # month of the final draw (NEVER when none before the end)
    open_month: IntArray
    review_dom: IntArray  # day of month (0-based) of the reviews
    purpose_row: IntArray  # row of PURPOSE_P: 0 registered, 1 unregistered
    config: SimulationConfig


@dataclass(slots=True)
class _Loop:
    """What the loop carries from month to month, and what it has produced so far."""

    line: LineState
    outstanding: FloatArray  # principal outstanding at the start of the month
    repaid: npt.NDArray[np.float64]  # (n, months + pad): principal change booked at month starts
    first_due: npt.NDArray[np.int64]  # (n, months): first due day of an instalment in each month
    blocked_until: IntArray  # no draw and no new episode up to this day (an episode's cure)
    final_failed: BoolArray
    loans: _Collector = field(default_factory=_Collector)
    events: _Collector = field(default_factory=_Collector)
    episodes: _Collector = field(default_factory=_Collector)
    schedules: list[pd.DataFrame] = field(default_factory=list)
    n_loans: int = 0


@dataclass(frozen=True, slots=True)
class _Month:
    """One month of the loop: its days ``[lo, hi)`` in the observation, and its opening values."""

    m: int
    lo: int
    hi: int  # exclusive
    state: npt.NDArray[np.int8]  # regime of each borrower
    limit_before: FloatArray  # limit and rate at the start of the month (opening values for new lines)
    rate_before: FloatArray
    event_day: IntArray  # day of this month's line event (NEVER when none)


@dataclass(frozen=True, slots=True)
class _Draws:
    """New loans of one kind drawn in a month."""

    who: IntArray
    day: IntArray
    principal: FloatArray
    term: IntArray
    final: BoolArray


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
    """Run the monthly loop over the months of ``[start, end)``.

    Each month runs the steps of the module docstring in order, and the
    random draws happen in that order, so a seed gives one book.
    """
    inp = _inputs(b, states=states, grid=grid, start=start, end=end, stop_day=stop_day, final=final,
                  config=config)  # fmt: skip
    loop = _new_loop(b.n, inp.n_months)
    for m in range(inp.n_months):
        month = _begin_month(inp, loop, m)
        _start_episodes(rng, inp, loop, month)
        _open_lines(inp, loop, month)
        _apply_pending_actions(inp, loop, month)
        _review_lines(rng, inp, loop, month)
        lim_avail = np.minimum(month.limit_before, loop.line.limit)
        avail = lim_avail - loop.outstanding
        draws = [
            d
            for d in (
                _final_draws(rng, inp, loop, month, lim_avail, avail),
                _regular_draws(rng, inp, loop, month, lim_avail, avail),
            )
            if d is not None
        ]
        if draws:
            _book_loans(rng, inp, loop, month, draws)
    return _assemble(loop)


def _inputs(
    b: Borrowers,
    *,
    states: npt.NDArray[np.int8],
    grid: MonthGrid,
    start: int,
    end: int,
    stop_day: IntArray,
    final: FinalDraws,
    config: SimulationConfig,
) -> _Inputs:
    """The loop's fixed inputs, with the months of the final draws, openings and reviews."""
    open_month = grid.month_of(b.open_day)
    open_dom = b.open_day - grid.starts[np.clip(open_month, 0, grid.n - 1)]
    return _Inputs(
        b=b,
        states=states,
        grid=grid,
        start=start,
        end=end,
        n_months=grid.months_before(end),
        stop_day=stop_day,
        final=final,
        final_month=np.where(final.day < end, grid.month_of(np.minimum(final.day, end)), NEVER),
        open_month=open_month,
        review_dom=np.minimum(open_dom, REVIEW_DAY_CAP - 1),
        purpose_row=np.where(b.registered, 0, 1),
        config=config,
    )


def _new_loop(n: int, n_months: int) -> _Loop:
    """Closed lines, nothing owed, nothing booked."""
    return _Loop(
        line=LineState.closed(n, NEVER),
        outstanding=np.zeros(n),
        repaid=np.zeros((n, n_months + REPAID_PAD_MONTHS)),
        first_due=np.full((n, n_months), NEVER, dtype=np.int64),
        blocked_until=np.full(n, -NEVER, dtype=np.int64),
        final_failed=np.zeros(n, dtype=bool),
    )


def _begin_month(inp: _Inputs, loop: _Loop, m: int) -> _Month:
    """Step 1: book the principal repaid by last month's instalments; the month's opening values."""
    loop.outstanding += loop.repaid[:, m]
    return _Month(
        m=m,
        lo=max(int(inp.grid.starts[m]), inp.start),
        hi=min(int(inp.grid.starts[m + 1]), inp.end),
        state=inp.states[:, m],
        limit_before=loop.line.limit.copy(),
        rate_before=loop.line.rate.copy(),
        event_day=np.full(inp.b.n, NEVER, dtype=np.int64),
    )


def _start_episodes(rng: np.random.Generator, inp: _Inputs, loop: _Loop, month: _Month) -> None:
    """Step 2: cured delinquency episodes starting on this month's first due dates.

    They come before the review, which must see them. An episode blocks draws
    until its cure; a severe one schedules a cut or a freeze ``ACTION_AFTER_DAYS``
    after its start, and a frozen line may reopen ``CLEAN_DAYS`` after the cure.
    """
    line = loop.line
    due = loop.first_due[:, month.m]
    quiet = (month.m >= inp.final_month - QUIET_MONTHS) | (due >= inp.stop_day)
    can = (due < month.hi) & (due > loop.blocked_until) & ~quiet
    cand = np.flatnonzero(can)
    if not cand.size:
        return
    p = episode_probabilities(inp.b.risk[cand], month.state[cand])
    sev = categorical(rng, np.column_stack([p, 1.0 - p.sum(axis=1)]))
    hit = sev < NO_EPISODE
    who, sev = cand[hit], sev[hit]
    u_e = due[who]
    cure = u_e + rng.integers(EPISODE_MIN_DAYS[sev], EPISODE_MAX_DAYS[sev] + 1)
    loop.episodes.add(who=who, start=u_e, cure=cure, severity=sev)
    loop.blocked_until[who] = np.maximum(loop.blocked_until[who], cure)
    line.last_late_day[who] = u_e
    severe = sev > 0
    line.pending_day[who[severe]] = u_e[severe] + ACTION_AFTER_DAYS
    line.pending_kind[who[severe]] = np.where(sev[severe] == SEVERITY_CUT, CUT, FREEZE)
    frozen = sev == SEVERITY_FREEZE
    line.reopen_after[who[frozen]] = cure[frozen] + CLEAN_DAYS


def _open_lines(inp: _Inputs, loop: _Loop, month: _Month) -> None:
    """Step 3a: lines opening this month, at the borrower's opening limit and rate."""
    b, line = inp.b, loop.line
    opening = np.flatnonzero(inp.open_month == month.m)
    line.limit[opening] = b.limit0[opening]
    line.rate[opening] = b.rate0[opening]
    month.limit_before[opening] = b.limit0[opening]
    month.rate_before[opening] = b.rate0[opening]
    month.event_day[opening] = b.open_day[opening]
    loop.events.add(who=opening, day=b.open_day[opening], limit=b.limit0[opening], rate=b.rate0[opening])


def _apply_pending_actions(inp: _Inputs, loop: _Loop, month: _Month) -> None:
    """Step 3b: pending cuts and freezes falling due this month (not in the opening month)."""
    line = loop.line
    acting = np.flatnonzero(
        (line.pending_day >= month.lo) & (line.pending_day < month.hi) & (inp.open_month < month.m)
    )
    if not acting.size:
        return
    act_day = line.pending_day[acting]
    old = line.limit[acting].copy()
    new, rate = line.apply_actions(acting, min_limit=inp.config.min_limit)
    line.pending_day[acting] = NEVER
    changed = new != old
    loop.events.add(who=acting[changed], day=act_day[changed], limit=new[changed], rate=rate[changed])
    month.event_day[acting[changed]] = act_day[changed]


def _review_lines(rng: np.random.Generator, inp: _Inputs, loop: _Loop, month: _Month) -> None:
    """Step 3c: the periodic review, skipped in a month with another line event."""
    line = loop.line
    since_open = month.m - inp.open_month
    reviewing = np.flatnonzero(
        (since_open > 0) & (since_open % inp.config.review_months == 0) & (month.event_day == NEVER)
    )
    rv_day = inp.grid.starts[month.m] + inp.review_dom[reviewing]
    keep = (rv_day >= month.lo) & (rv_day < month.hi)
    reviewing, rv_day = reviewing[keep], rv_day[keep]
    if not reviewing.size:
        return
    old = line.limit[reviewing].copy()
    old_rate = line.rate[reviewing].copy()
    new, new_rate = line.review(
        rng,
        reviewing,
        rv_day,
        normal=month.state[reviewing] == 0,
        # no review on or after the final draw (nor on its day: no draw on an event day)
        stopped=rv_day >= np.minimum(inp.stop_day[reviewing], inp.final.day[reviewing]),
        min_limit=inp.config.min_limit,
        max_limit=inp.config.max_limit,
    )
    changed = (new != old) | (new_rate != old_rate)
    loop.events.add(who=reviewing[changed], day=rv_day[changed], limit=new[changed], rate=new_rate[changed])
    month.event_day[reviewing[changed]] = rv_day[changed]


def _final_draws(
    rng: np.random.Generator,
    inp: _Inputs,
    loop: _Loop,
    month: _Month,
    lim_avail: FloatArray,
    avail: FloatArray,
) -> _Draws | None:
    """Step 4: the planned final draws of this month (a blocked one is recorded as failed)."""
    fin = np.flatnonzero(inp.final_month == month.m)
    if not fin.size:
        return None
    w = inp.final.day[fin]
    ok = (lim_avail[fin] > 0) & (avail[fin] >= MIN_PRINCIPAL) & (w > loop.blocked_until[fin])
    loop.final_failed[fin[~ok]] = True
    fin, w = fin[ok], w[ok]
    share = rng.uniform(*FINAL_SHARE, size=fin.size)
    p_fin = floor_to(np.minimum(avail[fin], share * lim_avail[fin]), PRINCIPAL_STEP)
    p_fin = np.maximum(p_fin, MIN_PRINCIPAL)
    # terms long enough for the k-th instalment, in the distressed mix
    tp = np.tile(TERM_P[DISTRESSED], (fin.size, 1)) * (TERMS[None, :] >= inp.final.k[fin][:, None])
    term = TERMS[categorical(rng, tp / tp.sum(axis=1, keepdims=True))]
    return _Draws(who=fin, day=w, principal=p_fin, term=term, final=np.ones(fin.size, dtype=bool))


def _regular_draws(
    rng: np.random.Generator,
    inp: _Inputs,
    loop: _Loop,
    month: _Month,
    lim_avail: FloatArray,
    avail: FloatArray,
) -> _Draws | None:
    """Step 5: the other draws, at most one per borrower and month, never on a line event's day."""
    b = inp.b
    final_day = inp.final.day
    lo_day = np.maximum(np.maximum(month.lo, b.open_day + 1), loop.blocked_until + 1)
    hi_day = np.minimum(np.minimum(month.hi, inp.stop_day), final_day) - 1
    reserve = np.where(
        (final_day < NEVER) & (final_day - month.lo < RESERVE_DAYS), RESERVE_SHARE * lim_avail, 0.0
    )
    elig = (
        (lim_avail > 0)
        & (lo_day <= hi_day)
        & (inp.final_month != month.m)
        & (avail - reserve >= MIN_PRINCIPAL)
    )
    logit = DRAW0 + b.usage + DRAW_RISK * b.risk + DRAW_STATE[month.state]
    draw = elig & (rng.random(b.n) < 1.0 / (1.0 + np.exp(-logit)))
    reg = np.flatnonzero(draw)
    if not reg.size:
        return None
    ab = SHARE_BETA[month.state[reg]]
    share = rng.beta(ab[:, 0], ab[:, 1])
    p_reg = floor_to(share * (avail[reg] - reserve[reg]), PRINCIPAL_STEP)
    keep = p_reg >= MIN_PRINCIPAL
    reg, p_reg = reg[keep], p_reg[keep]
    day = rng.integers(lo_day[reg], hi_day[reg] + 1)
    # never on the day of a line event: either reading of "in force on that day" holds
    clash = day == month.event_day[reg]
    day = np.where(clash & (day + 1 <= hi_day[reg]), day + 1, np.where(clash, day - 1, day))
    keep = day >= lo_day[reg]
    reg, p_reg, day = reg[keep], p_reg[keep], day[keep]
    term = TERMS[categorical(rng, TERM_P[month.state[reg]])]
    return _Draws(who=reg, day=day, principal=p_reg, term=term, final=np.zeros(reg.size, dtype=bool))


def _book_loans(
    rng: np.random.Generator, inp: _Inputs, loop: _Loop, month: _Month, draws: list[_Draws]
) -> None:
    """Step 6: method, purpose and rate of the month's new loans; their schedules on the month grid."""
    who = np.concatenate([d.who for d in draws])
    day = np.concatenate([d.day for d in draws])
    principal = np.concatenate([d.principal for d in draws])
    term = np.concatenate([d.term for d in draws])
    method = categorical(rng, np.tile(METHOD_P, (who.size, 1)))
    purpose = categorical(rng, PURPOSE_P[inp.purpose_row[who]])
    # priced at the line's rate on the draw day: before a later event this month, the old rate
    event_day = month.event_day[who]
    rate = np.where((event_day < NEVER) & (day < event_day), month.rate_before[who], loop.line.rate[who])
    loop.loans.add(
        who=who, day=day, principal=principal, term=term, method=method, rate=rate,
        purpose=purpose, final=np.concatenate([d.final for d in draws]),
    )  # fmt: skip
    sched = schedules(
        principal,
        annual_rate(rate, basis=RATE_BASIS),
        term,
        method=np.asarray(METHODS, dtype=object)[method],
        start=day.astype("datetime64[D]"),
    )
    loan_pos = sched["loan"].to_numpy()
    due_day = sched["due_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
    owner = who[loan_pos]
    due_month = inp.grid.month_of(due_day)
    repaid = loop.repaid
    np.add.at(repaid, (owner, np.minimum(due_month + 1, repaid.shape[1] - 1)), -sched["principal"].to_numpy())
    repaid[who, month.m + 1] += principal
    inside = due_month < inp.n_months
    np.minimum.at(loop.first_due, (owner[inside], due_month[inside]), due_day[inside])
    loop.schedules.append(sched.assign(loan=loan_pos + loop.n_loans))
    loop.n_loans += who.size


def _empty_schedule() -> pd.DataFrame:
    """A schedule frame with no rows (the rate and term only make the call valid)."""
    return schedules(np.zeros(0), 0.1, 3, method="equal_installment", start=np.zeros(0, "datetime64[D]"))


def _assemble(loop: _Loop) -> Book:
    """The book: every loan, line event and episode in creation order, and every schedule row."""
    loans, events, episodes = loop.loans, loop.events, loop.episodes
    return Book(
        loan_borrower=loans.get("who", np.int64),
        loan_day=loans.get("day", np.int64),
        loan_principal=loans.get("principal", np.float64),
        loan_term=loans.get("term", np.int64),
        loan_method=loans.get("method", np.int64),
        loan_rate=loans.get("rate", np.float64),
        loan_purpose=loans.get("purpose", np.int64),
        loan_final=loans.get("final", np.bool_),
        schedule=pd.concat(loop.schedules, ignore_index=True) if loop.schedules else _empty_schedule(),
        event_borrower=events.get("who", np.int64),
        event_day=events.get("day", np.int64),
        event_limit=events.get("limit", np.float64),
        event_rate=events.get("rate", np.float64),
        episode_borrower=episodes.get("who", np.int64),
        episode_start=episodes.get("start", np.int64),
        episode_cure=episodes.get("cure", np.int64),
        episode_severity=episodes.get("severity", np.int64),
        final_failed=loop.final_failed,
    )
