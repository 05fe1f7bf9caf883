"""Repayment-capacity features: the line's debt service against merchant receipts."""

from __future__ import annotations

import numpy as np

from jiebei_credit.features._cashflow import flows
from jiebei_credit.features._context import Context
from jiebei_credit.features._draws import drawn_principal
from jiebei_credit.features._kernels import FloatArray, safe_div
from jiebei_credit.features._repayment import SERVICE_DAYS, repayment_stats

__all__ = ["capacity_features"]


def capacity_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``capacity`` family (see the catalog for definitions)."""
    fl = flows(ctx)
    code, day = ctx.obs.code, ctx.obs.day
    out: dict[str, FloatArray] = {}
    if ctx.has("installments"):
        key = f"repayment:{windows}"
        stats = repayment_stats(ctx, windows if ctx.memoised(key) else ())
        service = stats["_debt_service_90d"]
        receipts, _ = fl.sales(0, SERVICE_DAYS)
        out["debt_service_coverage_90d"] = safe_div(receipts, np.where(service > 0, service, np.nan))
    for w in windows:
        receipts, count = fl.sales(0, w)
        drawn = drawn_principal(ctx, code, day - w, day)
        out[f"draw_to_receipts_{w}d"] = np.where(count > 0, safe_div(drawn, receipts), np.nan)
    for values in out.values():
        values[~fl.has] = np.nan
    return out
