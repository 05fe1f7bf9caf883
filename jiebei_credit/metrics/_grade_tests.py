"""Per-grade tests of a PD against observed defaults: exact binomial and Jeffreys.

The PD argument is named ``pd`` as in the validation literature.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas
from scipy import special

from jiebei_credit._types import Vector
from jiebei_credit._validation import FloatArray, choice, fail, float_vector, offending, real

Alternative = Literal["greater", "less"]
#: Allowed values of ``alternative``.
ALTERNATIVES: tuple[Alternative, ...] = ("greater", "less")
#: Largest count accepted: every whole number up to it is exact in a float.
MAX_COUNT = 2**53


def _one(value: Any, *, func: str, name: str) -> tuple[FloatArray, bool]:
    """A scalar or a 1-D array of finite reals, and whether it was a scalar."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, list | tuple | np.ndarray | pandas.Series | pandas.Index):
        return np.array([real(value, func=func, name=name)]), True
    arr, _ = float_vector(value, func=func, name=name)
    return arr, False


def _grade_counts(
    defaults: object, count: object, pd: object, *, func: str
) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    """Validate and broadcast per-grade defaults, counts and PDs."""
    parts = [_one(v, func=func, name=n) for n, v in (("defaults", defaults), ("count", count), ("pd", pd))]
    scalar = all(is_scalar for _, is_scalar in parts)
    arrays = [a for a, _ in parts]
    sizes = {a.size for a in arrays} - {1}
    if len(sizes) > 1:
        raise fail(func, "defaults, count and pd", "must have the same length (or be scalars)",
                   "lengths " + ", ".join(str(a.size) for a in arrays))
    d, n, p = np.broadcast_arrays(*arrays)
    for name, arr, low in (("defaults", d, 0.0), ("count", n, 1.0)):
        bad = (arr != np.round(arr)) | (arr < low) | (arr > MAX_COUNT)
        if bad.any():
            raise fail(func, name, f"must hold whole numbers in [{low:g}, 2**53]", offending(bad, arr))
    over = d > n
    if over.any():
        raise fail(func, "defaults", "must not exceed count (a grade cannot have more defaults than "
                   "obligors)", offending(over, d))
    outside = (p < 0.0) | (p > 1.0)
    if outside.any():
        raise fail(func, "pd", "must lie in [0, 1]", offending(outside, p), "Pass PDs, not percentages.")
    return d, n, p, scalar


def _out(values: FloatArray, scalar: bool) -> float | FloatArray:
    return float(values[0]) if scalar else values


def binomial_test(
    defaults: int | Vector,
    count: int | Vector,
    pd: float | Vector,
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
        If a value is not a real number (bools, strings, complex numbers and
        NaN are refused), counts are not whole numbers up to :math:`2^{53}`,
        :math:`D > N`, :math:`N < 1`, a PD is outside [0, 1] or the lengths
        differ.

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
    side: Alternative = choice(alternative, ALTERNATIVES, func=func, name="alternative")
    d, n, p, scalar = _grade_counts(defaults, count, pd, func=func)
    if side == "greater":
        values = special.bdtrc(d.astype(np.int64) - 1, n.astype(np.int64), p)  # P(X > D - 1)
    else:
        values = special.bdtr(d.astype(np.int64), n.astype(np.int64), p)  # P(X <= D)
    return _out(np.asarray(values, dtype=np.float64), scalar)


def jeffreys_test(defaults: int | Vector, count: int | Vector, pd: float | Vector) -> float | FloatArray:
    r"""The Jeffreys test of a grade's PD (ECB 2019): posterior probability that PD is not too low.

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
