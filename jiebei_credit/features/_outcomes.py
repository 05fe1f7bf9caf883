"""``outcomes``: the bad flag of each observation over a forward horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._types import DateLike
from jiebei_credit.features._context import Context
from jiebei_credit.features._kernels import Timeline, range_reduce
from jiebei_credit.features._observations import check_date, check_observations, check_records
from jiebei_credit.records import RecordSet

__all__ = ["MAX_DAYS", "outcomes"]

#: Longest horizon and past-due threshold accepted (days): the span of the accepted calendar.
MAX_DAYS = int((V.DATE_MAX.normalize() - V.DATE_MIN).days)


def outcomes(
    records: RecordSet,
    observations: pd.DataFrame,
    *,
    horizon_days: int = 365,
    min_dpd: int = 90,
    observed_until: DateLike,
    date_format: str | None = None,
) -> pd.Series:
    """The bad flag of each observation: 1 bad, 0 good, NaN where the horizon is not observed.

    Parameters
    ----------
    records : jiebei_credit.records.RecordSet
        Records with the ``loans`` and ``installments`` tables. Never modified.
    observations : pandas.DataFrame
        Columns ``borrower_id`` and ``as_of``, as for :func:`extract`.
    horizon_days : int, default 365
        Length of the performance window after ``as_of``: an integer (``int``
        or a numpy integer) from 1 to the span of the accepted calendar
        (1950-2100, 55 882 days).
    min_dpd : int, default 90
        Days past due that make an observation bad (90: NPL definition;
        30 with ``horizon_days=180`` is a faster early-default target); an
        integer in the same range.
    observed_until : date
        Last status date the records are complete for (the data extraction
        date). Required: maturity cannot be guessed from the records. A
        date without time of day, read as ``observations.as_of`` is.
    date_format : str, optional
        The ``strftime`` format of ``as_of`` and ``observed_until`` strings;
        ISO 8601 by default.

    Returns
    -------
    pandas.Series
        float64, named ``"bad"``, with the observations' index and order.

    Raises
    ------
    InvalidInputError
        For an invalid ``records``, ``observations``, ``horizon_days``,
        ``min_dpd`` or ``observed_until``, or records without loans and
        instalments.

    Notes
    -----
    With ``d = as_of``, ``H = horizon_days`` and ``m = min_dpd``, the
    observation is bad iff the borrower's days past due reach ``m`` on some
    status date ``t`` in ``(d, d + H]``: some instalment with ``due_on < t``
    is not paid before ``t`` and ``t - due_on >= m``. For one instalment that
    happens on ``t`` in ``[due_on + m, paid_on]`` (``paid_on`` open-ended
    while unpaid), so it is bad iff ``due_on + m <= d + H`` and
    ``paid_on >= max(due_on + m, d + 1)``. An instalment that reached ``m``
    days and was cured later still counts.

    The default event is about the borrower, not a loan: loans drawn after
    ``as_of`` within the horizon count too. A borrower already ``m`` or more
    days past due at ``as_of`` is bad; drop such observations (``dpd_now``)
    when the target should only count new defaults. The value is NaN where
    ``d + H > observed_until``: immature observations are never counted as
    good.

    References
    ----------
    Basel Committee on Banking Supervision, "International Convergence of
    Capital Measurement and Capital Standards" (2006), para. 452: default
    when the obligor is past due more than 90 days.

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.records import RecordSet
    >>> from jiebei_credit.features import outcomes
    >>> rs = RecordSet.from_frames(
    ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["unregistered"],
    ...         "industry": [None], "business_registered_on": [None], "region": [None]}),
    ...     loans=pd.DataFrame({"loan_id": ["L1"], "borrower_id": ["b1"], "drawn_on": ["2024-01-10"],
    ...         "principal": [1000.0], "term_months": [1], "repayment_method": ["equal_installment"],
    ...         "daily_rate": [0.0004], "purpose": ["business"]}),
    ...     installments=pd.DataFrame({"loan_id": ["L1"], "seq": [1], "due_on": ["2024-02-10"],
    ...         "principal_due": [1000.0], "interest_due": [12.0], "paid_on": ["2024-06-01"]}))
    >>> obs = pd.DataFrame({"borrower_id": ["b1"] * 3, "as_of": ["2024-01-01", "2024-06-01", "2025-01-01"]})
    >>> outcomes(rs, obs, observed_until="2025-06-30").tolist()  # 90+ days late 2024-05-10 to 06-01
    [1.0, 0.0, nan]
    """
    func = "outcomes"
    rs = check_records(records, func=func)
    horizon = V.integer(horizon_days, func=func, name="horizon_days", low=1, high=MAX_DAYS,
                        fix="Pass a whole number of days, e.g. horizon_days=365.")
    m = V.integer(min_dpd, func=func, name="min_dpd", low=1, high=MAX_DAYS,
                  fix="Pass a whole number of days, e.g. min_dpd=90.")
    fmt = V.date_format_param(date_format, func=func)
    until = check_date(observed_until, func=func, name="observed_until", date_format=fmt)
    missing = [t for t in ("loans", "installments") if t not in rs]
    if missing:
        raise V.fail(func, "records", "must hold the loans and installments tables (the bad flag is "
                     "defined on instalments)", f"records lacking {', '.join(map(repr, missing))}",
                     "Pass loans and installments to RecordSet.from_frames.")
    obs = check_observations(observations, rs, func=func, date_format=fmt)
    ctx = Context(rs, obs, frozenset({"loans", "installments"}))
    iv = ctx.installments()
    reach = iv.due + m  # first status date on which the instalment is m days past due
    eligible = iv.paid >= reach  # still unpaid then (an open instalment has paid = NEVER)
    tl = Timeline.build(iv.borrower[eligible], reach[eligible])
    last = tl.take(iv.paid[eligible]).astype(np.float64)  # last status date it is past due
    d = obs.day
    latest = range_reduce(np.maximum, last, tl.start(obs.code), tl.query(obs.code, d + horizon + 1), -np.inf)
    bad = (latest >= d + 1).astype(np.float64)
    bad[d + horizon > until] = np.nan
    return pd.Series(bad, index=obs.index, name="bad", dtype=np.float64)
