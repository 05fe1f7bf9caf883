"""The public names of jiebei_credit.monitoring are a contract."""

from __future__ import annotations

import jiebei_credit as jc


def test_public_names_are_pinned() -> None:
    assert sorted(jc.monitoring.__all__) == [
        "CardComparison",
        "DEFAULT_RULES",
        "FlowThrough",
        "ModelHealth",
        "PSIOverTime",
        "RollRates",
        "ScorecardLike",
        "StabilityReport",
        "VintageTable",
        "WarningRule",
        "compare_cards",
        "early_warnings",
        "flow_through",
        "model_health",
        "psi_over_time",
        "roll_rates",
        "stability_report",
        "vintage_table",
    ]
    for name in jc.monitoring.__all__:
        assert getattr(jc.monitoring, name) is not None


def test_default_rules_use_the_agreed_feature_names() -> None:
    agreed = {"dpd_now", "util_now", "limit_now", "receipts_monthly_mean_90d", "inq_count_30d",
              "zhima_latest"}
    assert {r.column for r in jc.monitoring.DEFAULT_RULES} == agreed
    assert agreed <= set(jc.features.CATALOG)  # the rules read features extract() produces
