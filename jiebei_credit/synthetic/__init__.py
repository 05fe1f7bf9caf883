"""Synthetic portfolios with known ground truth.

:func:`simulate_portfolio` generates the seven record tables of a portfolio
of small-business borrowers (credit lines, drawdowns, instalments, merchant
flows, Zhima scores, inquiries) from a documented model of latent risk and
distress, together with the :class:`Truth` a lender never sees: latent risk,
monthly regimes, the default hazard, exact probabilities of default at any
date and the default dates. Deterministic for a seed; no I/O.
"""

from jiebei_credit.synthetic._config import SimulationConfig
from jiebei_credit.synthetic._portfolio import Portfolio, simulate_portfolio
from jiebei_credit.synthetic._truth import Truth

__all__ = ["Portfolio", "SimulationConfig", "Truth", "simulate_portfolio"]
