"""Feature definitions as data: one :class:`Base` per feature, ``{w}`` marks the window.

Conventions used by the texts: ``as_of`` is the observation date; an event
is visible iff its date is before ``as_of``; the window of ``w`` days is
``[as_of - w, as_of)`` for events and ``(as_of - w, as_of]`` for *status
dates* (a status on date ``t`` only uses events before ``t``, so every
status up to and including ``as_of`` is known at ``as_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "CAP",
    "CLE",
    "FAMILY_TEXT",
    "INQ",
    "INV",
    "INV_TX",
    "LOANS",
    "NO_FLOW",
    "NO_INVOICE",
    "NO_LINE",
    "NO_LOAN",
    "PROFILE",
    "REDRAW_DAYS",
    "REPAY",
    "TX",
    "UTIL",
    "ZHIMA",
    "Base",
    "per_window",
    "point",
]

#: A re-draw counts when a loan is drawn at most this many days after another loan's payoff.
REDRAW_DAYS: Final = 7

CLE = ("credit_line_events",)
LOANS = ("loans",)
REPAY = ("loans", "installments")
UTIL = ("credit_line_events", "loans", "installments")
TX = ("transactions",)
CAP = ("transactions", "loans", "installments")
ZHIMA = ("zhima_scores",)
INQ = ("inquiries",)
PROFILE = ("borrowers",)
INV = ("vat_invoices",)
INV_TX = ("vat_invoices", "transactions")

NO_LINE = "no credit-line event before as_of (no line yet)"
NO_LOAN = "no loan drawn before as_of"
NO_FLOW = "no merchant transaction of any kind before as_of (no cash-flow history)"
NO_INVOICE = "no VAT invoice of any kind known before as_of (no invoice history)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Base:
    """One feature definition; windowed bases expand to ``<name>_<w>d``."""

    name: str
    family: str
    unit: str
    sources: tuple[str, ...]
    description: str
    description_zh: str
    nan_meaning: str
    windowed: bool = False
    min_window: int = 1
    fixed_window: int | None = None


def point(name: str, family: str, unit: str, sources: tuple[str, ...], en: str, zh: str, nan: str) -> Base:
    return Base(
        name=name,
        family=family,
        unit=unit,
        sources=sources,
        description=en,
        description_zh=zh,
        nan_meaning=nan,
    )


def per_window(
    name: str,
    family: str,
    unit: str,
    sources: tuple[str, ...],
    en: str,
    zh: str,
    nan: str,
    *,
    min_window: int = 1,
) -> Base:
    return Base(
        name=name,
        family=family,
        unit=unit,
        sources=sources,
        description=en,
        description_zh=zh,
        nan_meaning=nan,
        windowed=True,
        min_window=min_window,
    )


#: Families in output order: name -> (English, Chinese) description.
FAMILY_TEXT: Final[dict[str, tuple[str, str]]] = {
    "line": ("Credit line: limit and rate in force, their changes.", "授信额度:当前额度、利率及其变动"),
    "utilisation": ("Utilisation of the line: outstanding principal over the limit.", "额度使用率"),
    "draws": ("Draw behaviour: how often, how much and how the borrower draws.", "支用行为"),
    "repayment": ("Repayment and delinquency on the line's loans.", "还款与逾期"),
    "cashflow": ("Merchant cash flow on the Alipay account.", "经营流水"),
    "capacity": ("Repayment capacity: debt service against merchant receipts.", "偿债能力"),
    "zhima": ("Zhima credit score snapshots.", "芝麻分"),
    "inquiries": ("Credit inquiries by lenders (multi-lender borrowing, 多头借贷).", "征信查询"),
    "profile": ("Business profile of the borrower.", "经营主体信息"),
    "invoices": (
        "VAT invoices (增值税发票) issued and received: invoiced sales, customers, credit notes, tax.",
        "增值税发票:开票销售、客户集中度、红冲与作废、税负",
    ),
}
