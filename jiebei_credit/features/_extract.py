"""``extract``: point-in-time features for a frame of observations."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._progress import Progress, check_progress, reporter
from jiebei_credit.features._bureau import inquiry_features, zhima_features
from jiebei_credit.features._capacity import capacity_features
from jiebei_credit.features._cashflow import cashflow_features
from jiebei_credit.features._catalog import BUILTIN_TABLES, DEFAULT_WINDOWS, FAMILIES, catalog, check_windows
from jiebei_credit.features._context import Context
from jiebei_credit.features._draws import draw_features
from jiebei_credit.features._family import FeatureFamily, PointInTimeView
from jiebei_credit.features._invoices import invoice_features
from jiebei_credit.features._kernels import FloatArray
from jiebei_credit.features._line import line_features
from jiebei_credit.features._observations import check_observations, check_records, selection
from jiebei_credit.features._profile import profile_features
from jiebei_credit.features._repayment import repayment_features
from jiebei_credit.features._utilisation import utilisation_features
from jiebei_credit.records import TABLE_NAMES, RecordSet

__all__ = ["BUILTIN_FAMILIES", "FAMILY_SOURCES", "extract"]

#: Extraction progress and timings (no handler is configured by the library).
LOGGER = logging.getLogger("jiebei_credit.features")

_ViewCompute = Callable[[PointInTimeView], dict[str, FloatArray]]

#: The built-in families: each written against the public point-in-time view, like a user family.
_COMPUTE: Final[Mapping[str, _ViewCompute]] = {
    "draws": draw_features,
    "line": line_features,
    "zhima": zhima_features,
    "inquiries": inquiry_features,
    "profile": profile_features,
    "invoices": invoice_features,
    "cashflow": cashflow_features,
    "utilisation": utilisation_features,
    "repayment": repayment_features,
    "capacity": capacity_features,
}


def _family_sources() -> dict[str, tuple[str, ...]]:
    union: dict[str, dict[str, None]] = {f: {} for f in FAMILIES}
    for spec in catalog(DEFAULT_WINDOWS).values():
        for table in spec.sources:
            union[spec.family][table] = None
    return {f: tuple(t for t in BUILTIN_TABLES if t in tables) for f, tables in union.items()}


#: Tables each family reads (the union over its features), in TABLE_NAMES order, then vat_invoices.
FAMILY_SOURCES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(_family_sources())


def _builtin(name: str) -> FeatureFamily:
    return FeatureFamily(
        name,
        FAMILY_SOURCES[name],
        tuple(s for s in catalog(DEFAULT_WINDOWS).values() if s.family == name),
        _COMPUTE[name],
    )


#: The built-in families as :class:`FeatureFamily` objects (their features at the default windows).
BUILTIN_FAMILIES: Final[Mapping[str, FeatureFamily]] = MappingProxyType({f: _builtin(f) for f in FAMILIES})


def _split_families(families: object, func: str) -> tuple[object, list[FeatureFamily]]:
    """Built-in family names (a FeatureFamily of BUILTIN_FAMILIES counts by name) and user families."""
    if families is None or isinstance(families, str) or not isinstance(families, (list, tuple)):
        if isinstance(families, FeatureFamily):
            families = [families]
        else:
            return families, []
    names: list[object] = []
    users: list[FeatureFamily] = []
    for f in families:
        if isinstance(f, FeatureFamily) and BUILTIN_FAMILIES.get(f.name) is f:
            names.append(f.name)
        elif isinstance(f, FeatureFamily):
            users.append(f)
        else:
            names.append(f)
    seen = [f.name for f in users]
    clash = sorted({n for n in seen if n in FAMILIES})
    if clash:
        raise V.fail(func, "families", "may not hold a user family named like a built-in family",
                     f"{clash}", "Rename the family.")
    dup = sorted({n for n in seen if seen.count(n) > 1})
    if dup:
        raise V.fail(func, "families", "must name each family once", f"{dup} repeated",
                     "Pass each family once.")
    builtin_names = {s.name for s in catalog(DEFAULT_WINDOWS).values()}
    features = [n for f in users for n in f.feature_names]
    taken = sorted({n for n in features if n in builtin_names})
    if taken:
        raise V.fail(func, "families", "may not hold a user feature named like a built-in feature",
                     f"{len(taken)}: {taken[:5]}", "Rename the feature.")
    twice = sorted({n for n in features if features.count(n) > 1})
    if twice:
        raise V.fail(func, "families", "must give each feature name once across families",
                     f"{len(twice)} repeated: {twice[:5]}", "Rename the duplicates.")
    return (names if names else None) if users else names, users


def _family_output(fam: FeatureFamily, got: object, index: pd.Index, func: str) -> dict[str, FloatArray]:
    """The compute function's result, checked: exactly the declared features, one float per observation."""
    where = f"family {fam.name!r}"
    if not isinstance(got, Mapping):
        raise V.fail(func, where, "compute must return a mapping of feature name to array",
                     type(got).__name__, "Return {feature name: values}.")
    missing = [n for n in fam.feature_names if n not in got]
    if missing:
        raise V.fail(func, where, "compute must return every declared feature",
                     f"{len(missing)} missing: {missing[:5]}", "Return a value array for each FeatureSpec.")
    extra = [str(n) for n in got if n not in fam.feature_names]
    if extra:
        raise V.fail(func, where, "compute may only return features with a catalog entry (a FeatureSpec)",
                     f"{len(extra)} without one: {extra[:5]}", "Add a FeatureSpec or drop the column.")
    out: dict[str, FloatArray] = {}
    for name in fam.feature_names:
        value = got[name]
        if isinstance(value, pd.Series) and not value.index.equals(index):
            raise V.fail(func, f"{where} feature {name!r}", "must be indexed like the observations "
                         "when it is a Series", f"index {list(value.index[:3])}...",
                         "Return a numpy array in observation order.")
        arr = np.asarray(value)
        if arr.shape != (len(index),):
            raise V.fail(func, f"{where} feature {name!r}", "must have one value per observation",
                         f"shape {arr.shape}, expected ({len(index)},)", "Return a 1-D array of len(view).")
        if arr.dtype.kind not in "biuf":
            raise V.fail(func, f"{where} feature {name!r}", "must be real numbers (float, int or bool)",
                         f"dtype {arr.dtype}", "Return float64 values, NaN where not applicable.")
        out[name] = arr.astype(np.float64)
    return out


def extract(
    records: RecordSet,
    observations: pd.DataFrame,
    *,
    windows: Iterable[int] = DEFAULT_WINDOWS,
    families: Iterable[str | FeatureFamily] | None = None,
    sources: Iterable[str] | None = None,
    date_format: str | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """Point-in-time features of each observation, from the records known at its date.

    Parameters
    ----------
    records : jiebei_credit.records.RecordSet
        The validated record tables. Never modified.
    observations : pandas.DataFrame
        One row per observation with columns ``borrower_id`` (a borrower of
        ``records``) and ``as_of`` (a date without time of day). A borrower
        may have many observations with different dates. Other columns are
        ignored; the index must be unique.
    windows : sequence of int, default (30, 90, 180, 365)
        Window lengths in days of the windowed features, named ``<base>_<w>d``:
        a list, tuple, array or Index of distinct integers from 1 to 3650.
    families : sequence of str or FeatureFamily, optional
        Families to extract: built-in families by name (keys of
        :data:`FAMILIES`) or object (values of :data:`BUILTIN_FAMILIES`),
        and user :class:`FeatureFamily` objects, whose columns follow the
        built-in ones in the order given. By default every built-in family
        whose features' tables are present in ``records`` and allowed by
        ``sources``.
    sources : sequence of str, optional
        Tables the features may read (keys of
        :data:`jiebei_credit.records.SCHEMAS` and user tables of
        ``records``), e.g. the tables the borrower consented to. A built-in
        feature is extracted only when all its tables are allowed; a family
        named in ``families`` whose tables are not all allowed is refused
        (never silently dropped). By default every table.
    date_format : str, optional
        The ``strftime`` format of ``as_of`` when it holds strings, e.g.
        ``"%d/%m/%Y"``. By default strings are read as ISO 8601
        (``"2024-06-01"``). Dates, datetimes and pyarrow ``timestamp`` /
        ``date32`` columns need no format.
    progress : bool or callable, optional
        Feedback while extracting (off by default): ``True`` shows a
        ``tqdm`` bar (extra ``progress``); a callable is called as
        ``progress(done, total, label)`` after each family. The families
        are also logged on the ``jiebei_credit.features`` logger (DEBUG;
        start and end at INFO).

    Returns
    -------
    pandas.DataFrame
        The observations' index, in their order, one row each; one float64
        column per feature in :func:`catalog` order. NaN means "not
        applicable" as each :class:`FeatureSpec` documents.

    Raises
    ------
    InvalidInputError
        When ``records`` is not a RecordSet; when ``observations`` is not a
        frame with ``borrower_id`` and ``as_of`` (once each), has a
        duplicate index, a missing, unknown or non-identifier borrower (a
        float, a bool), a missing date, a date that is not one (a number,
        ``"today"``, a string outside the declared format, a time-zone
        aware or out-of-range date) or a time of day; when ``windows``,
        ``families`` or ``sources`` hold invalid names or values; when a
        requested family needs a table that ``sources`` excludes or
        ``records`` lacks.

    Notes
    -----
    An event is visible at ``as_of`` iff its date is before ``as_of``
    (``occurred_at < as_of`` for transactions); a window of ``w`` days is
    ``[as_of - w, as_of)``. A row of a user table is visible iff its
    knowledge time (``TableSchema.known_at``) is before ``as_of``, and
    windows over it count knowledge days. Statuses (days past due, utilisation) are
    evaluated on status dates ``t`` using the events before ``t``, and the
    windowed status features cover ``(as_of - w, as_of]``. A loan's schedule
    (due dates and amounts) is part of its contract, known from the
    drawdown date. Every output value is therefore a function of the events
    dated before ``as_of`` only.

    Each observation's row depends on that observation alone, so the frame
    can be split into partitions and extracted piecewise.

    References
    ----------
    Personal Information Protection Law of the People's Republic of China
    (2021), Art. 28-29: financial accounts are sensitive personal
    information and need separate consent (hence ``sources=`` and
    :attr:`FeatureSpec.category`).

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.records import RecordSet
    >>> from jiebei_credit.features import extract
    >>> rs = RecordSet.from_frames(
    ...     borrowers=pd.DataFrame({"borrower_id": ["b1"], "business_type": ["individual_business"],
    ...         "industry": [None], "business_registered_on": ["2020-01-01"], "region": [None]}),
    ...     inquiries=pd.DataFrame({"inquiry_id": ["q1", "q2"], "borrower_id": ["b1", "b1"],
    ...         "inquired_on": ["2024-05-20", "2024-06-01"],
    ...         "institution_type": ["bank", "micro_loan"]}))
    >>> obs = pd.DataFrame({"borrower_id": ["b1", "b1"], "as_of": ["2024-06-01", "2024-06-02"]},
    ...                    index=["app-1", "app-2"])
    >>> x = extract(rs, obs, families=["inquiries"])
    >>> x[["inq_count_30d", "inq_nonbank_count_30d", "inq_days_since"]]
           inq_count_30d  inq_nonbank_count_30d  inq_days_since
    app-1            1.0                    0.0            12.0
    app-2            2.0                    1.0             1.0
    """
    func = "extract"
    rs = check_records(records, func=func)
    ws = check_windows(windows, func=func)
    builtin, users = _split_families(families, func)
    fams = selection(builtin, func=func, param="families", allowed=tuple(FAMILIES))
    tables = (*TABLE_NAMES, *rs.user_tables)
    srcs = selection(sources, func=func, param="sources", allowed=tables)
    fmt = V.date_format_param(date_format, func=func)
    check_progress(func, progress)
    allowed = frozenset(tables if srcs is None else srcs)
    requested: list[tuple[str, tuple[str, ...]]] = [(f, FAMILY_SOURCES[f]) for f in (fams or ())]
    requested += [(f.name, f.tables) for f in users]
    if requested:
        for family, need in requested:
            excluded = [t for t in need if srcs is not None and t not in allowed]
            if excluded:
                raise V.fail(func, "families", f"may only name families whose tables sources= allows; "
                             f"{family!r} needs {', '.join(map(repr, excluded))}",
                             f"sources={sorted(allowed)}",
                             "Add the tables to sources or leave the family out.")
            absent = [t for t in need if t not in rs]
            if absent:
                raise V.fail(func, "families", f"may only name families whose tables records holds; "
                             f"{family!r} needs {', '.join(map(repr, absent))}",
                             f"records with {', '.join(rs.tables)}",
                             "Pass the tables to RecordSet.from_frames (a user table with "
                             "RecordSet.with_table) or leave the family out.")
    chosen = set(fams) if fams is not None else (set() if users else set(FAMILIES))
    specs = [
        s
        for s in catalog(ws).values()
        if s.family in chosen and all(t in allowed and t in rs for t in s.sources)
    ]
    obs = check_observations(observations, rs, func=func, date_format=fmt)
    ctx = Context(rs, obs, allowed)
    values: dict[str, FloatArray] = {}
    builtins = [f for f in FAMILIES if any(s.family == f for s in specs)]
    with reporter(progress, func=func, desc="extract", total=len(builtins) + len(users),
                  logger=LOGGER) as report:
        for family in builtins:
            fam = BUILTIN_FAMILIES[family]
            values.update(fam.compute(PointInTimeView(ctx, family, fam.tables, ws)))
            report.advance(family)
        data = {s.name: np.asarray(values[s.name], dtype=np.float64) for s in specs}
        names = [s.name for s in specs]
        for fam in users:
            got = fam.compute(PointInTimeView(ctx, fam.name, fam.tables, ws))
            data.update(_family_output(fam, got, obs.index, func))
            names += fam.feature_names
            report.advance(fam.name)
    return pd.DataFrame(data, index=obs.index, columns=pd.Index(names, dtype=object))
