"""Limits and pricing: rates, schedules, annualised rate, policy, assignment, line review.

Pure, vectorised money maths for consumer and small-business credit lines:

* rates: :func:`annual_rate`, :func:`daily_rate`, :func:`effective_rate`,
  :func:`nominal_rate`, :func:`round_fen`;
* repayment: :func:`schedules` (many loans, one implementation),
  :func:`schedule` (one loan), :func:`payment` and its inverse
  :func:`max_principal`, for ``"equal_installment"`` (等额本息),
  ``"equal_principal"`` (等额本金) and ``"interest_first"`` (先息后本);
* cost disclosure and ceilings: :func:`annualized_rate`,
  :func:`check_pricing`, :func:`lpr_table`;
* limits: :class:`LimitPolicy`, :data:`PRESETS`, :func:`assign`;
  line review: :class:`LineReviewPolicy`, :func:`review_line`.

Conventions: money in CNY as float64, rounded to the fen half up in
schedules; rates as decimals (``0.144`` is 14.4 %); monthly rate is
``annual_rate / 12``; functions taking scalars or arrays return a ``float``
when every argument is a scalar and a float64 array otherwise.

Examples
--------
>>> from jiebei_credit import limits
>>> i = limits.annual_rate(0.0004)          # 0.04 % a day on a 360-day basis
>>> limits.payment(10_000, i, 12, method="equal_installment", which="first")
899.75
>>> limits.max_principal(899.75, i, 12, method="equal_installment") <= 10_000
True
"""

from jiebei_credit.limits._annualized import annualized_rate
from jiebei_credit.limits._assign import assign
from jiebei_credit.limits._capacity import max_principal, payment
from jiebei_credit.limits._lpr import LPR_LAST_CHECKED, LPR_SOURCE, lpr_table
from jiebei_credit.limits._money import round_fen
from jiebei_credit.limits._policy import LimitPolicy, MultipleBand
from jiebei_credit.limits._presets import PRESETS
from jiebei_credit.limits._pricing import PricingCheck, check_pricing
from jiebei_credit.limits._rates import annual_rate, daily_rate, effective_rate, nominal_rate
from jiebei_credit.limits._review import LineReviewPolicy, review_line
from jiebei_credit.limits._schedule import schedule, schedules

__all__ = [
    "LPR_LAST_CHECKED",
    "LPR_SOURCE",
    "PRESETS",
    "LimitPolicy",
    "LineReviewPolicy",
    "MultipleBand",
    "PricingCheck",
    "annual_rate",
    "annualized_rate",
    "assign",
    "check_pricing",
    "daily_rate",
    "effective_rate",
    "lpr_table",
    "max_principal",
    "nominal_rate",
    "payment",
    "review_line",
    "round_fen",
    "schedule",
    "schedules",
]
