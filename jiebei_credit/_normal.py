"""The two-sided p-value of a standard normal statistic, the library's one home for it."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

__all__ = ["two_sided_p"]


def two_sided_p(z: Any) -> npt.NDArray[np.float64]:
    """``P(|Z| >= |z|) = 2 Φ(-|z|)`` for a standard normal ``Z``; NaN where ``z`` is NaN.

    Examples
    --------
    >>> float(two_sided_p(1.959963984540054))
    0.05...
    >>> two_sided_p([0.0, np.nan]).tolist()
    [1.0, nan]
    """
    out: npt.NDArray[np.float64] = 2.0 * special.ndtr(-np.abs(np.asarray(z, dtype=np.float64)))
    return out
