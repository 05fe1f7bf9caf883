"""Categorical output columns of :func:`assign` and :func:`review_line`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


def categorical(
    codes: npt.NDArray[np.integer[Any]], categories: Sequence[str]
) -> pd.Categorical[str]:
    """A categorical from integer codes (fast path for large outputs)."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=pd.Index(list(categories))
    )
