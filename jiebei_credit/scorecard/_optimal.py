"""Globally optimal merge of fine bins: dynamic programming over bin boundaries.

The objective (documented in the user guide, "Optimal binning") is the IV
of the final table, missing and special bins included, with smoothed
shares::

    p_i = (g_i + s) / (G + K s),   q_i = (b_i + s) / (B + K s)
    IV  = sum_i (p_i - q_i) * ln(p_i / q_i)

where ``K`` is the number of bins in the table. For a fixed ``K`` the
denominators are constants, so IV is a sum of per-bin terms and a dynamic
programme over fine-bin boundaries finds the best partition into exactly
``K`` regular bins; the answer is the best over ``K``. The trend
constraints compare ``r_i = ln((g_i + s) / (b_i + s))``, which orders the
bins exactly like WOE (``WOE_i = r_i + ln((B + K s) / (G + K s))``) for
every ``K``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jiebei_credit.scorecard._checks import FloatArray

__all__ = ["Partition", "optimal_partition"]

IntArray = np.ndarray[Any, np.dtype[np.intp]]


@dataclass(frozen=True, slots=True)
class Partition:
    """Result of the merge: where the regular bins start, and the IV reached."""

    cuts: tuple[int, ...]
    """Fine-bin positions where a merged bin starts, ``0`` excluded, increasing."""
    trend: str
    """Trend of the WOE of the regular bins (``auto`` resolved)."""
    objective: float
    """Total IV of the table (regular, special and missing bins)."""


@dataclass(frozen=True, slots=True)
class _Triples:
    """Allowed transitions ``[h, i) -> [i, j)`` grouped by the segment ``(i, j)``."""

    h: IntArray
    i: IntArray
    j: IntArray
    starts: IntArray
    gi: IntArray
    gj: IntArray


def _triples(allowed: np.ndarray[Any, np.dtype[np.bool_]]) -> _Triples:
    """``allowed[h, i, j]`` as flat arrays ordered by ``(i, j, h)``."""
    i, j, h = np.nonzero(allowed.transpose(1, 2, 0))
    if i.size == 0:
        e = np.empty(0, dtype=np.intp)
        return _Triples(e, e, e, e, e, e)
    new = np.ones(i.size, dtype=bool)
    new[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    starts = np.flatnonzero(new)
    return _Triples(h, i, j, starts, i[starts], j[starts])


def _step(prev: FloatArray, t: _Triples, value: FloatArray) -> FloatArray:
    """``out[k, i, j] = value[k, i, j] + max over allowed h of prev[k, h, i]``."""
    out = np.full_like(prev, -np.inf)
    if t.h.size:
        best = np.maximum.reduceat(prev[:, t.h, t.i], t.starts, axis=1)
        out[:, t.gi, t.gj] = value[:, t.gi, t.gj] + best
    return out


def _run(
    value: FloatArray, up: _Triples, down: _Triples, any_: _Triples, trend: str, n: int
) -> tuple[list[tuple[FloatArray, FloatArray]], FloatArray]:
    """Forward pass. Returns the states per step and the best value per ``K``."""
    n_k = value.shape[0]
    f0 = np.full_like(value, -np.inf)
    f0[:, 0, :] = value[:, 0, :]
    f1 = np.full_like(value, -np.inf)
    states = [(f0, f1)]
    best = np.full(n_k, -np.inf)
    best[0] = max(f0[0, :, n].max(), f1[0, :, n].max())
    first, second = _phases(trend, up, down, any_)
    for k in range(1, n_k):
        g0 = _step(f0, first, value)
        g1 = _step(np.maximum(f0, f1), second, value)
        f0, f1 = g0, g1
        states.append((f0, f1))
        best[k] = max(f0[k, :, n].max(), f1[k, :, n].max())
    return states, best


def _phases(trend: str, up: _Triples, down: _Triples, any_: _Triples) -> tuple[_Triples, _Triples]:
    """Transitions within the first phase, and into/within the second phase.

    Monotone trends have one phase; the second-phase set is then empty.
    """
    empty = _triples(np.zeros((0, 0, 0), dtype=bool))
    first = {"ascending": up, "descending": down, "none": any_, "peak": up, "valley": down}[trend]
    second = {"peak": down, "valley": up}.get(trend, empty)
    return first, second


def _backtrack(
    states: list[tuple[FloatArray, FloatArray]],
    k_bins: int,
    first: _Triples,
    second: _Triples,
    n: int,
) -> tuple[int, ...]:
    """Starts of the bins of the best partition into ``k_bins`` bins."""
    b = k_bins - 1
    f0, f1 = states[b]
    phase = 0 if f0[b, :, n].max() >= f1[b, :, n].max() else 1
    i = int(np.argmax((f0 if phase == 0 else f1)[b, :, n]))
    j = n
    cuts = []
    for k in range(b, 0, -1):
        cuts.append(i)
        p0, p1 = states[k - 1]
        t = first if phase == 0 else second
        hs = t.h[(t.i == i) & (t.j == j)]
        v0 = p0[b, hs, i]
        h0 = int(np.argmax(v0))
        h = int(hs[h0])
        if phase == 1:
            # the second phase is entered from either phase
            v1 = p1[b, hs, i]
            h1 = int(np.argmax(v1))
            if v0[h0] >= v1[h1]:
                phase = 0
            else:
                h = int(hs[h1])
        j, i = i, h
    return tuple(sorted(cuts))


def optimal_partition(
    goods: FloatArray,
    bads: FloatArray,
    *,
    fixed_goods: FloatArray,
    fixed_bads: FloatArray,
    max_bins: int,
    min_share: float,
    min_goods: float,
    min_bads: float,
    monotonic: str,
    smoothing: float,
) -> Partition:
    """Partition ``n`` ordered fine bins into at most ``max_bins`` contiguous bins.

    Maximises the smoothed IV (module docstring) subject to: every bin has
    positive weight, weight share ``>= min_share`` of all rows (missing and
    special included), goods ``>= min_goods`` and bads ``>= min_bads``, and
    the WOE trend ``monotonic`` (strict). One bin holding every regular value
    is always allowed, so a solution always exists.
    """
    n = goods.size
    s = smoothing
    cg = np.concatenate(([0.0], np.cumsum(goods)))
    cb = np.concatenate(([0.0], np.cumsum(bads)))
    n_fixed = fixed_goods.size
    total_g = cg[-1] + float(fixed_goods.sum())
    total_b = cb[-1] + float(fixed_bads.sum())
    total = total_g + total_b
    upper = np.triu(np.ones((n + 1, n + 1), dtype=bool), k=1)
    gs = np.where(upper, cg[None, :] - cg[:, None], 0.0)
    bs = np.where(upper, cb[None, :] - cb[:, None], 0.0)
    count = gs + bs
    with np.errstate(divide="ignore", invalid="ignore"):
        feasible = upper & (count > 0) & (count / total >= min_share) & (gs >= min_goods) & (bs >= min_bads)
    feasible[0, n] = True
    r = np.log(gs + s) - np.log(bs + s)

    n_k = min(max_bins, n)
    ks = np.arange(1, n_k + 1, dtype=np.float64) + n_fixed
    dg = (total_g + ks * s)[:, None, None]
    db = (total_b + ks * s)[:, None, None]
    p = (gs[None] + s) / dg
    q = (bs[None] + s) / db
    value = np.where(feasible[None], (p - q) * np.log(p / q), -np.inf)
    pf = (fixed_goods[None, :] + s) / dg[:, :, 0]
    qf = (fixed_bads[None, :] + s) / db[:, :, 0]
    const = ((pf - qf) * np.log(pf / qf)).sum(axis=1)

    pair = feasible[:, :, None] & feasible[None, :, :]
    up = _triples(pair & (r[:, :, None] < r[None, :, :]))
    down = _triples(pair & (r[:, :, None] > r[None, :, :]))
    any_ = _triples(pair) if monotonic == "none" else up

    candidates = ["ascending", "descending"] if monotonic == "auto" else [monotonic]
    best = Partition(cuts=(), trend=candidates[0], objective=-np.inf)
    for trend in candidates:
        states, per_k = _run(value, up, down, any_, trend, n)
        total_iv = per_k + const
        k_best = int(np.argmax(total_iv)) + 1  # first maximum: fewest bins on ties
        obj = float(total_iv[k_best - 1])
        if obj > best.objective:
            first, second = _phases(trend, up, down, any_)
            cuts = _backtrack(states, k_best, first, second, n)
            best = Partition(cuts=cuts, trend=trend, objective=obj)
    return best
