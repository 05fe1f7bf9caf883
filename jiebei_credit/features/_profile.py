"""Business-profile features from the borrowers table."""

from __future__ import annotations

import numpy as np

from jiebei_credit.features._context import Context, category_codes
from jiebei_credit.features._kernels import MONTH_DAYS, FloatArray, day_numbers

__all__ = ["profile_features"]


def profile_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``profile`` family (see the catalog for definitions)."""
    b = ctx.table("borrowers")
    code, day = ctx.obs.code, ctx.obs.day
    registered = day_numbers(b["business_registered_on"].to_numpy())[code]
    kind = b["business_type"]
    return {
        "business_age_months": np.where(registered < day, (day - registered) / MONTH_DAYS, np.nan),
        "is_registered_business": (~category_codes(kind, "unregistered"))[code].astype(np.float64),
        "is_limited_company": category_codes(kind, "limited_company")[code].astype(np.float64),
    }
