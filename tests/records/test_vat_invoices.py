"""The shipped VAT_INVOICES schema: declaration, validation through with_table, hostile rows."""

from __future__ import annotations

import pandas as pd
import pytest

from jiebei_credit.errors import SchemaError
from jiebei_credit.records import (
    DATA_CATEGORIES,
    ENUM_LABELS_ZH,
    SCHEMAS,
    TABLE_NAMES,
    VAT_INVOICES,
    VAT_RATES,
    InvoiceDirection,
    InvoiceStatus,
    RecordSet,
)


def base_set() -> RecordSet:
    return RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b1", "b2"],
                "business_type": ["limited_company", "individual_business"],
                "industry": [None, None],
                "business_registered_on": ["2020-01-01", None],
                "region": [None, None],
            }
        )
    )


def invoices(**changes: list[object]) -> pd.DataFrame:
    """Four valid invoices of b1: two issued (one reversed in part), one received, one voided."""
    frame = pd.DataFrame(
        {
            "invoice_id": ["v1", "v2", "v3", "v4"],
            "borrower_id": ["b1", "b1", "b1", "b1"],
            "direction": ["issued", "issued", "received", "issued"],
            "issued_on": ["2024-01-03", "2024-01-20", "2024-01-05", "2024-02-01"],
            "known_on": ["2024-01-10", "2024-01-25", "2024-01-05", "2024-02-03"],
            "counterparty_id": ["c1", "c1", "s1", "c2"],
            "amount": [1000.0, 400.0, 600.0, 50.0],
            "tax": [130.0, 52.0, 78.0, 1.5],
            "tax_rate": [0.13, 0.13, 0.13, 0.03],
            "status": ["normal", "red_letter", "normal", "voided"],
            "reverses_invoice_id": [None, "v1", None, None],
        }
    )
    for column, values in changes.items():
        frame[column] = values
    return frame


def _problems(frame: pd.DataFrame) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        base_set().with_table(VAT_INVOICES, frame)
    return info.value


def test_schema_is_a_tax_records_user_table_outside_the_seven() -> None:
    assert VAT_INVOICES.name == "vat_invoices"
    assert VAT_INVOICES.category == "tax_records"
    assert "tax_records" in DATA_CATEGORIES
    assert (VAT_INVOICES.borrower_key, VAT_INVOICES.event_date, VAT_INVOICES.known_at) == (
        "borrower_id", "issued_on", "known_on")
    assert VAT_INVOICES.primary_key == ("invoice_id",)
    # The seven-table book is unchanged: the schema is shipped, not a built-in table.
    assert "vat_invoices" not in SCHEMAS
    assert "vat_invoices" not in TABLE_NAMES
    assert all(c.description and c.description_zh for c in VAT_INVOICES.columns)
    # The rates of the PRC VAT law and the small-scale levy rates (13, 9, 6, 3, 1 %, 0).
    assert VAT_RATES == (0.13, 0.09, 0.06, 0.03, 0.01, 0.0)


def test_enum_labels_are_chinese() -> None:
    assert ENUM_LABELS_ZH[InvoiceStatus.RED_LETTER] == "红冲"
    assert ENUM_LABELS_ZH[InvoiceStatus.VOIDED] == "作废"
    assert ENUM_LABELS_ZH[InvoiceDirection.ISSUED] == "销项发票"
    assert ENUM_LABELS_ZH[InvoiceDirection.RECEIVED] == "进项发票"


def test_valid_invoices_join_the_records_normalised() -> None:
    raw = invoices()
    before = raw.copy(deep=True)
    rs = base_set().with_table(VAT_INVOICES, raw)
    pd.testing.assert_frame_equal(raw, before)  # the caller's frame is not modified
    got = rs["vat_invoices"]
    assert rs.user_tables == ("vat_invoices",)
    assert rs.schema("vat_invoices").category == "tax_records"
    assert got["status"].dtype == "category"
    assert list(got["status"].cat.categories) == ["normal", "voided", "red_letter"]
    assert got["reverses_invoice_id"].isna().tolist() == [True, False, True, True]
    assert str(got["issued_on"].dtype) == "datetime64[ns]"


def test_known_before_issued_is_a_schema_problem() -> None:
    err = _problems(invoices(known_on=["2024-01-02", "2024-01-25", "2024-01-05", "2024-02-03"]))
    assert len(err.problems) == 1
    p = err.problems[0]
    assert (p.column, p.row) == ("known_on", 0)
    assert "knowledge time must not be before the event date 'issued_on'" in str(err)


def test_rate_outside_the_vat_rates_is_refused() -> None:
    err = _problems(invoices(tax_rate=[0.13, 0.13, 0.17, 0.05]))
    rows = sorted((p.column, p.row, p.value) for p in err.problems)
    # 17 % was the general rate before 2018, 5 % is no VAT rate at all.
    assert rows == [("tax_rate", 2, 0.17), ("tax_rate", 3, 0.05)]
    assert "must be one of the VAT rates 0.13, 0.09, 0.06, 0.03, 0.01, 0" in str(err)


def test_negative_amount_and_tax_are_refused() -> None:
    err = _problems(invoices(amount=[1000.0, 400.0, -600.0, 50.0], tax=[130.0, -1.0, 78.0, 1.5]))
    assert sorted((p.column, p.row) for p in err.problems) == [("amount", 2), ("tax", 1)]
    assert "must satisfy 0 ≤ value" in str(err)


def test_red_letter_to_an_unknown_invoice_is_refused() -> None:
    err = _problems(invoices(reverses_invoice_id=[None, "v9", None, None]))
    assert [(p.column, p.row, p.value) for p in err.problems] == [("reverses_invoice_id", 1, "v9")]
    assert "must be the invoice_id of an invoice of the table" in str(err)


def test_red_letter_without_a_reference_and_reference_without_red_letter() -> None:
    err = _problems(invoices(reverses_invoice_id=[None, None, None, "v1"]))
    text = str(err)
    assert "a red-letter invoice (status 'red_letter') must name the invoice it reverses" in text
    assert "only a red-letter invoice reverses another" in text
    assert sorted(p.row for p in err.problems) == [1, 3]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        # v2 reverses v3, a received invoice: another direction
        ({"reverses_invoice_id": [None, "v3", None, None]}, "same borrower and direction"),
        # v2 reverses an invoice issued after it
        ({"issued_on": ["2024-01-22", "2024-01-20", "2024-01-05", "2024-02-01"],
          "known_on": ["2024-01-23", "2024-01-25", "2024-01-05", "2024-02-03"]}, "issued on or before"),
    ],
)
def test_red_letter_reference_rules(changes: dict[str, list[object]], rule: str) -> None:
    err = _problems(invoices(**changes))
    assert [p.row for p in err.problems] == [1]
    assert rule in str(err)


def test_red_letter_of_a_red_letter_is_refused() -> None:
    frame = pd.concat([invoices(), invoices().iloc[[1]].assign(invoice_id="v5", reverses_invoice_id="v2")],
                      ignore_index=True)
    err = _problems(frame)
    assert [p.row for p in err.problems] == [4]
    assert "not itself a red-letter note" in str(err)


def test_every_problem_of_a_hostile_frame_is_reported_at_once() -> None:
    frame = invoices(
        invoice_id=["v1", "v1", "v3", "v4"],
        status=["normal", "red_letter", "paid", "voided"],
        amount=[1000.0, float("inf"), 600.0, 50.0],
    )
    err = _problems(frame)
    columns = {p.column for p in err.problems}
    assert {"invoice_id", "status", "amount"} <= columns


def test_borrower_must_exist() -> None:
    err = _problems(invoices(borrower_id=["b1", "b1", "b1", "b9"]))
    assert [(p.column, p.value) for p in err.problems] == [("borrower_id", "b9")]
