"""jiebei_credit: credit scoring for small-business owners from Jiebei-style records.

The library turns typed credit records (credit-line events, drawdowns,
instalments, merchant flows, Zhima scores, inquiries) into point-in-time
features, fits logistic WOE scorecards on them, assigns limits and prices
under a stated policy, and evaluates and monitors the models. It does no I/O
and keeps no global state.

Examples
--------
>>> import jiebei_credit as jc
>>> isinstance(jc.__version__, str)
True
>>> sorted(jc.records.SCHEMAS)[:3]
['borrowers', 'credit_line_events', 'inquiries']
"""

from jiebei_credit import (
    errors,
    features,
    limits,
    metrics,
    monitoring,
    plotting,
    records,
    scorecard,
    synthetic,
)
from jiebei_credit._version import __version__

__all__ = [
    "__version__",
    "errors",
    "features",
    "limits",
    "metrics",
    "monitoring",
    "plotting",
    "records",
    "scorecard",
    "synthetic",
]
