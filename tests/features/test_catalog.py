"""The public names and the feature catalog of jiebei_credit.features are a contract."""

from __future__ import annotations

import dataclasses
import re

import pytest

import jiebei_credit as jc
from jiebei_credit.features import CATALOG, DEFAULT_WINDOWS, FAMILIES, FAMILY_SOURCES, FeatureSpec, catalog
from jiebei_credit.records import SCHEMAS, VAT_INVOICES

#: Names other subpackages and the examples rely on, with their agreed meaning (see the brief).
AGREED = {
    "dpd_now": ("repayment", None),
    "util_now": ("utilisation", None),
    "limit_now": ("line", None),
    "receipts_monthly_mean_90d": ("cashflow", 90),
    "inq_count_30d": ("inquiries", 30),
    "zhima_latest": ("zhima", None),
}


def test_public_names_are_pinned() -> None:
    assert sorted(jc.features.__all__) == sorted(
        [
            "BUILTIN_FAMILIES",
            "CATALOG",
            "CHECKS",
            "DEFAULT_WINDOWS",
            "FAMILIES",
            "FAMILY_SOURCES",
            "DataCategory",
            "FeatureFamily",
            "FeatureSpec",
            "Pairs",
            "PointInTimeFailure",
            "PointInTimeReport",
            "PointInTimeView",
            "Segments",
            "StepSeries",
            "catalog",
            "check_point_in_time",
            "extract",
            "outcomes",
            "specs_for",
        ]
    )
    for name in jc.features.__all__:
        obj = getattr(jc.features, name)
        module = getattr(obj, "__module__", "jiebei_credit.features._x")
        if callable(obj) and name != "DataCategory":
            assert module.startswith("jiebei_credit.features._"), name


def test_agreed_names_exist_with_their_meaning() -> None:
    for name, (family, window) in AGREED.items():
        spec = CATALOG[name]
        assert (spec.family, spec.window) == (family, window), name
    assert CATALOG["inq_count_30d"].description == "Credit inquiries by any institution in the last 30 days."
    assert CATALOG["util_now"].nan_meaning == "no line at as_of, or a limit of 0"
    assert CATALOG["receipts_monthly_mean_90d"].unit == "CNY per 30 days"


def test_catalog_size_and_variety() -> None:
    assert DEFAULT_WINDOWS == (30, 90, 180, 365)
    assert len(CATALOG) >= 60
    bases = {re.sub(rf"_{s.window}d$", "", n) for n, s in CATALOG.items()}
    assert len(bases) >= 45  # distinct definitions, not window copies
    assert set(FAMILIES) == {s.family for s in CATALOG.values()}


def test_every_spec_is_complete_and_consistent() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name, spec in CATALOG.items():
        assert isinstance(spec, FeatureSpec)
        assert spec.name == name
        assert spec.description.endswith("."), name
        assert len(spec.description) > 20, name
        assert cjk.search(spec.description_zh), name
        assert "{" not in spec.description + spec.description_zh + spec.nan_meaning, name
        assert spec.unit, name
        assert spec.nan_meaning, name
        # the seven tables, and the shipped VAT_INVOICES the invoices family reads
        assert set(spec.sources) <= {*SCHEMAS, VAT_INVOICES.name}, name
        assert set(spec.sources) <= set(FAMILY_SOURCES[spec.family]), name
        if spec.window is not None and name.endswith("d") and spec.window in DEFAULT_WINDOWS:
            assert name.endswith(f"_{spec.window}d"), name
        if "transactions" in spec.sources:
            assert spec.category == "financial_account_flows", name
            assert spec.sensitive, name
        else:
            assert not spec.sensitive, name
    assert CATALOG["zhima_latest"].category == "third_party_score"
    assert CATALOG["inq_count_90d"].category == "inquiries"
    assert CATALOG["dpd_now"].category == "credit_history"
    assert CATALOG["business_age_months"].category == "business_profile"


def test_family_sources_are_the_union_of_their_features() -> None:
    for family, tables in FAMILY_SOURCES.items():
        union = {t for s in CATALOG.values() if s.family == family for t in s.sources}
        assert set(tables) == union, family
    # pinned, so that moving a feature to other tables shows up as a change of the consent surface
    assert dict(FAMILY_SOURCES) == {
        "line": ("credit_line_events",),
        "utilisation": ("credit_line_events", "loans", "installments"),
        "draws": ("loans", "installments"),
        "repayment": ("loans", "installments"),
        "cashflow": ("transactions",),
        "capacity": ("loans", "installments", "transactions"),
        "zhima": ("zhima_scores",),
        "inquiries": ("inquiries",),
        "profile": ("borrowers",),
        "invoices": ("transactions", "vat_invoices"),
    }


def test_catalog_for_other_windows() -> None:
    specs = catalog(windows=(120, 7))
    assert "inq_count_7d" in specs
    assert "inq_count_120d" in specs
    assert "inq_count_30d" not in specs
    assert list(specs).index("inq_count_7d") < list(specs).index("inq_count_120d")  # windows ascending
    assert "receipts_cv_7d" not in specs
    assert "receipts_cv_120d" in specs
    assert "zero_sale_months_7d" not in specs  # needs one whole block
    assert specs["dpd_max_120d"].description.startswith(
        "Largest days past due on the status dates (as_of - 120"
    )
    assert specs["delinq_3c6c_24m"].window == 730  # fixed windows do not follow windows=
    assert dict(catalog()) == dict(CATALOG)


def test_catalog_is_read_only_and_specs_frozen() -> None:
    with pytest.raises(TypeError):
        CATALOG["x"] = CATALOG["dpd_now"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOG["dpd_now"].unit = "weeks"  # type: ignore[misc]
