"""The fitted binning of one feature (:class:`Binning`) and how to fit it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._types import Sample
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import Unseen
from jiebei_credit.scorecard._finebin import Category, as_float, as_series
from jiebei_credit.scorecard._kernels import numeric_slots
from jiebei_credit.scorecard._payload import Checker, check_binning

FloatArray = V.FloatArray
IntArray = V.IntArray

__all__ = ["Binning"]

BINNING_SCHEMA = "jiebei_credit.scorecard.Binning"
BINNING_VERSION = 2
#: Label of the neutral slot (WOE 0) that unseen values take under the neutral policies.
NEUTRAL_LABEL = "neutral (WOE 0)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Binning:
    """The fitted binning of one feature: its bins, counts, WOE and IV.

    Rows of :attr:`table` come in a fixed order: the regular bins (by value
    for numeric features, by WOE for categorical ones), then one bin per
    special value that occurred in training, then the missing bin if missing
    values occurred in training.

    Parameters
    ----------
    kind : {'numeric', 'categorical'}
        Feature type.
    edges : tuple of float, default ()
        Numeric: inner edges ``e_1 < … < e_{m}`` of the ``m + 1`` regular
        bins ``[-inf, e_1), [e_1, e_2), …, [e_m, inf)``.
    groups : tuple of tuple, default ()
        Categorical: the categories of each regular bin.
    special_values : tuple, default ()
        Declared special values (binned apart, one bin each).
    special_bins : tuple of int, default ()
        Row of :attr:`table` for each special value; ``-1`` when the value
        did not occur in training (it is then treated as unseen).
    has_missing : bool, default False
        Whether the last row is the missing bin.
    goods : tuple of float
        Training weight of goods per bin (table order).
    bads : tuple of float
        Training weight of bads per bin (table order).
    labels : tuple of str
        One label per bin (table order).
    smoothing : float, default 0.5
        Added to each bin's goods and bads in WOE and IV.
    unseen : {'rare', 'missing', 'neutral', 'worst', 'raise'}, default 'rare'
        What :meth:`bin_index` does with a value no training row had (a new
        category, a special value or missing value absent in training):
        ``'raise'`` refuses it; ``'worst'`` puts it in the bin with the
        lowest WOE (most risky); ``'neutral'`` gives it WOE 0, the
        population average (the *neutral slot*, see :meth:`bin_index`);
        ``'missing'`` puts it in the missing bin when one was fitted,
        otherwise neutral; ``'rare'`` puts a new category in the bin of the
        pooled rare categories (``rare_bin``) when there is one, and any
        other unseen value (missing, special) in the neutral slot.
    trend : {'ascending', 'descending', 'peak', 'valley', 'none'}, default 'none'
        WOE trend of the regular bins that the fit imposed.
    name : str or None, default None
        Feature name.
    rare_bin : int, default -1
        Categorical: row of :attr:`table` holding the categories pooled for
        being rarer than ``min_category_share`` at fit; ``-1`` if none.

    Notes
    -----
    With ``K`` bins, ``G`` and ``B`` the total good and bad weight and
    ``s`` the smoothing::

        p_i = (g_i + s) / (G + K s),   q_i = (b_i + s) / (B + K s)
        WOE_i = ln(p_i / q_i),         IV = sum_i (p_i - q_i) WOE_i

    ``p`` and ``q`` each sum to one, every IV term is ``>= 0``, and WOE is
    finite even for a bin without goods or bads. Higher WOE means lower risk.
    """

    kind: Literal["numeric", "categorical"]
    edges: tuple[float, ...] = ()
    groups: tuple[tuple[Category, ...], ...] = ()
    special_values: tuple[Category, ...] = ()
    special_bins: tuple[int, ...] = ()
    has_missing: bool = False
    goods: tuple[float, ...]
    bads: tuple[float, ...]
    labels: tuple[str, ...]
    smoothing: float = 0.5
    unseen: Unseen = "rare"
    trend: str = "none"
    name: str | None = None
    rare_bin: int = -1

    def __post_init__(self) -> None:
        n_regular = len(self.edges) + 1 if self.kind == "numeric" else len(self.groups)
        n_special = sum(1 for b in self.special_bins if b >= 0)
        n = n_regular + n_special + int(self.has_missing)
        if not (len(self.goods) == len(self.bads) == len(self.labels) == n):
            raise V.fail("Binning", "goods, bads and labels", f"must have one value per bin ({n})",
                         f"{len(self.goods)}, {len(self.bads)} and {len(self.labels)} values")
        if not -1 <= self.rare_bin < n_regular or (self.rare_bin >= 0 and self.kind != "categorical"):
            rule = f"must be -1 or a regular categorical bin (0 to {n_regular - 1})"
            raise V.fail("Binning", "rare_bin", rule, repr(self.rare_bin))
        if len(self.special_bins) != len(self.special_values):
            raise V.fail("Binning", "special_bins", f"must have one entry per special value "
                         f"({len(self.special_values)})", f"{len(self.special_bins)} entries")

    # ------------------------------------------------------------ numbers ---

    @property
    def n_regular(self) -> int:
        """Number of regular (non-special, non-missing) bins."""
        return len(self.edges) + 1 if self.kind == "numeric" else len(self.groups)

    @property
    def woe_values(self) -> FloatArray:
        """WOE per bin (table order)."""
        p, q = self._shares()
        return np.asarray(np.log(p / q), dtype=np.float64)

    @property
    def iv(self) -> float:
        """Information value of the feature (sum of the table's ``iv`` column)."""
        p, q = self._shares()
        return float(((p - q) * np.log(p / q)).sum())

    def _shares(self) -> tuple[FloatArray, FloatArray]:
        g = np.asarray(self.goods, dtype=np.float64)
        b = np.asarray(self.bads, dtype=np.float64)
        k, s = g.size, self.smoothing
        return (g + s) / (g.sum() + k * s), (b + s) / (b.sum() + k * s)

    @property
    def table(self) -> pd.DataFrame:
        """One row per bin: ``label, count, goods, bads, bad_rate, woe, iv``."""
        g = np.asarray(self.goods, dtype=np.float64)
        b = np.asarray(self.bads, dtype=np.float64)
        p, q = self._shares()
        woe = np.log(p / q)
        return pd.DataFrame(
            {
                "label": list(self.labels),
                "count": g + b,
                "goods": g,
                "bads": b,
                "bad_rate": b / (g + b),
                "woe": woe,
                "iv": (p - q) * woe,
            }
        )

    def _repr_html_(self) -> str:
        """Notebook display: feature, kind, bins, IV and trend, then the bin table."""
        from jiebei_credit.scorecard._reprs import binning_html

        return binning_html(self)

    # ---------------------------------------------------------- transform ---

    @property
    def edge_array(self) -> FloatArray:
        """Numeric inner edges as a float64 array."""
        return np.asarray(self.edges, dtype=np.float64)

    @property
    def special_array(self) -> FloatArray:
        """Numeric special values as a float64 array (empty for categorical binnings)."""
        if self.kind != "numeric":
            return np.empty(0, dtype=np.float64)
        return np.asarray(self.special_values, dtype=np.float64)

    def slot_rows(self) -> IntArray:
        """Table row of each slot of a numeric binning; ``-1`` where no bin exists.

        Slots: regular bins ``0 … m`` (``m`` inner edges), missing ``m + 1``,
        special value ``k`` at ``m + 2 + k``.

        Returns
        -------
        numpy.ndarray of int64, shape (m + 2 + number of special values,)
            The table row of each slot.
        """
        m = len(self.edges)
        missing = len(self.goods) - 1 if self.has_missing else -1
        return np.array([*range(m + 1), missing, *self.special_bins], dtype=np.int64)

    def unseen_row(self, missing: bool) -> int:
        """Row given to an unseen value under :attr:`unseen` (not ``'raise'``).

        ``missing`` tells a missing value from another unseen value (a new
        category or a special value absent in training). ``len(goods)`` is
        the neutral slot (WOE 0), one past the table.

        Parameters
        ----------
        missing : bool
            True for a missing value, False for a new category or a special
            value absent in training.

        Returns
        -------
        int
            A row of :attr:`table`, or ``len(goods)`` for the neutral slot.
        """
        n = len(self.goods)
        if self.unseen == "worst":
            return int(np.argmin(self.woe_values))
        if self.unseen == "missing" and self.has_missing:
            return n - 1
        if self.unseen == "rare" and not missing and self.rare_bin >= 0:
            return self.rare_bin
        return n

    def _raw_index(
        self, x: Any, func: str
    ) -> tuple[IntArray, npt.NDArray[np.bool_], npt.NDArray[Any], Any, str]:
        """Table row per value (``-1`` where unseen), missing mask, raw values, index, label."""
        label = "x" if self.name is None else f"column {self.name!r}"
        if self.kind == "numeric":
            xv, index = as_float(func, x, label)
            slot_rows = self.slot_rows()
            slots = numeric_slots(xv, self.edge_array, self.special_array)
            idx = np.asarray(slot_rows[slots], dtype=np.int64)
            return idx, np.isnan(xv), xv, index, label
        s = as_series(func, x, label)
        index = x.index if isinstance(x, pd.Series) else None
        cats = [c for grp in self.groups for c in grp] + list(self.special_values)
        rows = [r for r, grp in enumerate(self.groups) for _ in grp] + list(self.special_bins)
        lut = np.array([*rows, -1], dtype=np.int64)
        codes = pd.Index(cats, dtype=object).get_indexer(pd.Index(s.astype(object)))
        idx = lut[codes]
        missing = s.isna().to_numpy(dtype=bool)
        idx[missing] = len(self.goods) - 1 if self.has_missing else -1
        return idx, missing, s.to_numpy(dtype=object), index, label

    def unseen_mask(self, x: Sample) -> npt.NDArray[np.bool_]:
        """``True`` for each value of ``x`` that no training row had (bool array, shape (n,)).

        Parameters
        ----------
        x : array-like, shape (n,)
            Values of the feature.

        Returns
        -------
        numpy.ndarray of bool, shape (n,)
            True where the value is a new category, or a missing or special
            value absent in training.

        Raises
        ------
        InvalidInputError
            Infinite values, or values of a type the binning cannot read.
        """
        return self._unseen_mask(x, "Binning.unseen_mask")

    def _unseen_mask(self, x: Any, func: str) -> npt.NDArray[np.bool_]:
        """:meth:`unseen_mask`, with errors naming ``func`` (the public function the user called)."""
        return np.asarray(self._raw_index(x, func)[0] < 0, dtype=bool)

    def bin_index(self, x: Sample) -> IntArray:
        """Row of :attr:`table` for each value of ``x``.

        Parameters
        ----------
        x : array-like, shape (n,)
            Values of the feature.

        Returns
        -------
        numpy.ndarray of int64, shape (n,)
            Table rows; ``len(table)`` (one past the table) is the neutral
            slot, WOE 0, which unseen values take under ``'neutral'`` (and
            under ``'missing'`` or ``'rare'`` when their bin does not exist).

        Raises
        ------
        InvalidInputError
            Infinite values; values unseen in training when ``unseen='raise'``.

        Notes
        -----
        Numeric values below the first edge fall in the first bin and values
        above the last edge in the last bin.
        """
        return self._bin_index(x, "Binning.bin_index")

    def _bin_index(self, x: Any, func: str) -> IntArray:
        """:meth:`bin_index`, with errors naming ``func`` (the public function the user called)."""
        idx, missing, raw, index, label = self._raw_index(x, func)
        bad = idx < 0
        if bad.any():
            if self.unseen == "raise":
                other = "special value" if self.kind == "numeric" else "category"
                kinds = " or ".join(sorted({"missing" if m else other for m in missing[bad]}))
                raise V.fail(
                    func, label, "must hold only values seen in training (unseen='raise')",
                    f"unseen {kinds}: {V.offending(bad, raw, index)}",
                    "Refit with such rows, or set unseen to 'rare', 'missing', 'neutral' or 'worst'.",
                )
            idx[bad & missing] = self.unseen_row(True)
            idx[bad & ~missing] = self.unseen_row(False)
        return np.asarray(idx, dtype=np.int64)

    def woe(self, x: Sample) -> FloatArray:
        """WOE of each value of ``x`` (float64, shape (n,)); see :meth:`bin_index` (neutral slot: 0).

        Parameters
        ----------
        x : array-like, shape (n,)
            Values of the feature.

        Returns
        -------
        numpy.ndarray of float64, shape (n,)
            The WOE of each value's bin; 0 for the neutral slot.

        Raises
        ------
        InvalidInputError
            Infinite values; values unseen in training when ``unseen='raise'``.
        """
        return self._woe(x, "Binning.woe")

    def _woe(self, x: Any, func: str) -> FloatArray:
        """:meth:`woe`, with errors naming ``func`` (the public function the user called)."""
        woe = np.append(self.woe_values, 0.0)
        return np.asarray(woe[self._bin_index(x, func)], dtype=np.float64)

    # -------------------------------------------------------- persistence ---

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with ``schema`` and ``version``; see :meth:`from_dict`.

        Returns
        -------
        dict of str to object
            Every field, lists for tuples; :meth:`from_dict` rebuilds an equal binning.
        """
        return {
            "schema": BINNING_SCHEMA,
            "version": BINNING_VERSION,
            "name": self.name,
            "kind": self.kind,
            "edges": list(self.edges),
            "groups": [list(g) for g in self.groups],
            "special_values": list(self.special_values),
            "special_bins": list(self.special_bins),
            "has_missing": self.has_missing,
            "goods": list(self.goods),
            "bads": list(self.bads),
            "labels": list(self.labels),
            "smoothing": self.smoothing,
            "unseen": self.unseen,
            "trend": self.trend,
            "rare_bin": self.rare_bin,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Binning:
        """Rebuild from :meth:`to_dict` output.

        Every field is checked (type, finiteness, range, allowed values) and
        so is their consistency (one count and label per bin, special bins
        numbered in order, categories in one group only).

        Parameters
        ----------
        d : mapping
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        Binning
            A binning equal to the one that wrote ``d``.

        Raises
        ------
        InvalidInputError
            Wrong ``schema`` or unsupported ``version`` (1, written before
        ``rare_bin`` existed, is read as ``rare_bin=-1``); otherwise one error
            listing every problem found, each with the field's name.
        """
        ck = Checker("Binning.from_dict", "Binning")
        d = migrate_binning(d)
        fields = check_binning(ck, d, "d", schema=BINNING_SCHEMA, version=BINNING_VERSION)
        ck.raise_if_any()
        if fields is None:  # pragma: no cover - a problem was recorded and raised
            raise InvalidInputError("Binning.from_dict: d is not a Binning payload.")
        return cls(**fields)


def migrate_binning(d: Any) -> Any:
    """A version-1 binning payload as version 2 (no ``rare_bin``: -1); anything else unchanged."""
    if isinstance(d, Mapping) and d.get("schema") == BINNING_SCHEMA and d.get("version") == 1:
        return {**d, "version": BINNING_VERSION, "unseen": d.get("unseen", "raise")}
    return d
