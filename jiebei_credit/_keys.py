"""Key lookups: the row of a table's key column that each identifier names."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["positions"]


def _arrow_strings(values: Any) -> bool:
    """Whether ``values`` holds strings stored by pyarrow (pandas' ``str`` or ``string[pyarrow]``)."""
    dtype = getattr(values, "dtype", None)
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def positions(keys: pd.Series | pd.Index, values: pd.Series | pd.Index) -> npt.NDArray[np.int64]:
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

        key_set = pa.array(keys.array)
        if isinstance(key_set, pa.ChunkedArray):
            key_set = key_set.combine_chunks()
        # pandas stores both as large_string, so no cast is needed
        found = pc.index_in(pa.array(values.array), value_set=key_set)
        return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)
    return np.asarray(pd.Index(keys).get_indexer(values), dtype=np.int64)
