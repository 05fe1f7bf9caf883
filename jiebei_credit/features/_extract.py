"""``extract``: point-in-time features for a frame of observations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.features._bureau import inquiry_features, zhima_features
from jiebei_credit.features._capacity import capacity_features
from jiebei_credit.features._cashflow import cashflow_features
from jiebei_credit.features._catalog import DEFAULT_WINDOWS, FAMILIES, catalog, check_windows
from jiebei_credit.features._context import Context
from jiebei_credit.features._draws import draw_features
from jiebei_credit.features._kernels import FloatArray
from jiebei_credit.features._line import line_features
from jiebei_credit.features._observations import check_observations, check_records, selection
from jiebei_credit.features._profile import profile_features
from jiebei_credit.features._repayment import repayment_features
from jiebei_credit.features._utilisation import utilisation_features
from jiebei_credit.records import TABLE_NAMES

__all__ = ["FAMILY_SOURCES", "extract"]

_Family = Callable[[Context, tuple[int, ...]], dict[str, FloatArray]]

_COMPUTE: Final[Mapping[str, _Family]] = {
    "line": line_features,
    "utilisation": utilisation_features,
    "draws": draw_features,
    "repayment": repayment_features,
    "cashflow": cashflow_features,
    "capacity": capacity_features,
    "zhima": zhima_features,
    "inquiries": inquiry_features,
    "profile": profile_features,
}


def _family_sources() -> dict[str, tuple[str, ...]]:
    union: dict[str, dict[str, None]] = {f: {} for f in FAMILIES}
    for spec in catalog(DEFAULT_WINDOWS).values():
        for table in spec.sources:
            union[spec.family][table] = None
    return {f: tuple(t for t in TABLE_NAMES if t in tables) for f, tables in union.items()}


#: Tables each family reads (the union over its features), in TABLE_NAMES order.
FAMILY_SOURCES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(_family_sources())


def extract(
    records: object,
    observations: pd.DataFrame,
    *,
    windows: Iterable[int] = DEFAULT_WINDOWS,
    families: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    date_format: str | None = None,
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
    families : sequence of str, optional
        Families to extract (keys of :data:`FAMILIES`). By default every
        family whose features' tables are present in ``records`` and allowed
        by ``sources``.
    sources : sequence of str, optional
        Tables the features may read (keys of
        :data:`jiebei_credit.records.SCHEMAS`), e.g. the tables the borrower
        consented to. A feature is extracted only when all its tables are
        allowed. By default every table.
    date_format : str, optional
        The ``strftime`` format of ``as_of`` when it holds strings, e.g.
        ``"%d/%m/%Y"``. By default strings are read as ISO 8601
        (``"2024-06-01"``). Dates, datetimes and pyarrow ``timestamp`` /
        ``date32`` columns need no format.

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
    ``[as_of - w, as_of)``. Statuses (days past due, utilisation) are
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
    fams = selection(families, func=func, param="families", allowed=tuple(FAMILIES))
    srcs = selection(sources, func=func, param="sources", allowed=TABLE_NAMES)
    fmt = V.date_format_param(date_format, func=func)
    allowed = frozenset(TABLE_NAMES if srcs is None else srcs)
    if fams is not None:
        for family in fams:
            need = FAMILY_SOURCES[family]
            excluded = [t for t in need if t not in allowed]
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
                             "Pass the tables to RecordSet.from_frames or leave the family out.")
    chosen = set(fams) if fams is not None else set(FAMILIES)
    specs = [
        s
        for s in catalog(ws).values()
        if s.family in chosen and all(t in allowed and t in rs for t in s.sources)
    ]
    obs = check_observations(observations, rs, func=func, date_format=fmt)
    ctx = Context(rs, obs, allowed)
    values: dict[str, FloatArray] = {}
    for family in FAMILIES:
        if any(s.family == family for s in specs):
            values.update(_COMPUTE[family](ctx, ws))
    data = {s.name: np.asarray(values[s.name], dtype=np.float64) for s in specs}
    return pd.DataFrame(data, index=obs.index, columns=pd.Index([s.name for s in specs], dtype=object))
