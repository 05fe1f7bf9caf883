"""The PIPL data categories a record table (and so a feature) belongs to.

A lender's privacy notice states which categories of personal information a
decision uses (PIPL Art. 17) and asks separate consent for sensitive ones
(Art. 28-29: financial accounts). Each :class:`TableSchema` declares its
category; every feature takes the most sensitive category among its tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

__all__ = ["DATA_CATEGORIES", "DataCategory"]

#: The names of the data categories, as a ``Literal`` type of their strings.
DataCategory = Literal[
    "credit_history",
    "financial_account_flows",
    "third_party_score",
    "inquiries",
    "business_profile",
    "tax_records",
    "public_records",
    "utility_payments",
    "supply_chain",
    "other",
]

#: Each data category with its description in English and Chinese, most sensitive first: a
#: feature reading several tables takes the first of their categories in this order.
DATA_CATEGORIES: Final[Mapping[DataCategory, tuple[str, str]]] = MappingProxyType(
    {
        "financial_account_flows": (
            "Flows on a payment or bank account; sensitive personal information (PIPL Art. 28).",
            "支付或银行账户流水(《个人信息保护法》第二十八条所列敏感个人信息)",
        ),
        "tax_records": ("Tax filings and VAT invoices.", "纳税申报与增值税发票"),
        "public_records": ("Court, enforcement and other public records.", "司法、执行等公共记录"),
        "third_party_score": ("Scores computed by a third party (e.g. Zhima).", "第三方评分(如芝麻分)"),
        "inquiries": ("Credit inquiries made by institutions.", "机构征信查询记录"),
        "credit_history": (
            "Credit lines, drawdowns and repayments with the lender.",
            "授信、支用与还款记录",
        ),
        "supply_chain": (
            "Receivables, orders and logistics with trading partners.",
            "供应链应收、订单与物流",
        ),
        "utility_payments": (
            "Utility, rent and telecom bills and their payment.",
            "水电燃气、租金与通信缴费",
        ),
        "business_profile": ("Static facts about the business and its owner.", "经营主体及经营者基本信息"),
        "other": ("Any other data the lender holds about the borrower.", "其他数据"),
    }
)
