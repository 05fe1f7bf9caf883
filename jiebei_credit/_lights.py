"""Traffic lights shared by metrics and monitoring: one vocabulary, one precedence.

Every check that grades evidence gives one of four statuses:

* ``"green"``: the check ran and found nothing to act on;
* ``"amber"``: investigate;
* ``"red"``: act;
* ``"insufficient"``: the check could not run for lack of data (no
  outcomes in a score band, a statistic that is NaN). Missing evidence is
  never reported as green.

Combining several checks keeps the most serious: ``red`` over ``amber`` over
``insufficient`` over ``green``. A set of checks is green only when every
check ran and passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from jiebei_credit._validation import FloatArray, fail, real, real_pair

Status = Literal["green", "amber", "red", "insufficient"]
#: Every status, in order of increasing severity.
STATUSES: Final[tuple[Status, ...]] = ("green", "insufficient", "amber", "red")
_RANK: Final[dict[str, int]] = {s: i for i, s in enumerate(STATUSES)}


def worst(statuses: Iterable[str]) -> Status:
    """The most serious status of ``statuses`` (``"green"`` for none).

    Examples
    --------
    >>> worst(["green", "insufficient", "green"])
    'insufficient'
    >>> worst(["insufficient", "amber"])
    'amber'
    """
    out: Status = "green"
    for s in statuses:
        if _RANK[s] > _RANK[out]:
            out = STATUSES[_RANK[s]]
    return out


def index_thresholds(thresholds: Any, *, func: str, name: str = "thresholds") -> tuple[float, float]:
    """``(amber, red)`` cut-offs of a stability index: finite, ``0 <= amber <= red``."""
    return real_pair(
        thresholds, func=func, name=name,
        rule="must be a pair (amber, red) of finite numbers with 0 <= amber <= red",
        ok=lambda a, r: 0.0 <= a <= r, fix="The usual PSI cut-offs are (0.1, 0.25).",
    )


def alpha_levels(alpha: Any, *, func: str, name: str) -> tuple[float, float]:
    """``(amber, red)`` significance levels with ``0 < red <= amber < 1``."""
    return real_pair(
        alpha, func=func, name=name,
        rule="must be a pair (amber, red) of significance levels with 0 < red <= amber < 1",
        ok=lambda a, r: 0.0 < r <= a < 1.0, fix="The default is (0.05, 0.01).",
    )


def index_light(value: Any, amber: float, red: float, *, func: str, name: str = "value") -> Status:
    """Light of a PSI or CSI value: NaN is ``"insufficient"``, negative values are refused.

    ``+inf`` (a bin empty in one sample, unsmoothed) is red.
    """
    if isinstance(value, float | np.floating) and np.isnan(value):
        return "insufficient"
    v = real(value, func=func, name=name, low=0.0, allow_inf=True,
             fix="A stability index is >= 0; NaN means it could not be computed.")
    if v > red:
        return "red"
    return "amber" if v >= amber else "green"


def p_value_lights(p: FloatArray, amber: float, red: float) -> npt.NDArray[np.object_]:
    """Lights of p-values: red below ``red``, amber below ``amber``, insufficient where NaN."""
    out = np.where(p < red, "red", np.where(p < amber, "amber", "green")).astype(object)
    out[np.isnan(p)] = "insufficient"
    return out


def check_status(value: Any, *, func: str, name: str) -> Status:
    """One of :data:`STATUSES`, or the standard error."""
    if isinstance(value, str) and value in _RANK:
        return STATUSES[_RANK[value]]
    raise fail(func, name, f"must be one of {', '.join(map(repr, STATUSES))}", repr(value))
