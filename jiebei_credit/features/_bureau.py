"""Third-party data: Zhima score snapshots and credit inquiries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from jiebei_credit.features._bases import INQ, ZHIMA, Base, per_window, point
from jiebei_credit.features._kernels import FloatArray

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

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


def zhima_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``zhima`` family (see the catalog for definitions)."""
    scores = view.events("zhima_scores")
    latest = scores.last("score")
    out: dict[str, FloatArray] = {"zhima_latest": latest, "zhima_age_days": scores.days_since_last()}
    for w in view.windows:
        out[f"zhima_change_{w}d"] = latest - scores.last_before("score", w)
    for w in view.windows:
        out[f"zhima_min_{w}d"] = scores.min("score", w)
    return out


def inquiry_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``inquiries`` family (see the catalog for definitions)."""
    inq = view.events("inquiries")
    out: dict[str, FloatArray] = {"inq_days_since": inq.days_since_last()}
    counts = {w: inq.count(w) for w in view.windows}
    out.update({f"inq_count_{w}d": counts[w] for w in view.windows})
    for w in view.windows:
        out[f"inq_nonbank_count_{w}d"] = counts[w] - inq.count_where("institution_type", ["bank"], w)
    return out
