"""Credit-line features: limit and rate in force, line age, limit changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import CLE, NO_LINE, Base, per_window, point
from jiebei_credit.features._kernels import MONTH_DAYS, FloatArray

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["LINE_BASES", "line_features"]


#: Definitions of the ``line`` features (rendered in the catalog and the docs).
LINE_BASES: Final[tuple[Base, ...]] = (
    point(
        "limit_now",
        "line",
        "CNY",
        CLE,
        "Credit limit in force at as_of: the latest credit-line event effective before as_of; "
        "0 when the line is frozen or closed.",
        "观测日生效的授信额度(观测日前最近一次额度事件);0 表示冻结或关闭",
        NO_LINE,
    ),
    point(
        "daily_rate_now",
        "line",
        "decimal per day",
        CLE,
        "Daily rate of the line in force at as_of (0.0004 is 0.04 % a day).",
        "观测日生效的额度日利率",
        NO_LINE,
    ),
    point(
        "line_age_months",
        "line",
        "months",
        CLE,
        "Months since the first credit-line event (the line's opening), days / 30.4375.",
        "授信开通至今的月数(天数/30.4375)",
        NO_LINE,
    ),
    per_window(
        "limit_increase_count",
        "line",
        "count",
        CLE,
        "Limit increases effective in the last {w} days: events whose limit exceeds the "
        "borrower's previous event's limit.",
        "近{w}天提额次数",
        NO_LINE,
    ),
    per_window(
        "limit_decrease_count",
        "line",
        "count",
        CLE,
        "Limit decreases, freezes included, effective in the last {w} days.",
        "近{w}天降额(含冻结)次数",
        NO_LINE,
    ),
    per_window(
        "limit_ratio",
        "line",
        "ratio",
        CLE,
        "Limit in force at as_of divided by the limit in force {w} days earlier.",
        "当前额度与{w}天前额度之比",
        "no line {w} days before as_of, or that limit was 0",
    ),
)


def line_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``line`` family (see the catalog for definitions)."""
    events = view.events("credit_line_events")
    has = events.count() > 0
    limit_now = events.last("limit")
    out: dict[str, FloatArray] = {
        "limit_now": limit_now,
        "daily_rate_now": events.last("daily_rate"),
        "line_age_months": events.days_since_first() / MONTH_DAYS,
    }
    for w in view.windows:
        out[f"limit_increase_count_{w}d"] = np.where(has, events.count_changes("limit", "up", w), np.nan)
        out[f"limit_decrease_count_{w}d"] = np.where(has, events.count_changes("limit", "down", w), np.nan)
        before = events.last_before("limit", w)
        ratio = np.full(len(view), np.nan)
        ok = has & (before > 0)
        ratio[ok] = limit_now[ok] / before[ok]
        out[f"limit_ratio_{w}d"] = ratio
    return out
