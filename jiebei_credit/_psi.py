"""The core of PSI and CSI: bin two samples the same way, then compare the shares.

Shared by :mod:`jiebei_credit.metrics` (``psi``, ``csi``) and
:mod:`jiebei_credit.monitoring` (``stability_report``), so that a refusal
names the public function the caller used and the column at fault.
Samples are binned by quantile cuts of the reference, fixed edges,
categories or a fitted binning (any object with ``labels`` and
``bin_index``, see ``jiebei_credit.metrics.BinningLike``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._bands import band_counts, band_edges, band_labels
from jiebei_credit._validation import (
    FloatArray,
    IntArray,
    callable_member,
    choice,
    cut_points,
    fail,
    float_vector,
    integer,
    listlike,
    offending,
    real,
    show,
    vector,
)
from jiebei_credit.errors import JiebeiCreditError

Missing = Literal["raise", "bin"]
#: Allowed values of the ``missing`` parameter.
MISSING_OPTIONS: tuple[Missing, ...] = ("raise", "bin")
#: Label of the bin that holds missing values.
MISSING_LABEL = "missing"
_MISSING_FIX = f"Drop them, or pass missing='bin' to count them in a '{MISSING_LABEL}' bin."


def _kind(x: object, arr: npt.NDArray[Any], *, func: str, name: str) -> str:
    """``"numeric"``, ``"category"`` or ``"empty"`` (all missing); other kinds are refused."""
    dtype = x.dtype if isinstance(x, pd.Series | pd.Index) else arr.dtype
    refused = ""
    if pd.api.types.is_bool_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if pd.api.types.is_complex_dtype(dtype):
        refused = f"complex numbers (dtype {dtype})"
    elif pd.api.types.is_timedelta64_dtype(dtype):
        refused = f"timedeltas (dtype {dtype}); turn durations into numbers first, e.g. days"
    elif pd.api.types.is_datetime64_any_dtype(dtype) or "timestamp" in str(dtype) or "date" in str(dtype):
        refused = f"dates (dtype {dtype}); turn them into numbers first, e.g. an age in days"
    elif pd.api.types.is_numeric_dtype(dtype):
        return "numeric"
    elif not pd.api.types.is_object_dtype(dtype):
        return "category"  # string dtypes (str, string, pyarrow strings)
    else:
        inferred = pd.api.types.infer_dtype(arr, skipna=True)
        if inferred in ("floating", "integer", "mixed-integer-float", "decimal"):
            return "numeric"
        if inferred == "empty":
            return "empty"
        if inferred in ("complex", "timedelta", "timedelta64"):
            refused = f"{inferred} values"
        elif inferred in ("datetime", "datetime64", "date", "period", "time"):
            refused = f"{inferred} values; turn them into numbers first, e.g. an age in days"
        else:
            return "category"
    raise fail(func, name, "must hold numbers or categories", refused)


def _numeric_bins(
    e: FloatArray, a: FloatArray, cuts: FloatArray
) -> tuple[IntArray, IntArray, list[str]]:
    labels = band_labels(cuts)
    e_nan, a_nan = np.isnan(e), np.isnan(a)
    counts = []
    for x, nan in ((e, e_nan), (a, a_nan)):
        n_nan = int(np.count_nonzero(nan))
        c = band_counts(x, cuts, n_valid=x.size - n_nan)
        counts.append(np.append(c, n_nan))
    if e_nan.any() or a_nan.any():
        labels.append(MISSING_LABEL)
    else:
        counts = [c[:-1] for c in counts]
    return counts[0], counts[1], labels


def _category_bins(
    e: npt.NDArray[Any],
    a: npt.NDArray[Any],
    indexes: tuple[pd.Index | None, pd.Index | None],
    *,
    func: str,
    names: tuple[str, str],
    missing: Missing,
) -> tuple[IntArray, IntArray, list[str]]:
    both = pd.Series(np.concatenate((e.astype(object), a.astype(object))), dtype=object)
    nan = both.isna().to_numpy()
    if missing == "raise" and nan.any():
        for name, part, index in ((names[0], nan[: e.size], indexes[0]),
                                  (names[1], nan[e.size :], indexes[1])):
            if part.any():
                raise fail(func, name, "must not be missing", offending(part, None, index), _MISSING_FIX)
    try:
        codes, uniques = pd.factorize(both, use_na_sentinel=True)
    except TypeError:
        hashable = np.fromiter((_hashable(v) for v in both), dtype=bool, count=both.size)
        values = both.to_numpy()
        first = not hashable[: e.size].all()
        name = names[0] if first else names[1]
        part, shown = (~hashable[: e.size], values[: e.size]) if first else (
            ~hashable[e.size :], values[e.size :])
        raise fail(func, name, "must hold numbers or hashable categories", offending(part, shown)) from None
    # Bins in order of first appearance: reference categories first, unseen ones after.
    labels = [str(u) for u in uniques]
    if nan.any():
        labels.append(MISSING_LABEL)
    if len(set(labels)) != len(labels):
        seen: set[str] = set()
        repeated = [label for label in labels if label in seen or seen.add(label)]  # type: ignore[func-returns-value]
        raise fail(func, f"{names[0]} and {names[1]}", "must hold categories that print differently "
                   f"(the bins are labelled by their text; '{MISSING_LABEL}' labels missing values)",
                   f"several categories printed {show(repeated)}",
                   "Give them distinct string labels, e.g. .astype(str) after fixing the values.")
    if nan.any():
        codes = np.where(codes < 0, len(labels) - 1, codes)
    codes = codes.astype(np.int64)
    return codes[: e.size], codes[e.size :], labels


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def binning_parts(binning: object, *, func: str, name: str) -> tuple[list[str], Callable[..., Any]]:
    """The labels and ``bin_index`` method of a fitted binning, checked."""
    bin_index = callable_member(binning, "bin_index", func=func, name=name,
                                what="a fitted binning (e.g. scorecard.Binning)")
    labels = [str(v) for v in listlike(getattr(binning, "labels", None), func=func,
                                        name=f"{name}.labels", min_size=1)]
    if len(set(labels)) != len(labels):
        raise fail(func, f"{name}.labels", "must be distinct", show(labels, len(labels)))
    return labels, bin_index


def _binning_bins(
    samples: tuple[object, object],
    binning: object,
    *,
    func: str,
    names: tuple[str, str],
    binning_name: str,
) -> tuple[IntArray, IntArray, list[str]]:
    labels, bin_index = binning_parts(binning, func=func, name=binning_name)
    out = []
    for name, x in zip(names, samples, strict=True):
        arr, _ = vector(x, func=func, name=name)
        series = x if isinstance(x, pd.Series) else pd.Series(arr, copy=False)
        try:
            raw = bin_index(series)
        except JiebeiCreditError:
            raise
        except Exception as exc:  # a user's binning object failed on this sample
            raise fail(func, binning_name, "must bin the sample", f"{binning_name}.bin_index({name}) "
                       f"raised {type(exc).__name__}: {exc}") from exc
        idx = np.asarray(raw)
        if idx.shape != (len(series),) or idx.dtype.kind not in "iu":
            raise fail(func, binning_name, "must return one integer bin number per row from bin_index",
                       f"an array of shape {idx.shape} and dtype {idx.dtype} for {name}",
                       "The binning object is inconsistent.")
        bad = (idx < 0) | (idx >= len(labels))
        if bad.any():
            raise fail(func, binning_name, f"must return bin numbers in 0..{len(labels) - 1} "
                       "(one per label) from bin_index", offending(bad, idx) + f" for {name}",
                       "The binning object is inconsistent with its labels.")
        out.append(idx.astype(np.int64))
    return out[0], out[1], labels


def bin_samples(
    reference: object,
    current: object,
    *,
    bins: object,
    edges: object,
    binning: object,
    missing: object,
    func: str,
    names: tuple[str, str] = ("reference", "current"),
    binning_name: str = "binning",
) -> tuple[IntArray, IntArray, list[str], str]:
    """Rows per bin of both samples, binned the same way, the bin labels, and how they were made.

    How: ``"binning"``, ``"quantile"``, ``"edges"`` or ``"category"``.
    """
    how: Missing = choice(missing, MISSING_OPTIONS, func=func, name="missing")
    if binning is not None:
        if edges is not None:
            raise fail(func, "edges", "must not be given with binning", "both",
                       "Pass either edges or binning, not both.")
        e_idx, a_idx, labels = _binning_bins((reference, current), binning, func=func, names=names,
                                             binning_name=binning_name)
        return *_counts(e_idx, a_idx, len(labels)), labels, "binning"
    e_raw, e_index = vector(reference, func=func, name=names[0])
    a_raw, a_index = vector(current, func=func, name=names[1])
    kinds = {_kind(reference, e_raw, func=func, name=names[0]),
             _kind(current, a_raw, func=func, name=names[1])}
    if not kinds <= {"numeric", "empty"} or kinds == {"empty"}:
        if edges is not None:
            raise fail(func, "edges", "needs numeric samples", "categories",
                       "Drop edges to use one bin per category.")
        e_idx, a_idx, labels = _category_bins(e_raw, a_raw, (e_index, a_index), func=func, names=names,
                                              missing=how)
        return *_counts(e_idx, a_idx, len(labels)), labels, "category"
    e, _ = float_vector(reference, func=func, name=names[0], allow_nan=True)
    a, _ = float_vector(current, func=func, name=names[1], allow_nan=True)
    if how == "raise":
        for name, x, index in ((names[0], e, e_index), (names[1], a, a_index)):
            nan = np.isnan(x)
            if nan.any():
                raise fail(func, name, "must not be missing (NaN)", offending(nan, x, index), _MISSING_FIX)
    if edges is not None:
        cuts = cut_points(edges, func=func)
        method = "edges"
    else:
        n_bins = integer(bins, func=func, name="bins", low=1)
        e_nan = np.isnan(e)
        observed = e[~e_nan] if e_nan.any() else e
        cuts = band_edges(observed, n_bins) if observed.size else np.empty(0)
        method = "quantile"
    e_count, a_count, labels = _numeric_bins(e, a, cuts)
    return e_count, a_count, labels, method


def _counts(e_idx: IntArray, a_idx: IntArray, k: int) -> tuple[IntArray, IntArray]:
    return (
        np.bincount(e_idx, minlength=k).astype(np.int64),
        np.bincount(a_idx, minlength=k).astype(np.int64),
    )


def check_smoothing(smoothing: object, *, func: str) -> float:
    """A finite smoothing constant >= 0."""
    return real(smoothing, func=func, name="smoothing", low=0.0,
                fix="It is added to every bin's count; the default is 0.5.")


def _shares(count: FloatArray, smoothing: float) -> FloatArray:
    """Smoothed shares ``(c_i + a) / (sum c + k a)``, without overflow for a huge ``a``."""
    k = count.size
    total = float(count.sum())
    if smoothing * k < 1e300:
        out: FloatArray = (count + smoothing) / (total + k * smoothing)
        return out
    scaled: FloatArray = (count / smoothing + 1.0) / (total / smoothing + k)
    return scaled


def psi_parts(
    reference_count: IntArray,
    current_count: IntArray,
    labels: list[str],
    *,
    smoothing: float,
    func: str,
) -> tuple[float, pd.DataFrame, tuple[str, ...]]:
    """PSI of two count vectors over the same bins: value, per-bin table, empty bins.

    ``smoothing`` must already be checked.
    """
    e = reference_count.astype(np.float64)
    a = current_count.astype(np.float64)
    empty = (e == 0.0) | (a == 0.0)
    one_sided = (e == 0.0) != (a == 0.0)
    if smoothing == 0.0 and one_sided.any():
        raise fail(func, "smoothing", "must be > 0 when a bin is empty in one sample only (the "
                   "unsmoothed PSI is infinite)",
                   f"0 with bins {[labels[int(i)] for i in np.flatnonzero(one_sided)][:5]} empty on one side",
                   "Pass smoothing > 0 (default 0.5).")
    es = _shares(e, smoothing)
    as_ = _shares(a, smoothing)
    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = np.where((es == 0.0) & (as_ == 0.0), 0.0, (as_ - es) * np.log(as_ / es))
    table = pd.DataFrame(
        {
            "reference_count": reference_count.astype(np.int64),
            "current_count": current_count.astype(np.int64),
            "reference_share": e / e.sum(),
            "current_share": a / a.sum(),
            "psi": contribution,
            "empty": empty,
        },
        index=pd.Index(list(labels), name="bin"),
    )
    empty_bins = tuple(str(labels[int(i)]) for i in np.flatnonzero(empty))
    return float(contribution.sum()), table, empty_bins
