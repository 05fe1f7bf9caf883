"""The feature catalog: one :class:`FeatureSpec` per feature, built from declared bases.

A *base* is a feature definition with an optional window placeholder
``{w}``; :func:`catalog` expands every windowed base over the requested
windows (``<base>_<w>d``). :data:`CATALOG` is the catalog of the default
windows. The texts here are the documentation: the user guide renders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np

from jiebei_credit import _validation as V
from jiebei_credit.features._bases import FAMILY_TEXT, Base
from jiebei_credit.features._bureau import INQUIRY_BASES, ZHIMA_BASES
from jiebei_credit.features._capacity import CAPACITY_BASES
from jiebei_credit.features._cashflow import CASHFLOW_BASES
from jiebei_credit.features._draws import DRAW_BASES
from jiebei_credit.features._invoices import INVOICE_BASES
from jiebei_credit.features._line import LINE_BASES
from jiebei_credit.features._profile import PROFILE_BASES
from jiebei_credit.features._repayment import REPAYMENT_BASES
from jiebei_credit.features._utilisation import UTILISATION_BASES
from jiebei_credit.records import DATA_CATEGORIES, SCHEMAS, VAT_INVOICES, DataCategory, TableSchema

__all__ = [
    "BUILTIN_TABLES",
    "CATALOG",
    "CATEGORY_OF_TABLE",
    "DEFAULT_WINDOWS",
    "FAMILIES",
    "MAX_WINDOW",
    "DataCategory",
    "FeatureSpec",
    "catalog",
    "check_windows",
]

#: Every feature definition, family by family.
BASES: Final[tuple[Base, ...]] = (
    *LINE_BASES,
    *UTILISATION_BASES,
    *DRAW_BASES,
    *REPAYMENT_BASES,
    *CASHFLOW_BASES,
    *CAPACITY_BASES,
    *ZHIMA_BASES,
    *INQUIRY_BASES,
    *PROFILE_BASES,
    *INVOICE_BASES,
)

#: Tables the built-in families read: the seven of :data:`SCHEMAS`, then the shipped
#: :data:`~jiebei_credit.records.VAT_INVOICES` (added to records with ``with_table``).
BUILTIN_TABLES: Final[Mapping[str, TableSchema]] = MappingProxyType(
    {**SCHEMAS, VAT_INVOICES.name: VAT_INVOICES}
)

#: Data category of each table a built-in feature reads (its :attr:`TableSchema.category`).
CATEGORY_OF_TABLE: Final[Mapping[str, DataCategory]] = MappingProxyType(
    {name: schema.category for name, schema in BUILTIN_TABLES.items()}
)

#: Most sensitive first: a feature takes the first category any of its sources has.
_SENSITIVITY: Final[tuple[DataCategory, ...]] = tuple(DATA_CATEGORIES)

#: Windows (days) used when ``windows`` is not given.
DEFAULT_WINDOWS: Final[tuple[int, ...]] = (30, 90, 180, 365)
#: Longest window accepted (ten years).
MAX_WINDOW: Final = 3650


@dataclass(frozen=True, slots=True, kw_only=True)
class FeatureSpec:
    """What one feature means, where it comes from and when it is NaN.

    Parameters
    ----------
    name : str
        Column name in the output of :func:`extract`; windowed features end
        in ``_<w>d``.
    family : str
        Feature family (a key of :data:`FAMILIES`).
    window : int or None
        Window length in days, or None for a value at ``as_of``.
    unit : str
        Unit of the value (``"CNY"``, ``"days"``, ``"count"``, ``"ratio"``, …).
    description, description_zh : str
        Definition in English and in Chinese.
    sources : tuple of str
        Record tables the feature reads; :func:`extract` computes it only
        when every one of them is allowed by ``sources=``.
    category : str
        Data category (a key of :data:`jiebei_credit.records.DATA_CATEGORIES`),
        the most sensitive among the sources. Financial-account flows are
        sensitive personal information under PIPL Art. 28.
    nan_meaning : str
        When the value is NaN.

    Examples
    --------
    >>> from jiebei_credit.features import CATALOG
    >>> spec = CATALOG["inq_count_30d"]
    >>> spec.family, spec.window, spec.sources, spec.category
    ('inquiries', 30, ('inquiries',), 'inquiries')
    >>> CATALOG["receipts_monthly_mean_90d"].sensitive
    True
    """

    name: str
    family: str
    window: int | None
    unit: str
    description: str
    description_zh: str
    sources: tuple[str, ...]
    category: DataCategory
    nan_meaning: str

    @property
    def sensitive(self) -> bool:
        """Whether the feature uses financial-account data (PIPL Art. 28 sensitive information)."""
        return self.category == "financial_account_flows"


#: Feature families: name -> (English, Chinese) description, in output order.
FAMILIES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(dict(FAMILY_TEXT))


def check_windows(windows: object, *, func: str) -> tuple[int, ...]:
    """Validate ``windows`` and return them sorted ascending.

    A non-empty list, tuple, array, Index or Series (or a set: windows have
    no order) of distinct integers (``int`` or numpy integers, not ``bool``
    and not floats) between 1 and :data:`MAX_WINDOW` days.
    """
    if isinstance(windows, set | frozenset):
        windows = sorted(windows, key=repr)
    items = V.listlike(windows, func=func, name="windows", min_size=1, unique=True)
    rule = f"must hold whole numbers of days between 1 and {MAX_WINDOW}"
    bad = np.array([not V.is_integer(w) or not 1 <= w <= MAX_WINDOW for w in items], dtype=bool)
    if bad.any():
        shown = np.empty(len(items), dtype=object)  # filled item by item: [30] stays a list
        for i, w in enumerate(items):
            shown[i] = w
        raise V.fail(func, "windows", rule, V.offending(bad, shown),
                     "Pass e.g. windows=(30, 90, 180, 365).")
    return tuple(sorted(int(w) for w in items))


def _category(sources: tuple[str, ...]) -> DataCategory:
    cats = {CATEGORY_OF_TABLE[s] for s in sources}
    return next(c for c in _SENSITIVITY if c in cats)


def _spec(base: Base, window: int | None) -> FeatureSpec:
    if base.windowed and window is not None:
        name = f"{base.name}_{window}d"
        fill = {"w": window}
    else:
        name = base.name
        window = base.fixed_window
        fill = {"w": window if window is not None else 0}
    return FeatureSpec(
        name=name,
        family=base.family,
        window=window,
        unit=base.unit,
        description=base.description.format(**fill),
        description_zh=base.description_zh.format(**fill),
        sources=base.sources,
        category=_category(base.sources),
        nan_meaning=base.nan_meaning.format(**fill),
    )


def catalog(windows: Iterable[int] = DEFAULT_WINDOWS) -> Mapping[str, FeatureSpec]:
    """The catalog of every feature :func:`extract` produces for ``windows``.

    Parameters
    ----------
    windows : sequence of int, default (30, 90, 180, 365)
        Window lengths in days (1 to 3650, distinct).

    Returns
    -------
    Mapping of str to FeatureSpec
        Read-only, in output column order: by family (the order of
        :data:`FAMILIES`), then base, then window ascending. A base that needs
        whole 30-day blocks (coefficient of variation, trend) appears only for
        windows long enough.

    Raises
    ------
    InvalidInputError
        When ``windows`` is not a non-empty sequence of distinct whole days.

    Examples
    --------
    >>> from jiebei_credit.features import catalog
    >>> specs = catalog(windows=(7, 60))
    >>> [n for n in specs if n.startswith("inq_count")]
    ['inq_count_7d', 'inq_count_60d']
    >>> "receipts_trend_60d" in specs   # a trend needs three 30-day blocks
    False
    """
    ws = check_windows(windows, func="catalog")
    out: dict[str, FeatureSpec] = {}
    for family in FAMILY_TEXT:
        for base in BASES:
            if base.family != family:
                continue
            if base.windowed:
                for w in ws:
                    if w >= base.min_window:
                        spec = _spec(base, w)
                        out[spec.name] = spec
            else:
                spec = _spec(base, None)
                out[spec.name] = spec
    return MappingProxyType(out)


#: Every feature of :func:`extract` with the default windows ``(30, 90, 180, 365)``.
CATALOG: Final[Mapping[str, FeatureSpec]] = catalog(DEFAULT_WINDOWS)
