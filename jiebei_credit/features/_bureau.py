"""Third-party data: Zhima score snapshots and credit inquiries."""

from __future__ import annotations

import numpy as np

from jiebei_credit.features._context import Context, category_codes
from jiebei_credit.features._kernels import FloatArray, Timeline, csum, day_numbers, range_reduce

__all__ = ["inquiry_features", "zhima_features"]


def zhima_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``zhima`` family (see the catalog for definitions)."""
    zs = ctx.table("zhima_scores")
    tl = Timeline.build(ctx.borrower_codes("zhima_scores"), day_numbers(zs["observed_on"].to_numpy()))
    score = tl.take(zs["score"].to_numpy(dtype=np.float64)).astype(np.float64)
    days = tl.days()
    code, day = ctx.obs.code, ctx.obs.day
    start = tl.start(code)
    now = tl.query(code, day)
    has = now > start
    last = np.maximum(now - 1, 0)
    latest = np.where(has, score[last], np.nan) if len(tl) else np.full(len(code), np.nan)
    out: dict[str, FloatArray] = {"zhima_latest": latest}
    out["zhima_age_days"] = np.where(has, day - days[last], np.nan) if len(tl) else latest.copy()
    for w in windows:
        then = tl.query(code, day - w)
        before = then > start
        earlier = score[np.maximum(then - 1, 0)] if len(tl) else latest
        out[f"zhima_change_{w}d"] = np.where(before, latest - earlier, np.nan)
    for w in windows:
        out[f"zhima_min_{w}d"] = range_reduce(np.minimum, score, tl.query(code, day - w), now, np.nan)
    return out


def inquiry_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``inquiries`` family (see the catalog for definitions)."""
    inq = ctx.table("inquiries")
    tl = Timeline.build(ctx.borrower_codes("inquiries"), day_numbers(inq["inquired_on"].to_numpy()))
    nonbank = csum(~tl.take(category_codes(inq["institution_type"], "bank")))
    code, day = ctx.obs.code, ctx.obs.day
    start = tl.start(code)
    now = tl.query(code, day)
    has = now > start
    out: dict[str, FloatArray] = {}
    days = tl.days()
    out["inq_days_since"] = (
        np.where(has, day - days[np.maximum(now - 1, 0)], np.nan) if len(tl) else (np.full(len(code), np.nan))
    )
    for w in windows:
        out[f"inq_count_{w}d"] = (now - tl.query(code, day - w)).astype(np.float64)
    for w in windows:
        out[f"inq_nonbank_count_{w}d"] = nonbank[now] - nonbank[tl.query(code, day - w)]
    return out
