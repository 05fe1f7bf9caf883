"""Typed record tables: schemas, validation and the immutable :class:`RecordSet`."""

from jiebei_credit.records._categories import DATA_CATEGORIES, DataCategory
from jiebei_credit.records._enums import (
    ENUM_LABELS_ZH,
    BusinessType,
    Direction,
    InstitutionType,
    InvoiceDirection,
    InvoiceStatus,
    LoanPurpose,
    RepaymentMethod,
    TransactionKind,
)
from jiebei_credit.records._invoices import VAT_INVOICES, VAT_RATES
from jiebei_credit.records._recordset import RecordSet
from jiebei_credit.records._schema import Column, ForeignKey, TableSchema
from jiebei_credit.records._tables import SCHEMAS, TABLE_NAMES
from jiebei_credit.records._types import (
    RECORD_TYPES,
    Borrower,
    CreditLineEvent,
    Inquiry,
    Installment,
    Loan,
    Record,
    Transaction,
    ZhimaScore,
)
from jiebei_credit.records._validate import validate

__all__ = [
    "DATA_CATEGORIES",
    "ENUM_LABELS_ZH",
    "RECORD_TYPES",
    "SCHEMAS",
    "TABLE_NAMES",
    "VAT_INVOICES",
    "VAT_RATES",
    "Borrower",
    "BusinessType",
    "Column",
    "CreditLineEvent",
    "DataCategory",
    "Direction",
    "ForeignKey",
    "Inquiry",
    "Installment",
    "InstitutionType",
    "InvoiceDirection",
    "InvoiceStatus",
    "Loan",
    "LoanPurpose",
    "Record",
    "RecordSet",
    "RepaymentMethod",
    "TableSchema",
    "Transaction",
    "TransactionKind",
    "ZhimaScore",
    "validate",
]
