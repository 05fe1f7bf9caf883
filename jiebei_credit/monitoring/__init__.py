"""Monitoring of scorecards in production: stability reports and early warnings.

:func:`stability_report` compares a reference population with a current one
through a fitted scorecard (score PSI, feature CSI, bad rate by score band);
:func:`early_warnings` flags borrowers whose features moved past the
thresholds of typed :class:`WarningRule` records (:data:`DEFAULT_RULES`).

Examples
--------
>>> from jiebei_credit.monitoring import DEFAULT_RULES
>>> [rule.name for rule in DEFAULT_RULES][:3]
['new_delinquency', 'delinquency_over_30', 'utilisation_jump']
"""

from jiebei_credit.monitoring._early_warnings import early_warnings
from jiebei_credit.monitoring._report import ScorecardLike, StabilityReport, stability_report
from jiebei_credit.monitoring._rules import DEFAULT_RULES, WarningRule

__all__ = [
    "DEFAULT_RULES",
    "ScorecardLike",
    "StabilityReport",
    "WarningRule",
    "early_warnings",
    "stability_report",
]
