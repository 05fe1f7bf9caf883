"""The model's data, collapsed: one row per distinct combination of bins.

Every WOE column takes one value per bin, so the rows of a WOE table repeat
a small set of *patterns* (combinations of bins). Rows with the same pattern
enter the logistic likelihood only through their total good and bad weight::

    llf = Σ_rows w·[y ln p + (1 − y) ln(1 − p)]
        = Σ_patterns [B_t ln p_t + G_t ln(1 − p_t)]

so fitting on the patterns with those weights gives exactly the same
coefficients, standard errors, log-likelihood and AIC as fitting on the
rows, and weighted means and covariances of the WOE columns (correlation,
VIF) are the same too. The collapse is a pure function of the data: no
row-level data is kept on the fitted card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit._validation import FloatArray
from jiebei_credit.scorecard._binning import Binning

__all__: list[str] = []

IntArray = np.ndarray[Any, np.dtype[np.int64]]

#: Largest pattern key before the keys are renumbered (keeps keys inside int64).
KEY_LIMIT = 2**40
#: A subset of features is regrouped by direct indexing when its key space is this small.
DIRECT_KEYS = 1 << 22


@dataclass(frozen=True, slots=True)
class Design:
    """Distinct bin combinations of the candidate features with their weights.

    Attributes
    ----------
    features : tuple of str
        Candidate features (columns of ``codes`` and ``woe``).
    codes : ndarray of int64, shape (P, k)
        Bin (row of the binning table) of each feature in each pattern.
    woe : ndarray of float64, shape (P, k)
        WOE of those bins.
    goods, bads : ndarray of float64, shape (P,)
        Total good and bad weight of the rows with each pattern (both > 0
        in sum; patterns of zero weight are left out).
    tables : tuple of ndarray
        WOE per bin of each feature (``woe[:, j] = tables[j][codes[:, j]]``).
    """

    features: tuple[str, ...]
    codes: IntArray
    woe: FloatArray
    goods: FloatArray
    bads: FloatArray
    tables: tuple[FloatArray, ...]

    @property
    def weight(self) -> FloatArray:
        """Total weight of each pattern."""
        return np.asarray(self.goods + self.bads, dtype=np.float64)

    def subset(self, features: Sequence[str]) -> tuple[FloatArray, FloatArray, FloatArray]:
        """WOE matrix, goods and bads of the distinct bin combinations of ``features`` only.

        Patterns that agree on these features are merged (adding their
        weights), which leaves the likelihood unchanged and makes the fit
        cheaper. Combinations are numbered by a mixed-radix key; when there
        are fewer possible numbers than patterns a ``bincount`` over the key
        groups them without sorting, otherwise ``numpy.unique`` does. With
        more than :data:`KEY_LIMIT` possible combinations (nearly every
        pattern distinct) the patterns are returned as they are (still
        exact: equal rows may appear more than once).
        """
        cols = [self.features.index(f) for f in features]
        sizes = [self.tables[c].size for c in cols]
        space = int(np.prod(sizes, dtype=np.float64)) if cols else 1
        if space > KEY_LIMIT:
            return np.take(self.woe, cols, axis=1), self.goods, self.bads  # C order, unlike [:, cols]
        key = np.zeros(self.goods.size, dtype=np.int64)
        for c, size in zip(cols, sizes, strict=True):
            key *= size
            key += self.codes[:, c]
        if space < self.goods.size and space <= DIRECT_KEYS:
            goods = np.bincount(key, weights=self.goods, minlength=space)
            bads = np.bincount(key, weights=self.bads, minlength=space)
            used = np.flatnonzero(goods + bads > 0)
            goods, bads = goods[used], bads[used]
        else:
            used, inverse = np.unique(key, return_inverse=True)
            goods = np.bincount(inverse.ravel(), weights=self.goods, minlength=used.size)
            bads = np.bincount(inverse.ravel(), weights=self.bads, minlength=used.size)
        woe = np.empty((used.size, len(cols)), dtype=np.float64)
        rest = used.copy()
        for j in range(len(cols) - 1, -1, -1):
            woe[:, j] = self.tables[cols[j]][rest % sizes[j]]
            rest //= sizes[j]
        return woe, np.asarray(goods, dtype=np.float64), np.asarray(bads, dtype=np.float64)

    def moments(self) -> tuple[FloatArray, FloatArray]:
        """Weighted correlation matrix and standard deviations of the WOE columns.

        Notes
        -----
        With pattern weights ``n_t`` (their total row weight) and ``N = Σ n_t``:
        ``mean_j = Σ n_t w_tj / N``, ``cov_jk = Σ n_t (w_tj − mean_j)(w_tk −
        mean_k) / N``, ``corr_jk = cov_jk / (sd_j sd_k)``; a constant column
        has ``sd = 0`` and correlation 0 with every other column.
        """
        n = self.weight
        total = float(n.sum())
        scaled = self.woe - (n @ self.woe) / total
        scaled *= np.sqrt(n)[:, None]  # centred columns times sqrt(weight): one temporary
        cov = scaled.T @ scaled / total
        sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = cov / np.outer(sd, sd)
        corr[~np.isfinite(corr)] = 0.0
        np.clip(corr, -1.0, 1.0, out=corr)  # rounding may step just outside
        np.fill_diagonal(corr, 1.0)
        return np.asarray(corr, dtype=np.float64), np.asarray(sd, dtype=np.float64)


def build_design(
    frame: pd.DataFrame,
    features: Sequence[str],
    binnings: Mapping[str, Binning],
    y: FloatArray,
    w: FloatArray | None,
) -> Design:
    """Collapse the rows of ``frame`` to their distinct bin combinations.

    Bin combinations are numbered by a mixed-radix key (feature ``j`` is
    digit ``j`` in base ``n_bins_j``); when the key would leave ``int64``
    the partial keys are renumbered densely first, so any number of features
    works.
    """
    n = len(frame)
    codes = [binnings[f].bin_index(frame[f]) for f in features]
    tables = tuple(np.asarray(binnings[f].woe_values, dtype=np.float64) for f in features)
    weights = np.ones(n) if w is None else w
    key = np.zeros(n, dtype=np.int64)
    space = 1
    renumbered = False
    for c, table in zip(codes, tables, strict=True):
        if space * table.size > KEY_LIMIT:
            _, dense = np.unique(key, return_inverse=True)
            key = dense.astype(np.int64).ravel()
            space = int(key.max()) + 1
            renumbered = True
        key = key * table.size + c
        space *= table.size
    k = len(features)
    if not renumbered and space <= max(4 * n, DIRECT_KEYS):
        # few combinations: group by direct indexing and decode the key's digits
        bads = np.bincount(key, weights=weights * y, minlength=space)
        goods = np.bincount(key, weights=weights * (1.0 - y), minlength=space)
        used = np.flatnonzero(goods + bads > 0)
        pattern_codes = np.empty((used.size, k), dtype=np.int64)
        rest = used.copy()
        for j in range(k - 1, -1, -1):
            pattern_codes[:, j] = rest % tables[j].size
            rest //= tables[j].size
    else:
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        bads = np.bincount(inverse, weights=weights * y)
        goods = np.bincount(inverse, weights=weights * (1.0 - y))
        used = np.flatnonzero(goods + bads > 0)
        rows = first[used]
        # (k, P) in C order, viewed as (P, k): each feature's codes stay contiguous
        pattern_codes = np.stack([c[rows] for c in codes]).reshape(k, used.size).T
    woe = np.empty((used.size, k), dtype=np.float64)
    for j, table in enumerate(tables):
        woe[:, j] = table[pattern_codes[:, j]]
    return Design(
        features=tuple(features),
        codes=pattern_codes,
        woe=woe,
        goods=np.asarray(goods[used], dtype=np.float64),
        bads=np.asarray(bads[used], dtype=np.float64),
        tables=tables,
    )
