"""Population and characteristic stability: PSI and CSI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.metrics._bands import band_index, band_labels, quantile_edges
from jiebei_credit.metrics._validate import (
    FloatArray,
    IntArray,
    as_vector,
    check_edges,
    check_float,
    check_int,
    one_of,
    where,
)

Status = Literal["green", "amber", "red"]
Missing = Literal["raise", "bin"]
#: Allowed values of the ``missing`` parameter.
MISSING_OPTIONS: tuple[Missing, ...] = ("raise", "bin")
#: PSI traffic-light cut-offs: < 0.1 stable, 0.1–0.25 investigate, > 0.25 major shift.
PSI_THRESHOLDS: tuple[float, float] = (0.1, 0.25)
#: Label of the bin that holds missing values.
MISSING_LABEL = "missing"


class BinningLike(Protocol):
    """What the stability functions need from a fitted binning.

    :class:`jiebei_credit.scorecard.Binning` satisfies it; so does any object
    with these two members.
    """

    @property
    def labels(self) -> tuple[str, ...]:
        """One label per bin, in bin order."""
        ...

    def bin_index(self, x: Any) -> npt.NDArray[np.int64]:
        """Row index into ``labels`` for every value of ``x``."""
        ...


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


def _is_numeric(arr: npt.NDArray[Any], x: object) -> bool:
    dtype = x.dtype if isinstance(x, pd.Series) else arr.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if isinstance(x, pd.Series):
        return bool(pd.api.types.is_numeric_dtype(dtype))
    return arr.dtype.kind in "iuf"


def _numeric_bins(
    e: FloatArray, a: FloatArray, cuts: FloatArray, *, func: str, missing: Missing
) -> tuple[IntArray, IntArray, list[str]]:
    labels = band_labels(cuts)
    e_nan, a_nan = np.isnan(e), np.isnan(a)
    if missing == "raise":
        for name, nan in (("expected", e_nan), ("actual", a_nan)):
            if nan.any():
                raise InvalidInputError(
                    f"{func}: {name} has {int(nan.sum())} missing (NaN) values at "
                    f"{where(nan, None)}; drop them, or pass missing='bin' to count them in a "
                    f"'{MISSING_LABEL}' bin."
                )
    e_idx, a_idx = band_index(e, cuts), band_index(a, cuts)
    if e_nan.any() or a_nan.any():
        e_idx = np.where(e_nan, len(labels), e_idx)
        a_idx = np.where(a_nan, len(labels), a_idx)
        labels.append(MISSING_LABEL)
    return e_idx, a_idx, labels


def _category_bins(
    e: npt.NDArray[Any], a: npt.NDArray[Any], *, func: str, missing: Missing
) -> tuple[IntArray, IntArray, list[str]]:
    both = pd.Series(np.concatenate((e.astype(object), a.astype(object))), dtype=object)
    nan = both.isna().to_numpy()
    if missing == "raise" and nan.any():
        raise InvalidInputError(
            f"{func}: the inputs have {int(nan.sum())} missing values; drop them, or pass "
            f"missing='bin' to count them in a '{MISSING_LABEL}' bin."
        )
    codes, uniques = pd.factorize(both, use_na_sentinel=True)
    # Bins in order of first appearance: reference categories first, unseen ones after.
    labels = [str(u) for u in uniques]
    if len(set(labels)) != len(labels):
        raise InvalidInputError(
            f"{func}: distinct categories print the same ({labels[:5]}); give them distinct "
            "string labels."
        )
    if nan.any():
        codes = np.where(codes < 0, len(labels), codes)
        labels.append(MISSING_LABEL)
    codes = codes.astype(np.int64)
    return codes[: e.size], codes[e.size :], labels


def _binning_bins(
    expected: object, actual: object, binning: BinningLike, *, func: str
) -> tuple[IntArray, IntArray, list[str]]:
    labels = [str(label) for label in binning.labels]
    out = []
    for name, x in (("expected", expected), ("actual", actual)):
        series = x if isinstance(x, pd.Series) else pd.Series(as_vector(x, func=func, name=name)[0])
        idx = np.asarray(binning.bin_index(series), dtype=np.int64)
        bad = (idx < 0) | (idx >= len(labels))
        if idx.shape != (len(series),) or bad.any():
            raise InvalidInputError(
                f"{func}: binning.bin_index returned indexes outside 0..{len(labels) - 1} "
                f"(or of the wrong length) for {name}; the binning object is inconsistent "
                "with its labels."
            )
        out.append(idx)
    return out[0], out[1], labels


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
    e_idx, a_idx, labels, _ = bin_samples(
        expected, actual, bins=bins, edges=edges, binning=binning, missing=missing, func=func
    )
    k = len(labels)
    return psi_from_counts(
        np.bincount(e_idx, minlength=k),
        np.bincount(a_idx, minlength=k),
        labels,
        smoothing=smoothing,
        thresholds=thresholds,
        func=func,
    )


def bin_samples(
    expected: object,
    actual: object,
    *,
    bins: int,
    edges: object,
    binning: BinningLike | None,
    missing: Missing,
    func: str,
) -> tuple[IntArray, IntArray, list[str], str]:
    """Bin both samples the same way; also say how (binning, quantile, edges or category)."""
    one_of(func, "missing", missing, MISSING_OPTIONS)
    if binning is not None:
        if edges is not None:
            raise InvalidInputError(f"{func}: pass either edges or binning, not both.")
        e_idx, a_idx, labels = _binning_bins(expected, actual, binning, func=func)
        return e_idx, a_idx, labels, "binning"
    e_raw, _ = as_vector(expected, func=func, name="expected")
    a_raw, _ = as_vector(actual, func=func, name="actual")
    if not (_is_numeric(e_raw, expected) and _is_numeric(a_raw, actual)):
        if edges is not None:
            raise InvalidInputError(
                f"{func}: edges needs numeric samples; got categories. Drop edges to use one "
                "bin per category."
            )
        e_idx, a_idx, labels = _category_bins(e_raw, a_raw, func=func, missing=missing)
        return e_idx, a_idx, labels, "category"
    e = _to_float(expected, e_raw)
    a = _to_float(actual, a_raw)
    for name, arr in (("expected", e), ("actual", a)):
        inf = np.isinf(arr)
        if inf.any():
            raise InvalidInputError(
                f"{func}: {name} has {int(inf.sum())} infinite values at "
                f"{where(inf, None)}; replace them with finite values first."
            )
    if edges is not None:
        cuts = check_edges(edges, func=func)
        method = "edges"
    else:
        n_bins = check_int(bins, func=func, name="bins", minimum=1)
        observed = e[~np.isnan(e)]
        cuts = quantile_edges(observed, n_bins) if observed.size else np.empty(0)
        method = "quantile"
    e_idx, a_idx, labels = _numeric_bins(e, a, cuts, func=func, missing=missing)
    return e_idx, a_idx, labels, method


def _to_float(x: object, arr: npt.NDArray[Any]) -> FloatArray:
    if isinstance(x, pd.Series):
        return x.to_numpy(dtype=np.float64, na_value=np.nan)
    return arr.astype(np.float64)


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
    names = [str(c) for c in expected.columns] if features is None else list(features)
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
        e_idx, a_idx, labels, method = bin_samples(
            expected[f], actual[f], bins=bins, edges=None, binning=binnings.get(f),
            missing="bin", func=func,
        )
        k = len(labels)
        result = psi_from_counts(
            np.bincount(e_idx, minlength=k),
            np.bincount(a_idx, minlength=k),
            labels,
            smoothing=smoothing,
            thresholds=thresholds,
            func=func,
        )
        rows.append((result.value, result.status, k, len(result.empty_bins), method))
    return pd.DataFrame(
        rows,
        columns=["csi", "status", "bins", "empty_bins", "method"],
        index=pd.Index(names, name="feature"),
    )
