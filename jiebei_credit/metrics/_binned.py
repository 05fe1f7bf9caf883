"""Binning two samples the same way: quantile cuts, fixed edges, categories or a fitted binning."""

from __future__ import annotations

from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.metrics._bands import band_counts, band_labels, quantile_edges
from jiebei_credit.metrics._validate import (
    FloatArray,
    IntArray,
    as_vector,
    check_edges,
    check_int,
    one_of,
    where,
)

Missing = Literal["raise", "bin"]
#: Allowed values of the ``missing`` parameter.
MISSING_OPTIONS: tuple[Missing, ...] = ("raise", "bin")
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


def _is_numeric(arr: npt.NDArray[Any], x: object) -> bool:
    dtype = x.dtype if isinstance(x, pd.Series) else arr.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if isinstance(x, pd.Series):
        return bool(pd.api.types.is_numeric_dtype(dtype))
    return arr.dtype.kind in "iuf"


def _numeric_bins(
    e: FloatArray,
    a: FloatArray,
    cuts: FloatArray,
    indexes: tuple[pd.Index | None, pd.Index | None],
    *,
    func: str,
    missing: Missing,
) -> tuple[IntArray, IntArray, list[str]]:
    labels = band_labels(cuts)
    e_nan, a_nan = np.isnan(e), np.isnan(a)
    if missing == "raise":
        for name, nan, index in (("expected", e_nan, indexes[0]), ("actual", a_nan, indexes[1])):
            if nan.any():
                raise InvalidInputError(
                    f"{func}: {name} has {int(nan.sum())} missing (NaN) values at "
                    f"{where(nan, index)}; drop them, or pass missing='bin' to count them in a "
                    f"'{MISSING_LABEL}' bin."
                )
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
    """Rows per bin of both samples, binned the same way, the bin labels, and how they were made
    (``"binning"``, ``"quantile"``, ``"edges"`` or ``"category"``)."""
    one_of(func, "missing", missing, MISSING_OPTIONS)
    if binning is not None:
        if edges is not None:
            raise InvalidInputError(f"{func}: pass either edges or binning, not both.")
        e_idx, a_idx, labels = _binning_bins(expected, actual, binning, func=func)
        return *_counts(e_idx, a_idx, len(labels)), labels, "binning"
    e_raw, e_index = as_vector(expected, func=func, name="expected")
    a_raw, a_index = as_vector(actual, func=func, name="actual")
    if not (_is_numeric(e_raw, expected) and _is_numeric(a_raw, actual)):
        if edges is not None:
            raise InvalidInputError(
                f"{func}: edges needs numeric samples; got categories. Drop edges to use one "
                "bin per category."
            )
        e_idx, a_idx, labels = _category_bins(e_raw, a_raw, func=func, missing=missing)
        return *_counts(e_idx, a_idx, len(labels)), labels, "category"
    e = _to_float(expected, e_raw)
    a = _to_float(actual, a_raw)
    for name, arr, index in (("expected", e, e_index), ("actual", a, a_index)):
        inf = np.isinf(arr)
        if inf.any():
            raise InvalidInputError(
                f"{func}: {name} has {int(inf.sum())} infinite values at "
                f"{where(inf, index)}; replace them with finite values first."
            )
    if edges is not None:
        cuts = check_edges(edges, func=func)
        method = "edges"
    else:
        n_bins = check_int(bins, func=func, name="bins", minimum=1)
        e_nan = np.isnan(e)
        observed = e[~e_nan] if e_nan.any() else e
        cuts = quantile_edges(observed, n_bins) if observed.size else np.empty(0)
        method = "quantile"
    e_count, a_count, labels = _numeric_bins(
        e, a, cuts, (e_index, a_index), func=func, missing=missing
    )
    return e_count, a_count, labels, method


def _counts(e_idx: IntArray, a_idx: IntArray, k: int) -> tuple[IntArray, IntArray]:
    return (
        np.bincount(e_idx, minlength=k).astype(np.int64),
        np.bincount(a_idx, minlength=k).astype(np.int64),
    )


def _to_float(x: object, arr: npt.NDArray[Any]) -> FloatArray:
    if arr.dtype == np.float64:
        return arr  # read-only use: no copy
    if isinstance(x, pd.Series):
        return x.to_numpy(dtype=np.float64, na_value=np.nan)
    return arr.astype(np.float64)
