"""Gains table: bad capture, lift and KS by score band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jiebei_credit._bands import band_edges, band_index, band_labels
from jiebei_credit._ranking import Higher, check_higher
from jiebei_credit._types import Vector
from jiebei_credit._validation import FloatArray, both_classes, cut_points, integer, outcome_and_score


def score_edges(s: FloatArray, bins: object, edges: object, *, func: str) -> FloatArray:
    """Interior cut points: the user's ``edges`` if given, else quantile cuts of ``s``."""
    if edges is not None:
        return cut_points(edges, func=func)
    return band_edges(s, integer(bins, func=func, name="bins", low=1))


def gains_table(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    bins: int = 10,
    edges: Vector | None = None,
) -> pd.DataFrame:
    r"""The gains table: per score band count, bads, bad rate, cumulative capture, lift and KS.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite score or PD of the same rows.
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means (``"riskier"`` for a PD,
        ``"safer"`` for scorecard points). Rows run from the riskiest band to
        the safest, so the cumulative columns answer "what if we decline every
        band down to this one".
    bins : int, default 10
        Number of bands of about equal count (quantiles of ``score``). Ties
        can merge bands, giving fewer (never more bands than rows). Not used
        when ``edges`` is given.
    edges : array-like of float, optional
        Strictly increasing, finite interior cut points; the bands are
        ``[-inf, e_1), [e_1, e_2), …, [e_k, inf)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``band`` (``"[lower, upper)"``), riskiest first, with
        columns ``lower``, ``upper``, ``score_min``, ``score_max``, ``count``,
        ``bads``, ``goods``, ``bad_rate``, ``cum_count_share``, ``cum_bads``,
        ``cum_bad_share`` (bad capture), ``cum_good_share``, ``cum_bad_rate``,
        ``lift``, ``cum_lift`` and ``ks``. A band with no rows (possible only
        with ``edges``) has count 0 and NaN bad rate, score range and lift.

    Raises
    ------
    InvalidInputError
        If the inputs are invalid (see :func:`auc`), ``y`` has a single class,
        ``bins`` is not a positive integer or ``edges`` is not strictly
        increasing and finite.
    TypeError
        If ``higher`` is not passed (it has no default).

    Notes
    -----
    With bands ordered riskiest first, :math:`n_k` rows and :math:`b_k` bads in
    band :math:`k`, :math:`B` bads, :math:`G` goods and :math:`N` rows in all:
    ``bad_rate`` :math:`= b_k / n_k`, ``cum_bad_share``
    :math:`= \sum_{j \le k} b_j / B`, ``lift`` :math:`= (b_k / n_k) / (B / N)`,
    ``cum_lift`` :math:`= (\sum_{j \le k} b_j / \sum_{j \le k} n_j) / (B / N)`
    and ``ks`` :math:`= |\mathrm{cum\_bad\_share} - \mathrm{cum\_good\_share}|`.
    The largest ``ks`` is at most :func:`ks` (it is evaluated at band edges
    only).

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 11 (gains tables).

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> y = [1, 1, 0, 1, 0, 0, 0, 0]
    >>> score = [520, 540, 560, 580, 600, 620, 640, 660]
    >>> t = jc.metrics.gains_table(y, score, edges=[560, 620], higher="safer")
    >>> t[["count", "bads", "bad_rate", "cum_bad_share", "lift", "ks"]]
                 count  bads  bad_rate  cum_bad_share      lift        ks
    band
    [-inf, 560)      2     2  1.000000       0.666667  2.666667  0.666667
    [560, 620)       3     1  0.333333       1.000000  0.888889  0.600000
    [620, inf)       3     0  0.000000       1.000000  0.000000  0.000000
    """
    func = "gains_table"
    direction = check_higher(higher, func=func)
    is_bad, s, _, _ = outcome_and_score(y, score, func=func, need_both=False)
    n_bad, n_good = both_classes(is_bad, func=func)
    cuts = score_edges(s, bins, edges, func=func)
    band = band_index(s, cuts)
    k = cuts.size + 1
    count = np.bincount(band, minlength=k).astype(np.int64)
    bads = np.bincount(band, weights=is_bad, minlength=k).round().astype(np.int64)
    extremes = pd.Series(s).groupby(band).agg(["min", "max"]).reindex(range(k))
    lower = np.concatenate(([-np.inf], cuts))
    upper = np.concatenate((cuts, [np.inf]))
    labels = band_labels(cuts)
    order = np.arange(k)[::-1] if direction == "riskier" else np.arange(k)

    count, bads = count[order], bads[order]
    goods = count - bads
    n = float(s.size)
    overall = n_bad / n
    with np.errstate(invalid="ignore", divide="ignore"):
        bad_rate = np.where(count > 0, bads / np.maximum(count, 1), np.nan)
        cum_count = np.cumsum(count)
        cum_bads = np.cumsum(bads)
        cum_bad_rate = np.where(cum_count > 0, cum_bads / np.maximum(cum_count, 1), np.nan)
    cum_bad_share = cum_bads / n_bad
    cum_good_share = np.cumsum(goods) / n_good
    table = pd.DataFrame(
        {
            "lower": lower[order],
            "upper": upper[order],
            "score_min": extremes["min"].to_numpy(dtype=np.float64)[order],
            "score_max": extremes["max"].to_numpy(dtype=np.float64)[order],
            "count": count,
            "bads": bads,
            "goods": goods,
            "bad_rate": bad_rate,
            "cum_count_share": cum_count / n,
            "cum_bads": cum_bads,
            "cum_bad_share": cum_bad_share,
            "cum_good_share": cum_good_share,
            "cum_bad_rate": cum_bad_rate,
            "lift": bad_rate / overall,
            "cum_lift": cum_bad_rate / overall,
            "ks": np.abs(cum_bad_share - cum_good_share),
        },
        index=pd.Index([labels[i] for i in order], name="band"),
    )
    return table
