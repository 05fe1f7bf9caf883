"""Validation and portfolio plots (needs the ``plot`` extra: ``pip install 'jiebei-credit[plot]'``).

matplotlib is imported only when a function is called. Each function takes an
optional ``ax``, draws on it (or on a new figure) and returns the Axes; none
shows or saves a figure.

Examples
--------
>>> import jiebei_credit.plotting as jcp
>>> sorted(jcp.__all__)[:3]
['plot_binning', 'plot_calibration', 'plot_ks']
"""

from jiebei_credit.plotting._discrimination import plot_ks, plot_roc, plot_score_distribution
from jiebei_credit.plotting._lifecycle import plot_psi_over_time, plot_roll_rates, plot_vintage
from jiebei_credit.plotting._tables import plot_binning, plot_calibration, plot_psi

__all__ = [
    "plot_binning",
    "plot_calibration",
    "plot_ks",
    "plot_psi",
    "plot_psi_over_time",
    "plot_roc",
    "plot_roll_rates",
    "plot_score_distribution",
    "plot_vintage",
]
