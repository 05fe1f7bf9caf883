"""Categorical values of the record tables, as string enums.

Each enum's values are the exact strings stored in frames; the Chinese term
is in the member's docstring-like comment and in :data:`ENUM_LABELS_ZH`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ENUM_LABELS_ZH",
    "BusinessType",
    "Direction",
    "InstitutionType",
    "InvoiceDirection",
    "InvoiceStatus",
    "LoanPurpose",
    "RepaymentMethod",
    "TransactionKind",
]


class RepaymentMethod(StrEnum):
    """How a drawdown is repaid.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``RepaymentMethod("equal_installment")``; any other
        string raises ValueError.

    Examples
    --------
    >>> RepaymentMethod("equal_installment") is RepaymentMethod.EQUAL_INSTALLMENT
    True
    """

    EQUAL_INSTALLMENT = "equal_installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    INTEREST_FIRST = "interest_first"  # 先息后本


class LoanPurpose(StrEnum):
    """Declared use of a drawdown.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``LoanPurpose("business")``; any other
        string raises ValueError.
    """

    CONSUMPTION = "consumption"  # 消费
    BUSINESS = "business"  # 经营
    UNKNOWN = "unknown"  # 未声明


class BusinessType(StrEnum):
    """Legal form of the borrower's business.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``BusinessType("partnership")``; any other
        string raises ValueError.
    """

    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户
    SOLE_PROPRIETORSHIP = "sole_proprietorship"  # 个人独资企业
    PARTNERSHIP = "partnership"  # 合伙企业
    LIMITED_COMPANY = "limited_company"  # 有限责任公司
    UNREGISTERED = "unregistered"  # 未登记的小微经营者 (e.g. a personal collection code)


class Direction(StrEnum):
    """Direction of a merchant-account flow, seen from the borrower.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``Direction("in")``; any other
        string raises ValueError.
    """

    IN = "in"  # 收入
    OUT = "out"  # 支出


class TransactionKind(StrEnum):
    """What a merchant-account flow is.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``TransactionKind("sale")``; any other
        string raises ValueError.
    """

    SALE = "sale"  # 销售收款
    REFUND = "refund"  # 退款
    PURCHASE = "purchase"  # 采购支出
    TRANSFER = "transfer"  # 转账
    LOAN_DISBURSEMENT = "loan_disbursement"  # 贷款放款
    LOAN_REPAYMENT = "loan_repayment"  # 贷款还款
    OTHER = "other"  # 其他


#: Transaction kinds whose direction is fixed; ``transfer`` and ``other`` may go either way.
KIND_DIRECTION: dict[TransactionKind, Direction] = {
    TransactionKind.SALE: Direction.IN,
    TransactionKind.LOAN_DISBURSEMENT: Direction.IN,
    TransactionKind.REFUND: Direction.OUT,
    TransactionKind.PURCHASE: Direction.OUT,
    TransactionKind.LOAN_REPAYMENT: Direction.OUT,
}


def kind_direction_rule(kind: str, direction: str) -> str:
    """The rule text of a transaction whose kind fixes its direction."""
    return f"a '{kind}' must have direction '{direction}'"


class InstitutionType(StrEnum):
    """Type of lender behind a credit inquiry.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``InstitutionType("bank")``; any other
        string raises ValueError.
    """

    BANK = "bank"  # 商业银行
    CONSUMER_FINANCE = "consumer_finance"  # 消费金融公司
    MICRO_LOAN = "micro_loan"  # 小额贷款公司
    GUARANTEE = "guarantee"  # 融资担保公司
    OTHER = "other"  # 其他机构


class InvoiceDirection(StrEnum):
    """Direction of a VAT invoice (增值税发票), seen from the borrower.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``InvoiceDirection("issued")``; any other
        string raises ValueError.
    """

    ISSUED = "issued"  # 销项发票: the borrower's sales to its customers
    RECEIVED = "received"  # 进项发票: the borrower's purchases from its suppliers


class InvoiceStatus(StrEnum):
    """Status of a VAT invoice.

    Parameters
    ----------
    value : str
        One of the stored strings below, e.g. ``InvoiceStatus("normal")``; any other
        string raises ValueError.
    """

    NORMAL = "normal"  # 正常
    VOIDED = "voided"  # 作废: cancelled, never valid
    RED_LETTER = "red_letter"  # 红冲: a credit note reversing (part of) an earlier invoice


#: Chinese labels of every enum value, for documentation and reports.
ENUM_LABELS_ZH: dict[StrEnum, str] = {
    RepaymentMethod.EQUAL_INSTALLMENT: "等额本息",
    RepaymentMethod.EQUAL_PRINCIPAL: "等额本金",
    RepaymentMethod.INTEREST_FIRST: "先息后本",
    LoanPurpose.CONSUMPTION: "消费",
    LoanPurpose.BUSINESS: "经营",
    LoanPurpose.UNKNOWN: "未声明",
    BusinessType.INDIVIDUAL_BUSINESS: "个体工商户",
    BusinessType.SOLE_PROPRIETORSHIP: "个人独资企业",
    BusinessType.PARTNERSHIP: "合伙企业",
    BusinessType.LIMITED_COMPANY: "有限责任公司",
    BusinessType.UNREGISTERED: "未登记经营者",
    Direction.IN: "收入",
    Direction.OUT: "支出",
    TransactionKind.SALE: "销售收款",
    TransactionKind.REFUND: "退款",
    TransactionKind.PURCHASE: "采购支出",
    TransactionKind.TRANSFER: "转账",
    TransactionKind.LOAN_DISBURSEMENT: "贷款放款",
    TransactionKind.LOAN_REPAYMENT: "贷款还款",
    TransactionKind.OTHER: "其他",
    InstitutionType.BANK: "商业银行",
    InstitutionType.CONSUMER_FINANCE: "消费金融公司",
    InstitutionType.MICRO_LOAN: "小额贷款公司",
    InstitutionType.GUARANTEE: "融资担保公司",
    InstitutionType.OTHER: "其他机构",
    InvoiceDirection.ISSUED: "销项发票",
    InvoiceDirection.RECEIVED: "进项发票",
    InvoiceStatus.NORMAL: "正常",
    InvoiceStatus.VOIDED: "作废",
    InvoiceStatus.RED_LETTER: "红冲",
}
