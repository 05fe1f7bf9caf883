"""The scorecard's option types.

Each string option is declared once here as a ``Literal`` type; the checks
(:func:`jiebei_credit._validation.choice`) and the messages read the allowed
values from it, so messages cannot drift from the checks. Every other input
rule lives in :mod:`jiebei_credit._validation`.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Criterion", "DropStep", "Kind", "Monotonic", "OddsConvention", "Penalty", "Selection", "Trend",
           "Unseen"]

Monotonic = Literal["auto", "ascending", "descending", "peak", "valley", "none", "auto_turn", "cv"]
Unseen = Literal["raise", "worst", "neutral", "missing", "rare"]
Kind = Literal["auto", "numeric", "categorical"]
Selection = Literal["none", "forward", "stepwise"]
Criterion = Literal["pvalue", "aic", "bic", "ks"]
Penalty = Literal["none", "l2"]
OddsConvention = Literal["good:bad", "bad:good"]
#: Trends a fitted binning can report (``auto`` is resolved at fit).
Trend = Literal["ascending", "descending", "peak", "valley", "none"]
#: Steps of :meth:`Scorecard.fit` that drop a feature (``drops_``).
DropStep = Literal["empty", "iv", "constant", "correlation", "vif", "epv", "forward", "stepwise", "sign"]
