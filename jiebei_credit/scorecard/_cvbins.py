"""A numeric feature's bins chosen by cross-validation (``monotonic='cv'``).

The shapes, from the least to the most flexible:

1. ``auto_turn`` within ``max_bins`` and ``min_bin_share``;
2. ``auto_turn`` within ``cv_max_bins`` and ``cv_min_bin_share`` (finer);
3. no trend (``none``) within ``cv_max_bins`` and ``cv_min_bin_share``.

Each shape is scored by the held-out log-likelihood of the one-feature WOE
model, ``logit P(bad) = ln(B/G) − WOE``, over the folds of
:mod:`jiebei_credit.scorecard._folds` (dealt by row content): the
bins and their WOE are fitted on the other folds' statistics. Starting
from the first, the choice moves to the next shape only when it gains more
than :data:`ONE_SE` standard errors of the paired per-row difference
(the one-standard-error rule of Breiman et al., 1984): a finer shape must
win clearly, not by noise. Everything runs on fine-bin statistics per
fold (:class:`BinStats`), so a fit from partition statistics makes the
same choice as one in memory on the same folds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import reduce
from operator import add

import numpy as np

from jiebei_credit import _validation as V
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._fit import MergeParams, fit_stats
from jiebei_credit.scorecard._stats import BinStats

FloatArray = V.FloatArray

__all__ = ["ONE_SE", "cv_binning", "shapes"]

#: Standard errors of the paired held-out log-likelihood difference a finer shape must gain by.
ONE_SE = 1.0


def shapes(p: MergeParams) -> tuple[MergeParams, MergeParams, MergeParams]:
    """The three shapes ``monotonic='cv'`` chooses among, least flexible first."""
    base = replace(p, monotonic="auto_turn")
    fine = replace(base, max_bins=p.cv_max_bins, min_bin_share=p.cv_min_bin_share)
    return base, fine, replace(fine, monotonic="none")


def _slot_woe(binning: Binning, test: BinStats) -> FloatArray:
    """WOE of each slot of ``test`` under ``binning``: fine bins, special values, missing (unseen: 0)."""
    woe = np.append(binning.woe_values, 0.0)  # last: the neutral slot of an unseen value
    neutral = woe.size - 1
    lower = np.concatenate(([-np.inf], np.asarray(test.edges, dtype=np.float64)))
    regular = np.searchsorted(np.asarray(binning.edges, dtype=np.float64), lower, side="right")
    special = [neutral if r < 0 else r for r in binning.special_bins]
    missing = len(binning.bads) - 1 if binning.has_missing else neutral
    return woe[np.concatenate((regular, np.asarray(special, dtype=np.intp), [missing]))]


def _slots(stats: BinStats) -> tuple[FloatArray, FloatArray]:
    """Good and bad weight per slot, in :func:`_slot_woe` order."""
    goods = np.array([*stats.goods, *stats.special_goods, stats.missing_goods], dtype=np.float64)
    bads = np.array([*stats.bads, *stats.special_bads, stats.missing_bads], dtype=np.float64)
    return goods, bads


def _held_out(folds: Sequence[BinStats], p: MergeParams, func: str) -> FloatArray:
    """Held-out log-likelihood per cell (fold, slot, class) of the one-feature WOE model of shape ``p``."""
    out = []
    for k, test in enumerate(folds):
        train = reduce(add, (s for i, s in enumerate(folds) if i != k))
        eta = np.log(train.total_bads / train.total_goods) - _slot_woe(fit_stats(train, p, func), test)
        out += [-np.logaddexp(0.0, -eta), -np.logaddexp(0.0, eta)]  # bads: ln p, goods: ln(1 - p)
    return np.concatenate(out)


def _trainable(folds: Sequence[BinStats], total: BinStats) -> bool:
    """Whether every fold's training part has goods, bads and regular values."""
    regular = sum(total.goods) + sum(total.bads)
    for test in folds:
        if not (total.total_goods - test.total_goods > 0 and total.total_bads - test.total_bads > 0
                and regular - sum(test.goods) - sum(test.bads) > 0):
            return False
    return True


def cv_binning(folds: Sequence[BinStats], p: MergeParams, func: str) -> Binning:
    """The binning of a numeric feature under ``monotonic='cv'``, from its statistics per fold.

    The shape is chosen as the module describes, then fitted on all folds.
    With fewer than two folds, or a fold whose training part lacks goods,
    bads or regular values, the first shape is used. When the three shapes
    fitted on all folds have the same bins (a feature with few distinct
    values, say), there is nothing to choose: no fold is fitted and the
    first shape's binning (with its trend) is the result.
    """
    total = reduce(add, folds)
    candidates = shapes(p)
    fits = [fit_stats(total, shape, func) for shape in candidates]
    if fits[0].edges == fits[1].edges == fits[2].edges or len(folds) < 2 or not _trainable(folds, total):
        return fits[0]
    weight = np.concatenate([w for test in folds for w in _slots(test)[::-1]])  # bads, goods per fold
    n = float(weight.sum())
    best, current = 0, _held_out(folds, candidates[0], func)
    for k in (1, 2):
        other = _held_out(folds, candidates[k], func)
        diff = other - current
        gain = float(weight @ diff)
        spread = float(weight @ (diff - gain / n) ** 2)
        if gain > ONE_SE * np.sqrt(n * spread / max(n - 1.0, 1.0)):
            best, current = k, other
    return fits[best]
