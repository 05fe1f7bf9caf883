"""Vectorised kernels: slot codes of numeric values and the scoring loop.

A numeric binning with ``m`` inner edges maps a value to a *slot*: the
regular bins are slots ``0 … m`` (``[-inf, e_1)`` is 0), missing values slot
``m + 1`` and the ``k``-th special value slot ``m + 2 + k``. The regular and
missing slots come from :func:`jiebei_credit._bands.interval_index`, the one
kernel that maps values to intervals (counting comparisons for few edges, a
lookup grid or binary search for many), in row blocks that stay in cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jiebei_credit._bands import BLOCK, interval_index
from jiebei_credit._validation import FloatArray

__all__: list[str] = []


def slot_dtype(n_slots: int) -> type[np.integer[Any]]:
    """Smallest signed integer type holding ``n_slots`` slot numbers."""
    return np.int8 if n_slots <= 127 else np.int16 if n_slots <= 32_767 else np.int64


def _block_slots(
    xb: FloatArray, edges: FloatArray, specials: FloatArray, has_nan: bool, out: np.ndarray[Any, Any]
) -> None:
    """Slots of one block of values into ``out``."""
    m = edges.size
    interval_index(xb, edges, out, nan=m + 1, has_nan=has_nan)
    for k, v in enumerate(specials):
        np.copyto(out, m + 2 + k, where=xb == v)


def numeric_slots(x: FloatArray, edges: FloatArray, specials: FloatArray) -> np.ndarray[Any, Any]:
    """Slot of every value of ``x`` (finite or NaN); see the module docstring.

    Returns the smallest integer dtype that holds every slot.
    """
    out = np.empty(x.size, dtype=slot_dtype(edges.size + 2 + specials.size))
    _block_slots(x, edges, specials, not bool(np.isfinite(x).all()), out)
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
    pts = np.empty(size, dtype=np.float64)
    for a in range(0, n, BLOCK):
        b = min(a + BLOCK, n)
        k = b - a
        acc = total[a:b]
        for t in terms:
            if isinstance(t, SlotTerm):
                np.take(t.points, t.slots[a:b], out=pts[:k])
            else:
                _block_slots(t.values[a:b], t.edges, t.specials, t.has_nan, code[:k])
                np.take(t.points, code[:k], out=pts[:k])
            acc += pts[:k]
    return total
