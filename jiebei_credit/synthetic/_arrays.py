"""Array helpers shared by the simulation steps: categorical draws and event look-ups."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Multiplier that packs ``(borrower, day)`` into one sortable ``int64`` key
#: (days since 1970 stay far below 2**31).
KEY_SHIFT: Final = 2**31


def categorical(rng: np.random.Generator, probs: FloatArray) -> IntArray:
    """One categorical draw per row of ``probs`` (rows sum to one).

    Draws exactly one uniform per row, in row order.

    >>> categorical(np.random.default_rng(0), np.array([[1.0, 0.0], [0.0, 1.0]]))
    array([0, 1])
    """
    u = rng.random(size=(probs.shape[0],))
    out: IntArray = (u[:, None] > np.cumsum(probs, axis=1)[:, :-1]).sum(axis=1).astype(np.int64)
    return out


def latest_at(event_who: IntArray, event_day: IntArray, who: npt.ArrayLike, day: npt.ArrayLike) -> IntArray:
    """Index of each query's latest event of the same borrower on or before ``day``; -1 if none.

    ``who`` and ``day`` are query arrays of one shape (any); among events of
    one borrower on one day the last in input order counts.

    >>> latest_at(np.array([0, 0, 1]), np.array([5, 9, 2]), np.array([0, 0, 0, 1]),
    ...           np.array([4, 5, 20, 2]))
    array([-1,  0,  1,  2])
    """
    key = event_who * KEY_SHIFT + event_day
    order = np.argsort(key, kind="stable")
    q_who = np.asarray(who)
    pos = np.searchsorted(key[order], q_who * KEY_SHIFT + np.asarray(day), side="right") - 1
    idx = order[np.maximum(pos, 0)]
    out: IntArray = np.where((pos >= 0) & (event_who[idx] == q_who), idx, -1).astype(np.int64)
    return out
