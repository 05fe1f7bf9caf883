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

The transition of the programme needs, for a new bin ``[i, j)``, the best
state whose last bin ``[h, i)`` has ``r(h, i) < r(i, j)`` (or ``>``). With
the candidate bins ``[h, i)`` of each ``i`` sorted once by ``r``, that is a
prefix (or suffix) maximum read at a precomputed position, so one step
costs ``O(n**2)`` for ``n`` fine bins instead of ``O(n**3)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jiebei_credit._validation import FloatArray

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
class _Order:
    """Candidate previous bins ``[h, i)`` of every boundary ``i``, sorted by ``r``.

    With ``m = n + 1`` boundaries and a state array flattened per layer
    (``f[h, i]`` at ``h * m + i``): ``gather[t, i]`` is the flat position of
    ``f[h, i]`` for the ``t``-th smallest ``r(h, i)``. Running maxima over
    ``t`` are kept in an ``(m + 1) × m`` array (a ``-inf`` row first for
    ``up``, last for ``down``); ``up[i, j]`` and ``down[i, j]`` are the flat
    positions there of the best allowed predecessor of bin ``[i, j)``.
    """

    gather: IntArray
    up: IntArray
    down: IntArray


def _order(r: FloatArray) -> _Order:
    m = r.shape[0]
    # integer ranks of r (ties share a rank) make one sorted array of every boundary's
    # candidates, offset per boundary, so one searchsorted answers every query
    _, rank = np.unique(r, return_inverse=True)
    rank = rank.reshape(m, m)
    offset = np.arange(m)[:, None] * (int(rank.max()) + 1)
    key = offset + rank.T  # key[i, h] = offset_i + rank of r(h, i)
    perm = np.argsort(key, axis=1, kind="stable")  # perm[i] sorts h by r(h, i)
    sorted_keys = np.take_along_axis(key, perm, axis=1).ravel()
    query = offset + rank  # query[i, j] = offset_i + rank of r(i, j)
    start = np.arange(m)[:, None] * m
    below = np.searchsorted(sorted_keys, query, side="left") - start  # r(h, i) <  r(i, j)
    upto = np.searchsorted(sorted_keys, query, side="right") - start  # r(h, i) <= r(i, j)
    col = np.arange(m)[:, None]
    return _Order(
        gather=(perm * m + col).T.ravel(),
        up=(below * m + col).ravel(),
        down=(upto * m + col).ravel(),
    )


def _best_before(f: FloatArray, rel: str, order: _Order) -> FloatArray:
    """``out[L, i, j]`` = max of ``f[L, h, i]`` over ``h`` whose bin relates to ``[i, j)`` by ``rel``.

    ``rel`` is ``'up'`` (``r(h, i) < r(i, j)``), ``'down'`` (``>``) or
    ``'any'``. States that do not exist are ``-inf`` in ``f``, so they never
    win a maximum. The running maxima run over the rows of ``(t, i)``
    arrays, so each step is one vectorised maximum across boundaries.
    """
    n_layers, m, _ = f.shape
    if rel == "any":
        return np.broadcast_to(f.max(axis=1)[:, :, None], f.shape)
    g = np.take(f.reshape(n_layers, m * m), order.gather, axis=1).reshape(n_layers, m, m)
    run = np.empty((n_layers, m + 1, m))
    if rel == "up":
        run[:, 0, :] = -np.inf
        np.maximum.accumulate(g, axis=1, out=run[:, 1:, :])
        pos = order.up
    else:
        run[:, m, :] = -np.inf
        np.maximum.accumulate(g[:, ::-1, :], axis=1, out=run[:, m - 1 :: -1, :])
        pos = order.down
    return np.take(run.reshape(n_layers, (m + 1) * m), pos, axis=1).reshape(n_layers, m, m)


#: For each trend: the relation within the first phase, and into/within the second.
PHASES: dict[str, tuple[str, str | None]] = {
    "ascending": ("up", None),
    "descending": ("down", None),
    "none": ("any", None),
    "peak": ("up", "down"),
    "valley": ("down", "up"),
}


def _forward(
    value: FloatArray, order: _Order, trend: str, n_steps: int, first_layer: int
) -> tuple[list[tuple[FloatArray, FloatArray]], FloatArray]:
    """Run ``n_steps`` steps (step ``k`` ends with ``k + 1`` bins).

    Row ``t`` of ``value`` is layer ``first_layer + t``: tables of
    ``first_layer + t + 1`` regular bins. A layer is dropped once its bin
    count is passed. Returns the states of each step (phase 0: still in the
    first phase of the trend; phase 1: in the second) and, per step ``k``,
    the best value of layer ``k`` over partitions of every fine bin into
    ``k + 1`` bins (``-inf`` where layer ``k`` is not in ``value``).
    """
    n = value.shape[1] - 1
    first, second = PHASES[trend]
    f0 = np.full_like(value, -np.inf)
    f0[:, 0, :] = value[:, 0, :]
    f1 = np.full_like(value, -np.inf)
    states = [(f0, f1)]
    best = np.full(n_steps, -np.inf)
    if first_layer == 0:
        best[0] = f0[0, :, n].max()
    for k in range(1, n_steps):
        drop = max(0, k - first_layer) - max(0, k - 1 - first_layer)
        f0, f1, value = f0[drop:], f1[drop:], value[drop:]
        g0 = value + _best_before(f0, first, order)
        if second is None:
            g1 = f1
        else:
            g1 = value + _best_before(np.maximum(f0, f1), second, order)
        f0, f1 = g0, g1
        states.append((f0, f1))
        if k >= first_layer:
            best[k] = max(f0[0, :, n].max(), f1[0, :, n].max())
    return states, best


def _backtrack(
    states: list[tuple[FloatArray, FloatArray]], r: FloatArray, trend: str, n: int
) -> tuple[int, ...]:
    """Starts of the bins of the best partition ending at fine bin ``n`` (one layer)."""
    first, second = PHASES[trend]
    k = len(states) - 1
    f0, f1 = states[k]
    phase = 0 if f0[0, :, n].max() >= f1[0, :, n].max() else 1
    i = int(np.argmax((f0 if phase == 0 else f1)[0, :, n]))
    j = n
    cuts = []
    while k > 0:
        cuts.append(i)
        p0, p1 = states[k - 1]
        rel = first if phase == 0 else second
        if rel == "up":
            ok = r[:, i] < r[i, j]
        elif rel == "down":
            ok = r[:, i] > r[i, j]
        else:
            ok = np.ones(n + 1, dtype=bool)
        v0 = np.where(ok, p0[0, :, i], -np.inf)
        h = int(np.argmax(v0))
        if phase == 1:
            # the second phase is entered from either phase
            v1 = np.where(ok, p1[0, :, i], -np.inf)
            h1 = int(np.argmax(v1))
            if v0[h] >= v1[h1]:
                phase = 0
            else:
                h = h1
        j, i = i, h
        k -= 1
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

    ``auto`` is the ascending or descending solution of higher IV (ascending
    on ties). ``auto_turn`` is that, unless the peak or valley solution of
    highest IV has a higher IV and passes :func:`turn_accepted`.
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
    # ln(p / q) = r + ln(db / dg): no logarithm per layer
    value = ((gs[None] + s) / dg - (bs[None] + s) / db) * (r[None] + np.log(db / dg))
    value[:, ~feasible] = -np.inf
    pf = (fixed_goods[None, :] + s) / dg[:, :, 0]
    qf = (fixed_bads[None, :] + s) / db[:, :, 0]
    const = ((pf - qf) * np.log(pf / qf)).sum(axis=1)
    order = _order(r)

    def best_of(trends: tuple[str, ...]) -> Partition:
        """The partition of highest IV among ``trends`` (the first on ties), traced back once."""
        best: tuple[str, float, int] = (trends[0], -np.inf, 1)
        for trend in trends:
            _, per_k = _forward(value, order, trend, n_k, 0)
            total_iv = per_k + const
            k_best = int(np.argmax(total_iv)) + 1  # first maximum: fewest bins on ties
            obj = float(total_iv[k_best - 1])
            if obj > best[1]:
                best = (trend, obj, k_best)
        trend, obj, k_best = best
        if not np.isfinite(obj):
            return Partition(cuts=(), trend=trend, objective=obj)
        states, _ = _forward(value[k_best - 1 : k_best], order, trend, k_best, k_best - 1)
        return Partition(cuts=_backtrack(states, r, trend, n), trend=trend, objective=obj)

    if monotonic not in ("auto", "auto_turn"):
        return best_of((monotonic,))
    mono = best_of(MONOTONE)
    if monotonic == "auto" or n_k < 3:  # a turn needs three bins
        return mono
    turn = best_of(TURNS)
    if turn.objective > mono.objective and turn_accepted(mono, turn, goods, bads, total_g, total_b):
        return turn
    return mono


#: ``monotonic='auto'`` and ``'auto_turn'``: the monotone trends, compared by IV (ties: the first).
MONOTONE = ("ascending", "descending")
#: ``monotonic='auto_turn'``: the trends with one turn, accepted only by :func:`turn_accepted`.
TURNS = ("peak", "valley")
#: Significance level of the likelihood-ratio test that accepts a turn.
TURN_ALPHA = 0.05


def deviance(
    cuts: tuple[int, ...], goods: FloatArray, bads: FloatArray, total_g: float, total_b: float
) -> float:
    """Likelihood-ratio statistic of a partition against one bin: ``G = 2 Σ o ln(o / e)``.

    Over the regular bins of ``cuts`` (goods and bads, no smoothing), with
    expected counts ``e = n_i · G / N`` and ``n_i · B / N`` from the totals
    of the whole table. The missing and special bins add the same terms to
    every partition of the regular values, so they are left out.
    """
    bounds = np.array([0, *cuts, goods.size])
    g = np.add.reduceat(goods, bounds[:-1]) if goods.size else goods
    b = np.add.reduceat(bads, bounds[:-1]) if bads.size else bads
    n = g + b
    total = total_g + total_b
    with np.errstate(divide="ignore", invalid="ignore"):
        tg = np.where(g > 0, g * np.log(g * total / (n * total_g)), 0.0)
        tb = np.where(b > 0, b * np.log(b * total / (n * total_b)), 0.0)
    return float(2.0 * (tg.sum() + tb.sum()))


def turn_accepted(
    mono: Partition, turn: Partition, goods: FloatArray, bads: FloatArray, total_g: float, total_b: float
) -> bool:
    """Whether a peak or valley binning is kept over the best monotone one.

    Likelihood-ratio test of the binned Bernoulli models: with ``k_m`` and
    ``k_t`` regular bins and ``G`` the deviance of each against one bin
    (:func:`deviance`), the turn is accepted when
    ``G_turn − G_mono > chi2.ppf(1 − TURN_ALPHA, df)``,
    ``df = max(1, k_t − k_m + 1)``: one parameter per extra bin, plus one for
    the change of direction. A turn found in noise is thus rejected, while a
    U-shaped risk on enough rows is kept.
    """
    gain = deviance(turn.cuts, goods, bads, total_g, total_b) - deviance(
        mono.cuts, goods, bads, total_g, total_b
    )
    df = max(1, len(turn.cuts) - len(mono.cuts) + 1)
    # the chi-square quantile; scipy.special, since importing scipy.stats sets warning filters
    return bool(gain > special.chdtri(df, TURN_ALPHA))
