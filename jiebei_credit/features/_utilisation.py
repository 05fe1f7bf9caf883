"""Utilisation features: outstanding principal over the limit, now and over windows.

Daily utilisation ``u(t) = outstanding(t) / limit(t)`` on a status date ``t``
only changes on the day after a drawdown, a payment or a credit-line event,
so it is a step function per borrower. We evaluate it once at every change
point and answer window means and maxima from cumulative integrals and one
range-max, with no per-day or per-observation loop.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from jiebei_credit.features._bases import UTIL, Base, per_window, point
from jiebei_credit.features._context import Context
from jiebei_credit.features._draws import drawn_principal
from jiebei_credit.features._kernels import (
    NEVER,
    FloatArray,
    IntArray,
    Timeline,
    range_reduce,
    range_sum,
    safe_div,
)
from jiebei_credit.features._line import line_state

__all__ = ["NOISE_CNY", "UTILISATION_BASES", "outstanding_at", "utilisation_features"]

#: Outstanding amounts below half a fen are read as 0. The cumulative sums run over the
#: whole table, so their rounding error grows with its size (about 1e-5 CNY at a table
#: total of 1e11); money is kept in fen, so half a fen separates noise from debt at any size.
NOISE_CNY: Final = 0.005


#: Definitions of the ``utilisation`` features (rendered in the catalog and the docs).
UTILISATION_BASES: Final[tuple[Base, ...]] = (
    point(
        "util_now",
        "utilisation",
        "ratio",
        UTIL,
        "Utilisation at as_of: outstanding principal (principal due of instalments of loans drawn "
        "before as_of that were not paid before as_of) divided by the limit in force.",
        "观测日额度使用率:未还本金/当前额度",
        "no line at as_of, or a limit of 0",
    ),
    per_window(
        "util_mean",
        "utilisation",
        "ratio",
        UTIL,
        "Mean of the daily utilisation over the status dates (as_of - {w}, as_of]; days without "
        "a line or with a zero limit are left out.",
        "近{w}天日均额度使用率(无额度或额度为 0 的日子不计)",
        "no day of the window with a positive limit",
    ),
    per_window(
        "util_max",
        "utilisation",
        "ratio",
        UTIL,
        "Largest daily utilisation over the status dates (as_of - {w}, as_of].",
        "近{w}天最高额度使用率",
        "no day of the window with a positive limit",
    ),
    per_window(
        "draw_to_limit",
        "utilisation",
        "ratio",
        ("credit_line_events", "loans"),
        "Principal drawn in the last {w} days divided by the limit in force at as_of.",
        "近{w}天支用金额/当前额度",
        "no line at as_of, or a limit of 0",
    ),
)


def outstanding_at(ctx: Context, code: IntArray, day: IntArray) -> FloatArray:
    """Outstanding principal on status date ``day``.

    The principal due of the instalments of loans drawn before ``day`` that
    were not paid before ``day``: all principal due of the visible loans
    minus the principal repaid. The difference of two cumulative sums
    carries rounding noise, so amounts below :data:`NOISE_CNY` are 0.
    """
    iv = ctx.installments()
    paid_tl, paid_principal = _paid(ctx)
    tl = iv.timeline
    owed = range_sum(iv.principal, tl.start(code), tl.query(code, day)) - range_sum(
        paid_principal, paid_tl.start(code), paid_tl.query(code, day)
    )
    result: FloatArray = np.where(owed > NOISE_CNY, owed, 0.0)
    return result


def _paid(ctx: Context) -> tuple[Timeline, FloatArray]:
    def build() -> tuple[Timeline, FloatArray]:
        iv = ctx.installments()
        done = iv.paid != NEVER
        tl = Timeline.build(iv.borrower[done], iv.paid[done])
        return tl, tl.take(iv.principal[done])

    return ctx.memo("paid", build)


class _Steps:
    """Per-borrower step function: value ``v[j]`` on status dates ``[day[j], day[j+1])``."""

    __slots__ = ("defined_cs", "integral_cs", "timeline", "values")

    def __init__(self, timeline: Timeline, values: FloatArray) -> None:
        self.timeline = timeline
        self.values = values
        day = timeline.days()
        group = timeline.groups()
        length = np.zeros(len(values), dtype=np.float64)
        if len(values) > 1:
            same = group[1:] == group[:-1]
            length[:-1] = np.where(same, day[1:] - day[:-1], 0)
        defined = ~np.isnan(values)
        # Per-step areas in sorted order; cumulative areas are range sums from the borrower's first step.
        self.integral_cs = np.where(defined, values, 0.0) * length
        self.defined_cs = defined * length

    def _last_before(self, code: IntArray, day: IntArray) -> tuple[IntArray, np.ndarray, IntArray]:
        tl = self.timeline
        start = tl.start(code)
        j = tl.query(code, day) - 1
        return np.maximum(j, 0), j >= start, start

    def value(self, code: IntArray, day: IntArray) -> FloatArray:
        """Value on status date ``day`` (NaN when undefined)."""
        j, found, _ = self._last_before(code, day + 1)
        if not len(self.values):
            return np.full(len(code), np.nan)
        return np.where(found, self.values[j], np.nan)

    def _cumulative(self, cs: FloatArray, rate: FloatArray, code: IntArray, day: IntArray) -> FloatArray:
        j, found, start = self._last_before(code, day)
        if not len(self.values):
            return np.zeros(len(code))
        days = self.timeline.days()
        inside = range_sum(cs, start, np.where(found, j, start)) + rate[j] * (day - days[j])
        return np.where(found, inside, 0.0)

    def mean(self, code: IntArray, first: IntArray, last: IntArray) -> FloatArray:
        """Mean over the defined status dates in ``[first, last]``; NaN when there is none."""
        defined = ~np.isnan(self.values)
        vv = np.where(defined, self.values, 0.0)
        total = self._cumulative(self.integral_cs, vv, code, last + 1) - self._cumulative(
            self.integral_cs, vv, code, first
        )
        ones = defined.astype(np.float64)
        count = self._cumulative(self.defined_cs, ones, code, last + 1) - self._cumulative(
            self.defined_cs, ones, code, first
        )
        out = np.full(len(code), np.nan)
        ok = count > 0.5
        out[ok] = total[ok] / count[ok]
        return out

    def max(self, code: IntArray, first: IntArray, last: IntArray) -> FloatArray:
        """Largest defined value on the status dates ``[first, last]``; NaN when there is none."""
        ja, found_a, start = self._last_before(code, first + 1)
        jb, found_b, _ = self._last_before(code, last + 1)
        lo = np.where(found_a, ja, start)
        hi = np.where(found_b, jb + 1, start)
        filled = np.where(np.isnan(self.values), -np.inf, self.values)
        out = range_reduce(np.maximum, filled, lo, hi, -np.inf)
        out[np.isneginf(out)] = np.nan
        return out


def _steps(ctx: Context) -> _Steps:
    def build() -> _Steps:
        state = line_state(ctx)
        lv = ctx.loans()
        iv = ctx.installments()
        done = iv.paid != NEVER
        groups = np.concatenate([state.timeline.groups(), lv.borrower, iv.borrower[done]])
        days = np.concatenate([state.timeline.days(), lv.drawn, iv.paid[done]]) + 1
        tl = Timeline.build(groups, days)
        first = np.ones(len(tl), dtype=bool)
        first[1:] = tl.key[1:] != tl.key[:-1]
        points = Timeline(order=tl.order[first], key=tl.key[first], day0=tl.day0, span=tl.span)
        code, day = points.groups(), points.days()
        limit = state.limit_at(code, day)
        owed = outstanding_at(ctx, code, day)
        values = np.full(len(points), np.nan)
        ok = limit > 0
        values[ok] = owed[ok] / limit[ok]
        return _Steps(points, values)

    return ctx.memo("util_steps", build)


def utilisation_features(ctx: Context, windows: tuple[int, ...]) -> dict[str, FloatArray]:
    """Features of the ``utilisation`` family (see the catalog for definitions)."""
    code, day = ctx.obs.code, ctx.obs.day
    out: dict[str, FloatArray] = {}
    if ctx.has("installments"):
        steps = _steps(ctx)
        out["util_now"] = steps.value(code, day)
        for w in windows:
            out[f"util_mean_{w}d"] = steps.mean(code, day - w + 1, day)
        for w in windows:
            out[f"util_max_{w}d"] = steps.max(code, day - w + 1, day)
    limit = line_state(ctx).limit_at(code, day)
    limit = np.where(limit > 0, limit, np.nan)
    for w in windows:
        out[f"draw_to_limit_{w}d"] = safe_div(drawn_principal(ctx, code, day - w, day), limit)
    return out
