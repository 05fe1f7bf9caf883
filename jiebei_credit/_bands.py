"""Score bands: quantile cut points, band membership and labels.

Shared by :mod:`jiebei_credit.metrics` (gains tables, PSI, calibration
grades) and :mod:`jiebei_credit.monitoring` (score bands of a stability
report), so that both cut a score the same way.

Bands are left-closed: with interior cut points ``e_1 < … < e_k`` band ``i``
holds the values ``e_i <= x < e_{i+1}`` (with ``e_0 = -inf`` and
``e_{k+1} = +inf``), so every finite value falls in exactly one band.
"""

from __future__ import annotations

import numpy as np

from jiebei_credit._validation import FloatArray, IntArray


def quantile_edges(x: FloatArray, bins: int) -> FloatArray:
    """Interior cut points splitting ``x`` into at most ``bins`` bands of about equal count.

    The cut point for the quantile ``j / bins`` is the value at 0-based position
    ``floor(n * j / bins)`` of the sorted sample, so the band below it holds at
    most ``floor(n * j / bins)`` values. Repeated cut points are merged and a cut
    at the minimum is dropped, so every band is non-empty on ``x`` itself, and
    heavy ties give fewer than ``bins`` bands.
    """
    n = x.size
    if bins >= n:  # every position is a cut candidate; no need to build ``bins`` of them
        positions = np.arange(1, n, dtype=np.int64)
    else:
        positions = np.unique((np.arange(1, bins, dtype=np.int64) * n) // bins)
    positions = positions[(positions > 0) & (positions < n)]
    if positions.size == 0:
        return np.empty(0, dtype=np.float64)
    values = np.partition(x, positions)[positions]
    edges: FloatArray = np.unique(values)
    kept: FloatArray = edges[edges > x.min()]
    return kept


#: Up to this many cut points, bands are found by comparisons rather than binary search.
_COMPARE_EDGES = 64


def band_index(x: FloatArray, edges: FloatArray) -> IntArray:
    """Band of each value: ``i`` such that ``edges[i-1] <= x < edges[i]`` (NaN gives 0).

    With few cut points, counting ``x >= e`` over the cut points is several
    times faster than ``searchsorted`` on unsorted values, and gives the same
    index.
    """
    if edges.size > _COMPARE_EDGES:
        return np.searchsorted(edges, x, side="right").astype(np.int64, copy=False)
    idx = np.zeros(x.size, dtype=np.uint8)
    above = np.empty(x.size, dtype=np.bool_)
    for e in edges:
        np.greater_equal(x, e, out=above)
        np.add(idx, above, out=idx, casting="unsafe")
    return idx.astype(np.int64)


def band_counts(x: FloatArray, edges: FloatArray, *, n_valid: int) -> IntArray:
    """Rows per band (NaN rows excluded; ``n_valid`` is the number of non-NaN rows).

    With few cut points this counts ``x >= e`` per cut point and takes
    differences, without building a band index per row.
    """
    if edges.size > _COMPARE_EDGES:
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
