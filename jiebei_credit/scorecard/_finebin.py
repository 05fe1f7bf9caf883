"""Fine binning: value conversion, special values and quantile pre-bins."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from jiebei_credit._persist import payload_fields
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import FloatArray, check_int, listing, rows_text

__all__ = ["Category", "quantile_edges"]

Category = str | int | float | bool
T = TypeVar("T")


def py_scalar(v: Any) -> Any:
    """A numpy scalar as the matching Python scalar; other values unchanged."""
    return v.item() if isinstance(v, np.generic) else v


def category_key(v: Any) -> tuple[str, Any]:
    """Sort key that orders categories of mixed types deterministically."""
    return (type(v).__name__, v)


def detect_kind(x: Any) -> Literal["numeric", "categorical"]:
    """Feature type from the dtype.

    Integer and float dtypes (nullable too) are numeric; bool, text, category
    and the rest are categorical. Object data (e.g. a list with ``None``) is
    numeric when every non-missing value is an integer or float.
    """
    arr = x if isinstance(x, pd.Series | pd.Index | np.ndarray) else np.asarray(x, dtype=object)
    dtype = arr.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "categorical"
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return "numeric"
    if pd.api.types.is_object_dtype(dtype):
        inferred = pd.api.types.infer_dtype(arr, skipna=True)
        if inferred in ("integer", "floating", "mixed-integer-float"):
            return "numeric"
    return "categorical"


def as_float(func: str, x: Any, name: str) -> tuple[FloatArray, pd.Index | None]:
    """Values as float64 with NaN for missing; infinities raise."""
    index = x.index if isinstance(x, pd.Series) else None
    try:
        if isinstance(x, pd.Series):
            arr = x.to_numpy(dtype="float64", na_value=np.nan)
        else:
            arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{func}: {name} must be numeric for a numeric binning; pass kind='categorical' "
            "for text or category values."
        ) from None
    if arr.ndim != 1:
        raise InvalidInputError(f"{func}: {name} must be one-dimensional, got shape {arr.shape}.")
    inf = np.isinf(arr)
    if inf.any():
        raise InvalidInputError(
            f"{func}: {name} has {rows_text(index, inf)} with infinite values; "
            "replace them with NaN or a finite cap."
        )
    return arr, index


def as_series(func: str, x: Any, name: str) -> pd.Series:
    """Values as an object Series (a view of a Series is never modified)."""
    if isinstance(x, pd.Series):
        return x
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise InvalidInputError(f"{func}: {name} must be one-dimensional, got shape {arr.shape}.")
    return pd.Series(arr, dtype=object)


def check_specials(func: str, kind: str, special_values: Sequence[Any]) -> tuple[Category, ...]:
    """Special values as a tuple of distinct Python scalars valid for ``kind``."""
    if isinstance(special_values, str) or not isinstance(special_values, Sequence):
        raise InvalidInputError(f"{func}: special_values must be a tuple of values, got {special_values!r}.")
    out = tuple(py_scalar(v) for v in special_values)
    for v in out:
        numeric = isinstance(v, int | float) and not isinstance(v, bool)
        if kind == "numeric" and not (numeric and np.isfinite(v)):
            raise InvalidInputError(
                f"{func}: special value {v!r} is not a finite number; numeric features take "
                "numeric special values (e.g. -999)."
            )
        if kind == "categorical" and (v is None or (isinstance(v, float) and np.isnan(v))):
            raise InvalidInputError(f"{func}: special value {v!r} is missing; missing has its own bin.")
    if len(set(out)) != len(out):
        raise InvalidInputError(f"{func}: special_values has duplicates: {listing(list(out))}.")
    return out


def quantile_edges(
    x: Any,
    *,
    n_prebins: int = 50,
    special_values: Sequence[float] = (),
    sample_size: int | None = 100_000,
    seed: int = 0,
) -> FloatArray:
    """Fine-bin edges at the quantiles of the regular values of ``x``.

    Parameters
    ----------
    x : array-like of numbers, shape (n,)
        Feature values; NaN (and ``pd.NA``) are missing and ignored, as are
        the ``special_values``.
    n_prebins : int, default 50
        Number of quantile bins aimed at; ties give fewer.
    special_values : tuple of float, default ()
        Values excluded from the quantiles.
    sample_size : int or None, default 100_000
        Above this many regular values, the quantiles are taken on a uniform
        random sample (with replacement) of this size drawn with ``seed``;
        ``None`` always uses every value.
    seed : int, default 0
        Seed of the sample.

    Returns
    -------
    numpy.ndarray of float64
        Sorted distinct edges ``e_1 < … < e_m``; fine bin ``t`` is
        ``[e_t, e_{t+1})`` with ``e_0 = -inf`` and ``e_{m+1} = +inf``.

    Notes
    -----
    The edges are the ``k / n_prebins`` quantiles (``k = 1 … n_prebins − 1``,
    method ``inverted_cdf``), without duplicates and without the minimum
    (which would leave an empty first bin). Each edge is then replaced by the
    number with the fewest significant digits between the next smaller value
    (excluded) and the quantile (included), which splits the values in the
    same way and reads better in labels.

    Examples
    --------
    >>> quantile_edges([1, 2, 3, 4, 5, 6, 7, 8], n_prebins=4)
    array([3., 5., 7.])
    """
    func = "quantile_edges"
    n_prebins = check_int(func, "n_prebins", n_prebins, minimum=2)
    specials = check_specials(func, "numeric", special_values)
    arr, _ = as_float(func, x, "x")
    regular = arr[~np.isnan(arr)]
    if specials:
        regular = regular[~np.isin(regular, np.asarray(specials, dtype=np.float64))]
    if regular.size == 0:
        return np.empty(0, dtype=np.float64)
    if sample_size is not None:
        sample_size = check_int(func, "sample_size", sample_size, minimum=n_prebins)
        if regular.size > sample_size:
            rng = np.random.default_rng(seed)
            regular = regular[rng.integers(0, regular.size, size=sample_size)]
    srt = np.sort(regular)
    n = srt.size
    # inverted_cdf quantile k/n_prebins: the ceil(k n / n_prebins)-th smallest value
    pos = (np.arange(1, n_prebins) * n + n_prebins - 1) // n_prebins - 1
    upper = np.unique(srt[pos])
    upper = upper[upper > srt[0]]
    lower = srt[np.searchsorted(srt, upper, side="left") - 1]
    return np.array([short_edge(lo, hi) for lo, hi in zip(lower, upper, strict=True)])


def short_edge(lo: float, hi: float) -> float:
    """The number with the fewest significant digits in ``(lo, hi]``.

    An edge anywhere in ``(lo, hi]`` splits the values exactly like ``hi``
    when ``lo`` and ``hi`` are adjacent observed values, so the shortest one
    gives the most readable bin labels.

    Examples
    --------
    >>> short_edge(1.23456, 1.25981)
    1.25
    >>> short_edge(3.0, 4.0)
    4.0
    """
    lo, hi = float(lo), float(hi)
    if lo < 0.0 <= hi:
        return 0.0
    top = math.floor(math.log10(abs(hi)))
    for digits in range(1, 18):
        q = 10.0 ** (top - digits + 1)
        for d in (float(f"{hi:.{digits}g}"), float(f"{math.floor(hi / q) * q:.{digits}g}")):
            if lo < d <= hi:
                return d
    return hi


def from_payload(
    cls: type[T],
    d: object,
    *,
    schema: str,
    version: int,
    convert: Mapping[str, Callable[[Any], Any]],
) -> T:
    """Rebuild dataclass ``cls`` from its ``to_dict`` payload; every error is ours.

    :func:`jiebei_credit._persist.payload_fields` checks the header and the
    keys; ``convert`` turns each JSON value back into the field's type.
    Values of the wrong type raise :class:`InvalidInputError`, not
    ``TypeError`` or ``ValueError``.
    """
    kw = payload_fields(cls, d, schema=schema, version=version)
    try:
        return cls(**{k: convert[k](v) if k in convert else v for k, v in kw.items()})
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{cls.__name__}.from_dict: malformed payload ({exc}); pass the output of "
            f"{cls.__name__}.to_dict()"
        ) from None


#: Cells of the lookup grid used by :func:`digitize`, tried in this order.
GRID_CELLS = (4096, 65_536)
#: Most edges one grid cell may hold before :func:`digitize` tries a finer grid.
GRID_MAX_EDGES = 3
#: Rows per block in :func:`digitize` (the block's temporaries stay in cache).
DIGITIZE_BLOCK = 32_768


def _grid(edges: FloatArray, cells: int) -> tuple[float, float, np.ndarray[Any, np.dtype[np.intp]]] | None:
    """``(lo, scale, below)`` of a grid where each cell holds at most ``GRID_MAX_EDGES`` edges."""
    lo, hi = float(edges[0]), float(edges[-1])
    scale = cells / (hi - lo)
    if not np.isfinite(scale):
        return None
    edge_cells = _cells(edges, lo, scale, cells, np.empty(edges.size))
    per_cell = np.bincount(edge_cells, minlength=cells + 2)
    if per_cell.max() > GRID_MAX_EDGES:
        return None
    below = np.concatenate(([0], np.cumsum(per_cell)[:-1])).astype(np.intp)
    return lo, scale, below


def _cells(
    v: FloatArray, lo: float, scale: float, cells: int, t: FloatArray
) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Grid cell of each value (``t`` is scratch space of the same size)."""
    np.subtract(v, lo, out=t)
    t *= scale
    np.floor(t, out=t)
    t += 1.0
    np.fmax(t, 0.0, out=t)  # fmax/fmin also turn NaN into the bound
    np.fmin(t, cells + 1.0, out=t)
    return t.astype(np.intp)


def digitize(edges: FloatArray, x: FloatArray) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Number of ``edges`` ``<= x`` for each value; NaN gives ``len(edges) + 1``.

    Same result as ``np.searchsorted(np.append(edges, np.nan), x,
    side="right")``, but several times faster on large inputs: a uniform
    grid over the edges' range narrows each value down to the few edges that
    share its grid cell, which are then compared.

    Notes
    -----
    With ``cell(v) = clip(floor((v − e_min) · M / (e_max − e_min)) + 1, 0,
    M + 1)``, a monotone function evaluated by the same floating-point
    operations for values and edges, every edge in a lower cell than ``x``
    is ``< x`` and every edge in a higher cell is ``> x``; only edges in the
    same cell need a comparison. The grid has ``M = 4096`` cells, or 65 536
    when a coarse cell would hold more than ``GRID_MAX_EDGES`` edges; when
    even the fine one would, a binary search is used instead. Rows are
    processed in blocks so the temporaries stay in cache.
    """
    m = edges.size
    grid = None
    if m > 0 and edges[0] != edges[-1]:
        for cells in GRID_CELLS:
            if x.size >= 4 * cells:
                grid = _grid(edges, cells)
                if grid is not None:
                    break
    if grid is None:
        return np.asarray(np.searchsorted(np.append(edges, np.nan), x, side="right"), dtype=np.intp)
    lo, scale, below = grid
    n_cells = below.size - 2
    most = int(np.diff(np.append(below, m)).max())
    padded = np.concatenate((edges, np.full(GRID_MAX_EDGES, np.inf)))
    out = np.empty(x.size, dtype=np.intp)
    size = min(DIGITIZE_BLOCK, x.size)
    t = np.empty(size)
    mask = np.empty(size, dtype=bool)
    for a in range(0, x.size, DIGITIZE_BLOCK):
        b = min(a + DIGITIZE_BLOCK, x.size)
        xb, ob, tb, mb = x[a:b], out[a:b], t[: b - a], mask[: b - a]
        base = below[_cells(xb, lo, scale, n_cells, tb)]
        ob[...] = base
        for k in range(most):
            np.greater_equal(xb, padded[base + k], out=mb)
            ob += mb
        np.isnan(xb, out=mb)
        ob[mb] = m + 1
    return out
