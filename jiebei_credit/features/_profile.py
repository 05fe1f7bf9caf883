"""Business-profile features from the borrowers table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import PROFILE, Base, point
from jiebei_credit.features._kernels import MONTH_DAYS, FloatArray, day_numbers

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["PROFILE_BASES", "profile_features"]


#: Definitions of the ``profile`` features (rendered in the catalog and the docs).
PROFILE_BASES: Final[tuple[Base, ...]] = (
    point(
        "business_age_months",
        "profile",
        "months",
        PROFILE,
        "Months since the business registration date, days / 30.4375.",
        "工商登记至今月数",
        "no registration date, or registered on or after as_of",
    ),
    point(
        "is_registered_business",
        "profile",
        "flag (0/1)",
        PROFILE,
        "1 when the business has a registered legal form (business_type is not 'unregistered') "
        "and was registered before as_of; 0 when the registration date is missing or not yet reached.",
        "是否为登记经营主体(观测日前已登记;登记日期缺失或在观测日及之后记为0)",
        "never NaN",
    ),
    point(
        "is_limited_company",
        "profile",
        "flag (0/1)",
        PROFILE,
        "1 when the business is a limited company (有限责任公司) registered before as_of; 0 when "
        "the registration date is missing or not yet reached.",
        "是否为有限责任公司(观测日前已登记)",
        "never NaN",
    ),
)


def profile_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``profile`` family (see the catalog for definitions)."""
    day = view.as_of.astype(np.int64)
    registered = day_numbers(view.profile("business_registered_on"))
    kind = view.profile("business_type")
    # The borrowers table is today's snapshot: a legal form counts only from its
    # registration date (a missing date is NEVER, so it never counts).
    in_force = registered < day
    return {
        "business_age_months": np.where(in_force, (day - registered) / MONTH_DAYS, np.nan),
        "is_registered_business": ((kind != "unregistered") & in_force).astype(np.float64),
        "is_limited_company": ((kind == "limited_company") & in_force).astype(np.float64),
    }
