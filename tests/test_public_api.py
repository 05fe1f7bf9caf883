"""The public names are a contract: pin each subpackage's ``__all__``."""

from __future__ import annotations

import importlib

import pytest

PUBLIC: dict[str, list[str]] = {
    "jiebei_credit": [
        "__version__",
        "errors",
        "features",
        "limits",
        "metrics",
        "monitoring",
        "plotting",
        "records",
        "scorecard",
        "synthetic",
    ],
    "jiebei_credit.errors": [
        "ConvergenceWarning",
        "DataWarning",
        "InvalidInputError",
        "JiebeiCreditError",
        "JiebeiCreditWarning",
        "NotFittedError",
        "Problem",
        "SchemaError",
    ],
    "jiebei_credit.records": [
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
    ],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_all_is_pinned(module: str) -> None:
    mod = importlib.import_module(module)
    assert sorted(mod.__all__) == sorted(PUBLIC[module])
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name} is in __all__ but missing"


def test_errors_hierarchy() -> None:
    from jiebei_credit import errors

    assert issubclass(errors.SchemaError, errors.JiebeiCreditError)
    assert issubclass(errors.SchemaError, ValueError)
    assert issubclass(errors.NotFittedError, ValueError)
    assert issubclass(errors.NotFittedError, AttributeError)
    assert issubclass(errors.InvalidInputError, ValueError)
    assert issubclass(errors.JiebeiCreditWarning, UserWarning)
    assert issubclass(errors.DataWarning, errors.JiebeiCreditWarning)
    assert issubclass(errors.ConvergenceWarning, errors.JiebeiCreditWarning)


def test_schema_error_pickles_with_its_problems() -> None:
    import pickle

    from jiebei_credit.errors import Problem, SchemaError

    err = SchemaError([Problem(table="t", column="c", row=1, value=2, rule="r")], context="ctx")
    again = pickle.loads(pickle.dumps(err))
    assert again.problems == err.problems
    assert str(again) == str(err)
