"""The scoring fast path: points per slot precomputed, one blocked numpy loop."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit._validation import FloatArray
from jiebei_credit.errors import DataWarning
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._finebin import as_float
from jiebei_credit.scorecard._kernels import NumericTerm, SlotTerm, add_points

__all__: list[str] = []


def neutral_points(card: Any) -> dict[str, float]:
    """Points of WOE 0 (the neutral slot) per model feature: ``offset / m − factor · β0 / m``."""
    m = len(card.features_)
    from jiebei_credit.scorecard._report import round_half_away

    pts = np.full(1, card.scaling_.offset / m - card.scaling_.factor * card.intercept_ / m)
    if card.round_points_:
        pts = round_half_away(pts)
    return {f: float(pts[0]) for f in card.features_}


def _numeric_term(func: str, binning: Binning, column: pd.Series, points: FloatArray) -> NumericTerm:
    """Values, edges and points per slot of one numeric feature.

    Values without a training bin raise through :meth:`Binning.bin_index`
    (same message) when the binning's ``unseen`` is ``'raise'``; otherwise
    their slots get the row :meth:`Binning.unseen_row` gives (``points``
    has the neutral slot's points appended).
    """
    xv, _ = as_float(func, column, f"column {binning.name or column.name!r}")
    has_nan = not bool(np.isfinite(xv).all())
    specials = binning.special_array
    rows = binning.slot_rows()
    m = len(binning.edges)
    unseen = rows < 0
    if unseen.any():
        if binning.unseen != "raise":
            fill = np.full(rows.size, binning.unseen_row(False), dtype=np.int64)
            fill[m + 1] = binning.unseen_row(True)
            rows = np.where(unseen, fill, rows)
        else:
            hit = (has_nan and bool(unseen[m + 1])) or any(
                bool(unseen[m + 2 + k]) and bool((xv == v).any()) for k, v in enumerate(specials)
            )
            if hit:
                binning._bin_index(column, func)  # raises the documented error
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
    neutral: Mapping[str, float] | None = None,
) -> FloatArray:
    """Score of every row of ``frame``: the sum of each feature's bin points.

    Numeric features are binned by counting edge comparisons in cache-sized
    row blocks; categorical features through :meth:`Binning.bin_index`. The
    points of each feature are added in ``features`` order, starting at 0.
    ``neutral`` holds each feature's points at WOE 0 (the neutral slot of
    unseen values); 0 where absent.
    """
    terms: list[NumericTerm | SlotTerm] = []
    for f in features:
        b = binnings[f]
        pts = np.append(np.asarray(points[f], dtype=np.float64), (neutral or {}).get(f, 0.0))
        if b.kind == "numeric":
            terms.append(_numeric_term(func, b, frame[f], pts))
        else:
            terms.append(SlotTerm(points=pts, slots=b._bin_index(frame[f], func)))
    return add_points(terms, len(frame))


def unseen_flags(func: str, frame: pd.DataFrame, features: Sequence[str],
                 binnings: Mapping[str, Binning]) -> pd.DataFrame:
    """Boolean frame (rows of ``frame``, one column per feature): value unseen in training."""
    out = {}
    for f in features:
        b = binnings[f]
        if b.kind == "numeric" and b.slot_rows().min() >= 0:
            out[f] = np.zeros(len(frame), dtype=bool)
        else:
            out[f] = b._unseen_mask(frame[f], func)
    return pd.DataFrame(out, index=frame.index, columns=list(features))


def warn_unseen(func: str, flags: pd.DataFrame, policy: str, owner: str = "Scorecard") -> None:
    """One DataWarning with the count of unseen values per column, if any."""
    counts = flags.sum(axis=0)
    counts = counts[counts > 0]
    if counts.empty:
        return
    per = ", ".join(f"{c!r}: {int(k)} row{'s' if k != 1 else ''}" for c, k in counts.items())
    warnings.warn(
        f"{func}: values not seen in development were scored with unseen={policy!r} ({per}); "
        f"{owner}.unseen_flags(X) returns the rows.", DataWarning, stacklevel=4,
    )
