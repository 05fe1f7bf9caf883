"""The direction of a score, shared by the discrimination metrics and their plots.

A *risk ordering* ranks rows from safest to riskiest. A PD or a log-odds of
bad is one as it is (``higher="riskier"``); scorecard points run the other
way (``higher="safer"``). Every function that orders rows by a score takes
``higher`` as a required keyword, so that the direction is always stated:
a default would silently turn an AUC of 0.8 into 0.2 for the other kind.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from jiebei_credit._validation import FloatArray, choice

Higher = Literal["riskier", "safer"]
#: Allowed values of ``higher``.
HIGHER_OPTIONS: Final[tuple[Higher, ...]] = ("riskier", "safer")
#: The fix shown when ``higher`` is wrong.
HIGHER_FIX: Final = "Pass higher='riskier' for a PD or log-odds of bad, higher='safer' for scorecard points."


def check_higher(higher: Any, *, func: str, name: str = "higher") -> Higher:
    """``higher`` if it is ``"riskier"`` or ``"safer"``, or the standard error.

    Examples
    --------
    >>> check_higher("up", func="auc")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: auc: higher must be one of 'riskier', 'safer'; got 'up'. \
Pass higher='riskier' for a PD or log-odds of bad, higher='safer' for scorecard points.
    """
    out: Higher = choice(higher, HIGHER_OPTIONS, func=func, name=name, fix=HIGHER_FIX)
    return out


def risk_of(score: FloatArray, higher: Higher) -> FloatArray:
    """The score as a risk ordering (higher = riskier); negation is exact."""
    return score if higher == "riskier" else -score
