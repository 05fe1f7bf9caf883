"""Key lookups: the row of a table's key column that each identifier names."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.extensions import ExtensionArray

__all__ = ["positions"]

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
