"""Population and characteristic stability: PSI and CSI."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from jiebei_credit._lights import Status, index_light, index_thresholds
from jiebei_credit._psi import Missing, bin_samples, binning_parts, check_smoothing, psi_parts
from jiebei_credit._types import Sample, Vector
from jiebei_credit._validation import IntArray, as_frame, fail, integer, listlike, mapping
from jiebei_credit.errors import Problem, SchemaError
from jiebei_credit.metrics._binned import BinningLike

#: PSI traffic-light cut-offs: < 0.1 stable, 0.1–0.25 investigate, > 0.25 major shift.
PSI_THRESHOLDS: tuple[float, float] = (0.1, 0.25)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PSIResult:
    """Population stability index of one variable, with its bin table.

    Parameters
    ----------
    value : float
        The PSI (smoothed), >= 0.
    status : {"green", "amber", "red", "insufficient"}
        Traffic light: green = stable (PSI < 0.1), amber = investigate
        (0.1 <= PSI <= 0.25), red = major shift (PSI > 0.25), with the
        cut-offs passed to :func:`psi`. :func:`psi` always has the data to
        grade its value; ``"insufficient"`` (see :func:`psi_status`) appears
        only in results built elsewhere from a NaN value.
    table : pandas.DataFrame
        One row per bin (index ``bin``), none dropped, with columns
        ``reference_count``, ``current_count``, ``reference_share``,
        ``current_share`` (raw shares), ``psi`` (the bin's contribution, from
        the smoothed shares) and ``empty`` (True when the bin is empty in
        either sample, e.g. a category unseen in the reference).
    empty_bins : tuple of str
        Labels of the bins flagged ``empty``.
    """

    value: float
    status: Status
    table: pd.DataFrame
    empty_bins: tuple[str, ...]

    def _repr_html_(self) -> str:
        """Notebook display: the PSI, its traffic light and the bin table."""
        from jiebei_credit._html import render

        # a result built by hand may hold anything: show what is there, never fail to display
        table = self.table if isinstance(self.table, pd.DataFrame) else None
        rows = [("PSI", self.value), ("status", self.status),
                ("bins", "?" if table is None else len(table)),
                ("empty bins", ", ".join(map(str, self.empty_bins)) or "none")]
        return render("PSIResult", rows, table, caption="Bins")


def psi_status(value: float, *, thresholds: tuple[float, float] = PSI_THRESHOLDS) -> Status:
    """Traffic light of a PSI or CSI value.

    Parameters
    ----------
    value : float
        PSI or CSI, >= 0 (``inf`` allowed: a bin empty in one sample without
        smoothing). NaN means the index could not be computed.
    thresholds : tuple of two floats, default (0.1, 0.25)
        ``(amber, red)`` with ``0 <= amber <= red``: green below ``amber``,
        red above ``red``, amber in between (both ends included).

    Returns
    -------
    {"green", "amber", "red", "insufficient"}
        ``"insufficient"`` for NaN: missing evidence is never green.

    Raises
    ------
    InvalidInputError
        If ``value`` is negative or not a real number (a bool, a string, a
        complex number, None), or ``thresholds`` is not an ordered pair of
        finite non-negative numbers.

    Examples
    --------
    >>> import jiebei_credit as jc
    >>> [jc.metrics.psi_status(v) for v in (0.05, 0.1, 0.25, 0.3, float("nan"))]
    ['green', 'amber', 'amber', 'red', 'insufficient']
    """
    amber, red = index_thresholds(thresholds, func="psi_status")
    return index_light(value, amber, red, func="psi_status")


def psi_from_counts(
    reference_count: IntArray,
    current_count: IntArray,
    labels: list[str],
    *,
    smoothing: float,
    thresholds: tuple[float, float],
    func: str,
) -> PSIResult:
    """:class:`PSIResult` of two count vectors over the same bins (parameters already checked)."""
    value, table, empty_bins = psi_parts(reference_count, current_count, labels, smoothing=smoothing,
                                         func=func)
    status = index_light(value, *thresholds, func=func)
    return PSIResult(value=value, status=status, table=table, empty_bins=empty_bins)


def psi(
    reference: Sample,
    current: Sample,
    *,
    bins: int = 10,
    edges: Vector | None = None,
    binning: BinningLike | None = None,
    missing: Missing = "raise",
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = PSI_THRESHOLDS,
) -> PSIResult:
    r"""Population stability index between a reference and a current sample.

    Parameters
    ----------
    reference : array-like of shape (n,)
        Reference sample (e.g. development scores).
    current : array-like of shape (m,)
        Current sample of the same variable.
    bins : int, default 10
        For numeric input: number of bins, cut at quantiles of ``reference``
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
        If a sample is empty, not one-dimensional, holds infinite values,
        complex numbers, timedeltas or dates, has NaN with
        ``missing="raise"``; if ``edges`` is not strictly increasing and
        finite, ``binning`` has no ``labels`` and ``bin_index``, or its
        ``bin_index`` fails or returns bin numbers outside its labels; or if
        a parameter has the wrong type or is out of range.

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
    >>> r.table[["reference_count", "current_count", "psi"]]
               reference_count  current_count       psi
    bin
    [-inf, 2)               1             2  0.173287
    [2, 3)                  1             1  0.000000
    [3, inf)                2             1  0.173287
    """
    func = "psi"
    alpha = check_smoothing(smoothing, func=func)
    cut_offs = index_thresholds(thresholds, func=func)
    e_count, a_count, labels, _ = bin_samples(
        reference, current, bins=bins, edges=edges, binning=binning, missing=missing, func=func
    )
    return psi_from_counts(e_count, a_count, labels, smoothing=alpha, thresholds=cut_offs, func=func)


def csi(
    X_reference: pd.DataFrame,
    X_current: pd.DataFrame,
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
    X_reference, X_current : pandas.DataFrame
        Reference and current feature tables (one row per observation).
    features : sequence of str, optional
        Columns to check; default all columns of ``X_reference``.
    binnings : mapping of str to BinningLike, optional
        Fitted binnings by feature (e.g. a scorecard's ``binnings_``); a
        value of None means "no binning" for that feature. A
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
        ``"category"``). Per-bin detail: ``psi(X_reference[f], X_current[f], ...)``.

    Raises
    ------
    SchemaError
        If a feature is missing from either table or appears there twice.
    InvalidInputError
        If the inputs are not DataFrames, ``features`` is not a list of
        distinct column labels, ``binnings`` is not a mapping of fitted
        binnings (objects with ``labels`` and ``bin_index``), a column cannot
        be binned (see :func:`psi`), or a parameter has the wrong type or is
        out of range.

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
    X_reference = as_frame(X_reference, func=func, name="X_reference")
    X_current = as_frame(X_current, func=func, name="X_current")
    alpha = check_smoothing(smoothing, func=func)
    cut_offs = index_thresholds(thresholds, func=func)
    n_bins = integer(bins, func=func, name="bins", low=1)
    if features is None:
        names: list[Hashable] = list(X_reference.columns)
        if not names:
            raise fail(func, "X_reference", "must have at least one feature column", "no columns")
    else:
        names = list(listlike(features, func=func, name="features", min_size=1, unique=True))
        unhashable = [f for f in names if not isinstance(f, Hashable)]
        if unhashable:
            raise fail(func, "features", "must hold column labels", f"{unhashable[:3]!r}")
    chosen: Mapping[object, object] = (
        {} if binnings is None else mapping(binnings, func=func, name="binnings")
    )
    absent = "missing feature column" if features is None else "missing column named in features"
    problems = [
        Problem(table=table, column=str(f), row=None, value=None, rule=rule)
        for table, frame in (("X_reference", X_reference), ("X_current", X_current))
        for f in names
        for rule in (
            [absent] if f not in frame.columns
            else ["column appears more than once; keep one"] if int((frame.columns == f).sum()) > 1
            else []
        )
    ]
    if problems:
        raise SchemaError(problems, context=func)
    for f in names:
        if chosen.get(f) is not None:
            binning_parts(chosen[f], func=func, name=f"binnings[{f!r}]")
    rows = []
    for f in names:
        e_count, a_count, labels, method = bin_samples(
            X_reference[f], X_current[f], bins=n_bins, edges=None, binning=chosen.get(f),
            missing="bin", func=func, names=(f"X_reference[{f!r}]", f"X_current[{f!r}]"),
            binning_name=f"binnings[{f!r}]",
        )
        result = psi_from_counts(e_count, a_count, labels, smoothing=alpha, thresholds=cut_offs,
                                 func=func)
        rows.append((result.value, result.status, len(labels), len(result.empty_bins), method))
    return pd.DataFrame(
        rows,
        columns=["csi", "status", "bins", "empty_bins", "method"],
        index=pd.Index(names, name="feature"),
    )
