"""Point-in-time features and outcome labels from the record tables.

:func:`extract` turns a :class:`~jiebei_credit.records.RecordSet` and a frame
of observations (``borrower_id``, ``as_of``) into one row of float64
features per observation, using only the events dated before each
``as_of``. :data:`CATALOG` documents every feature (definition in English
and Chinese, source tables, data category, when it is NaN);
:func:`catalog` gives the same for other windows. :func:`outcomes` labels
each observation bad or good over a forward horizon.

Examples
--------
>>> from jiebei_credit.features import CATALOG, FAMILIES
>>> len(CATALOG) >= 60
True
>>> list(FAMILIES)[:4]
['line', 'utilisation', 'draws', 'repayment']
>>> CATALOG["dpd_now"].description_zh
'观测日逾期天数:最早一期未还且已到期分期的应还日至观测日的天数'
"""

from jiebei_credit.features._catalog import (
    CATALOG,
    DEFAULT_WINDOWS,
    FAMILIES,
    DataCategory,
    FeatureSpec,
    catalog,
)
from jiebei_credit.features._check import (
    CHECKS,
    PointInTimeFailure,
    PointInTimeReport,
    check_point_in_time,
)
from jiebei_credit.features._extract import BUILTIN_FAMILIES, FAMILY_SOURCES, extract
from jiebei_credit.features._family import FeatureFamily, PointInTimeView, Segments
from jiebei_credit.features._lookup import specs_for
from jiebei_credit.features._outcomes import outcomes
from jiebei_credit.features._pairs import Pairs
from jiebei_credit.features._steps import StepSeries

__all__ = [
    "BUILTIN_FAMILIES",
    "CATALOG",
    "CHECKS",
    "DEFAULT_WINDOWS",
    "FAMILIES",
    "FAMILY_SOURCES",
    "DataCategory",
    "FeatureFamily",
    "FeatureSpec",
    "Pairs",
    "PointInTimeFailure",
    "PointInTimeReport",
    "PointInTimeView",
    "Segments",
    "StepSeries",
    "catalog",
    "check_point_in_time",
    "extract",
    "outcomes",
    "specs_for",
]
