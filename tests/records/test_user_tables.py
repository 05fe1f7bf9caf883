"""User tables: TableSchema roles (borrower key, event date, knowledge time, category) and RecordSet."""

from __future__ import annotations

import copy
import pickle
import typing

import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.features import DataCategory
from jiebei_credit.records import (
    DATA_CATEGORIES,
    SCHEMAS,
    Borrower,
    Column,
    ForeignKey,
    RecordSet,
    TableSchema,
    validate,
)

UTILITY_COLUMNS = (
    Column(name="borrower_id", kind="id", description="Borrower.", description_zh="借款人"),
    Column(name="period_month", kind="date", description="Billed month.", description_zh="账期"),
    Column(name="billed_on", kind="date", description="Bill date.", description_zh="出账日期"),
    Column(name="paid_on", kind="date", nullable=True, description="Paid.", description_zh="缴费日期"),
    Column(name="known_on", kind="date", description="Reported to the lender.", description_zh="到达日期"),
    Column(name="amount", kind="float", minimum=0.0, description="Bill, CNY.", description_zh="金额"),
    Column(name="days_late", kind="int", minimum=0, description="Days late.", description_zh="逾期天数"),
)


def utility_schema(name: str = "utility_payments", key: str = "borrower_id") -> TableSchema:
    """Monthly utility bills, reported to the lender after they are settled."""
    columns = tuple(
        Column(name=key, kind="id", description="Borrower.", description_zh="借款人")
        if c.name == "borrower_id" else c
        for c in UTILITY_COLUMNS
    )
    return TableSchema(
        name=name,
        columns=columns,
        primary_key=(key, "period_month"),
        borrower_key=key,
        event_date="billed_on",
        known_at="known_on",
        category="utility_payments",
        description="Monthly utility bills.",
        description_zh="每月水电账单",
    )


def borrowers_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "borrower_id": ["b1", "b2"],
            "business_type": ["individual_business", "unregistered"],
            "industry": ["catering", None],
            "business_registered_on": ["2019-04-01", None],
            "region": [None, None],
        }
    )


def utility_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "borrower_id": ["b1", "b1", "b2"],
            "period_month": ["2024-01-01", "2024-02-01", "2024-01-01"],
            "billed_on": ["2024-01-31", "2024-02-29", "2024-01-31"],
            "paid_on": ["2024-02-05", None, "2024-02-20"],
            "known_on": ["2024-02-15", "2024-03-15", "2024-02-25"],
            "amount": [310.5, 290.0, 120.0],
            "days_late": [0, 3, 12],
        },
        index=["u1", "u2", "u3"],
    )


def base_set() -> RecordSet:
    return RecordSet.from_frames(
        borrowers=borrowers_frame(),
        zhima_scores=pd.DataFrame(
            {"borrower_id": ["b1", "b2"], "observed_on": ["2024-01-31", "2024-01-31"], "score": [700, 650]}
        ),
    )


def with_utility(frame: pd.DataFrame | None = None) -> RecordSet:
    return base_set().with_table(utility_schema(), utility_frame() if frame is None else frame)


# ---- the built-in schemas declare their roles ------------------------------------------------


def test_builtin_schemas_declare_borrower_key_event_date_and_knowledge_time() -> None:
    # Read off the table definitions in DESIGN.md / records._tables: each event table is known
    # when its event happens; borrowers and installments have no single event date.
    expected = {
        "borrowers": (None, None, "business_profile"),
        "credit_line_events": ("borrower_id", "effective_on", "credit_history"),
        "loans": ("borrower_id", "drawn_on", "credit_history"),
        "installments": (None, None, "credit_history"),
        "transactions": ("borrower_id", "occurred_at", "financial_account_flows"),
        "zhima_scores": ("borrower_id", "observed_on", "third_party_score"),
        "inquiries": ("borrower_id", "inquired_on", "inquiries"),
    }
    for name, (key, event, category) in expected.items():
        schema = SCHEMAS[name]
        assert (schema.borrower_key, schema.event_date, schema.known_at, schema.category) == (
            key, event, event, category,
        ), name


def test_data_categories_match_the_literal_and_keep_the_builtin_order() -> None:
    assert set(DATA_CATEGORIES) == set(typing.get_args(DataCategory))
    # The five categories of the built-in tables keep their sensitivity order.
    builtin = [c for c in DATA_CATEGORIES if c in {s.category for s in SCHEMAS.values()}]
    assert builtin == [
        "financial_account_flows", "third_party_score", "inquiries", "credit_history", "business_profile",
    ]
    for en, zh in DATA_CATEGORIES.values():
        assert en
        assert zh


def test_schema_roles_are_checked() -> None:
    s = utility_schema()
    fields = {
        "name": "t", "columns": s.columns, "primary_key": s.primary_key,
        "description": "", "description_zh": "",
    }
    with pytest.raises(InvalidInputError, match=r"TableSchema: known_at must name a date column of the "
                       r"table; got 'known', not a column of table 't'"):
        TableSchema(**fields, known_at="known")
    with pytest.raises(InvalidInputError, match=r"known_at must name a date column without missing values "
                       r"\(nullable=False\); got 'paid_on' \(kind 'date', nullable=True\)"):
        TableSchema(**fields, known_at="paid_on")
    with pytest.raises(InvalidInputError, match=r"event_date must name a date column without missing "
                       r"values .*got 'amount' \(kind 'float'"):
        TableSchema(**fields, event_date="amount")
    with pytest.raises(InvalidInputError, match=r"borrower_key must name an identifier column .*got "
                       r"'billed_on' \(kind 'date'"):
        TableSchema(**fields, borrower_key="billed_on")
    with pytest.raises(InvalidInputError, match=r"TableSchema: category must be one of 'financial_account_"
                       r"flows', .*; got 'utilities'\. Pick the PIPL data category"):
        TableSchema(**fields, category="utilities")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"known_at must be a non-empty string; got 3"):
        TableSchema(**fields, known_at=3)  # type: ignore[arg-type]


# ---- round trips ----------------------------------------------------------------------------------


def test_with_table_equals_from_frames_extra_and_from_records() -> None:
    rs = with_utility()
    extra = {"utility_payments": (utility_schema(), utility_frame())}
    zhima = base_set()["zhima_scores"]
    assert rs == RecordSet.from_frames(borrowers=borrowers_frame(), zhima_scores=zhima, extra=extra)
    borrowers = [Borrower.from_row(r) for r in borrowers_frame().to_dict("records")]
    from_records = RecordSet.from_records(borrowers=borrowers, extra=extra)
    assert from_records == RecordSet.from_frames(borrowers=borrowers_frame(), extra=extra)
    assert rs.tables == ("borrowers", "zhima_scores", "utility_payments")
    assert rs.user_tables == ("utility_payments",)
    assert "utility_payments" in rs
    assert "utility" not in rs
    assert rs.schema("utility_payments") == utility_schema()
    assert rs.schema("zhima_scores") is SCHEMAS["zhima_scores"]
    assert list(rs.schemas) == list(rs.tables)
    assert repr(rs) == "RecordSet(borrowers=2, zhima_scores=2, utility_payments=3)"


def test_user_table_is_normalised_like_a_builtin_table() -> None:
    got = with_utility()["utility_payments"]
    assert got.dtypes.astype(str).tolist() == [
        "string", "datetime64[ns]", "datetime64[ns]", "datetime64[ns]", "datetime64[ns]", "float64", "Int64",
    ]
    assert list(got.index) == ["u1", "u2", "u3"]
    assert got["known_on"].tolist() == list(pd.to_datetime(["2024-02-15", "2024-03-15", "2024-02-25"]))


def test_pickle_copy_and_deepcopy_keep_user_tables() -> None:
    rs = with_utility()
    for other in (pickle.loads(pickle.dumps(rs)), copy.copy(rs), copy.deepcopy(rs)):
        assert other == rs
        assert other.schema("utility_payments") == rs.schema("utility_payments")
        pd.testing.assert_frame_equal(other["utility_payments"], rs["utility_payments"], check_exact=True)


def test_equality_sees_the_schema_of_a_user_table() -> None:
    other = base_set().with_table(
        TableSchema(**{**_fields(utility_schema()), "category": "other"}), utility_frame()
    )
    assert other != with_utility()
    assert with_utility() == with_utility()


def _fields(schema: TableSchema) -> dict[str, typing.Any]:
    names = ("name", "columns", "primary_key", "foreign_keys", "description", "description_zh",
             "borrower_key", "event_date", "known_at", "category")
    return {n: getattr(schema, n) for n in names}


def test_replace_subset_and_summary_cover_user_tables() -> None:
    rs = with_utility()
    fewer = rs.replace(utility_payments=utility_frame().iloc[:1])
    assert len(fewer["utility_payments"]) == 1
    assert fewer.schema("utility_payments") == utility_schema()
    assert rs.replace(utility_payments=None).tables == ("borrowers", "zhima_scores")
    with pytest.raises(SchemaError, match=r"utility_payments.amount row 'u1': value -1.0: must satisfy"):
        rs.replace(utility_payments=utility_frame().assign(amount=[-1.0, 2.0, 3.0]))
    sub = rs.subset(["b2"])
    assert sub["utility_payments"].index.tolist() == ["u3"]
    assert sub.tables == rs.tables
    summary = rs.summary()
    # Rows and borrowers counted from utility_frame(); first / last are its billed_on range.
    assert summary.loc["utility_payments", "rows"] == 3
    assert summary.loc["utility_payments", "borrowers"] == 2
    assert summary.loc["utility_payments", "first"] == pd.Timestamp("2024-01-31")
    assert summary.loc["utility_payments", "last"] == pd.Timestamp("2024-02-29")


def test_a_borrower_key_with_another_name_is_used_everywhere() -> None:
    schema = utility_schema("shop_bills", key="customer_id")
    frame = utility_frame().rename(columns={"borrower_id": "customer_id"})
    rs = base_set().with_table(schema, frame)
    assert rs.subset(["b1"])["shop_bills"].index.tolist() == ["u1", "u2"]
    assert rs.summary().loc["shop_bills", "borrowers"] == 2
    with pytest.raises(SchemaError, match=r"shop_bills.customer_id row 'u3': value 'b9': foreign key: no "
                       r"borrowers row has this borrower_id"):
        base_set().with_table(schema, frame.assign(customer_id=["b1", "b1", "b9"]))


def test_nothing_is_mutated_and_tables_are_protected() -> None:
    rs = base_set()
    frame = utility_frame()
    before = frame.copy(deep=True)
    new = rs.with_table(utility_schema(), frame)
    pd.testing.assert_frame_equal(frame, before, check_exact=True)
    assert rs.tables == ("borrowers", "zhima_scores")
    got = new["utility_payments"]
    got.loc["u1", "amount"] = 1e6
    assert new["utility_payments"].loc["u1", "amount"] == 310.5


# ---- validation is the built-in one ---------------------------------------------------------------


def _like_zhima(name: str = "my_scores") -> TableSchema:
    return TableSchema(**{**_fields(SCHEMAS["zhima_scores"]), "name": name})


def test_validation_of_a_user_table_equals_the_builtin_one() -> None:
    bad = pd.DataFrame(
        {
            "borrower_id": ["b1", "b1", None, "b2"],
            "observed_on": ["2024-01-05", "2024-01-05", "2024-13-01", "2024-02-01 10:00"],
            "score": [688, 1200, 700.5, "x"],
            "extra": [1, 2, 3, 4],
        },
        index=[10, 11, 12, 13],
    )
    with pytest.raises(SchemaError) as builtin:
        validate("zhima_scores", bad)
    with pytest.raises(SchemaError) as user:
        base_set().with_table(_like_zhima(), bad)
    want = [(p.column, p.row, p.value, p.rule) for p in builtin.value.problems]
    got = [(p.column, p.row, p.value, p.rule) for p in user.value.problems if p.table == "my_scores"]
    assert got == want
    assert len(want) >= 5  # the defects above: range, whole number, text, missing id, date, unknown column
    text_builtin = str(builtin.value).split(":\n", 1)[1].replace("zhima_scores.", "<t>.")
    text_user = str(user.value).split(":\n", 1)[1].replace("my_scores.", "<t>.")
    assert text_user == text_builtin


def test_a_valid_frame_normalises_to_the_same_frame() -> None:
    raw = pd.DataFrame({"borrower_id": [1, "b2"], "observed_on": ["2024-01-05", "2024-02-05"],
                        "score": [688.0, 702]})
    rs = RecordSet.from_frames(
        borrowers=borrowers_frame().assign(borrower_id=["1", "b2"]), extra={"my_scores": (_like_zhima(), raw)}
    )
    pd.testing.assert_frame_equal(rs["my_scores"], validate("zhima_scores", raw), check_exact=True)


def test_duplicate_primary_key_and_options_as_for_builtins() -> None:
    dup = utility_frame().assign(period_month=["2024-01-01", "2024-01-01", "2024-01-01"])
    with pytest.raises(SchemaError, match=r"utility_payments.borrower_id, period_month row 'u2': value "
                       r"\('b1', Timestamp\('2024-01-01 00:00:00'\)\): duplicate primary key"):
        with_utility(dup)
    extra_col = utility_frame().assign(note="x")
    with pytest.raises(SchemaError, match=r"utility_payments.note: unknown column"):
        with_utility(extra_col)
    kept = base_set().with_table(utility_schema(), extra_col, unknown_columns="drop")
    assert "note" not in kept["utility_payments"]
    day_first = utility_frame().assign(known_on=["15/02/2024", "15/03/2024", "25/02/2024"],
                                       period_month=["01/01/2024", "01/02/2024", "01/01/2024"],
                                       billed_on=["31/01/2024", "29/02/2024", "31/01/2024"],
                                       paid_on=["05/02/2024", None, "20/02/2024"])
    assert base_set().with_table(utility_schema(), day_first, date_format="%d/%m/%Y") == with_utility()


# ---- the knowledge-time rules -------------------------------------------------------------------


def test_rows_known_before_their_event_are_refused() -> None:
    early = utility_frame().assign(known_on=["2024-01-30", "2024-03-15", "2024-01-01"])
    with pytest.raises(SchemaError) as err:
        with_utility(early)
    text = str(err.value)
    assert text.startswith("RecordSet.with_table: 2 schema problems:")
    assert ("utility_payments.known_on row 'u1': value Timestamp('2024-01-30 00:00:00'): knowledge time "
            "must not be before the event date 'billed_on' (known_at >= event_date)") in text
    assert "utility_payments.known_on row 'u3'" in text
    assert [p.row for p in err.value.problems] == ["u1", "u3"]
    # Known on the day of the event is allowed (the boundary).
    assert with_utility(utility_frame().assign(known_on=utility_frame()["billed_on"]))


def test_knowledge_time_must_be_present_and_complete() -> None:
    with pytest.raises(SchemaError, match=r"utility_payments.known_on: required column is missing; add it"):
        with_utility(utility_frame().drop(columns="known_on"))
    with pytest.raises(SchemaError, match=r"utility_payments.known_on row 'u2': is required"):
        with_utility(utility_frame().assign(known_on=["2024-02-15", None, "2024-02-25"]))
    no_known = TableSchema(**{**_fields(utility_schema()), "known_at": None})
    with pytest.raises(InvalidInputError, match=r"RecordSet.with_table: schema of user table "
                       r"'utility_payments' must set known_at \(the knowledge-time column"):
        base_set().with_table(no_known, utility_frame())
    with pytest.raises(InvalidInputError, match=r"RecordSet.from_frames: extra\['utility_payments'\] of "
                       r"user table 'utility_payments' must set known_at"):
        RecordSet.from_frames(borrowers=borrowers_frame(), extra={"utility_payments": (no_known,
                                                                                       utility_frame())})


def test_timestamps_compare_exactly_dates_by_day() -> None:
    columns = (
        Column(name="borrower_id", kind="id", description="", description_zh=""),
        Column(name="ref", kind="id", description="", description_zh=""),
        Column(name="happened_at", kind="datetime", description="", description_zh=""),
        Column(name="known_at", kind="datetime", description="", description_zh=""),
        Column(name="known_day", kind="date", description="", description_zh=""),
    )

    def schema(known: str) -> TableSchema:
        return TableSchema(name="events", columns=columns, primary_key=("ref",), borrower_key="borrower_id",
                           event_date="happened_at", known_at=known, description="", description_zh="")

    frame = pd.DataFrame({"borrower_id": ["b1", "b1"], "ref": ["r1", "r2"],
                          "happened_at": ["2024-01-03 10:00", "2024-01-03 10:00"],
                          "known_at": ["2024-01-03 09:00", "2024-01-03 11:00"],
                          "known_day": ["2024-01-03", "2024-01-03"]})
    with pytest.raises(SchemaError, match=r"1 schema problem:\n  events.known_at row 0"):
        base_set().with_table(schema("known_at"), frame)
    # A date known on the event's day is not before it (days compared).
    assert base_set().with_table(schema("known_day"), frame).tables[-1] == "events"


# ---- names and pairs --------------------------------------------------------------------------


def test_user_table_names_and_pairs_are_checked() -> None:
    builtin_name = TableSchema(**{**_fields(utility_schema()), "name": "loans"})
    with pytest.raises(InvalidInputError, match=r"RecordSet.with_table: schema may not reuse a built-in "
                       r"table name; got 'loans'"):
        base_set().with_table(builtin_name, utility_frame())
    with pytest.raises(InvalidInputError, match=r"extra\['loans'\] may not reuse a built-in table name"):
        RecordSet.from_frames(borrowers=borrowers_frame(), extra={"loans": (builtin_name, utility_frame())})
    with pytest.raises(InvalidInputError, match=r"extra\['bills'\] must hold the schema of the table it is "
                       r"keyed by; got a schema named 'utility_payments'"):
        RecordSet.from_frames(borrowers=borrowers_frame(),
                              extra={"bills": (utility_schema(), utility_frame())})
    with pytest.raises(InvalidInputError, match=r"extra\['u'\] must be a \(TableSchema, DataFrame\) pair; "
                       r"got \(DataFrame, TableSchema\)"):
        RecordSet.from_frames(borrowers=borrowers_frame(), extra={"u": (utility_frame(), utility_schema())})
    with pytest.raises(InvalidInputError, match=r"extra must be a mapping"):
        RecordSet.from_frames(borrowers=borrowers_frame(), extra=[utility_schema()])  # type: ignore[arg-type]
    no_key = TableSchema(**{**_fields(utility_schema()), "borrower_key": None})
    with pytest.raises(InvalidInputError, match=r"must set borrower_key"):
        base_set().with_table(no_key, utility_frame())
    with pytest.raises(InvalidInputError, match=r"RecordSet.with_table: frame must be a pandas DataFrame"):
        base_set().with_table(utility_schema(), utility_frame().to_dict())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"RecordSet.replace: tables must be among "
                       r".*'utility_payments'.*; got unknown tables 'gas'"):
        with_utility().replace(gas=None)
    with pytest.raises(InvalidInputError, match=r"RecordSet.schema: name must be a table of this RecordSet; "
                       r"got 'loans'"):
        base_set().schema("loans")


def test_foreign_keys_of_user_tables() -> None:
    loans = pd.DataFrame({"loan_id": ["L1", "L2"], "borrower_id": ["b1", "b2"],
                          "drawn_on": ["2024-01-10"] * 2,
                          "principal": [900.0, 500.0], "term_months": [1, 1],
                          "repayment_method": ["interest_first"] * 2, "daily_rate": [0.0004] * 2,
                          "purpose": ["unknown"] * 2})
    inst = pd.DataFrame({"loan_id": ["L1", "L2"], "seq": [1, 1], "due_on": ["2024-02-10"] * 2,
                         "principal_due": [900.0, 500.0], "interest_due": [10.8, 6.0],
                         "paid_on": [None, None]})
    rs = RecordSet.from_frames(borrowers=borrowers_frame(), loans=loans, installments=inst)
    columns = (
        Column(name="note_id", kind="id", description="", description_zh=""),
        Column(name="borrower_id", kind="id", description="", description_zh=""),
        Column(name="loan_id", kind="id", description="", description_zh=""),
        Column(name="noted_on", kind="date", description="", description_zh=""),
    )
    notes = TableSchema(name="collection_notes", columns=columns, primary_key=("note_id",),
                        foreign_keys=(ForeignKey(columns=("loan_id",), ref_table="loans",
                                                 ref_columns=("loan_id",)),),
                        borrower_key="borrower_id", known_at="noted_on", description="", description_zh="")
    frame = pd.DataFrame({"note_id": ["n1", "n2"], "borrower_id": ["b1", "b1"], "loan_id": ["L1", "L3"],
                          "noted_on": ["2024-03-01"] * 2})
    with pytest.raises(SchemaError, match=r"collection_notes.loan_id row 1: value 'L3': foreign key: no "
                       r"loans row has this loan_id"):
        rs.with_table(notes, frame)
    # A note of b1 about b2's loan: the subset to b1 keeps no dangling reference.
    both = rs.with_table(notes, frame.assign(loan_id=["L1", "L2"]))
    assert both.subset(["b1"])["collection_notes"]["note_id"].tolist() == ["n1"]
    with pytest.raises(InvalidInputError, match=r"foreign key to an unknown table; got 'contracts'"):
        rs.with_table(TableSchema(**{**_fields(notes), "foreign_keys": (
            ForeignKey(columns=("loan_id",), ref_table="contracts", ref_columns=("loan_id",)),)}), frame)
    with pytest.raises(InvalidInputError, match=r"foreign key to columns that 'loans' lacks; got 'id'"):
        rs.with_table(TableSchema(**{**_fields(notes), "foreign_keys": (
            ForeignKey(columns=("loan_id",), ref_table="loans", ref_columns=("id",)),)}), frame)
    # Removing the referenced table is reported as for built-in references.
    with pytest.raises(SchemaError, match=r"table 'collection_notes' references loans.loan_id; pass the "
                       r"loans"):
        both.replace(installments=None, loans=None)


def test_empty_user_table_is_allowed() -> None:
    rs = with_utility(utility_frame().iloc[:0])
    assert len(rs["utility_payments"]) == 0
    assert rs.summary().loc["utility_payments", "rows"] == 0
    assert pd.isna(rs.summary().loc["utility_payments", "first"])


def test_with_table_replaces_a_user_table_of_the_same_name() -> None:
    rs = with_utility()
    again = rs.with_table(utility_schema(), utility_frame().iloc[1:])
    assert again.tables == rs.tables
    assert again["utility_payments"].index.tolist() == ["u2", "u3"]
    assert rs["utility_payments"].index.tolist() == ["u1", "u2", "u3"]  # the original is unchanged
