"""Monitoring of scorecards and portfolios in production.

:func:`stability_report` compares a reference population with a current one
through a fitted scorecard (score PSI, feature CSI, bad rate by score band);
:func:`early_warnings` flags borrowers whose features moved past the
thresholds of typed :class:`WarningRule` records (:data:`DEFAULT_RULES`).
:func:`vintage_table` gives the cumulative bad share of each origination
cohort by month on book; :func:`roll_rates` the transitions of accounts
between delinquency buckets, and :func:`flow_through` the flow-through rate
from current to 90+.
:func:`compare_cards` sets a challenger card against the champion
(discrimination with the DeLong test, calibration, score shift, swap set);
:func:`model_health` decides whether to keep, recalibrate or rebuild a card,
rule by rule; :func:`psi_over_time` tracks the PSI of each calendar period.

Examples
--------
>>> from jiebei_credit.monitoring import DEFAULT_RULES
>>> [rule.name for rule in DEFAULT_RULES][:3]
['new_delinquency', 'delinquency_over_30', 'utilisation_jump']
"""

from jiebei_credit.monitoring._compare import CardComparison, compare_cards
from jiebei_credit.monitoring._early_warnings import early_warnings
from jiebei_credit.monitoring._health import ModelHealth, model_health
from jiebei_credit.monitoring._psi_time import PSIOverTime, psi_over_time
from jiebei_credit.monitoring._report import ScorecardLike, StabilityReport, stability_report
from jiebei_credit.monitoring._roll_rates import FlowThrough, RollRates, flow_through, roll_rates
from jiebei_credit.monitoring._rules import DEFAULT_RULES, WarningRule
from jiebei_credit.monitoring._vintage import VintageTable, vintage_table

__all__ = [
    "DEFAULT_RULES",
    "CardComparison",
    "FlowThrough",
    "ModelHealth",
    "PSIOverTime",
    "RollRates",
    "ScorecardLike",
    "StabilityReport",
    "VintageTable",
    "WarningRule",
    "compare_cards",
    "early_warnings",
    "flow_through",
    "model_health",
    "psi_over_time",
    "roll_rates",
    "stability_report",
    "vintage_table",
]
