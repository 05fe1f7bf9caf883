"""The scoring fast path: points per slot precomputed, one blocked numpy loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from jiebei_credit._validation import FloatArray
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._finebin import as_float
from jiebei_credit.scorecard._kernels import NumericTerm, SlotTerm, add_points

__all__: list[str] = []


def _numeric_term(func: str, binning: Binning, column: pd.Series, points: FloatArray) -> NumericTerm:
    """Values, edges and points per slot of one numeric feature.

    Values without a training bin raise through :meth:`Binning.bin_index`
    (same message) when the binning's ``unseen`` is ``'raise'``; with
    ``'worst'`` their slots get the points of the lowest-WOE bin.
    """
    xv, _ = as_float(func, column, f"column {binning.name or column.name!r}")
    has_nan = not bool(np.isfinite(xv).all())
    specials = binning.special_array
    rows = binning.slot_rows()
    m = len(binning.edges)
    unseen = rows < 0
    if unseen.any():
        if binning.unseen == "worst":
            rows = np.where(unseen, int(np.argmin(binning.woe_values)), rows)
        else:
            hit = (has_nan and bool(unseen[m + 1])) or any(
                bool(unseen[m + 2 + k]) and bool((xv == v).any()) for k, v in enumerate(specials)
            )
            if hit:
                binning.bin_index(column, _func=func)  # raises the documented error
            rows = np.where(unseen, 0, rows)  # never reached: no value falls in these slots
    return NumericTerm(
        points=points[rows], values=xv, edges=binning.edge_array, specials=specials, has_nan=has_nan
    )


def score_points(
    func: str,
    frame: pd.DataFrame,
    features: Sequence[str],
    binnings: Mapping[str, Binning],
    points: Mapping[str, Sequence[float]],
) -> FloatArray:
    """Score of every row of ``frame``: the sum of each feature's bin points.

    Numeric features are binned by counting edge comparisons in cache-sized
    row blocks; categorical features through :meth:`Binning.bin_index`. The
    points of each feature are added in ``features`` order, starting at 0.
    """
    terms: list[NumericTerm | SlotTerm] = []
    for f in features:
        b = binnings[f]
        pts = np.asarray(points[f], dtype=np.float64)
        if b.kind == "numeric":
            terms.append(_numeric_term(func, b, frame[f], pts))
        else:
            terms.append(SlotTerm(points=pts, slots=b.bin_index(frame[f], _func=func)))
    return add_points(terms, len(frame))
