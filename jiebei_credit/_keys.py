"""Key lookups and orders: the row of a key column that each identifier names; stable sorts by keys."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import ExtensionArray

__all__ = ["order_by", "positions"]

#: A column of identifiers: a Series, an Index or a pandas array.
Keys = pd.Series | pd.Index | ExtensionArray


def _arrow_strings(values: Any) -> bool:
    """Whether ``values`` holds strings stored by pyarrow (pandas' ``str`` or ``string[pyarrow]``)."""
    dtype = getattr(values, "dtype", None)
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def positions(keys: Keys, values: Keys) -> npt.NDArray[np.int64]:
    """Position in ``keys`` (unique) of each of ``values``; -1 where absent or missing.

    The same integers as ``pd.Index(keys).get_indexer(values)``. When both
    hold strings stored by pyarrow (pandas' default string type when pyarrow
    is installed), the lookup runs in Arrow (``pyarrow.compute.index_in``):
    pandas would first copy both into Python string objects, which costs
    about eight times as long on millions of identifiers.

    ``keys`` must be unique, as a primary key is (``get_indexer`` refuses
    duplicates; Arrow would return the first).
    """
    if _arrow_strings(keys) and _arrow_strings(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        key_set = pa.array(getattr(keys, "array", keys))
        if isinstance(key_set, pa.ChunkedArray):
            key_set = key_set.combine_chunks()
        # pandas stores both as large_string, so no cast is needed
        found = pc.index_in(pa.array(getattr(values, "array", values)), value_set=key_set)
        return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)
    return np.asarray(pd.Index(keys).get_indexer(pd.Index(values)), dtype=np.int64)


def order_by(*keys: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """Stable order by ``keys``, most significant first: ``np.lexsort(keys[::-1])``, faster.

    Sorts by the first key, then the next, then original position. When
    every key holds whole numbers (integers, booleans, or floats without
    NaN or fractions) and the product of their ranges stays below 2**62,
    the keys are shifted to start at 0 and packed into one int64,
    ``(k1 - min k1) * span(k2) + (k2 - min k2)`` and so on, which one stable
    ``argsort`` orders about ten times faster than ``lexsort``'s pass per
    key on millions of rows. Otherwise this is ``lexsort`` itself.
    """
    arrays = [np.asarray(k) for k in keys]
    shape = arrays[0].shape if arrays else None
    if not arrays or any(a.ndim != 1 or a.shape != shape or a.dtype.kind not in "biuf" for a in arrays):
        raise TypeError("order_by takes one or more 1-D real or boolean arrays of one length")
    if arrays[0].size == 0:
        return np.zeros(0, dtype=np.intp)
    packed = np.zeros(arrays[0].size, dtype=np.int64)
    total = 1
    for a in arrays:
        if a.dtype.kind == "f" and not (np.isfinite(a).all() and (a == np.round(a)).all()):
            break
        low, high = int(a.min()), int(a.max())
        total *= high - low + 1
        if total >= 2**62 or low < -(2**62) or high >= 2**62:
            break
        packed = packed * (high - low + 1) + (a.astype(np.int64) - low)
    else:
        fast: npt.NDArray[np.intp] = np.argsort(packed, kind="stable")
        return fast
    out: npt.NDArray[np.intp] = np.lexsort(arrays[::-1])
    return out
