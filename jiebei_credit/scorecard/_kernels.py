"""Vectorised kernels: slot codes of numeric values and the scoring loop.

A numeric binning with ``m`` inner edges maps a value to a *slot*: the
regular bins are slots ``0 … m`` (``[-inf, e_1)`` is 0), missing values slot
``m + 1`` and the ``k``-th special value slot ``m + 2 + k``. Binnings with
few edges count comparisons (``slot = Σ_k [x >= e_k]``, NaN compares false
everywhere so it starts at 0), in row blocks that stay in cache; many edges
use :func:`~jiebei_credit.scorecard._finebin.digitize`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jiebei_credit._validation import FloatArray
from jiebei_credit.scorecard._finebin import digitize

__all__: list[str] = []

#: Rows per block of the blocked loops (a block of float64 values fits in L2 cache).
BLOCK = 32_768
#: Most inner edges for which slots are computed by counting comparisons.
COMPARE_MAX_EDGES = 12


def slot_dtype(n_slots: int) -> type[np.integer[Any]]:
    """Smallest signed integer type holding ``n_slots`` slot numbers."""
    return np.int8 if n_slots <= 127 else np.int16 if n_slots <= 32_767 else np.int64


def _block_slots(
    xb: FloatArray,
    edges: FloatArray,
    specials: FloatArray,
    has_nan: bool,
    out: np.ndarray[Any, Any],
    mask: np.ndarray[Any, np.dtype[np.bool_]],
) -> None:
    """Slots of one block of values into ``out`` (``mask`` is scratch space)."""
    m = edges.size
    if m == 0:
        out[...] = 0
    else:
        np.greater_equal(xb, edges[0], out=mask)
        out[...] = mask.view(np.int8)
        for e in edges[1:]:
            np.greater_equal(xb, e, out=mask)
            out += mask.view(np.int8)
    if has_nan:
        np.isnan(xb, out=mask)
        np.copyto(out, m + 1, where=mask)
    for k, v in enumerate(specials):
        np.equal(xb, v, out=mask)
        np.copyto(out, m + 2 + k, where=mask)


def numeric_slots(x: FloatArray, edges: FloatArray, specials: FloatArray) -> np.ndarray[Any, Any]:
    """Slot of every value of ``x`` (finite or NaN); see the module docstring.

    Returns the smallest integer dtype that holds every slot.
    """
    m = edges.size
    dtype = slot_dtype(m + 2 + specials.size)
    has_nan = not bool(np.isfinite(x).all())
    if m > COMPARE_MAX_EDGES:
        out = digitize(edges, x).astype(dtype)  # NaN -> m + 1 already
        for k, v in enumerate(specials):
            out[x == v] = m + 2 + k
        return out
    out = np.empty(x.size, dtype=dtype)
    mask = np.empty(min(BLOCK, x.size), dtype=bool)
    for a in range(0, x.size, BLOCK):
        b = min(a + BLOCK, x.size)
        _block_slots(x[a:b], edges, specials, has_nan, out[a:b], mask[: b - a])
    return out


@dataclass(frozen=True, slots=True)
class NumericTerm:
    """A numeric feature prepared for scoring: values, edges, specials, points per slot."""

    points: FloatArray
    values: FloatArray
    edges: FloatArray
    specials: FloatArray
    has_nan: bool


@dataclass(frozen=True, slots=True)
class SlotTerm:
    """A feature whose slots are already known (categorical features)."""

    points: FloatArray
    slots: np.ndarray[Any, Any]


def add_points(terms: Sequence[NumericTerm | SlotTerm], n: int) -> FloatArray:
    """``Σ_j points_j[slot_j(row)]`` per row, features added in ``terms`` order.

    Each row's sum starts at ``0.0`` and adds the features left to right, so
    the result is bit-for-bit the sum of the points a bin table shows. Rows
    are processed in blocks so each block's values stay in cache while its
    edges are compared.
    """
    total = np.zeros(n, dtype=np.float64)
    if n == 0:
        return total
    width = max((t.edges.size + 2 + t.specials.size for t in terms if isinstance(t, NumericTerm)), default=1)
    size = min(BLOCK, n)
    code = np.empty(size, dtype=slot_dtype(width))
    mask = np.empty(size, dtype=bool)
    pts = np.empty(size, dtype=np.float64)
    for a in range(0, n, BLOCK):
        b = min(a + BLOCK, n)
        k = b - a
        acc = total[a:b]
        for t in terms:
            if isinstance(t, SlotTerm):
                np.take(t.points, t.slots[a:b], out=pts[:k])
            elif t.edges.size > COMPARE_MAX_EDGES:
                np.take(t.points, numeric_slots(t.values[a:b], t.edges, t.specials), out=pts[:k])
            else:
                _block_slots(t.values[a:b], t.edges, t.specials, t.has_nan, code[:k], mask[:k])
                np.take(t.points, code[:k], out=pts[:k])
            acc += pts[:k]
    return total
