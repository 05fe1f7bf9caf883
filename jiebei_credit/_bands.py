"""Intervals: quantile cut points, interval membership, band counts and labels.

One home for cutting numbers into intervals, shared by
:mod:`jiebei_credit.metrics` (gains tables, PSI, calibration grades),
:mod:`jiebei_credit.monitoring` (score bands of a stability report) and
:mod:`jiebei_credit.scorecard` (fine pre-bins, bin slots, scoring), so that
every caller cuts a value the same way:

* :func:`quantile_cuts` is the one definition of quantile cut points (score
  bands use :func:`band_edges`; the scorecard's public ``quantile_edges``
  shortens the same cuts for its labels);
* :func:`interval_index` is the one kernel mapping values to interval indices.

Intervals are left-closed: with cut points ``e_1 < … < e_k`` interval ``i``
holds the values ``e_i <= x < e_{i+1}`` (with ``e_0 = -inf`` and
``e_{k+1} = +inf``), so every non-NaN value falls in exactly one interval:
``i = #{j : e_j <= x}``, which is ``np.searchsorted(edges, x, side="right")``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from jiebei_credit._validation import FloatArray, IntArray

IndexArray = np.ndarray[Any, np.dtype[np.integer[Any]]]


def quantile_cuts(
    x: FloatArray, parts: int, *, rule: Literal["floor", "inverted_cdf"], presorted: bool = False
) -> FloatArray:
    """Interior cut points splitting ``x`` into at most ``parts`` intervals of about equal count.

    The cut for the quantile ``j / parts`` (``j = 1 … parts − 1``) is the value at
    0-based position ``p_j`` of the sorted sample, so the interval below it holds
    the ``p_j`` smallest values (fewer with ties):

    * ``rule="floor"``: ``p_j = floor(n j / parts)`` (score bands);
    * ``rule="inverted_cdf"``: ``p_j = ceil(n j / parts) − 1``, numpy's
      ``inverted_cdf`` quantile (fine pre-bins).

    Repeated cut points are merged and a cut at the minimum is dropped, so
    every interval is non-empty on ``x`` itself, and heavy ties give fewer
    than ``parts`` intervals. ``x`` holds no NaN; ``presorted=True`` says it
    is sorted already (no partition is needed then).
    """
    n = x.size
    if n == 0:
        return np.empty(0, dtype=np.float64)
    if rule == "floor" and parts >= n:  # every position is a cut; no need to build ``parts`` of them
        positions = np.arange(1, n, dtype=np.int64)
    else:
        j = np.arange(1, parts, dtype=np.int64)
        positions = (j * n) // parts if rule == "floor" else (j * n + parts - 1) // parts - 1
        positions = np.unique(positions)
    positions = positions[(positions > 0) & (positions < n)]  # position 0 is the minimum: never a cut
    if positions.size == 0:
        return np.empty(0, dtype=np.float64)
    values = x[positions] if presorted else np.partition(x, positions)[positions]
    edges: FloatArray = np.unique(values)
    kept: FloatArray = edges[edges > (x[0] if presorted else x.min())]
    return kept


def band_edges(x: FloatArray, bins: int) -> FloatArray:
    """Score band cut points: :func:`quantile_cuts` of ``x`` with ``rule="floor"``.

    The band below the cut for ``j / bins`` holds at most ``floor(n j / bins)``
    values.
    """
    return quantile_cuts(x, bins, rule="floor")


#: Most cut points for which :func:`interval_index` counts comparisons (one
#: vectorised ``x >= e`` pass per cut point); above it a lookup grid (large
#: inputs) or a binary search is used. The one tuning constant of the kernel,
#: measured on normal values with quantile cut points (CPU time per row):
#: counting costs about 0.17 ns per row and cut point (5.7 ns at 32 cut points
#: on 10^6 rows, 6.7 ns on 20 000), the grid 5-8 ns whatever their number, and
#: binary search 18-36 ns; counting and the grid break even between 28 and 40.
COMPARE_MAX_EDGES = 32
#: Rows per block of the blocked loops (a block of float64 values and its
#: temporaries stay in L2 cache while every cut point is compared).
BLOCK = 32_768
#: Cells of the lookup grid of :func:`interval_index`, tried in this order; a
#: grid is built only for at least ``4`` rows per cell (it costs about as much
#: as looking up that many rows).
GRID_CELLS = (4096, 65_536)
#: Most cut points one grid cell may hold before a finer grid is tried (then
#: binary search): the values of a cell are compared with up to this many.
GRID_MAX_EDGES = 3


def interval_index(
    x: FloatArray, edges: FloatArray, out: IndexArray, *, nan: int = 0, has_nan: bool = True
) -> IndexArray:
    """Interval of each value, ``#{j : edges[j] <= x}``, written into ``out``; NaN gives ``nan``.

    The one kernel mapping values to intervals: score bands, fine-bin
    statistics, bin slots and scoring all use it.

    Parameters
    ----------
    x : numpy.ndarray of float64, shape (n,)
        Values; ``±inf`` fall in the first and last interval, NaN gets ``nan``.
    edges : numpy.ndarray of float64, shape (m,)
        Sorted, distinct cut points, no NaN.
    out : numpy.ndarray of an integer dtype, shape (n,)
        Receives the indices; its dtype must hold ``m`` and ``nan``.
    nan : int, default 0
        Index given to NaN values.
    has_nan : bool, default True
        ``False`` promises that ``x`` holds no NaN (skips looking for them).

    Returns
    -------
    numpy.ndarray
        ``out``: the same as ``np.searchsorted(edges, x, side="right")``
        with NaN replaced by ``nan``, in the dtype of ``out``.

    Notes
    -----
    Three methods give the same indices, chosen for speed:

    * ``m <= COMPARE_MAX_EDGES``: count ``x >= e_j`` over the cut points
      (NaN compares false everywhere), in blocks of ``BLOCK`` rows that stay
      in cache, accumulating in ``int8``;
    * otherwise, with at least 4 rows per grid cell: a uniform grid over the
      cut points' range, ``cell(v) = clip(floor((v − e_1) · M / (e_m − e_1)) + 1,
      0, M + 1)``, a monotone function evaluated by the same floating-point
      operations for values and cut points, so every cut point in a lower cell
      than ``x`` is ``< x`` and every one in a higher cell is ``> x``; only the
      at most ``GRID_MAX_EDGES`` cut points sharing ``x``'s cell are compared.
      ``M = 4096`` cells, or 65 536 when a coarse cell would hold more cut
      points;
    * otherwise binary search (``np.searchsorted``).
    """
    m = edges.size
    n = x.size
    if n == 0:
        return out
    if m <= COMPARE_MAX_EDGES:
        _compare_blocks(x, edges, out, nan if has_nan else 0)
        return out
    grid = None
    if edges[0] != edges[-1]:
        for cells in GRID_CELLS:
            if n >= 4 * cells:
                grid = _grid(edges, cells)
                if grid is not None:
                    break
    if grid is None:
        out[...] = np.searchsorted(edges, x, side="right")  # NaN sorts last: index m
        if has_nan and nan != m:
            np.copyto(out, nan, where=np.isnan(x))
        return out
    with np.errstate(over="ignore"):  # values far beyond the edges overflow to ±inf: still the end cells
        _grid_blocks(x, edges, out, grid, nan if has_nan else 0)
    return out


def _compare_blocks(x: FloatArray, edges: FloatArray, out: IndexArray, nan: int) -> None:
    """Counting method of :func:`interval_index` (``nan == 0``: NaN needs no pass)."""
    n = x.size
    size = min(BLOCK, n)
    mask = np.empty(size, dtype=np.bool_)
    direct = out.dtype == np.int8
    acc = out if direct else np.empty(size, dtype=np.int8)
    for a in range(0, n, BLOCK):
        b = min(a + BLOCK, n)
        xb, mb = x[a:b], mask[: b - a]
        ab = out[a:b] if direct else acc[: b - a]
        if edges.size == 0:
            ab[...] = 0
        else:
            np.greater_equal(xb, edges[0], out=mb)
            ab[...] = mb.view(np.int8)
            for e in edges[1:]:
                np.greater_equal(xb, e, out=mb)
                ab += mb.view(np.int8)
        ob = out[a:b]
        if not direct:
            ob[...] = ab
        if nan != 0:
            np.isnan(xb, out=mb)
            np.copyto(ob, nan, where=mb)


Grid = tuple[float, float, np.ndarray[Any, np.dtype[np.intp]]]


def _grid(edges: FloatArray, cells: int) -> Grid | None:
    """``(lo, scale, below)`` of a grid where each cell holds at most ``GRID_MAX_EDGES`` edges."""
    lo, hi = float(edges[0]), float(edges[-1])
    if not math.isfinite(hi - lo):  # a range beyond float64 (edges near ±1.8e308)
        return None
    scale = cells / (hi - lo)
    if not (math.isfinite(scale) and scale > 0.0):
        return None
    edge_cells = _cells(edges, lo, scale, cells, np.empty(edges.size))
    per_cell = np.bincount(edge_cells, minlength=cells + 2)
    if per_cell.max() > GRID_MAX_EDGES:
        return None
    below = np.concatenate(([0], np.cumsum(per_cell)[:-1])).astype(np.intp)
    return lo, scale, below


def _cells(
    v: FloatArray, lo: float, scale: float, cells: int, t: FloatArray
) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Grid cell of each value (``t`` is scratch space of the same size)."""
    np.subtract(v, lo, out=t)
    t *= scale
    np.floor(t, out=t)
    t += 1.0
    np.fmax(t, 0.0, out=t)  # fmax/fmin also turn NaN into the bound
    np.fmin(t, cells + 1.0, out=t)
    return t.astype(np.intp)


def _grid_blocks(x: FloatArray, edges: FloatArray, out: IndexArray, grid: Grid, nan: int) -> None:
    """Grid method of :func:`interval_index` (NaN lands in cell 0, index 0: ``nan == 0`` needs no pass)."""
    lo, scale, below = grid
    m = edges.size
    n_cells = below.size - 2
    most = int(np.diff(np.append(below, m)).max())
    padded = np.concatenate((edges, np.full(GRID_MAX_EDGES, np.nan)))  # x >= NaN is false, even for +inf
    size = min(BLOCK, x.size)
    t = np.empty(size)
    mask = np.empty(size, dtype=np.bool_)
    for a in range(0, x.size, BLOCK):
        b = min(a + BLOCK, x.size)
        xb, ob, tb, mb = x[a:b], out[a:b], t[: b - a], mask[: b - a]
        base = below[_cells(xb, lo, scale, n_cells, tb)]
        ob[...] = base
        for k in range(most):
            np.greater_equal(xb, padded[base + k], out=mb)
            ob += mb
        if nan != 0:
            np.isnan(xb, out=mb)
            np.copyto(ob, nan, where=mb)


def band_index(x: FloatArray, edges: FloatArray) -> IntArray:
    """Band of each value: ``i`` such that ``edges[i-1] <= x < edges[i]`` (NaN gives 0)."""
    out: IntArray = np.empty(x.size, dtype=np.int64)
    interval_index(x, edges, out, nan=0)
    return out


def band_counts(x: FloatArray, edges: FloatArray, *, n_valid: int) -> IntArray:
    """Rows per band (NaN rows excluded; ``n_valid`` is the number of non-NaN rows).

    Up to ``COMPARE_MAX_EDGES`` cut points this counts ``x >= e`` per cut
    point and takes differences, without building a band index per row.
    """
    if edges.size > COMPARE_MAX_EDGES:
        valid = x[~np.isnan(x)] if n_valid < x.size else x
        return np.bincount(band_index(valid, edges), minlength=edges.size + 1).astype(np.int64)
    at_or_above = np.array([np.count_nonzero(x >= e) for e in edges], dtype=np.int64)
    return np.concatenate(([n_valid], at_or_above)) - np.concatenate((at_or_above, [0]))


def _fmt(v: float, digits: int) -> str:
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return format(v, f".{digits}g")


def band_labels(edges: FloatArray) -> list[str]:
    """Labels ``"[lo, hi)"`` for the ``len(edges) + 1`` bands, distinct even for close edges."""
    bounds = np.concatenate(([-np.inf], edges, [np.inf]))
    for digits in (6, 10, 17):
        text = [_fmt(float(v), digits) for v in bounds]
        if len(set(text)) == len(text):
            break
    return [f"[{text[i]}, {text[i + 1]})" for i in range(len(bounds) - 1)]
