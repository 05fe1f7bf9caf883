"""A slow, obviously correct reference for every feature family and the outcome.

Plain Python over rows, one observation at a time, written from the
definitions in the catalog (not from the vectorised code): a status on date
``t`` is recomputed from scratch for every day it is needed. Dates are
``datetime.date``; transactions keep their time and are compared with the
midnight of ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit.records import RecordSet

NAN = float("nan")
MONTH = 30.4375
DAY = dt.timedelta(days=1)


def _date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    return pd.Timestamp(v).date()


def _rows(rs: RecordSet, name: str) -> list[dict[str, Any]]:
    if name not in rs:
        return []
    return rs[name].astype(object).where(rs[name].notna(), None).to_dict("records")


@dataclass
class Inst:
    loan: str
    seq: int
    drawn: dt.date
    due: dt.date
    paid: dt.date | None
    principal: float
    interest: float

    def paid_before(self, t: dt.date) -> bool:
        return self.paid is not None and self.paid < t

    def past_due_on(self, t: dt.date) -> bool:
        return self.due < t and not self.paid_before(t)


class Reference:
    """Per-borrower lists of every table, and the features of one observation at a time."""

    def __init__(self, rs: RecordSet) -> None:
        self.borrowers = {r["borrower_id"]: r for r in _rows(rs, "borrowers")}
        self.lines: dict[str, list[tuple[dt.date, float, float]]] = defaultdict(list)
        for r in _rows(rs, "credit_line_events"):
            self.lines[r["borrower_id"]].append(
                (_date(r["effective_on"]), float(r["limit"]), float(r["daily_rate"]))
            )
        for v in self.lines.values():
            v.sort()
        self.loans: dict[str, list[dict[str, Any]]] = defaultdict(list)
        loan_of: dict[str, dict[str, Any]] = {}
        for r in _rows(rs, "loans"):
            r = dict(r, drawn_on=_date(r["drawn_on"]))
            self.loans[r["borrower_id"]].append(r)
            loan_of[r["loan_id"]] = r
        self.insts: dict[str, list[Inst]] = defaultdict(list)
        for r in _rows(rs, "installments"):
            loan = loan_of[r["loan_id"]]
            self.insts[loan["borrower_id"]].append(
                Inst(
                    r["loan_id"],
                    int(r["seq"]),
                    loan["drawn_on"],
                    _date(r["due_on"]),
                    _date(r["paid_on"]),
                    float(r["principal_due"]),
                    float(r["interest_due"]),
                )
            )
        for v in self.insts.values():
            v.sort(key=lambda i: (i.loan, i.seq))
        self.txs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in _rows(rs, "transactions"):
            self.txs[r["borrower_id"]].append(
                dict(r, occurred_at=pd.Timestamp(r["occurred_at"]).to_pydatetime())
            )
        self.scores: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for r in _rows(rs, "zhima_scores"):
            self.scores[r["borrower_id"]].append((_date(r["observed_on"]), float(r["score"])))
        for v in self.scores.values():
            v.sort()
        self.inquiries: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
        for r in _rows(rs, "inquiries"):
            self.inquiries[r["borrower_id"]].append((_date(r["inquired_on"]), str(r["institution_type"])))

    # ---- statuses on a date ------------------------------------------------
    def limit_on(self, b: str, t: dt.date) -> float | None:
        seen = [lim for eff, lim, _ in self.lines[b] if eff < t]
        return seen[-1] if seen else None

    def outstanding_on(self, b: str, t: dt.date) -> float:
        return sum(i.principal for i in self.insts[b] if i.drawn < t and not i.paid_before(t))

    def util_on(self, b: str, t: dt.date) -> float | None:
        limit = self.limit_on(b, t)
        if limit is None or limit == 0:
            return None
        return self.outstanding_on(b, t) / limit

    def dpd_on(self, b: str, t: dt.date) -> int:
        late = [(t - i.due).days for i in self.insts[b] if i.past_due_on(t)]
        return max(late, default=0)

    # ---- families ------------------------------------------------------------
    def line(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        ev = self.lines[b]
        seen = [e for e in ev if e[0] < d]
        out: dict[str, float] = {}
        out["limit_now"] = seen[-1][1] if seen else NAN
        out["daily_rate_now"] = seen[-1][2] if seen else NAN
        out["line_age_months"] = (d - seen[0][0]).days / MONTH if seen else NAN
        for w in windows:
            start = d - w * DAY
            ups = sum(1 for k in range(1, len(ev)) if start <= ev[k][0] < d and ev[k][1] > ev[k - 1][1])
            downs = sum(1 for k in range(1, len(ev)) if start <= ev[k][0] < d and ev[k][1] < ev[k - 1][1])
            out[f"limit_increase_count_{w}d"] = ups if seen else NAN
            out[f"limit_decrease_count_{w}d"] = downs if seen else NAN
            before = self.limit_on(b, start)
            out[f"limit_ratio_{w}d"] = out["limit_now"] / before if seen and before else NAN
        return out

    def utilisation(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        now = self.util_on(b, d)
        out = {"util_now": NAN if now is None else now}
        for w in windows:
            values = [u for k in range(w) if (u := self.util_on(b, d - k * DAY)) is not None]
            out[f"util_mean_{w}d"] = sum(values) / len(values) if values else NAN
            out[f"util_max_{w}d"] = max(values) if values else NAN
        limit = self.limit_on(b, d)
        for w in windows:
            drawn = sum(r["principal"] for r in self.loans[b] if d - w * DAY <= r["drawn_on"] < d)
            out[f"draw_to_limit_{w}d"] = drawn / limit if limit else NAN
        return out

    def draws(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        seen = [r for r in self.loans[b] if r["drawn_on"] < d]
        payoff: dict[str, dt.date] = {}
        for r in self.loans[b]:
            paid = [i.paid for i in self.insts[b] if i.loan == r["loan_id"]]
            if paid and all(p is not None for p in paid):
                payoff[r["loan_id"]] = max(paid)  # type: ignore[type-var]
        out: dict[str, float] = {}
        for w in windows:
            inside = [r for r in seen if r["drawn_on"] >= d - w * DAY]
            out[f"draw_count_{w}d"] = len(inside)
            out[f"redraw_after_payoff_count_{w}d"] = sum(
                1
                for r in inside
                if any(
                    k != r["loan_id"] and p < d and r["drawn_on"] - 7 * DAY <= p <= r["drawn_on"]
                    for k, p in payoff.items()
                )
            )
        out["days_since_last_draw"] = (d - max(r["drawn_on"] for r in seen)).days if seen else NAN
        out["credit_history_months"] = (d - min(r["drawn_on"] for r in seen)).days / MONTH if seen else NAN
        out["long_term_share"] = sum(r["term_months"] >= 12 for r in seen) / len(seen) if seen else NAN
        out["business_purpose_share"] = (
            sum(r["purpose"] == "business" for r in seen) / len(seen) if seen else NAN
        )
        return out

    def repayment(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        visible = [i for i in self.insts[b] if i.drawn < d]
        names = [
            "dpd_now",
            "overdue_amount_now",
            "outstanding_now",
            "active_loans_now",
            "days_since_delinquency",
            "delinq_3c6c_24m",
        ]
        for w in windows:
            names += [
                f"dpd_max_{w}d",
                f"dpd1_count_{w}d",
                f"dpd30_count_{w}d",
                f"dpd90_count_{w}d",
                f"ontime_ratio_{w}d",
                f"prepaid_share_{w}d",
            ]
        if not visible:
            return dict.fromkeys(names, NAN)
        out: dict[str, float] = {}
        out["dpd_now"] = self.dpd_on(b, d)
        out["overdue_amount_now"] = sum(i.principal + i.interest for i in visible if i.past_due_on(d))
        out["outstanding_now"] = sum(i.principal for i in visible if not i.paid_before(d))
        out["active_loans_now"] = len({i.loan for i in visible if not i.paid_before(d)})
        earliest = min(i.due for i in visible)
        last_late = next(
            (t for k in range((d - earliest).days + 1) if self.dpd_on(b, t := d - k * DAY) > 0), None
        )
        out["days_since_delinquency"] = (d - last_late).days if last_late else NAN
        recent = [i for i in visible if d - 730 * DAY <= i.due < d]
        late = {(i.loan, i.seq) for i in recent if not i.paid_before(d) or i.paid > i.due}  # type: ignore[operator]
        three = any((lo, s + 1) in late and (lo, s + 2) in late for lo, s in late)
        out["delinq_3c6c_24m"] = float(len(late) >= 6 or three)
        for w in windows:
            days = [d - k * DAY for k in range(w)]
            out[f"dpd_max_{w}d"] = max(self.dpd_on(b, t) for t in days)
            for k in (1, 30, 90):
                out[f"dpd{k}_count_{w}d"] = sum(
                    1 for i in visible if any(i.past_due_on(t) and (t - i.due).days >= k for t in days)
                )
            due_in = [i for i in visible if d - w * DAY <= i.due < d]
            ontime = [i for i in due_in if i.paid_before(d) and i.paid <= i.due]  # type: ignore[operator]
            out[f"ontime_ratio_{w}d"] = len(ontime) / len(due_in) if due_in else NAN
            paid_in = [i for i in visible if i.paid_before(d) and i.paid >= d - w * DAY]  # type: ignore[operator]
            early = [i for i in paid_in if (i.due - i.paid).days >= 30]  # type: ignore[operator]
            out[f"prepaid_share_{w}d"] = len(early) / len(paid_in) if paid_in else NAN
        return out

    def _tx(self, b: str, d: dt.date, w: int, newer: int = 0) -> list[dict[str, Any]]:
        lo = dt.datetime.combine(d - w * DAY, dt.time())
        hi = dt.datetime.combine(d - newer * DAY, dt.time())
        return [t for t in self.txs[b] if lo <= t["occurred_at"] < hi]

    def cashflow(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        midnight = dt.datetime.combine(d, dt.time())
        seen = [t for t in self.txs[b] if t["occurred_at"] < midnight]
        out: dict[str, float] = {}

        def sales(rows: list[dict[str, Any]]) -> float:
            return sum(t["amount"] for t in rows if t["kind"] == "sale")

        def blocks(m: int) -> list[float]:
            return [sales(self._tx(b, d, 30 * (k + 1), 30 * k)) for k in range(m)]

        out["merchant_tenure_months"] = (
            (d - min(t["occurred_at"] for t in seen).date()).days / MONTH if seen else 0
        )
        for w in windows:
            rows = self._tx(b, d, w)
            sale_rows = [t for t in rows if t["kind"] == "sale"]
            out[f"receipts_monthly_mean_{w}d"] = sales(rows) * 30 / w
            m = w // 30
            if m >= 2:
                blk = blocks(m)
                mean = statistics.fmean(blk)
                out[f"receipts_cv_{w}d"] = statistics.pstdev(blk) / mean if mean else NAN
            if m >= 3:
                blk = blocks(m)[::-1]  # oldest first
                out[f"receipts_trend_{w}d"] = float(np.polyfit(np.arange(m), np.log1p(blk), 1)[0])
            out[f"active_day_ratio_{w}d"] = len({t["occurred_at"].date() for t in sale_rows}) / w
            if m >= 1:
                out[f"zero_sale_months_{w}d"] = sum(1 for s in blocks(m) if s == 0)
            by_payer: dict[str, list[float]] = defaultdict(list)
            for t in sale_rows:
                if t["counterparty_id"] is not None:
                    by_payer[t["counterparty_id"]].append(t["amount"])
            total = sum(sum(v) for v in by_payer.values())
            out[f"payer_count_{w}d"] = len(by_payer)
            out[f"payer_hhi_{w}d"] = (
                sum((sum(v) / total) ** 2 for v in by_payer.values()) if by_payer else NAN
            )
            out[f"payer_top1_share_{w}d"] = (
                max(sum(v) for v in by_payer.values()) / total if by_payer else NAN
            )
            out[f"repeat_payer_ratio_{w}d"] = (
                sum(len(v) >= 2 for v in by_payer.values()) / len(by_payer) if by_payer else NAN
            )
            refunds = sum(t["amount"] for t in rows if t["kind"] == "refund")
            out[f"refund_ratio_{w}d"] = refunds / sales(rows) if sale_rows else NAN
            op_in = sum(
                t["amount"] for t in rows if t["direction"] == "in" and t["kind"] != "loan_disbursement"
            )
            op_out = sum(
                t["amount"] for t in rows if t["direction"] == "out" and t["kind"] != "loan_repayment"
            )
            out[f"net_inflow_monthly_{w}d"] = (op_in - op_out) * 30 / w
            inflow = [t["amount"] for t in rows if t["direction"] == "in"]
            lent = sum(t["amount"] for t in rows if t["kind"] == "loan_disbursement")
            out[f"loan_inflow_share_{w}d"] = lent / sum(inflow) if inflow else NAN
        earlier = [t for t in self._tx(b, d, 180, 90) if t["kind"] == "sale"]
        out["receipts_growth_3v3m"] = sales(self._tx(b, d, 90)) / sales(earlier) - 1 if earlier else NAN
        if not seen:
            out = dict.fromkeys(out, NAN)
        return out

    def capacity(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        midnight = dt.datetime.combine(d, dt.time())
        has_flow = any(t["occurred_at"] < midnight for t in self.txs[b])
        receipts = sum(t["amount"] for t in self._tx(b, d, 90) if t["kind"] == "sale")
        service = sum(
            i.principal + i.interest
            for i in self.insts[b]
            if i.drawn < d and not i.paid_before(d) and i.due < d + 90 * DAY
        )
        out = {"debt_service_coverage_90d": receipts / service if has_flow and service > 0 else NAN}
        for w in windows:
            sale_rows = [t for t in self._tx(b, d, w) if t["kind"] == "sale"]
            drawn = sum(r["principal"] for r in self.loans[b] if d - w * DAY <= r["drawn_on"] < d)
            out[f"draw_to_receipts_{w}d"] = (
                drawn / sum(t["amount"] for t in sale_rows) if has_flow and sale_rows else NAN
            )
        return out

    def zhima(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        seen = [s for s in self.scores[b] if s[0] < d]
        out: dict[str, float] = {}
        out["zhima_latest"] = seen[-1][1] if seen else NAN
        out["zhima_age_days"] = (d - seen[-1][0]).days if seen else NAN
        for w in windows:
            before = [s for s in seen if s[0] < d - w * DAY]
            out[f"zhima_change_{w}d"] = seen[-1][1] - before[-1][1] if before else NAN
            inside = [s[1] for s in seen if s[0] >= d - w * DAY]
            out[f"zhima_min_{w}d"] = min(inside) if inside else NAN
        return out

    def inquiries_(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        seen = [q for q in self.inquiries[b] if q[0] < d]
        out: dict[str, float] = {"inq_days_since": (d - max(q[0] for q in seen)).days if seen else NAN}
        for w in windows:
            inside = [q for q in seen if q[0] >= d - w * DAY]
            out[f"inq_count_{w}d"] = len(inside)
            out[f"inq_nonbank_count_{w}d"] = sum(1 for q in inside if q[1] != "bank")
        return out

    def profile(self, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        r = self.borrowers[b]
        reg = _date(r["business_registered_on"])
        registered = reg is not None and reg < d  # a legal form counts from its registration date
        return {
            "business_age_months": (d - reg).days / MONTH if registered else NAN,
            "is_registered_business": float(registered and r["business_type"] != "unregistered"),
            "is_limited_company": float(registered and r["business_type"] == "limited_company"),
        }

    def family(self, name: str, b: str, d: dt.date, windows: tuple[int, ...]) -> dict[str, float]:
        fn = {"inquiries": self.inquiries_}.get(name) or getattr(self, name)
        return {k: float(v) for k, v in fn(b, d, windows).items()}

    def outcome(self, b: str, d: dt.date, *, horizon: int, min_dpd: int, until: dt.date) -> float:
        if d + horizon * DAY > until:
            return NAN
        return float(any(self.dpd_on(b, d + k * DAY) >= min_dpd for k in range(1, horizon + 1)))


def reference_frame(
    rs: RecordSet, obs: pd.DataFrame, families: list[str], windows: tuple[int, ...] = (30, 90, 180, 365)
) -> pd.DataFrame:
    """The reference features of every observation, one family after another."""
    ref = Reference(rs)
    rows = []
    for b, when in zip(obs["borrower_id"], obs["as_of"], strict=True):
        d = pd.Timestamp(when).date()
        row: dict[str, float] = {}
        for f in families:
            row.update(ref.family(f, b, d, windows))
        rows.append(row)
    return pd.DataFrame(rows, index=obs.index, dtype=np.float64)
