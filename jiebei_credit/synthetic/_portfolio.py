"""``simulate_portfolio``: the generator's entry point and its frozen result."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit._progress import Progress, check_progress, reporter
from jiebei_credit._types import DateLike
from jiebei_credit._validation import DATE_MAX, DATE_MIN, fail
from jiebei_credit.records import VAT_INVOICES, RecordSet
from jiebei_credit.synthetic._borrowers import MAX_AGE_DAYS, draw_borrowers
from jiebei_credit.synthetic._bureau import INSTITUTIONS, inquiries, zhima_scores
from jiebei_credit.synthetic._calendar import MonthGrid, as_day, day_to_datetime
from jiebei_credit.synthetic._config import SimulationConfig, check_borrowers, seed_sequence
from jiebei_credit.synthetic._final import plan_final_draws
from jiebei_credit.synthetic._flows import DIRECTIONS, DISBURSE, KINDS, REPAY, merchant_flows
from jiebei_credit.synthetic._frames import (
    BorrowerIds,
    book_frames,
    borrowers_frame,
    inquiries_frame,
    transactions_frame,
    zhima_frame,
)
from jiebei_credit.synthetic._invoices import invoices_frame
from jiebei_credit.synthetic._lines import stop_freezes
from jiebei_credit.synthetic._loans import METHODS, NEVER, PURPOSES, TERMS, run_book
from jiebei_credit.synthetic._regime import (
    MULT,
    base_hazard,
    sample_stops,
    simulate_states,
    transition_matrices,
)
from jiebei_credit.synthetic._repayment import repay
from jiebei_credit.synthetic._truth import Truth

__all__ = ["END_MAX", "MIN_SPAN_DAYS", "START_MIN", "Portfolio", "simulate_portfolio"]

#: Shortest observation accepted, in days.
MIN_SPAN_DAYS: Final = 90
#: Earliest ``start``: business registration dates reach ``MAX_AGE_DAYS`` before it, and every
#: date of the records lies on or after ``DATE_MIN`` (1950-01-01).
START_MIN: Final = DATE_MIN + pd.Timedelta(days=MAX_AGE_DAYS)
#: Latest ``end``: a loan drawn on the day before it falls due up to ``max(TERMS)`` months later,
#: on or before ``DATE_MAX`` (2100-12-31).
END_MAX: Final = DATE_MAX.normalize() - pd.DateOffset(months=int(TERMS.max())) + pd.Timedelta(days=1)
#: Months simulated beyond the end so that final draws before the end can precede later stops.
EXTRA_MONTHS: Final = 4
#: Independent random streams, one per component, spawned from the seed in this order.
#: Simulation stages and timings (no handler is configured by the library).
LOGGER = logging.getLogger("jiebei_credit.synthetic")
#: New streams go at the end, so that the earlier ones (and their tables) stay the same for a seed.
STREAMS: Final = ("borrowers", "regimes", "final", "book", "repayment", "flows", "zhima", "inquiries",
                  "invoices")


@dataclass(frozen=True, slots=True, kw_only=True)
class Portfolio:
    """A simulated portfolio: records a lender would hold, and the ground truth.

    Parameters
    ----------
    records : RecordSet
        All seven tables, valid against :data:`jiebei_credit.records.SCHEMAS`,
        and the ``vat_invoices`` table when ``config.vat_invoices``.
    truth : Truth
        Latent risk, regimes, hazard, true PDs and default dates.
    start, end : pandas.Timestamp
        The observation ``[start, end)``: every event happens on a day in it.
    config : SimulationConfig
        The knobs used.
    diagnostics : Mapping[str, int]
        Counts about the default mechanism: ``planned_stops`` (stops drawn
        before the end), ``final_draws`` (final loans drawn),
        ``final_draws_blocked`` (no limit available on the planned day; the
        stop then falls on the next due date of an existing loan) and
        ``stops_without_debt`` (stops before the end with nothing owed).

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> p = jc.synthetic.simulate_portfolio(50, start="2024-01-01", end="2024-07-01", seed=0)
    >>> p.start, p.end
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-07-01 00:00:00'))
    >>> sorted(p.diagnostics)
    ['final_draws', 'final_draws_blocked', 'planned_stops', 'stops_without_debt']
    """

    records: RecordSet
    truth: Truth
    start: pd.Timestamp
    end: pd.Timestamp
    config: SimulationConfig
    diagnostics: Mapping[str, int]

    def __reduce__(self) -> tuple[Any, ...]:
        # The read-only diagnostics mapping does not pickle; it is rebuilt on load.
        return (_restore_portfolio, (self.records, self.truth, self.start, self.end, self.config,
                                     dict(self.diagnostics)))


def _restore_portfolio(
    records: RecordSet, truth: Truth, start: pd.Timestamp, end: pd.Timestamp,
    config: SimulationConfig, diagnostics: dict[str, int],
) -> Portfolio:
    """Rebuild a :class:`Portfolio` (see ``Portfolio.__reduce__``)."""
    return Portfolio(records=records, truth=truth, start=start, end=end, config=config,
                     diagnostics=MappingProxyType(dict(diagnostics)))


def _day(ts: pd.Timestamp) -> int:
    return int(ts.to_datetime64().astype("datetime64[D]").astype(np.int64))


def simulate_portfolio(
    n_borrowers: int,
    *,
    start: DateLike,
    end: DateLike,
    seed: int | np.random.Generator | np.random.SeedSequence,
    config: SimulationConfig | None = None,
    date_format: str | None = None,
    progress: Progress = None,
) -> Portfolio:
    """Simulate a portfolio of small-business borrowers with known ground truth.

    Parameters
    ----------
    n_borrowers : int
        Number of borrowers, an integer (``numpy`` integers too) from 1 to
        5 000 000.
    start, end : date
        The observation ``[start, end)``, at least 90 days long. Merchant
        flows, Zhima snapshots and inquiries run over all of it; credit
        lines open within ``config.onboarding_days`` of ``start``. Dates are
        ``Timestamp``, ``datetime``, ``date``, ``numpy.datetime64`` or ISO
        8601 strings without a time of day; numbers are never dates and
        ``"today"`` is refused. ``start`` is on or after 1980-01-02 and
        ``end`` on or before 2100-01-01, so that every date of the records
        lies in the library's range, 1950-01-01 to 2100-12-31.
    seed : int, numpy.random.Generator or numpy.random.SeedSequence
        Randomness: an integer in ``[0, 2**63)``, a generator (which advances)
        or a seed sequence (read, not advanced).
        The same seed gives the same portfolio; independent
        streams are spawned per component (borrowers, regimes, book,
        repayment, flows, ...), so changing the transaction volume does not
        change the loans.
    config : SimulationConfig, optional
        Level knobs; ``SimulationConfig()`` by default.
    date_format : str, optional
        ``strftime`` format of ``start`` and ``end`` when they are strings
        (e.g. ``"%d/%m/%Y"``); ISO 8601 (``"2025-01-31"``) when not given.
    progress : bool or callable, optional
        Feedback while simulating (off by default): ``True`` shows a
        ``tqdm`` bar (extra ``progress``); a callable is called as
        ``progress(done, total, label)`` after each stage (borrowers,
        regimes, loans, repayments, merchant flows, Zhima scores, inquiries,
        tables, and VAT invoices when asked for). The stages are also logged
        on the ``jiebei_credit.synthetic`` logger (DEBUG; start and end at
        INFO).

    Returns
    -------
    Portfolio
        Frozen: ``records`` (a :class:`~jiebei_credit.records.RecordSet`
        with all seven tables) and ``truth`` (a :class:`Truth`).

    Raises
    ------
    InvalidInputError
        For a bad ``n_borrowers``, ``seed`` or ``config``, a date that is not
        a naive whole date within the range above, or an observation shorter
        than 90 days.

    Notes
    -----
    Each borrower has a latent risk ``z ~ N(0, 1)`` and a risk index
    ``r = z + segment shift`` (business type, industry, region, business
    age). A monthly three-regime Markov chain (normal, stressed,
    distressed) with transition probabilities loading on ``r`` drives
    everything observable: draw frequency and size, merchant receipts,
    refunds, Zhima scores, inquiry bursts, late payments and cured
    delinquencies. The borrower stops paying for good with daily hazard
    ``λ = intensity · exp(H0 + HB·r) · MULT[regime] · seasoning / 30.4375``;
    the stop day is a due date of a loan drawn for the purpose, so the
    default date (first instalment 90+ days past due) is exactly 90 days
    later. The user guide documents every mechanic and the levels measured.

    References
    ----------
    .. [1] DOMAIN.md of this project: products, rates, limits, outcome definition.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> p = jc.synthetic.simulate_portfolio(200, start="2023-01-01", end="2024-01-01", seed=3)
    >>> p.records.tables
    ('borrowers', 'credit_line_events', 'loans', 'installments', 'transactions', 'zhima_scores', 'inquiries')
    >>> len(p.records.borrowers)
    200
    >>> pd_ = p.truth.pd("2023-06-01", horizon_days=180)
    >>> bool(((pd_ >= 0) & (pd_ <= 1)).all())
    True
    """
    n = check_borrowers(n_borrowers)
    func = "simulate_portfolio"
    s = as_day(start, func=func, name="start", date_format=date_format)
    e = as_day(end, func=func, name="end", date_format=date_format)
    if s < _day(START_MIN):
        raise fail(func, "start", f"must be on or after {START_MIN.date()} (business registration "
                   f"dates reach {MAX_AGE_DAYS:,} days before start, and records start on {DATE_MIN.date()})",
                   str(day_to_datetime(s).date()), "Start the simulation later.")
    if e > _day(END_MAX):
        raise fail(func, "end", f"must be on or before {END_MAX.date()} (instalments fall due up to "
                   f"{int(TERMS.max())} months after the last draw, and records end on {DATE_MAX.date()})",
                   str(day_to_datetime(e).date()), "End the simulation earlier.")
    if e - s < MIN_SPAN_DAYS:
        raise fail(func, "end", f"must be at least {MIN_SPAN_DAYS} days after start",
                   f"start={day_to_datetime(s).date()}, end={day_to_datetime(e).date()} ({e - s} days)")
    check_progress(func, progress)
    if config is None:
        config = SimulationConfig()
    elif not isinstance(config, SimulationConfig):
        raise fail(func, "config", "must be a SimulationConfig", f"a {type(config).__name__}",
                   "Build one with SimulationConfig(...).")
    steps = 8 + bool(config.vat_invoices)
    with reporter(progress, func=func, desc="simulate_portfolio", total=steps, logger=LOGGER) as report:
        rng = dict(zip(STREAMS, (np.random.default_rng(c) for c in seed_sequence(seed).spawn(len(STREAMS))),
                       strict=True))
        b = draw_borrowers(rng["borrowers"], n, start=s, end=e, config=config)
        report.advance("borrowers")
        grid = MonthGrid.covering(s, e - 1, extra=EXTRA_MONTHS)
        risk = b.risk
        trans = transition_matrices(risk)
        states = simulate_states(rng["regimes"], trans, grid.n)
        base = base_hazard(risk, b.open_day, grid.starts[:-1], intensity=config.default_intensity)
        stop_time = sample_stops(rng["regimes"], base * MULT[states], grid, s)
        report.advance("regimes and stops")
        planned = np.where(np.isfinite(stop_time), np.floor(stop_time), NEVER).astype(np.int64)
        final = plan_final_draws(rng["final"], planned, b.open_day)
        book = run_book(rng["book"], b, states=states, grid=grid, start=s, end=e, stop_day=planned,
                        final=final, config=config)
        report.advance("loans and credit lines")
        rep = repay(rng["repayment"], book, risk=risk, states=states, grid=grid, planned_stop=planned, end=e)
        report.advance("repayments")
        f_who, f_day, f_limit, f_rate = stop_freezes(
            book.event_borrower, book.event_day, book.event_limit, book.event_rate, stop_day=rep.stop_day,
            end=e,
        )
        book = replace(
            book,
            event_borrower=np.concatenate([book.event_borrower, f_who]),
            event_day=np.concatenate([book.event_day, f_day]),
            event_limit=np.concatenate([book.event_limit, f_limit]),
            event_rate=np.concatenate([book.event_rate, f_rate]),
        )
        sched = book.schedule
        paid = rep.paid_day < NEVER
        amount_due = (sched["principal"].to_numpy() + sched["interest"].to_numpy())[paid]
        loan_flows = (
            np.concatenate([book.loan_borrower, rep.owner[paid]]),
            np.concatenate([book.loan_day, rep.paid_day[paid]]),
            np.concatenate([book.loan_principal, np.round(amount_due, 2)]),
            np.concatenate([np.full(book.loan_borrower.size, DISBURSE), np.full(int(paid.sum()), REPAY)]),
        )
        flows = merchant_flows(rng["flows"], b, states=states, grid=grid, start=s, end=e,
                               sales_per_month=config.sales_per_month, loan_flows=loan_flows)
        report.advance("merchant flows")
        severe = book.episode_severity > 0
        late = (book.episode_borrower[severe], book.episode_start[severe] + 30)
        z_who, z_day, z_score = zhima_scores(rng["zhima"], b, states=states, grid=grid, start=s, end=e,
                                             late_days=late, stop_day=rep.stop_day)
        report.advance("Zhima scores")
        q_who, q_day, q_inst = inquiries(rng["inquiries"], b, states=states, grid=grid, start=s, end=e)
        report.advance("inquiries")
        ids = BorrowerIds(n)
        frames = {"borrowers": borrowers_frame(b, ids)}
        frames.update(book_frames(book, rep, ids, METHODS, PURPOSES))
        frames["transactions"] = transactions_frame(flows, ids, KINDS, DIRECTIONS)
        frames["zhima_scores"] = zhima_frame(z_who, z_day, z_score, ids)
        frames["inquiries"] = inquiries_frame(q_who, q_day, q_inst, ids, INSTITUTIONS)
        report.advance("tables")
        records = RecordSet._from_normalised(frames)
        if config.vat_invoices:
            invoices = invoices_frame(rng["invoices"], b, states=states, grid=grid, start=s, end=e,
                                      flows=flows, ids=ids)
            records = records.with_table(VAT_INVOICES, invoices)
            report.advance("VAT invoices")
    truth = Truth(
        ids=pd.Index(ids.ids, name="borrower_id"),
        latent=b.latent,
        risk=risk,
        open_day=b.open_day,
        stop_day=rep.stop_day,
        default_day=rep.default_day,
        states=states,
        base_hazard=base,
        trans=trans,
        grid=grid,
        start=s,
        end=e,
        intensity=config.default_intensity,
    )
    before_end = planned < e
    diagnostics = {
        "planned_stops": int(before_end.sum()),
        "final_draws": int(book.loan_final.sum()),
        "final_draws_blocked": int(book.final_failed.sum()),
        "stops_without_debt": int((before_end & (rep.stop_day >= NEVER)).sum()),
    }
    return Portfolio(
        records=records,
        truth=truth,
        start=day_to_datetime(s),
        end=day_to_datetime(e),
        config=config,
        diagnostics=MappingProxyType(diagnostics),
    )
