"""Discrimination: AUC, Gini, KS and the ROC curve.

Direction: ``higher`` is a required keyword. ``higher="riskier"`` for a risk
ordering (a PD, a log-odds of bad), ``higher="safer"`` for scorecard points.
There is no default, because either default silently inverts the other kind
of score (an AUC of 0.8 read as 0.2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jiebei_credit._ranking import Higher, check_higher, risk_of
from jiebei_credit._types import Vector
from jiebei_credit._validation import BoolArray, FloatArray, both_classes, outcome_and_score


def prepare(
    y: object,
    score: object,
    *,
    func: str,
    higher: object,
    sample_weight: object = None,
) -> tuple[BoolArray, FloatArray, FloatArray | None, float, float, Higher]:
    """Validate the inputs of a discrimination metric; return risk, weights, class totals, direction."""
    direction = check_higher(higher, func=func)
    is_bad, s, weight, _ = outcome_and_score(
        y, score, func=func, sample_weight=sample_weight, need_both=False
    )
    if weight is not None:
        # the statistics do not depend on the weights' scale: rescale so no sum overflows
        # (weights near the float maximum) or vanishes (subnormal weights)
        weight = weight / weight.max()
    n_bad, n_good = both_classes(is_bad, func=func, weight=weight)
    return is_bad, risk_of(s, direction), weight, n_bad, n_good, direction


def ascending_groups(
    risk: FloatArray, is_bad: BoolArray, weight: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct risk values in ascending order with the (weighted) bads and goods at each."""
    order = np.argsort(risk)  # ties are grouped below, so any sort order works
    r = risk[order]
    b = is_bad[order]
    starts = np.flatnonzero(np.concatenate(([True], r[1:] != r[:-1])))
    if weight is None:
        bad_w = b.astype(np.float64)
        good_w = 1.0 - bad_w
    else:
        w = weight[order]
        bad_w = np.where(b, w, 0.0)
        good_w = np.where(b, 0.0, w)
    return r[starts], np.add.reduceat(bad_w, starts), np.add.reduceat(good_w, starts)


def _auc_counts(risk: FloatArray, is_bad: BoolArray) -> float:
    """Unweighted AUC from the rank-sum: sort the goods, binary-search the bads."""
    bads = np.sort(risk[is_bad])
    goods = np.sort(risk[~is_bad])
    below = np.searchsorted(goods, bads, side="left")
    up_to = np.searchsorted(goods, bads, side="right")
    # U = sum over bads of (#goods below + ½ #goods tied) = ½ Σ (below + up_to): exact integers.
    twice_u = int(below.sum(dtype=np.int64)) + int(up_to.sum(dtype=np.int64))
    return twice_u / (2 * bads.size * goods.size)


def _auc_weighted(risk: FloatArray, is_bad: BoolArray, weight: FloatArray) -> float:
    """Weighted Mann–Whitney U: sort the goods with their weights, binary-search the bads."""
    order = np.argsort(risk[~is_bad])
    goods = risk[~is_bad][order]
    good_cum = np.concatenate(([0.0], np.cumsum(weight[~is_bad][order])))
    bad_order = np.argsort(risk[is_bad])  # sorted queries make the searches faster
    bads = risk[is_bad][bad_order]
    bad_w = weight[is_bad][bad_order]
    below = good_cum[np.searchsorted(goods, bads, side="left")]
    tied = good_cum[np.searchsorted(goods, bads, side="right")] - below
    return float(np.dot(bad_w, below + 0.5 * tied))


def auc(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
) -> float:
    r"""Area under the ROC curve: the probability that a bad outranks a good.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad (default), 0 = good. Bool and nullable integer
        columns are accepted; missing values are not.
    score : array-like of shape (n,)
        Finite score of the same rows: a PD (``higher="riskier"``) or
        scorecard points (``higher="safer"``).
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means (no default, so the
        direction is always stated).
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.

    Returns
    -------
    float
        AUC in [0, 1]; 0.5 is a random ordering, 1 a perfect one.

    Raises
    ------
    InvalidInputError
        If the inputs are empty or of different lengths (or two Series with
        different indexes), ``y`` is not 0/1, ``score`` is not real numbers or
        has NaN or infinite values, the weights are invalid, ``y`` holds only
        one class, or ``higher`` is not one of the two directions.
    TypeError
        If ``higher`` is not passed (it has no default).

    Notes
    -----
    With risk :math:`r`, bads :math:`B`, goods :math:`G` and weights :math:`w`,

    .. math::

        \mathrm{AUC} = \frac{\sum_{i \in B} \sum_{j \in G} w_i w_j
        \left( [r_i > r_j] + \tfrac12 [r_i = r_j] \right)}
        {\sum_{i \in B} w_i \sum_{j \in G} w_j},

    the Mann–Whitney statistic with ties counted as one half, which equals the
    trapezoidal area under the ROC curve. It is computed in
    :math:`O(n \log n)` by sorting; unweighted sums are exact integers.

    References
    ----------
    .. [1] Hanley, J. A. and McNeil, B. J. (1982). The meaning and use of the
       area under a receiver operating characteristic (ROC) curve.
       *Radiology* 143(1), 29–36.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> y = [0, 0, 1, 1]
    >>> jc.metrics.auc(y, [0.1, 0.4, 0.35, 0.8], higher="riskier")   # PDs
    0.75
    >>> jc.metrics.auc(y, [700, 640, 650, 560], higher="safer")      # points
    0.75
    """
    return auc_value(y, score, higher=higher, sample_weight=sample_weight, func="auc")


def auc_value(
    y: object, score: object, *, higher: object, sample_weight: object, func: str
) -> float:
    """:func:`auc`, with messages naming ``func``."""
    is_bad, risk, weight, n_bad, n_good, _ = prepare(
        y, score, func=func, higher=higher, sample_weight=sample_weight
    )
    if weight is None:
        return _auc_counts(risk, is_bad)
    return _auc_weighted(risk, is_bad, weight) / (n_bad * n_good)


def gini(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
) -> float:
    r"""Gini coefficient (accuracy ratio): ``2 · AUC − 1``.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite risk ordering; see :func:`auc` for ``higher``.
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means (no default, so the
        direction is always stated).
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.

    Returns
    -------
    float
        Gini in [-1, 1]; 0 is random, 1 perfect, negative means the
        ordering is reversed (check ``higher``).

    Raises
    ------
    InvalidInputError
        As :func:`auc`.

    Notes
    -----
    :math:`G = 2\,\mathrm{AUC} - 1`, which equals the accuracy ratio of the
    cumulative accuracy profile (CAP) curve.

    References
    ----------
    .. [1] Basel Committee on Banking Supervision (2005). Studies on the
       validation of internal rating systems. Working Paper No. 14, section 4.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> jc.metrics.gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], higher="riskier")
    0.5
    """
    return 2.0 * auc_value(y, score, higher=higher, sample_weight=sample_weight, func="gini") - 1.0


def ks(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
) -> float:
    r"""Kolmogorov–Smirnov statistic: the largest gap between the score CDFs of bads and goods.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite score or PD.
    higher : {"riskier", "safer"}
        Required, as in :func:`auc`. KS itself does not depend on the
        direction of the score; the direction is stated all the same, so
        that every discrimination call reads alike and a later switch to
        :func:`auc` or :func:`roc_curve` cannot invert silently.
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.

    Returns
    -------
    float
        KS in [0, 1].

    Raises
    ------
    InvalidInputError
        As :func:`auc`.

    Notes
    -----
    .. math::

        \mathrm{KS} = \max_t \left| F_B(t) - F_G(t) \right|, \qquad
        F_B(t) = \frac{\sum_{i \in B,\ s_i \le t} w_i}{\sum_{i \in B} w_i},

    and :math:`F_G` likewise over the goods, evaluated at every distinct score.
    Unweighted, it equals the two-sample KS statistic of the bads' and goods'
    scores.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 11.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> jc.metrics.ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], higher="riskier")
    0.5
    """
    is_bad, risk, weight, n_bad, n_good, _ = prepare(
        y, score, func="ks", higher=higher, sample_weight=sample_weight
    )
    if weight is None:
        # Both CDFs evaluated at every observed value, as the two-sample KS test does.
        bads = np.sort(risk[is_bad])
        goods = np.sort(risk[~is_bad])
        gaps = []
        for at in (bads, goods):
            f_bad = np.searchsorted(bads, at, side="right") / n_bad
            f_good = np.searchsorted(goods, at, side="right") / n_good
            gaps.append(float(np.max(np.abs(f_bad - f_good))))
        return max(gaps)
    _, bad_w, good_w = ascending_groups(risk, is_bad, weight)
    gap = np.cumsum(bad_w) / n_bad - np.cumsum(good_w) / n_good
    return float(np.max(np.abs(gap)))


def roc_curve(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
) -> pd.DataFrame:
    r"""ROC curve: share of bads and goods flagged at every distinct threshold.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite risk ordering; see :func:`auc` for ``higher``.
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means (no default, so the
        direction is always stated).
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.

    Returns
    -------
    pandas.DataFrame
        One row per distinct score plus a first row flagging nobody, with
        columns ``threshold`` (a row is flagged as bad when its score is
        ``>= threshold`` for ``higher="riskier"``, ``<= threshold`` for
        ``"safer"``; the first row's threshold is ``+inf`` or ``-inf``),
        ``fpr`` (share of goods flagged), ``tpr`` (share of bads flagged) and
        ``ks`` (``tpr - fpr``).

    Raises
    ------
    InvalidInputError
        As :func:`auc`.

    Notes
    -----
    :math:`\mathrm{TPR}(t) = \sum_{i \in B,\ r_i \ge t} w_i / \sum_{i \in B} w_i`
    and :math:`\mathrm{FPR}(t)` likewise over the goods, with :math:`r` the risk
    ordering. The trapezoidal area under (FPR, TPR) is :func:`auc`; the
    largest ``ks`` is :func:`ks` when the score ranks in the stated direction.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> jc.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], higher="riskier")
       threshold  fpr  tpr   ks
    0        inf  0.0  0.0  0.0
    1       0.80  0.0  0.5  0.5
    2       0.40  0.5  0.5  0.0
    3       0.35  0.5  1.0  0.5
    4       0.10  1.0  1.0  0.0
    """
    return roc_frame(y, score, higher=higher, sample_weight=sample_weight, func="roc_curve")


def roc_frame(
    y: object, score: object, *, higher: object, sample_weight: object, func: str
) -> pd.DataFrame:
    """:func:`roc_curve`, with messages naming ``func``."""
    is_bad, risk, weight, n_bad, n_good, direction = prepare(
        y, score, func=func, higher=higher, sample_weight=sample_weight
    )
    values, bads, goods = ascending_groups(risk, is_bad, weight)
    tpr = np.concatenate(([0.0], np.cumsum(bads[::-1]) / n_bad))
    fpr = np.concatenate(([0.0], np.cumsum(goods[::-1]) / n_good))
    thresholds = np.concatenate(([np.inf], values[::-1]))
    if direction == "safer":
        thresholds = -thresholds
    return pd.DataFrame({"threshold": thresholds, "fpr": fpr, "tpr": tpr, "ks": tpr - fpr})
