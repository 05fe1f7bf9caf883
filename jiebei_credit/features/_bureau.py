"""Third-party data: Zhima score snapshots and credit inquiries."""

from __future__ import annotations

from typing import Final

import numpy as np

from jiebei_credit.features._bases import INQ, ZHIMA, Base, per_window, point
from jiebei_credit.features._context import Context, category_codes
from jiebei_credit.features._kernels import FloatArray, Timeline, csum, day_numbers, range_reduce

__all__ = ["INQUIRY_BASES", "ZHIMA_BASES", "inquiry_features", "zhima_features"]


#: Definitions of the ``inquiries`` features (rendered in the catalog and the docs).
INQUIRY_BASES: Final[tuple[Base, ...]] = (
    point(
        "inq_days_since",
        "inquiries",
        "days",
        INQ,
        "Days from the latest credit inquiry before as_of to as_of.",
        "最近一次征信查询距观测日天数",
        "no inquiry before as_of",
    ),
    per_window(
        "inq_count",
        "inquiries",
        "count",
        INQ,
        "Credit inquiries by any institution in the last {w} days.",
        "近{w}天征信查询次数(全部机构)",
        "never NaN (0 without inquiries)",
    ),
    per_window(
        "inq_nonbank_count",
        "inquiries",
        "count",
        INQ,
        "Credit inquiries in the last {w} days by institutions other than commercial banks "
        "(consumer-finance, micro-loan, guarantee and other).",
        "近{w}天非银行机构征信查询次数",
        "never NaN (0 without inquiries)",
    ),
)


#: Definitions of the ``zhima`` features (rendered in the catalog and the docs).
ZHIMA_BASES: Final[tuple[Base, ...]] = (
    point(
        "zhima_latest",
        "zhima",
        "score points",
        ZHIMA,
        "Latest Zhima score observed before as_of.",
        "观测日前最近一次芝麻分",
        "no Zhima snapshot before as_of",
    ),
    point(
        "zhima_age_days",
        "zhima",
        "days",
        ZHIMA,
        "Days from the latest Zhima snapshot before as_of to as_of.",
        "最近一次芝麻分距观测日天数",
        "no Zhima snapshot before as_of",
    ),
    per_window(
        "zhima_change",
        "zhima",
        "score points",
        ZHIMA,
        "Latest score minus the latest score observed before as_of - {w} days.",
        "芝麻分较{w}天前的变化",
        "no Zhima snapshot before as_of - {w} days",
    ),
    per_window(
        "zhima_min",
        "zhima",
        "score points",
        ZHIMA,
        "Lowest Zhima score observed in the last {w} days.",
        "近{w}天最低芝麻分",
        "no Zhima snapshot in the window",
    ),
)


def zhima_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``zhima`` family (see the catalog for definitions)."""
    zs = ctx.table("zhima_scores")
    seen = zs["observed_on"].to_numpy()
    raw_score = zs["score"].to_numpy(dtype=np.float64)
    ties = (seen.astype("datetime64[ns]").view(np.int64), raw_score)
    tl = Timeline.build(ctx.borrower_codes("zhima_scores"), day_numbers(seen), ties=ties)
    score = tl.take(raw_score).astype(np.float64)
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
