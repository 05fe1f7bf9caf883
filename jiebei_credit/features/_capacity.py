"""Repayment-capacity features: the line's debt service against merchant receipts.

Written against the public point-in-time view: sale receipts are window sums
over ``events("transactions").where("kind", ["sale"])``, drawn principal over
``events("loans")``, and the debt service a pass of
:meth:`Segments.map_pairs` over the instalments (see
:func:`~jiebei_credit.features._repayment.debt_service`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from jiebei_credit.features._bases import CAP, Base, per_window
from jiebei_credit.features._kernels import FloatArray, safe_div
from jiebei_credit.features._repayment import SERVICE_DAYS, debt_service

if TYPE_CHECKING:
    from jiebei_credit.features._family import PointInTimeView

__all__ = ["CAPACITY_BASES", "capacity_features"]


#: Definitions of the ``capacity`` features (rendered in the catalog and the docs).
CAPACITY_BASES: Final[tuple[Base, ...]] = (
    Base(
        name="debt_service_coverage_90d",
        family="capacity",
        unit="ratio",
        sources=CAP,
        description="Sale receipts of the last 90 days divided by the debt service of the line: "
        "principal and interest of the instalments not paid before as_of that are overdue or "
        "due in the 90 days from as_of (loans drawn before as_of).",
        description_zh="近 90 天销售收款/未来 90 天应还本息(含逾期)",
        nan_meaning="no cash-flow history, or no instalment overdue or due in the next 90 days",
        fixed_window=90,
    ),
    per_window(
        "draw_to_receipts",
        "capacity",
        "ratio",
        ("transactions", "loans"),
        "Principal drawn in the last {w} days divided by the sale receipts of the same days.",
        "近{w}天支用金额/销售收款",
        "no cash-flow history, or no sale in the window",
    ),
)


def capacity_features(view: PointInTimeView) -> dict[str, FloatArray]:
    """Features of the ``capacity`` family (see the catalog for definitions)."""
    tx = view.events("transactions")
    sales = tx.where("kind", ["sale"])
    loans = view.events("loans")
    has = tx.count() > 0  # any cash-flow history before as_of
    out: dict[str, FloatArray] = {}
    if view.has("installments"):
        service = debt_service(view)
        receipts = sales.sum("amount", SERVICE_DAYS)
        out["debt_service_coverage_90d"] = safe_div(receipts, np.where(service > 0, service, np.nan))
    for w in view.windows:
        receipts, count = sales.sum("amount", w), sales.count(w)
        drawn = loans.sum("principal", w)
        out[f"draw_to_receipts_{w}d"] = np.where(count > 0, safe_div(drawn, receipts), np.nan)
    for values in out.values():
        values[~has] = np.nan
    return out
