"""Published one-year Loan Prime Rate (LPR) values, as data.

The table is small and dated on purpose: the LPR changes, so every function
that uses it also accepts the rate as a parameter. Values are the 1-year LPR
announced by the National Interbank Funding Center under authority of the
People's Bank of China on the 20th of each month (next business day when the
20th is a holiday); each row is a date on which the rate changed and the rate
in force from that date until the next row.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit._validation import fail

#: Where the values come from.
LPR_SOURCE: Final = (
    "1-year Loan Prime Rate announced monthly by the National Interbank Funding Center "
    "under authority of the People's Bank of China (www.chinamoney.com.cn, www.pbc.gov.cn); "
    "changes cross-checked against contemporaneous press reports."
)
#: Date on which the table was last compared with the published series.
#: The newest value (3.00 % from 2025-05-20) was confirmed unchanged on this date.
LPR_LAST_CHECKED: Final = "2025-12-22"

#: (first day in force, 1-year LPR as a decimal). Starts at 2020-04-20, the
#: value in force when the 4 × LPR rule for private lending took effect
#: (2020-08-20).
_CHANGES: Final[tuple[tuple[str, float], ...]] = (
    ("2020-04-20", 0.0385),
    ("2021-12-20", 0.0380),
    ("2022-01-20", 0.0370),
    ("2022-08-22", 0.0365),
    ("2023-06-20", 0.0355),
    ("2023-08-21", 0.0345),
    ("2024-07-22", 0.0335),
    ("2024-10-21", 0.0310),
    ("2025-05-20", 0.0300),
)


def lpr_table() -> pd.DataFrame:
    """The shipped table of one-year LPR changes.

    Returns
    -------
    pandas.DataFrame
        A new frame with columns ``effective_on`` (``datetime64[ns]``, first
        day the rate was in force) and ``rate`` (decimal), oldest first.

    Notes
    -----
    Source: see ``LPR_SOURCE``; last checked ``LPR_LAST_CHECKED``
    (2025-12-22). The table starts at 2020-04-20 (3.85 %), the rate in force
    when the Supreme People's Court's 4 × LPR rule for private lending took
    effect on 2020-08-20.

    Examples
    --------
    >>> from jiebei_credit.limits import lpr_table
    >>> t = lpr_table()
    >>> float(t["rate"].iloc[-1]), str(t["effective_on"].iloc[-1].date())
    (0.03, '2025-05-20')
    """
    return pd.DataFrame(
        {
            "effective_on": np.array([d for d, _ in _CHANGES], dtype="datetime64[ns]"),
            "rate": np.array([r for _, r in _CHANGES], dtype=np.float64),
        }
    )


def latest_lpr() -> tuple[str, float]:
    """``(first day in force, rate)`` of the newest row of the table.

    >>> latest_lpr()
    ('2025-05-20', 0.03)
    """
    return _CHANGES[-1]


def lpr_on(date: pd.Timestamp, *, func: str) -> tuple[float, pd.Timestamp]:
    """One-year LPR in force on ``date`` and the date it took effect."""
    starts = np.array([d for d, _ in _CHANGES], dtype="datetime64[ns]")
    k = int(np.searchsorted(starts, date.to_datetime64(), side="right")) - 1
    if k < 0:
        raise fail(func, "contract_date", f"must be on or after {_CHANGES[0][0]}, where the shipped "
                   "LPR table starts", str(date.date()), "Pass the LPR in force on that date as lpr=.")
    return _CHANGES[k][1], pd.Timestamp(starts[k])
