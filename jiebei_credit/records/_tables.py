"""The seven record tables, declared as data (:data:`SCHEMAS`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from jiebei_credit.records._enums import (
    BusinessType,
    Direction,
    InstitutionType,
    LoanPurpose,
    RepaymentMethod,
    TransactionKind,
)
from jiebei_credit.records._schema import Column, ForeignKey, TableSchema

__all__ = ["MAX_AMOUNT", "MAX_DAILY_RATE", "SCHEMAS", "TABLE_NAMES"]

#: Daily rates above 1 % a day (365 % a year simple) are treated as data errors.
MAX_DAILY_RATE = 0.01
#: Amounts above 10 million CNY exceed every cap in DOMAIN.md (micro-loan business cap).
MAX_AMOUNT = 10_000_000.0


def _borrower_fk() -> ForeignKey:
    return ForeignKey(columns=("borrower_id",), ref_table="borrowers", ref_columns=("borrower_id",))


def _borrower_id() -> Column:
    return Column(
        name="borrower_id",
        kind="id",
        description="Pseudonymous borrower (business owner) identifier.",
        description_zh="借款人(经营者)匿名标识",
    )


def _daily_rate(what: str, what_zh: str) -> Column:
    return Column(
        name="daily_rate",
        kind="float",
        minimum=0.0,
        exclusive_minimum=True,
        maximum=MAX_DAILY_RATE,
        description=f"Daily interest rate of the {what} as a decimal (0.0004 is 0.04 % a day).",
        description_zh=f"{what_zh}日利率(小数,0.0004 即日息万分之四)",
    )


BORROWERS = TableSchema(
    name="borrowers",
    description="One row per small-business owner and their business.",
    description_zh="每行一位小微经营者及其经营主体",
    primary_key=("borrower_id",),
    category="business_profile",
    columns=(
        _borrower_id(),
        Column(
            name="business_type",
            kind="category",
            enum=BusinessType,
            description="Legal form of the business.",
            description_zh="经营主体类型",
        ),
        Column(
            name="industry",
            kind="text",
            nullable=True,
            description="Industry of the business (free text or a lender's code).",
            description_zh="所属行业",
        ),
        Column(
            name="business_registered_on",
            kind="date",
            nullable=True,
            description="Business registration date; missing for unregistered businesses.",
            description_zh="工商登记日期(未登记为空)",
        ),
        Column(
            name="region",
            kind="text",
            nullable=True,
            description="Region of the business (e.g. province).",
            description_zh="经营地区(如省份)",
        ),
    ),
)

CREDIT_LINE_EVENTS = TableSchema(
    name="credit_line_events",
    description=(
        "One row per change of a borrower's credit line (授信): opening, limit or rate change, "
        "freeze (limit 0). The state on a date is the latest event effective before it."
    ),
    description_zh="每行一次授信额度或利率变更(开通、调额、调价、冻结)",
    primary_key=("borrower_id", "effective_on"),
    foreign_keys=(_borrower_fk(),),
    borrower_key="borrower_id",
    event_date="effective_on",
    known_at="effective_on",
    category="credit_history",
    columns=(
        _borrower_id(),
        Column(
            name="effective_on",
            kind="date",
            description="Date from which the limit and rate apply.",
            description_zh="生效日期",
        ),
        Column(
            name="limit",
            kind="float",
            minimum=0.0,
            maximum=MAX_AMOUNT,
            description="Credit limit in CNY; 0 means the line is frozen or closed.",
            description_zh="授信额度(元),0 表示冻结或关闭",
        ),
        _daily_rate("line", "额度"),
    ),
)

LOANS = TableSchema(
    name="loans",
    description="One row per drawdown (支用) on the credit line.",
    description_zh="每行一笔支用(借款)",
    primary_key=("loan_id",),
    foreign_keys=(_borrower_fk(),),
    borrower_key="borrower_id",
    event_date="drawn_on",
    known_at="drawn_on",
    category="credit_history",
    columns=(
        Column(name="loan_id", kind="id", description="Loan identifier.", description_zh="借据号"),
        _borrower_id(),
        Column(name="drawn_on", kind="date", description="Drawdown date.", description_zh="支用日期"),
        Column(
            name="principal",
            kind="float",
            minimum=0.0,
            exclusive_minimum=True,
            maximum=MAX_AMOUNT,
            description="Principal drawn, CNY.",
            description_zh="借款本金(元)",
        ),
        Column(
            name="term_months",
            kind="int",
            minimum=1,
            maximum=60,
            description="Number of monthly instalments.",
            description_zh="期数(月)",
        ),
        Column(
            name="repayment_method",
            kind="category",
            enum=RepaymentMethod,
            description="Repayment method.",
            description_zh="还款方式",
        ),
        _daily_rate("loan", "借款"),
        Column(
            name="purpose",
            kind="category",
            enum=LoanPurpose,
            description="Declared purpose of the loan.",
            description_zh="借款用途",
        ),
    ),
)

INSTALLMENTS = TableSchema(
    name="installments",
    description="One row per scheduled instalment of a loan (还款计划).",
    description_zh="每行一期还款计划",
    primary_key=("loan_id", "seq"),
    foreign_keys=(ForeignKey(columns=("loan_id",), ref_table="loans", ref_columns=("loan_id",)),),
    # No borrower column (the loan has it) and no single event date: a schedule is known from the
    # loan's drawdown, its due and payment dates come later.
    category="credit_history",
    columns=(
        Column(name="loan_id", kind="id", description="Loan identifier.", description_zh="借据号"),
        Column(
            name="seq",
            kind="int",
            minimum=1,
            maximum=360,
            description="Instalment number, 1 for the first.",
            description_zh="期次",
        ),
        Column(name="due_on", kind="date", description="Due date.", description_zh="应还日期"),
        Column(
            name="principal_due",
            kind="float",
            minimum=0.0,
            maximum=MAX_AMOUNT,
            description="Principal due in this instalment, CNY.",
            description_zh="应还本金(元)",
        ),
        Column(
            name="interest_due",
            kind="float",
            minimum=0.0,
            maximum=MAX_AMOUNT,
            description="Interest due in this instalment, CNY.",
            description_zh="应还利息(元)",
        ),
        Column(
            name="paid_on",
            kind="date",
            nullable=True,
            description="Date the instalment was cleared in full; missing while it is open.",
            description_zh="结清日期(未结清为空)",
        ),
    ),
)

TRANSACTIONS = TableSchema(
    name="transactions",
    description="One row per flow on the borrower's Alipay merchant account.",
    description_zh="每行一笔支付宝商家账户流水",
    primary_key=("transaction_id",),
    foreign_keys=(_borrower_fk(),),
    borrower_key="borrower_id",
    event_date="occurred_at",
    known_at="occurred_at",
    category="financial_account_flows",
    columns=(
        Column(
            name="transaction_id", kind="id", description="Transaction identifier.", description_zh="流水号"
        ),
        _borrower_id(),
        Column(
            name="occurred_at",
            kind="datetime",
            description="When the flow happened (China local time, naive).",
            description_zh="交易时间(北京时间)",
        ),
        Column(
            name="amount",
            kind="float",
            minimum=0.0,
            exclusive_minimum=True,
            maximum=MAX_AMOUNT,
            description="Amount in CNY, always positive; the direction says which way.",
            description_zh="金额(元,恒为正)",
        ),
        Column(
            name="direction",
            kind="category",
            enum=Direction,
            description="Inflow or outflow.",
            description_zh="收支方向",
        ),
        Column(
            name="kind",
            kind="category",
            enum=TransactionKind,
            description="What the flow is.",
            description_zh="交易类型",
        ),
        Column(
            name="counterparty_id",
            kind="id",
            nullable=True,
            description="Pseudonymous payer or payee; missing when unknown.",
            description_zh="交易对手匿名标识",
        ),
    ),
)

ZHIMA_SCORES = TableSchema(
    name="zhima_scores",
    description="One row per Zhima (芝麻) credit score snapshot.",
    description_zh="每行一次芝麻分快照",
    primary_key=("borrower_id", "observed_on"),
    foreign_keys=(_borrower_fk(),),
    borrower_key="borrower_id",
    event_date="observed_on",
    known_at="observed_on",
    category="third_party_score",
    columns=(
        _borrower_id(),
        Column(name="observed_on", kind="date", description="Snapshot date.", description_zh="观测日期"),
        Column(
            name="score",
            kind="int",
            minimum=350,
            maximum=950,
            description="Zhima score (350-950).",
            description_zh="芝麻分(350-950)",
        ),
    ),
)

INQUIRIES = TableSchema(
    name="inquiries",
    description="One row per credit inquiry (征信查询) made by a lender about the borrower.",
    description_zh="每行一次机构征信查询",
    primary_key=("inquiry_id",),
    foreign_keys=(_borrower_fk(),),
    borrower_key="borrower_id",
    event_date="inquired_on",
    known_at="inquired_on",
    category="inquiries",
    columns=(
        Column(name="inquiry_id", kind="id", description="Inquiry identifier.", description_zh="查询记录号"),
        _borrower_id(),
        Column(name="inquired_on", kind="date", description="Inquiry date.", description_zh="查询日期"),
        Column(
            name="institution_type",
            kind="category",
            enum=InstitutionType,
            description="Type of the inquiring institution.",
            description_zh="查询机构类型",
        ),
    ),
)

#: Table names in dependency order (parents before children).
TABLE_NAMES: tuple[str, ...] = (
    "borrowers",
    "credit_line_events",
    "loans",
    "installments",
    "transactions",
    "zhima_scores",
    "inquiries",
)

#: One :class:`TableSchema` per record table, keyed by table name.
SCHEMAS: Mapping[str, TableSchema] = MappingProxyType(
    {
        s.name: s
        for s in (BORROWERS, CREDIT_LINE_EVENTS, LOANS, INSTALLMENTS, TRANSACTIONS, ZHIMA_SCORES, INQUIRIES)
    }
)
