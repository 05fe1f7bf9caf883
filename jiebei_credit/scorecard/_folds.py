"""Cross-validation folds dealt by row content, so a fit does not depend on the row order.

Every cross-validation of a fit (a numeric feature's bin shape under
``monotonic='cv'``, the penalty strength under ``penalty_strength='cv'``)
reads its rows through a few columns only: a feature's fine slot, or the
bins of the selected features, with the target and the weight. Rows equal
in those are interchangeable: whichever of them lands in a fold, the
fold's statistics are the same. So the rows of each class are put in a
canonical order, sorted by that content (equal rows in any order among
themselves), and dealt by a seeded random permutation: the row at
canonical position ``i`` goes to fold ``π(i) mod K``.

Each fold then holds a ``K``-th of the goods and of the bads (to one row),
the deal is a uniformly random one, like dealing the rows in a shuffled
order, and the fold statistics depend on the multiset of rows and the
seed only: the same rows in any order give the same fold statistics.
(Rows split among partitions are dealt within each: other folds.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from jiebei_credit._validation import FloatArray

__all__ = ["CV_FOLDS", "deal_folds"]

#: Folds of every cross-validation of a fit (bin shapes, penalty strength).
CV_FOLDS = 5


def _canonical(
    content: Sequence[npt.NDArray[np.generic]], rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """``rows`` sorted by their ``content`` (the first array the primary key); ties keep their order."""
    if len(content) == 1 and content[0].dtype.kind in "iu" and rows.size:
        key = content[0][rows]
        lo, hi = int(key.min()), int(key.max())
        if hi - lo < 2**16:  # small integers: a stable radix sort
            return rows[np.argsort((key - lo).astype(np.uint16), kind="stable")]
    keys = [c[rows] for c in reversed(content)]  # lexsort: the last key is the primary one
    return rows[np.lexsort(keys)] if keys else rows


def deal_folds(
    content: Sequence[npt.NDArray[np.generic]], y: FloatArray, w: FloatArray | None, seed: int
) -> npt.NDArray[np.intp]:
    """The fold of each row (``0 … CV_FOLDS - 1``), dealt per class by content (module docstring).

    ``content`` holds the columns a cross-validation reads, one value per
    row (integer slots or bins; floats with NaN allowed); the weight ``w``
    is read too when given. Per class (goods, then bads) the rows are
    sorted by content and the ``i``-th gets ``π(i) mod CV_FOLDS``, with
    ``π = numpy.random.default_rng(seed).permutation`` of the class's rows.
    """
    rng = np.random.default_rng(seed)
    columns = [*content, *(() if w is None else (w,))]
    fold = np.empty(y.size, dtype=np.intp)
    for cls in (0.0, 1.0):
        rows = _canonical(columns, np.flatnonzero(y == cls))
        fold[rows] = rng.permutation(rows.size) % CV_FOLDS
    return fold
