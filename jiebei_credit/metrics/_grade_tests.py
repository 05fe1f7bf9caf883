"""Per-grade tests of a PD against observed defaults: exact binomial and Jeffreys.

The PD argument is named ``pd`` as in the validation literature.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.metrics._validate import FloatArray, as_float, one_of, some_values, where

Alternative = Literal["greater", "less"]
#: Allowed values of ``alternative``.
ALTERNATIVES: tuple[Alternative, ...] = ("greater", "less")


def _grade_counts(
    defaults: object, count: object, pd: object, *, func: str
) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    """Validate and broadcast per-grade defaults, counts and PDs."""
    raw = [np.asarray(v) for v in (defaults, count, pd)]
    scalar = all(r.ndim == 0 for r in raw)
    arrays = []
    for name, value in zip(("defaults", "count", "pd"), raw, strict=True):
        arr, _ = as_float(np.atleast_1d(value), func=func, name=name)
        if np.isnan(arr).any() or np.isinf(arr).any():
            raise InvalidInputError(f"{func}: {name} must be finite; got {some_values(arr)}.")
        arrays.append(arr)
    try:
        d, n, p = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = [a.shape for a in arrays]
        raise InvalidInputError(
            f"{func}: defaults, count and pd must have the same length (or be scalars); got "
            f"shapes {shapes}."
        ) from None
    for name, arr, low in (("defaults", d, 0.0), ("count", n, 1.0)):
        bad = (arr != np.round(arr)) | (arr < low)
        if bad.any():
            raise InvalidInputError(
                f"{func}: {name} must be whole numbers >= {low:g}; found {some_values(arr[bad])} "
                f"at {where(bad, None)}."
            )
    over = d > n
    if over.any():
        raise InvalidInputError(
            f"{func}: defaults exceed count at {where(over, None)}; a grade cannot have more "
            "defaults than obligors."
        )
    outside = (p < 0.0) | (p > 1.0)
    if outside.any():
        raise InvalidInputError(
            f"{func}: pd must be a probability in [0, 1]; found {some_values(p[outside])} at "
            f"{where(outside, None)}."
        )
    return d, n, p, scalar


def _out(values: FloatArray, scalar: bool) -> float | FloatArray:
    return float(values[0]) if scalar else values


def binomial_test(
    defaults: object,
    count: object,
    pd: object,
    *,
    alternative: Alternative = "greater",
) -> float | FloatArray:
    r"""One-sided exact binomial test of a grade's PD against its observed defaults.

    Parameters
    ----------
    defaults : int or array-like of int
        Observed defaults :math:`D` per grade.
    count : int or array-like of int
        Obligors :math:`N` per grade, :math:`N \ge 1`, :math:`D \le N`.
    pd : float or array-like of float
        The grade's PD in [0, 1].
    alternative : {"greater", "less"}, default "greater"
        ``"greater"`` tests for underestimation (more defaults than the PD
        implies, the conservative regulatory question); ``"less"`` for
        overestimation.

    Returns
    -------
    float or ndarray of float
        The p-value per grade: a float when all inputs are scalars, else an
        array of the broadcast shape.

    Raises
    ------
    InvalidInputError
        If counts are not whole numbers, :math:`D > N`, :math:`N < 1`, a PD
        is outside [0, 1] or the shapes do not broadcast.

    Notes
    -----
    Under :math:`H_0` the defaults are independent with probability PD, so
    :math:`D \sim \mathrm{Bin}(N, \mathrm{PD})` and

    .. math::

        p_{\text{greater}} = P(X \ge D) = \sum_{k=D}^{N} \binom{N}{k}
        \mathrm{PD}^k (1-\mathrm{PD})^{N-k}, \qquad
        p_{\text{less}} = P(X \le D).

    Default correlation makes the test too strict (it rejects too often);
    BCBS WP 14 discusses the correction.

    References
    ----------
    .. [1] Basel Committee on Banking Supervision (2005). Studies on the
       validation of internal rating systems. Working Paper No. 14, section 5.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> round(jc.metrics.binomial_test(5, 100, 0.02), 4)
    0.0508
    >>> jc.metrics.binomial_test([0, 5], [100, 100], 0.02).round(4)
    array([1.    , 0.0508])
    """
    func = "binomial_test"
    one_of(func, "alternative", alternative, ALTERNATIVES)
    d, n, p, scalar = _grade_counts(defaults, count, pd, func=func)
    if alternative == "greater":
        values = special.bdtrc(d.astype(np.int64) - 1, n.astype(np.int64), p)  # P(X > D - 1)
    else:
        values = special.bdtr(d.astype(np.int64), n.astype(np.int64), p)  # P(X <= D)
    return _out(np.asarray(values, dtype=np.float64), scalar)


def jeffreys_test(defaults: object, count: object, pd: object) -> float | FloatArray:
    r"""Jeffreys test of a grade's PD (ECB 2019): posterior probability that PD is not too low.

    Parameters
    ----------
    defaults : int or array-like of int
        Observed defaults :math:`D` per grade.
    count : int or array-like of int
        Obligors :math:`N` per grade, :math:`N \ge 1`, :math:`D \le N`.
    pd : float or array-like of float
        The grade's PD in [0, 1].

    Returns
    -------
    float or ndarray of float
        One-sided p-value per grade (small = PD underestimated): a float when
        all inputs are scalars, else an array.

    Raises
    ------
    InvalidInputError
        As :func:`binomial_test`.

    Notes
    -----
    With the Jeffreys prior :math:`\mathrm{Beta}(\tfrac12, \tfrac12)` the
    posterior of the default rate is
    :math:`\mathrm{Beta}(D + \tfrac12,\ N - D + \tfrac12)` and

    .. math:: p = F_{\mathrm{Beta}(D + 1/2,\ N - D + 1/2)}(\mathrm{PD}),

    the posterior probability that the true default rate is at most the PD.

    References
    ----------
    .. [1] European Central Bank (2019). Instructions for reporting the
       validation results of internal models: IRB Pillar I models for credit
       risk, section 2.5.3.1 (Jeffreys test).
    .. [2] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval
       estimation for a binomial proportion. *Statistical Science* 16(2).

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> round(jc.metrics.jeffreys_test(5, 100, 0.02), 4)
    0.0286
    """
    d, n, p, scalar = _grade_counts(defaults, count, pd, func="jeffreys_test")
    values = special.betainc(d + 0.5, n - d + 0.5, p)  # regularised incomplete beta = Beta CDF
    return _out(np.asarray(values, dtype=np.float64), scalar)
