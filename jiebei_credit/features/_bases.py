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

__all__ = ["BASES", "FAMILY_TEXT", "REDRAW_DAYS", "Base"]

#: A re-draw counts when a loan is drawn at most this many days after another loan's payoff.
REDRAW_DAYS: Final = 7

_CLE = ("credit_line_events",)
_LOANS = ("loans",)
_REPAY = ("loans", "installments")
_UTIL = ("credit_line_events", "loans", "installments")
_TX = ("transactions",)
_CAP = ("transactions", "loans", "installments")
_ZHIMA = ("zhima_scores",)
_INQ = ("inquiries",)
_PROFILE = ("borrowers",)

_NO_LINE = "no credit-line event before as_of (no line yet)"
_NO_LOAN = "no loan drawn before as_of"
_NO_FLOW = "no merchant transaction of any kind before as_of (no cash-flow history)"


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


def _b(name: str, family: str, unit: str, sources: tuple[str, ...], en: str, zh: str, nan: str) -> Base:
    return Base(
        name=name,
        family=family,
        unit=unit,
        sources=sources,
        description=en,
        description_zh=zh,
        nan_meaning=nan,
    )


def _w(
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
}

BASES: Final[tuple[Base, ...]] = (
    # ---- line --------------------------------------------------------------
    _b(
        "limit_now",
        "line",
        "CNY",
        _CLE,
        "Credit limit in force at as_of: the latest credit-line event effective before as_of; "
        "0 when the line is frozen or closed.",
        "观测日生效的授信额度(观测日前最近一次额度事件);0 表示冻结或关闭",
        _NO_LINE,
    ),
    _b(
        "daily_rate_now",
        "line",
        "decimal per day",
        _CLE,
        "Daily rate of the line in force at as_of (0.0004 is 0.04 % a day).",
        "观测日生效的额度日利率",
        _NO_LINE,
    ),
    _b(
        "line_age_months",
        "line",
        "months",
        _CLE,
        "Months since the first credit-line event (the line's opening), days / 30.4375.",
        "授信开通至今的月数(天数/30.4375)",
        _NO_LINE,
    ),
    _w(
        "limit_increase_count",
        "line",
        "count",
        _CLE,
        "Limit increases effective in the last {w} days: events whose limit exceeds the "
        "borrower's previous event's limit.",
        "近{w}天提额次数",
        _NO_LINE,
    ),
    _w(
        "limit_decrease_count",
        "line",
        "count",
        _CLE,
        "Limit decreases, freezes included, effective in the last {w} days.",
        "近{w}天降额(含冻结)次数",
        _NO_LINE,
    ),
    _w(
        "limit_ratio",
        "line",
        "ratio",
        _CLE,
        "Limit in force at as_of divided by the limit in force {w} days earlier.",
        "当前额度与{w}天前额度之比",
        "no line {w} days before as_of, or that limit was 0",
    ),
    # ---- utilisation -------------------------------------------------------
    _b(
        "util_now",
        "utilisation",
        "ratio",
        _UTIL,
        "Utilisation at as_of: outstanding principal (principal due of instalments of loans drawn "
        "before as_of that were not paid before as_of) divided by the limit in force.",
        "观测日额度使用率:未还本金/当前额度",
        "no line at as_of, or a limit of 0",
    ),
    _w(
        "util_mean",
        "utilisation",
        "ratio",
        _UTIL,
        "Mean of the daily utilisation over the status dates (as_of - {w}, as_of]; days without "
        "a line or with a zero limit are left out.",
        "近{w}天日均额度使用率(无额度或额度为 0 的日子不计)",
        "no day of the window with a positive limit",
    ),
    _w(
        "util_max",
        "utilisation",
        "ratio",
        _UTIL,
        "Largest daily utilisation over the status dates (as_of - {w}, as_of].",
        "近{w}天最高额度使用率",
        "no day of the window with a positive limit",
    ),
    _w(
        "draw_to_limit",
        "utilisation",
        "ratio",
        ("credit_line_events", "loans"),
        "Principal drawn in the last {w} days divided by the limit in force at as_of.",
        "近{w}天支用金额/当前额度",
        "no line at as_of, or a limit of 0",
    ),
    # ---- draws -------------------------------------------------------------
    _w(
        "draw_count",
        "draws",
        "count",
        _LOANS,
        "Loans drawn in the last {w} days.",
        "近{w}天支用笔数",
        "never NaN (0 without draws)",
    ),
    _w(
        "redraw_after_payoff_count",
        "draws",
        "count",
        _REPAY,
        "Loans drawn in the last {w} days within 7 days after another loan of the borrower was "
        "paid off in full (a sign of cycling the line).",
        "近{w}天结清后 7 天内再次支用的笔数",
        "never NaN (0 without draws)",
    ),
    _b(
        "days_since_last_draw",
        "draws",
        "days",
        _LOANS,
        "Days from the latest drawdown before as_of to as_of.",
        "最近一次支用距观测日天数",
        _NO_LOAN,
    ),
    _b(
        "credit_history_months",
        "draws",
        "months",
        _LOANS,
        "Months since the first drawdown, days / 30.4375.",
        "首次支用至今月数",
        _NO_LOAN,
    ),
    _b(
        "long_term_share",
        "draws",
        "share",
        _LOANS,
        "Share of the loans drawn before as_of with a term of 12 months or more.",
        "观测日前支用中期限 ≥12 个月的占比",
        _NO_LOAN,
    ),
    _b(
        "business_purpose_share",
        "draws",
        "share",
        _LOANS,
        "Share of the loans drawn before as_of declared for business use.",
        "观测日前支用中经营用途占比",
        _NO_LOAN,
    ),
    # ---- repayment ---------------------------------------------------------
    _b(
        "dpd_now",
        "repayment",
        "days",
        _REPAY,
        "Days past due at as_of: days since the earliest due date among instalments due before "
        "as_of and not paid before as_of; 0 when there is none.",
        "观测日逾期天数:最早一期未还且已到期分期的应还日至观测日的天数",
        _NO_LOAN,
    ),
    _b(
        "overdue_amount_now",
        "repayment",
        "CNY",
        _REPAY,
        "Principal and interest of the instalments due before as_of and not paid before as_of.",
        "观测日逾期金额(本金+利息)",
        _NO_LOAN,
    ),
    _b(
        "outstanding_now",
        "repayment",
        "CNY",
        _REPAY,
        "Outstanding principal at as_of: principal due of instalments not paid before as_of.",
        "观测日未还本金",
        _NO_LOAN,
    ),
    _b(
        "active_loans_now",
        "repayment",
        "count",
        _REPAY,
        "Loans with at least one instalment not paid before as_of.",
        "观测日未结清借据数",
        _NO_LOAN,
    ),
    _b(
        "days_since_delinquency",
        "repayment",
        "days",
        _REPAY,
        "Days from the latest status date with days past due > 0 to as_of; 0 while past due.",
        "最近一次逾期距观测日天数(当前逾期为 0)",
        "no loan drawn before as_of, or never past due",
    ),
    Base(
        name="delinq_3c6c_24m",
        family="repayment",
        unit="flag (0/1)",
        sources=_REPAY,
        description="1 when, among the instalments due in the 730 days before as_of, three "
        "consecutive instalments of one loan, or six in total, were late (paid after the due "
        "date or not paid before as_of); else 0.",
        description_zh="近 24 个月“连三累六”标志:连续三期或累计六期逾期为 1",
        nan_meaning=_NO_LOAN,
        fixed_window=730,
    ),
    _w(
        "dpd_max",
        "repayment",
        "days",
        _REPAY,
        "Largest days past due on the status dates (as_of - {w}, as_of].",
        "近{w}天最大逾期天数",
        _NO_LOAN,
    ),
    _w(
        "dpd1_count",
        "repayment",
        "count",
        _REPAY,
        "Instalments that were 1 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 1 天以上的分期数",
        _NO_LOAN,
    ),
    _w(
        "dpd30_count",
        "repayment",
        "count",
        _REPAY,
        "Instalments that were 30 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 30 天以上的分期数",
        _NO_LOAN,
    ),
    _w(
        "dpd90_count",
        "repayment",
        "count",
        _REPAY,
        "Instalments that were 90 or more days past due on a status date in (as_of - {w}, as_of].",
        "近{w}天逾期 90 天以上的分期数",
        _NO_LOAN,
    ),
    _w(
        "ontime_ratio",
        "repayment",
        "share",
        _REPAY,
        "Share of the instalments due in the last {w} days that were paid on or before the due date.",
        "近{w}天到期分期的按时还款比例",
        "no loan drawn before as_of, or no instalment due in the window",
    ),
    _w(
        "prepaid_share",
        "repayment",
        "share",
        _REPAY,
        "Share of the instalments paid in the last {w} days that were paid 30 or more days before "
        "their due date (prepayment).",
        "近{w}天还款中提前 30 天以上还款的分期占比",
        "no loan drawn before as_of, or no instalment paid in the window",
    ),
    # ---- cashflow ----------------------------------------------------------
    _b(
        "merchant_tenure_months",
        "cashflow",
        "months",
        _TX,
        "Months since the first merchant transaction, days / 30.4375.",
        "首笔经营流水至今月数",
        _NO_FLOW,
    ),
    _w(
        "receipts_monthly_mean",
        "cashflow",
        "CNY per 30 days",
        _TX,
        "Sale receipts in the last {w} days per 30 days (sum x 30 / {w}).",
        "近{w}天月均销售收款(每 30 天)",
        _NO_FLOW,
    ),
    _w(
        "receipts_cv",
        "cashflow",
        "ratio",
        _TX,
        "Coefficient of variation (population standard deviation / mean) of sale receipts over "
        "the whole 30-day blocks of the last {w} days.",
        "近{w}天按 30 天分段的销售收款变异系数",
        "no cash-flow history, or no sale in the blocks",
        min_window=60,
    ),
    _w(
        "receipts_trend",
        "cashflow",
        "log CNY per 30 days",
        _TX,
        "Least-squares slope of ln(1 + receipts) over the whole 30-day blocks of the last {w} "
        "days, per block (about 0.1 is 10 % growth a month).",
        "近{w}天销售收款对数趋势斜率(每 30 天)",
        _NO_FLOW,
        min_window=90,
    ),
    Base(
        name="receipts_growth_3v3m",
        family="cashflow",
        unit="ratio",
        sources=_TX,
        description="Sale receipts of the last 90 days divided by those of the 90 days before, minus 1.",
        description_zh="近 90 天销售收款较前 90 天的增长率",
        nan_meaning="no cash-flow history, or no sale in the earlier 90 days",
        fixed_window=180,
    ),
    _w(
        "active_day_ratio",
        "cashflow",
        "share",
        _TX,
        "Share of the last {w} days with at least one sale.",
        "近{w}天有销售收款的天数占比",
        _NO_FLOW,
    ),
    _w(
        "zero_sale_months",
        "cashflow",
        "count",
        _TX,
        "Whole 30-day blocks of the last {w} days without any sale.",
        "近{w}天无销售收款的 30 天分段数",
        _NO_FLOW,
        min_window=30,
    ),
    _w(
        "payer_count",
        "cashflow",
        "count",
        _TX,
        "Distinct identified payers of sales in the last {w} days (sales without a counterparty "
        "are left out of the payer features).",
        "近{w}天付款方(买家)个数",
        _NO_FLOW,
    ),
    _w(
        "payer_hhi",
        "cashflow",
        "index (0-1]",
        _TX,
        "Herfindahl index of sale receipts by payer in the last {w} days: the sum of squared "
        "payer shares; 1 is a single payer.",
        "近{w}天付款方收款集中度(HHI)",
        "no cash-flow history, or no identified payer in the window",
    ),
    _w(
        "payer_top1_share",
        "cashflow",
        "share",
        _TX,
        "Share of the largest payer in the identified sale receipts of the last {w} days.",
        "近{w}天第一大付款方收款占比",
        "no cash-flow history, or no identified payer in the window",
    ),
    _w(
        "repeat_payer_ratio",
        "cashflow",
        "share",
        _TX,
        "Share of the payers of the last {w} days who paid for two or more sales in the window.",
        "近{w}天回头客(两次以上付款)占比",
        "no cash-flow history, or no identified payer in the window",
    ),
    _w(
        "refund_ratio",
        "cashflow",
        "ratio",
        _TX,
        "Refunds divided by sale receipts in the last {w} days.",
        "近{w}天退款金额/销售收款",
        "no cash-flow history, or no sale in the window",
    ),
    _w(
        "net_inflow_monthly",
        "cashflow",
        "CNY per 30 days",
        _TX,
        "Inflows minus outflows in the last {w} days, loan disbursements and loan repayments "
        "excluded, per 30 days.",
        "近{w}天月均经营净流入(不含贷款放款和还款)",
        _NO_FLOW,
    ),
    _w(
        "loan_inflow_share",
        "cashflow",
        "share",
        _TX,
        "Share of the inflows of the last {w} days that are loan disbursements.",
        "近{w}天流入中贷款放款占比",
        "no cash-flow history, or no inflow in the window",
    ),
    # ---- capacity ----------------------------------------------------------
    Base(
        name="debt_service_coverage_90d",
        family="capacity",
        unit="ratio",
        sources=_CAP,
        description="Sale receipts of the last 90 days divided by the debt service of the line: "
        "principal and interest of the instalments not paid before as_of that are overdue or "
        "due in the 90 days from as_of (loans drawn before as_of).",
        description_zh="近 90 天销售收款/未来 90 天应还本息(含逾期)",
        nan_meaning="no cash-flow history, or no instalment overdue or due in the next 90 days",
        fixed_window=90,
    ),
    _w(
        "draw_to_receipts",
        "capacity",
        "ratio",
        ("transactions", "loans"),
        "Principal drawn in the last {w} days divided by the sale receipts of the same days.",
        "近{w}天支用金额/销售收款",
        "no cash-flow history, or no sale in the window",
    ),
    # ---- zhima -------------------------------------------------------------
    _b(
        "zhima_latest",
        "zhima",
        "score points",
        _ZHIMA,
        "Latest Zhima score observed before as_of.",
        "观测日前最近一次芝麻分",
        "no Zhima snapshot before as_of",
    ),
    _b(
        "zhima_age_days",
        "zhima",
        "days",
        _ZHIMA,
        "Days from the latest Zhima snapshot before as_of to as_of.",
        "最近一次芝麻分距观测日天数",
        "no Zhima snapshot before as_of",
    ),
    _w(
        "zhima_change",
        "zhima",
        "score points",
        _ZHIMA,
        "Latest score minus the latest score observed before as_of - {w} days.",
        "芝麻分较{w}天前的变化",
        "no Zhima snapshot before as_of - {w} days",
    ),
    _w(
        "zhima_min",
        "zhima",
        "score points",
        _ZHIMA,
        "Lowest Zhima score observed in the last {w} days.",
        "近{w}天最低芝麻分",
        "no Zhima snapshot in the window",
    ),
    # ---- inquiries ---------------------------------------------------------
    _b(
        "inq_days_since",
        "inquiries",
        "days",
        _INQ,
        "Days from the latest credit inquiry before as_of to as_of.",
        "最近一次征信查询距观测日天数",
        "no inquiry before as_of",
    ),
    _w(
        "inq_count",
        "inquiries",
        "count",
        _INQ,
        "Credit inquiries by any institution in the last {w} days.",
        "近{w}天征信查询次数(全部机构)",
        "never NaN (0 without inquiries)",
    ),
    _w(
        "inq_nonbank_count",
        "inquiries",
        "count",
        _INQ,
        "Credit inquiries in the last {w} days by institutions other than commercial banks "
        "(consumer-finance, micro-loan, guarantee and other).",
        "近{w}天非银行机构征信查询次数",
        "never NaN (0 without inquiries)",
    ),
    # ---- profile -----------------------------------------------------------
    _b(
        "business_age_months",
        "profile",
        "months",
        _PROFILE,
        "Months since the business registration date, days / 30.4375.",
        "工商登记至今月数",
        "no registration date, or registered on or after as_of",
    ),
    _b(
        "is_registered_business",
        "profile",
        "flag (0/1)",
        _PROFILE,
        "1 when the business has a registered legal form (business_type is not 'unregistered').",
        "是否为登记经营主体",
        "never NaN",
    ),
    _b(
        "is_limited_company",
        "profile",
        "flag (0/1)",
        _PROFILE,
        "1 when the business is a limited company (有限责任公司).",
        "是否为有限责任公司",
        "never NaN",
    ),
)
