"""Population and characteristic stability: PSI and CSI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.metrics._binned import BinningLike, Missing, bin_samples
from jiebei_credit.metrics._validate import IntArray, check_float

Status = Literal["green", "amber", "red"]
#: PSI traffic-light cut-offs: < 0.1 stable, 0.1–0.25 investigate, > 0.25 major shift.
PSI_THRESHOLDS: tuple[float, float] = (0.1, 0.25)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PSIResult:
    """Population stability index of one variable, with its bin table.

    Attributes
    ----------
    value : float
        The PSI (smoothed), >= 0.
    status : {"green", "amber", "red"}
        Traffic light: green = stable (PSI < 0.1), amber = investigate
        (0.1 <= PSI <= 0.25), red = major shift (PSI > 0.25), with the
        cut-offs passed to :func:`psi`.
    table : pandas.DataFrame
        One row per bin (index ``bin``), none dropped, with columns
        ``expected_count``, ``actual_count``, ``expected_share``,
        ``actual_share`` (raw shares), ``psi`` (the bin's contribution, from
        the smoothed shares) and ``empty`` (True when the bin is empty in
        either sample, e.g. a category unseen in the reference).
    empty_bins : tuple of str
        Labels of the bins flagged ``empty``.
    """

    value: float
    status: Status
    table: pd.DataFrame
    empty_bins: tuple[str, ...]


def psi_status(value: float, *, thresholds: tuple[float, float] = PSI_THRESHOLDS) -> Status:
    """Traffic light of a PSI or CSI value.

    Parameters
    ----------
    value : float
        PSI or CSI, >= 0.
    thresholds : tuple of two floats, default (0.1, 0.25)
        ``(amber, red)``: green below ``amber``, red above ``red``, amber in
        between (both ends included).

    Returns
    -------
    {"green", "amber", "red"}

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> [jc.metrics.psi_status(v) for v in (0.05, 0.1, 0.25, 0.3)]
    ['green', 'amber', 'amber', 'red']
    """
    amber, red = check_thresholds(thresholds, func="psi_status")
    if value > red:
        return "red"
    return "amber" if value >= amber else "green"


def check_thresholds(thresholds: object, *, func: str) -> tuple[float, float]:
    """``(amber, red)`` with ``0 <= amber <= red``, both finite."""
    if isinstance(thresholds, tuple | list) and len(thresholds) == 2:
        try:
            amber, red = float(thresholds[0]), float(thresholds[1])
        except (TypeError, ValueError):
            pass
        else:
            if np.isfinite(amber) and np.isfinite(red) and 0.0 <= amber <= red:
                return amber, red
    raise InvalidInputError(
        f"{func}: thresholds must be a pair (amber, red) with 0 <= amber <= red; got "
        f"{thresholds!r}. The usual PSI cut-offs are (0.1, 0.25)."
    )


def psi_from_counts(
    expected_count: IntArray,
    actual_count: IntArray,
    labels: Sequence[str],
    *,
    smoothing: float,
    thresholds: tuple[float, float],
    func: str,
) -> PSIResult:
    """PSI of two count vectors over the same bins (the shared core of psi and csi)."""
    smoothing = check_float(smoothing, func=func, name="smoothing", low=0.0, high=np.inf)
    amber_red = check_thresholds(thresholds, func=func)
    e = expected_count.astype(np.float64)
    a = actual_count.astype(np.float64)
    empty = (e == 0.0) | (a == 0.0)
    one_sided = (e == 0.0) != (a == 0.0)
    if smoothing == 0.0 and one_sided.any():
        raise InvalidInputError(
            f"{func}: bins {[labels[int(i)] for i in np.flatnonzero(one_sided)][:5]} are empty in one "
            "sample only, so the unsmoothed PSI is infinite; pass smoothing > 0 (default 0.5)."
        )
    k = e.size
    es = (e + smoothing) / (e.sum() + k * smoothing)
    as_ = (a + smoothing) / (a.sum() + k * smoothing)
    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = np.where((es == 0.0) & (as_ == 0.0), 0.0, (as_ - es) * np.log(as_ / es))
    value = float(contribution.sum())
    table = pd.DataFrame(
        {
            "expected_count": expected_count.astype(np.int64),
            "actual_count": actual_count.astype(np.int64),
            "expected_share": e / e.sum(),
            "actual_share": a / a.sum(),
            "psi": contribution,
            "empty": empty,
        },
        index=pd.Index(list(labels), name="bin"),
    )
    empty_bins = tuple(str(labels[int(i)]) for i in np.flatnonzero(empty))
    status = psi_status(value, thresholds=amber_red)
    return PSIResult(value=value, status=status, table=table, empty_bins=empty_bins)


def psi(
    expected: object,
    actual: object,
    *,
    bins: int = 10,
    edges: object = None,
    binning: BinningLike | None = None,
    missing: Missing = "raise",
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = PSI_THRESHOLDS,
) -> PSIResult:
    r"""Population stability index between a reference and a current sample.

    Parameters
    ----------
    expected : array-like of shape (n,)
        Reference sample (e.g. development scores).
    actual : array-like of shape (m,)
        Current sample of the same variable.
    bins : int, default 10
        For numeric input: number of bins, cut at quantiles of ``expected``
        (left-closed; ties can merge bins). Not used with ``edges`` or
        ``binning``.
    edges : array-like of float, optional
        Strictly increasing interior cut points for numeric input.
    binning : BinningLike, optional
        A fitted binning (e.g. :class:`jiebei_credit.scorecard.Binning`): its
        bins are used as they are, including its missing and special bins.
    missing : {"raise", "bin"}, default "raise"
        Missing values raise, or are counted in a separate ``"missing"`` bin
        (added when either sample has one). Not used with ``binning``.
    smoothing : float, default 0.5
        Added to every bin's count in both samples before taking shares, so
        bins empty in one sample give a finite PSI. ``0`` gives the textbook
        PSI and raises if a bin is empty in one sample only.
    thresholds : tuple of two floats, default (0.1, 0.25)
        Traffic-light cut-offs, see :func:`psi_status`.

    Returns
    -------
    PSIResult
        Value, traffic-light status and the per-bin table. Bins empty in
        either sample (e.g. categories unseen in the reference) are kept,
        smoothed and listed in ``empty_bins``.

    Raises
    ------
    InvalidInputError
        If a sample is empty, has NaN with ``missing="raise"``, ``edges`` is
        not strictly increasing or the parameters are out of range.

    Notes
    -----
    With :math:`e_i, a_i` the counts in bin :math:`i` of :math:`k`, smoothing
    :math:`\alpha`, and shares
    :math:`p_i = (e_i + \alpha) / (\sum_j e_j + k\alpha)` and
    :math:`q_i = (a_i + \alpha) / (\sum_j a_j + k\alpha)`,

    .. math:: \mathrm{PSI} = \sum_i (q_i - p_i) \ln(q_i / p_i) \ge 0.

    Each term is non-negative, and PSI is 0 when the two samples have the same
    counts. Non-numeric input (strings, categories, booleans) uses one bin per
    category, reference categories first. Usual reading: < 0.1 stable,
    0.1–0.25 investigate, > 0.25 major shift.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 14 (system stability report).
    .. [2] Yurdakul, B. (2018). Statistical properties of population stability
       index. PhD thesis, Western Michigan University.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> r = jc.metrics.psi([1, 2, 3, 4], [1, 1, 2, 4], edges=[2, 3], smoothing=0)
    >>> round(r.value, 4), r.status
    (0.3466, 'red')
    >>> r.table[["expected_count", "actual_count", "psi"]]
               expected_count  actual_count       psi
    bin
    [-inf, 2)               1             2  0.173287
    [2, 3)                  1             1  0.000000
    [3, inf)                2             1  0.173287
    """
    func = "psi"
    e_count, a_count, labels, _ = bin_samples(
        expected, actual, bins=bins, edges=edges, binning=binning, missing=missing, func=func
    )
    return psi_from_counts(
        e_count,
        a_count,
        labels,
        smoothing=smoothing,
        thresholds=thresholds,
        func=func,
    )


def csi(
    expected: pd.DataFrame,
    actual: pd.DataFrame,
    *,
    features: Sequence[str] | None = None,
    binnings: Mapping[str, BinningLike] | None = None,
    bins: int = 10,
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = PSI_THRESHOLDS,
) -> pd.DataFrame:
    r"""Characteristic stability index of each feature: PSI over the feature's bins.

    Parameters
    ----------
    expected, actual : pandas.DataFrame
        Reference and current feature tables (one row per observation).
    features : sequence of str, optional
        Columns to check; default all columns of ``expected``.
    binnings : mapping of str to BinningLike, optional
        Fitted binnings by feature (e.g. a scorecard's ``binnings_``). A
        feature with a binning uses its bins; others use ``bins`` quantile
        bins of the reference (numeric) or one bin per category, each with a
        ``"missing"`` bin when values are missing.
    bins : int, default 10
        Quantile bins for numeric features without a binning.
    smoothing : float, default 0.5
        As in :func:`psi`.
    thresholds : tuple of two floats, default (0.1, 0.25)
        Traffic-light cut-offs, see :func:`psi_status`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``feature``, with columns ``csi``, ``status``, ``bins``
        (number of bins), ``empty_bins`` (how many were empty in a sample and
        smoothed) and ``method`` (``"binning"``, ``"quantile"`` or
        ``"category"``). Per-bin detail: ``psi(expected[f], actual[f], ...)``.

    Raises
    ------
    SchemaError
        If a feature is missing from either table.
    InvalidInputError
        If the inputs are not DataFrames or a parameter is out of range.

    Notes
    -----
    The CSI of a characteristic is its PSI (see :func:`psi`) over its
    attributes (bins). Siddiqi's characteristic analysis also weighs each
    bin's shift by its score points; the PSI form used here does not need a
    model and is read with the same thresholds.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 14 (characteristic analysis).

    Examples
    --------
    >>> import pandas as pd
    >>> import jiebei_credit as jc
    >>> ref = pd.DataFrame({"util_now": [0.1, 0.2, 0.5, 0.9], "region": list("aabb")})
    >>> cur = pd.DataFrame({"util_now": [0.1, 0.6, 0.8, 0.9], "region": list("abbc")})
    >>> jc.metrics.csi(ref, cur, bins=2)[["csi", "status", "bins", "empty_bins", "method"]]
                   csi status  bins  empty_bins    method
    feature
    util_now  0.169460  amber     2           0  quantile
    region    0.292625    red     3           1  category
    """
    func = "csi"
    for name, frame in (("expected", expected), ("actual", actual)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidInputError(
                f"{func}: {name} must be a DataFrame of features; got {type(frame).__name__}."
            )
    names = list(expected.columns) if features is None else list(features)
    problems = [
        Problem(table=table, column=f, row=None, value=None, rule="missing feature column")
        for table, frame in (("expected", expected), ("actual", actual))
        for f in names
        if f not in frame.columns
    ]
    if problems:
        raise SchemaError(problems, context=func)
    binnings = {} if binnings is None else binnings
    rows = []
    for f in names:
        e_count, a_count, labels, method = bin_samples(
            expected[f], actual[f], bins=bins, edges=None, binning=binnings.get(f),
            missing="bin", func=func,
        )
        result = psi_from_counts(
            e_count,
            a_count,
            labels,
            smoothing=smoothing,
            thresholds=thresholds,
            func=func,
        )
        rows.append((result.value, result.status, len(labels), len(result.empty_bins), method))
    return pd.DataFrame(
        rows,
        columns=["csi", "status", "bins", "empty_bins", "method"],
        index=pd.Index(names, name="feature"),
    )
