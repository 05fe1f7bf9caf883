"""Catalog entries of the columns of a feature table: :func:`specs_for`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from jiebei_credit import _validation as V
from jiebei_credit._types import SupportsArray
from jiebei_credit.features._catalog import CATALOG, MAX_WINDOW, FeatureSpec, catalog
from jiebei_credit.features._family import FeatureFamily

__all__ = ["specs_for"]

_WINDOWED = re.compile(r"^.+_([1-9][0-9]{0,3})d$")


def specs_for(
    columns: Iterable[str] | SupportsArray, *, families: Iterable[FeatureFamily] = ()
) -> dict[str, FeatureSpec]:
    """The :class:`FeatureSpec` of each column that is a catalog feature, at any window.

    Built-in features are looked up in :data:`CATALOG`, and a windowed name
    such as ``inq_count_45d`` in :func:`catalog` of its window; the features
    of user ``families`` by their :attr:`FeatureFamily.features`. Columns
    that are neither are left out. Pass the result to
    ``Scorecard(feature_sources=...)`` so a fitted card knows the tables and
    PIPL data categories its features come from.

    Parameters
    ----------
    columns : list-like of str
        Column names, e.g. ``X.columns``.
    families : iterable of FeatureFamily, optional
        User feature families whose features may be among the columns.

    Returns
    -------
    dict of str to FeatureSpec
        In the order of ``columns``; only the columns found.

    Raises
    ------
    InvalidInputError
        When ``columns`` is not a list-like of strings, ``families`` holds
        something other than a :class:`FeatureFamily`, or a family feature
        is named like a built-in feature.

    Examples
    --------
    >>> from jiebei_credit.features import specs_for
    >>> specs = specs_for(["inq_count_45d", "dpd_now", "my_column"])
    >>> {name: spec.sources for name, spec in specs.items()}
    {'inq_count_45d': ('inquiries',), 'dpd_now': ('loans', 'installments')}
    """
    func = "specs_for"
    names = V.listlike(columns, func=func, name="columns")
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise V.fail(func, "columns", "must hold column names (strings)", V.show(bad, len(bad)),
                     "Pass X.columns of a frame with string column names.")
    fams = list(families) if not isinstance(families, FeatureFamily) else [families]
    other = [type(f).__name__ for f in fams if not isinstance(f, FeatureFamily)]
    if other:
        raise V.fail(func, "families", "must hold FeatureFamily objects", V.show(other, len(other)),
                     "Pass the user families the columns were extracted with.")
    user: dict[str, FeatureSpec] = {s.name: s for f in fams for s in f.features}
    taken = sorted(n for n in user if n in CATALOG)
    if taken:
        raise V.fail(func, "families", "may not hold a user feature named like a built-in feature",
                     f"{len(taken)}: {taken[:5]}", "Rename the feature.")
    by_window: dict[int, Mapping[str, FeatureSpec]] = {}
    out: dict[str, FeatureSpec] = {}
    for c in names:
        spec = user.get(c) or CATALOG.get(c)
        match = _WINDOWED.match(c)
        if spec is None and match is not None and 1 <= int(match.group(1)) <= MAX_WINDOW:
            w = int(match.group(1))
            if w not in by_window:
                by_window[w] = catalog((w,))
            spec = by_window[w].get(c)
        if spec is not None:
            out[c] = spec
    return out
