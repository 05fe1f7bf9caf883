"""Calibration: PD against observed default rates, by grade.

The PD argument is named ``pd`` as in the validation literature, so pandas is
imported unaliased here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas
from scipy import special

from jiebei_credit._bands import band_edges, band_index, band_labels
from jiebei_credit._types import Sample, Vector
from jiebei_credit._validation import (
    FloatArray,
    IntArray,
    fail,
    integer,
    offending,
    outcome_and_score,
    probability,
    same_rows,
    show,
    vector,
)
from jiebei_credit.metrics._grade_tests import MAX_COUNT, binomial_test, jeffreys_test


def grade_codes(
    y_len: int, y_index: pandas.Index | None, pd: FloatArray, grades: object, *, func: str
) -> tuple[IntArray, pandas.Index]:
    """Grade of each row (0-based code) and the grades in order."""
    if not isinstance(grades, list | tuple | np.ndarray | pandas.Series | pandas.Index | pandas.Categorical):
        n_grades = integer(grades, func=func, name="grades", low=1,
                           fix="Pass a number of PD quantile grades, or one grade label per row.")
        cuts = band_edges(pd, n_grades)
        codes = band_index(pd, cuts)
        used = np.unique(codes)
        labels = np.asarray(band_labels(cuts), dtype=object)[used]
        remap = np.searchsorted(used, codes).astype(np.int64)
        return remap, pandas.Index(list(labels), name="grade")
    arr, g_index = vector(grades, func=func, name="grades")
    same_rows(func, ("y", y_len, y_index), ("grades", arr.size, g_index))
    series = grades if isinstance(grades, pandas.Series) else pandas.Series(arr, copy=False)
    missing = series.isna().to_numpy()
    if missing.any():
        raise fail(func, "grades", "must not be missing", offending(missing, None, g_index),
                   "Assign every row a grade.")
    try:
        codes, uniques = pandas.factorize(series, sort=True)
    except TypeError:
        raise fail(func, "grades", "must hold labels of one sortable type, e.g. all strings",
                   show(pandas.unique(pandas.Series(arr, dtype=object).astype(str)))) from None
    return codes.astype(np.int64), pandas.Index(np.asarray(uniques), name="grade")


def _grade_totals(
    y: object, pd: object, grades: object, *, func: str
) -> tuple[pandas.Index, IntArray, IntArray, FloatArray, FloatArray]:
    """Validate ``y`` and ``pd``; per grade: labels, count, defaults, expected defaults, mean PD."""
    is_bad, p, _, index = outcome_and_score(y, pd, func=func, score_name="pd", probability=True,
                                            need_both=False)
    codes, labels = grade_codes(is_bad.size, index, p, grades, func=func)
    k = len(labels)
    count = np.bincount(codes, minlength=k).astype(np.int64)
    defaults = np.bincount(codes, weights=is_bad, minlength=k).round().astype(np.int64)
    expected = np.bincount(codes, weights=p, minlength=k).astype(np.float64)
    return labels, count, defaults, expected, np.clip(expected / count, 0.0, 1.0)


def calibration_table(
    y: Vector,
    pd: Vector,
    *,
    grades: int | Sample = 10,
    level: float = 0.95,
) -> pandas.DataFrame:
    r"""Observed default rate against PD per grade, with binomial and Jeffreys tests.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = default (bad), 0 = good.
    pd : array-like of shape (n,)
        Predicted probability of default per row, in [0, 1].
    grades : int or array-like of shape (n,), default 10
        An integer makes that many grades of about equal count from quantiles
        of ``pd``; an array gives each row's grade label (a rating grade, a
        score band). Grades are listed in sorted order (category order for a
        categorical).
    level : float, default 0.95
        Coverage of the Jeffreys interval of the default rate.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``grade``, with columns ``count``, ``defaults``,
        ``default_rate``, ``pd_mean`` (the grade's PD: the mean PD of its
        rows), ``expected_defaults`` (sum of PDs), ``binomial_p`` and
        ``jeffreys_p`` (one-sided, small = PD too low), ``ci_lower`` and
        ``ci_upper`` (Jeffreys interval).

    Raises
    ------
    InvalidInputError
        If ``y`` is not 0/1, ``pd`` is outside [0, 1] or NaN, lengths or
        indexes differ, ``grades`` is neither a positive integer nor one label
        per row, grades are missing or unsortable, or ``level`` is not a number
        in (0, 1).

    Notes
    -----
    For grade :math:`g` with :math:`N_g` rows, :math:`D_g` defaults and PD
    :math:`\bar p_g`: ``binomial_p`` is :func:`binomial_test`
    :math:`(D_g, N_g, \bar p_g)`, ``jeffreys_p`` is :func:`jeffreys_test`, and
    the interval is the :math:`(1 \mp \text{level})/2` quantiles of
    :math:`\mathrm{Beta}(D_g + \tfrac12, N_g - D_g + \tfrac12)`, with the lower
    end 0 when :math:`D_g = 0` and the upper end 1 when :math:`D_g = N_g`.

    References
    ----------
    .. [1] Basel Committee on Banking Supervision (2005). Studies on the
       validation of internal rating systems. Working Paper No. 14.
    .. [2] European Central Bank (2019). Instructions for reporting the
       validation results of internal models.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> y = [0, 0, 0, 1, 0, 1, 1, 0]
    >>> pd_ = [0.1, 0.1, 0.1, 0.1, 0.4, 0.4, 0.4, 0.4]
    >>> t = jc.metrics.calibration_table(y, pd_, grades=["A"] * 4 + ["B"] * 4)
    >>> t[["count", "defaults", "default_rate", "pd_mean", "binomial_p"]].round(4)
           count  defaults  default_rate  pd_mean  binomial_p
    grade
    A          4         1          0.25      0.1      0.3439
    B          4         2          0.50      0.4      0.5248
    """
    func = "calibration_table"
    level = probability(level, func=func, name="level", low_open=True, high_open=True,
                        fix="E.g. level=0.95 for a 95 % interval.")
    labels, count, defaults, expected, pd_mean = _grade_totals(y, pd, grades, func=func)
    a, b = defaults + 0.5, count - defaults + 0.5
    lower = np.where(defaults == 0, 0.0, special.betaincinv(a, b, (1.0 - level) / 2.0))
    upper = np.where(defaults == count, 1.0, special.betaincinv(a, b, (1.0 + level) / 2.0))
    return pandas.DataFrame(
        {
            "count": count,
            "defaults": defaults,
            "default_rate": defaults / count,
            "pd_mean": pd_mean,
            "expected_defaults": expected,
            "binomial_p": binomial_test(defaults, count, pd_mean),
            "jeffreys_p": jeffreys_test(defaults, count, pd_mean),
            "ci_lower": lower,
            "ci_upper": upper,
        },
        index=labels,
    )


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class HosmerLemeshowResult:
    r"""Result of :func:`hosmer_lemeshow`.

    Parameters
    ----------
    statistic : float
        The Hosmer–Lemeshow :math:`\chi^2` statistic.
    dof : int
        Degrees of freedom used.
    p_value : float
        :math:`P(\chi^2_{\mathrm{dof}} \ge \text{statistic})`.
    table : pandas.DataFrame
        Per grade: ``count``, ``defaults``, ``pd_mean``,
        ``expected_defaults`` and ``contribution`` to the statistic.
    """

    statistic: float
    dof: int
    p_value: float
    table: pandas.DataFrame


def hosmer_lemeshow(
    y: Vector,
    pd: Vector,
    *,
    grades: int | Sample = 10,
    dof: int | None = None,
) -> HosmerLemeshowResult:
    r"""Hosmer–Lemeshow test of a PD model's calibration over all grades at once.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = default, 0 = good.
    pd : array-like of shape (n,)
        Predicted PD per row, in [0, 1].
    grades : int or array-like of shape (n,), default 10
        As in :func:`calibration_table` (10 = deciles of PD).
    dof : int, optional
        Degrees of freedom. Default: the number of grades :math:`G`, right for
        validation on data the model was not fitted on (BCBS WP 14). Use
        :math:`G - 2` on the development sample.

    Returns
    -------
    HosmerLemeshowResult
        Statistic, degrees of freedom, p-value and the per-grade table.

    Raises
    ------
    InvalidInputError
        As :func:`calibration_table`; also when a grade's PD is 0 or 1 (its
        term is undefined: merge it with a neighbour) or ``dof`` is not an
        integer in :math:`[1, 2^{53}]`.

    Notes
    -----
    .. math::

        \mathrm{HL} = \sum_{g=1}^{G} \frac{(N_g \bar p_g - D_g)^2}
        {N_g \bar p_g (1 - \bar p_g)} \ \sim\ \chi^2_{G}

    under :math:`H_0` (the PDs are right and defaults independent), as the
    grade sizes grow. Large values reject the calibration.

    References
    ----------
    .. [1] Basel Committee on Banking Supervision (2005). Studies on the
       validation of internal rating systems. Working Paper No. 14, section 5.
    .. [2] Hosmer, D. W. and Lemeshow, S. (2000). *Applied Logistic
       Regression*, 2nd ed., Wiley.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> y = [0, 0, 0, 1, 0, 1, 1, 0]
    >>> pd_ = [0.1, 0.1, 0.1, 0.1, 0.4, 0.4, 0.4, 0.4]
    >>> r = jc.metrics.hosmer_lemeshow(y, pd_, grades=["A"] * 4 + ["B"] * 4)
    >>> round(r.statistic, 4), r.dof, round(r.p_value, 4)
    (1.1667, 2, 0.558)
    """
    func = "hosmer_lemeshow"
    labels, count, defaults, expected, p = _grade_totals(y, pd, grades, func=func)
    n = count.astype(np.float64)
    d = defaults.astype(np.float64)
    k = len(labels) if dof is None else integer(dof, func=func, name="dof", low=1, high=MAX_COUNT)
    degenerate = (p <= 0.0) | (p >= 1.0)
    if degenerate.any():
        raise fail(func, "pd", "must not average 0 or 1 over a grade (the statistic is undefined there)",
                   f"grades {show(list(labels[degenerate]), int(degenerate.sum()))} with PD 0 or 1",
                   "Merge them with a neighbouring grade.")
    with np.errstate(over="ignore"):  # a grade PD near 0 or 1 with defaults: the term is +inf
        contribution = (n * p - d) ** 2 / (n * p * (1.0 - p))
    statistic = float(contribution.sum())
    out = pandas.DataFrame(
        {"count": count, "defaults": defaults, "pd_mean": p, "expected_defaults": expected,
         "contribution": contribution},
        index=labels,
    )
    return HosmerLemeshowResult(
        statistic=statistic, dof=k, p_value=float(special.chdtrc(k, statistic)), table=out
    )


def brier_score(y: Vector, pd: Vector, *, sample_weight: Vector | None = None) -> float:
    r"""Brier score: mean squared difference between PD and outcome.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = default, 0 = good.
    pd : array-like of shape (n,)
        Predicted PD per row, in [0, 1].
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.

    Returns
    -------
    float
        Brier score in [0, 1]; lower is better.

    Raises
    ------
    InvalidInputError
        If ``y`` is not 0/1, ``pd`` is outside [0, 1] or NaN, lengths or
        indexes differ or the weights are invalid.

    Notes
    -----
    .. math:: \mathrm{BS} = \frac{\sum_i w_i (\hat p_i - y_i)^2}{\sum_i w_i}.

    References
    ----------
    .. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms
       of probability. *Monthly Weather Review* 78(1), 1–3.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> jc.metrics.brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
    0.0375
    """
    func = "brier_score"
    is_bad, p, w, _ = outcome_and_score(y, pd, func=func, score_name="pd", probability=True,
                                        sample_weight=sample_weight, need_both=False)
    sq = (p - is_bad) ** 2
    if w is None:
        return float(sq.mean())
    unit = w / w.max()  # scale-free: no overflow for huge weights, no 0/0 for subnormal ones
    return float(np.dot(unit, sq) / unit.sum())

