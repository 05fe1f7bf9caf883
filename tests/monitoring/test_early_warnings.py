"""Early warnings: default rules by hand, <NA> semantics, custom rules, errors and round trips."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, SchemaError
from jiebei_credit.monitoring import DEFAULT_RULES, WarningRule, early_warnings

FEATURES = ["dpd_now", "util_now", "receipts_monthly_mean_90d", "inq_count_30d", "zhima_latest", "limit_now"]


def _snapshot(rows: dict[str, list[float]], ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=pd.Index(ids, name="borrower_id"))


@pytest.fixture
def snapshots() -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = ["calm", "late", "later", "spender", "slump", "shopper", "zhima", "cut"]
    before = _snapshot(
        {
            "dpd_now": [0, 0, 10, 0, 0, 0, 0, 0],
            "util_now": [0.2, 0.2, 0.5, 0.3, 0.4, 0.4, 0.4, 0.4],
            "receipts_monthly_mean_90d": [9e3, 9e3, 9e3, 9e3, 1e4, 9e3, 9e3, 9e3],
            "inq_count_30d": [1, 1, 1, 1, 1, 0, 1, 1],
            "zhima_latest": [700, 700, 700, 700, 700, 700, 700, 700],
            "limit_now": [5e4, 5e4, 5e4, 5e4, 5e4, 5e4, 5e4, 5e4],
        },
        ids,
    )
    now = _snapshot(
        {
            # late: 0 → 3 DPD (new delinquency); later: 10 → 45 (past 30, not new).
            "dpd_now": [0, 3, 45, 0, 0, 0, 0, 0],
            # spender: 0.3 → 0.95 (+65 pp, and crosses 90 %).
            "util_now": [0.25, 0.2, 0.5, 0.95, 0.4, 0.4, 0.4, 0.4],
            # slump: 10 000 → 6 000 (−40 %).
            "receipts_monthly_mean_90d": [9.5e3, 9e3, 9e3, 9e3, 6e3, 9e3, 9e3, 9e3],
            # shopper: 0 → 4 inquiries (+4).
            "inq_count_30d": [1, 1, 1, 1, 1, 4, 1, 1],
            # zhima: 700 → 660 (−40 points).
            "zhima_latest": [705, 700, 700, 700, 700, 700, 660, 700],
            # cut: 50 000 → 30 000 (−40 %).
            "limit_now": [5e4, 5e4, 5e4, 5e4, 5e4, 5e4, 5e4, 3e4],
        },
        ids,
    )
    return before, now


def test_default_rules_fire_where_expected(snapshots: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    before, now = snapshots
    flags = early_warnings(before, now)
    assert flags.columns.tolist() == [r.name for r in DEFAULT_RULES]
    assert (flags.dtypes == "boolean").all()
    assert flags.index.equals(now.index)
    fired = {b: sorted(flags.columns[flags.loc[b].to_numpy(dtype=bool)]) for b in flags.index}
    assert fired == {
        "calm": [],
        "late": ["new_delinquency"],
        "later": ["delinquency_over_30"],
        "spender": ["utilisation_high", "utilisation_jump"],
        "slump": ["receipts_drop"],
        "shopper": ["inquiry_spike"],
        "zhima": ["zhima_drop"],
        "cut": ["limit_cut"],
    }


def test_thresholds_are_inclusive_as_declared() -> None:
    # Exactly at the thresholds: +0.3 utilisation (>=), −30 % receipts (<=), +3 inquiries (>=).
    before = _snapshot({c: [1.0] for c in FEATURES}, ["b"]).assign(
        util_now=[0.25], receipts_monthly_mean_90d=[1000.0], inq_count_30d=[0], zhima_latest=[700]
    )
    now = before.assign(util_now=[0.5], receipts_monthly_mean_90d=[700.0], inq_count_30d=[3],
                        zhima_latest=[670])
    flags = early_warnings(before, now).loc["b"]
    assert bool(flags["receipts_drop"])
    assert bool(flags["inquiry_spike"])
    assert bool(flags["zhima_drop"])
    # 0.5 − 0.25 = 0.25 < 0.3: no jump.
    assert not bool(flags["utilisation_jump"])


def test_not_evaluable_is_missing_not_false(snapshots: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    before, now = snapshots
    newcomer = _snapshot({c: [1.0] for c in FEATURES}, ["newcomer"])
    now2 = pd.concat([now, newcomer])
    now2.loc["calm", "zhima_latest"] = np.nan
    before2 = before.copy()
    before2.loc["slump", "receipts_monthly_mean_90d"] = 0.0
    flags = early_warnings(before2, now2)
    # Newcomer has no previous snapshot: every rule here reads it, so all are <NA>.
    assert flags.loc["newcomer"].isna().all()
    assert pd.isna(flags.loc["calm", "zhima_drop"])
    # Relative change from 0 is undefined.
    assert pd.isna(flags.loc["slump", "receipts_drop"])
    # Other rules for these borrowers are still evaluated.
    assert flags.loc["calm", "utilisation_jump"] == False  # noqa: E712 (nullable boolean)


def test_custom_rules_level_kind_and_borrowers_only_in_previous() -> None:
    big_draw = WarningRule(
        name="util_above_80", column="util_now", kind="level", comparison=">", threshold=0.8,
        description_en="Utilisation above 80 %", description_zh="额度使用率高于 80%",
    )
    before = _snapshot({"util_now": [0.9, 0.1]}, ["gone", "stay"])
    now = _snapshot({"util_now": [0.85, np.nan]}, ["stay", "new"])
    flags = early_warnings(before, now, rules=[big_draw])
    # Level rules need no previous value; 'gone' is not reported.
    assert flags.index.tolist() == ["stay", "new"]
    assert flags["util_above_80"].tolist() == [True, pd.NA]
    flags = early_warnings(before, now, rules=(*DEFAULT_RULES, big_draw), missing_columns="skip")
    assert flags.columns[-1] == "util_above_80"
    assert flags["new_delinquency"].isna().all()


def test_missing_columns_raise_naming_columns_and_rules() -> None:
    before = _snapshot({"dpd_now": [0]}, ["b"])
    now = _snapshot({"dpd_now": [0]}, ["b"])
    with pytest.raises(SchemaError) as info:
        early_warnings(before, now, rules=DEFAULT_RULES[:4])
    message = str(info.value)
    assert message.startswith("early_warnings: 2 schema problems:")
    assert (
        "X_reference.util_now: missing column needed by rule(s) 'utilisation_jump', "
        "'utilisation_high'; add it, drop those rules, or pass missing_columns='skip'" in message
    )
    assert "X_current.util_now: missing column" in message
    # A level rule does not need the previous snapshot, so only the current one is checked.
    level = WarningRule(name="full", column="util_now", kind="level", comparison=">=", threshold=1)
    with pytest.raises(
        SchemaError,
        match=r"^early_warnings: 1 schema problem:\n "
        r" X_current.util_now",
    ):
        early_warnings(before, now, rules=[level])
    flags = early_warnings(before, now, rules=DEFAULT_RULES[:4], missing_columns="skip")
    assert flags["utilisation_jump"].isna().all()
    assert flags["new_delinquency"].tolist() == [False]


def test_schema_problems_in_the_snapshots() -> None:
    dup = pd.DataFrame({"dpd_now": [0, 1]}, index=["b", "b"])
    ok = pd.DataFrame({"dpd_now": [0]}, index=["b"])
    with pytest.raises(
        SchemaError,
        match=r"X_reference row 'b': borrower"
        r" appears more than once",
    ):
        early_warnings(dup, ok, rules=DEFAULT_RULES[:1])
    text = pd.DataFrame({"dpd_now": ["0"]}, index=["b"])
    with pytest.raises(
        SchemaError,
        match=r"X_current.dpd_now: must be numeric"
        r" for the warning rules",
    ):
        early_warnings(ok, text, rules=DEFAULT_RULES[:1])
    with pytest.raises(
        InvalidInputError,
        match=r"early_warnings: X_current must be a"
        r" DataFrame indexed by borrower",
    ):
        early_warnings(ok, [0], rules=DEFAULT_RULES[:1])  # type: ignore[arg-type]


def test_rule_set_errors() -> None:
    ok = pd.DataFrame({"dpd_now": [0]}, index=["b"])
    with pytest.raises(
        InvalidInputError,
        match=r"early_warnings: rules must have unique names;"
        r" got \['new_delinquency'\] more than once\. Rename them\.",
    ):
        early_warnings(ok, ok, rules=[DEFAULT_RULES[0], DEFAULT_RULES[0]])
    with pytest.raises(
        InvalidInputError,
        match=r"early_warnings: rules must hold WarningRule"
        r" records; got 1 other object",
    ):
        early_warnings(ok, ok, rules=[DEFAULT_RULES[0], {"name": "x"}])  # type: ignore[list-item]
    with pytest.raises(
        InvalidInputError,
        match=r"rules must be a non-empty"
        r" sequence of WarningRule",
    ):
        early_warnings(ok, ok, rules=[])
    with pytest.raises(InvalidInputError, match=r"missing_columns must be one of 'raise', 'skip'"):
        early_warnings(ok, ok, rules=DEFAULT_RULES[:1], missing_columns="ignore")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "trend"}, r"kind must be one of 'level', 'crossing', 'absolute_change', 'relative_change'"),
        ({"comparison": "=="}, r"comparison must be one of '>', '>=', '<', '<='; got '=='"),
        ({"threshold": float("nan")}, r"threshold must be a finite number; got nan \(float\)"),
        ({"threshold": "1"}, r"threshold must be a finite number; got '1'"),
        ({"name": " "}, r"name must be a non-empty string"),
        ({"column": None}, r"column must be a non-empty string"),
    ],
)
def test_rule_records_check_their_fields(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        dataclasses.replace(DEFAULT_RULES[0], **changes)


rules = st.builds(
    WarningRule,
    name=st.text("abcdefghij_", min_size=1, max_size=12),
    column=st.sampled_from(FEATURES),
    kind=st.sampled_from(["level", "crossing", "absolute_change", "relative_change"]),
    comparison=st.sampled_from([">", ">=", "<", "<="]),
    threshold=st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-100, 100),
    description_en=st.text(max_size=20),
    description_zh=st.text(max_size=20),
)


@given(rules)
def test_rule_round_trips_through_json(rule: WarningRule) -> None:
    data = json.loads(json.dumps(rule.to_dict()))
    assert data["schema"] == "jiebei_credit.monitoring.WarningRule"
    assert data["version"] == 1
    assert WarningRule.from_dict(data) == rule


def test_from_dict_rejects_other_schemas_and_fields() -> None:
    data = DEFAULT_RULES[0].to_dict()
    with pytest.raises(
        InvalidInputError,
        match=r"expected schema"
        r" 'jiebei_credit.monitoring.WarningRule' version 1; got 'x'",
    ):
        WarningRule.from_dict({**data, "schema": "x"})
    with pytest.raises(InvalidInputError, match=r"unknown keys \['colour'\]"):
        WarningRule.from_dict({**data, "colour": "red"})


values = st.one_of(st.none(), st.floats(-50, 50, allow_nan=False), st.integers(-3, 3).map(float))
#: The documented floor: |previous| below it gives no relative change (<NA>).
FLOOR = 1e-9
_JUMP = WarningRule(name="jump", column="limit_now", kind="relative_change", comparison=">=", threshold=0.5)


@given(rules, st.lists(st.tuples(values, values), min_size=1, max_size=20))
# Found by a fresh-clone run: a subnormal previous value overflowed (now - previous) / |previous|.
@example(_JUMP, [(5e-324, 1.0)])
@example(_JUMP, [(-5e-324, -1.0), (0.0, 1.0), (1e-10, 1.0), (-1e-9, 1.0)])
@example(dataclasses.replace(_JUMP, kind="absolute_change", comparison="<"), [(5e-324, 1.0)])
def test_flags_match_an_independent_pandas_evaluation(
    rule: WarningRule, pairs: list[tuple[float | None, float | None]]
) -> None:
    ids = [f"b{i}" for i in range(len(pairs))]
    prev = pd.Series([p for p, _ in pairs], index=ids, dtype="Float64")
    now = pd.Series([n for _, n in pairs], index=ids, dtype="Float64")
    before = pd.DataFrame({rule.column: prev})
    after = pd.DataFrame({rule.column: now})
    got = early_warnings(before, after, rules=[rule])[rule.name]
    compare = {">": now.gt, ">=": now.ge, "<": now.lt, "<=": now.le}[rule.comparison]
    t = rule.threshold
    if rule.kind == "level":
        expected = compare(t)
    elif rule.kind == "crossing":
        was = {">": prev.gt, ">=": prev.ge, "<": prev.lt, "<=": prev.le}[rule.comparison](t)
        expected = compare(t) & ~was
        expected[prev.isna() | now.isna()] = pd.NA
    else:
        # relative change: defined only where |previous| >= FLOOR (masked before dividing)
        base = prev.abs().where(prev.abs() >= FLOOR)
        change = now - prev if rule.kind == "absolute_change" else (now - prev) / base
        expected = {">": change.gt, ">=": change.ge, "<": change.lt, "<=": change.le}[
            rule.comparison
        ](t)
    pd.testing.assert_series_equal(got, expected.astype("boolean"), check_names=False)


def test_inputs_not_mutated(snapshots: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    before, now = snapshots
    copies = before.copy(), now.copy()
    early_warnings(before, now)
    pd.testing.assert_frame_equal(before, copies[0])
    pd.testing.assert_frame_equal(now, copies[1])


def test_default_rules_are_documented_in_both_languages() -> None:
    assert len({r.name for r in DEFAULT_RULES}) == len(DEFAULT_RULES)
    for rule in DEFAULT_RULES:
        assert rule.description_en
        assert rule.description_zh
        assert rule.column in FEATURES
        assert rule.column in jc.features.CATALOG  # a renamed feature would break the default rules


def test_relative_change_from_a_subnormal_previous_value_is_missing_not_an_overflow() -> None:
    # Minimal reproduction of the red run: previous 5e-324 (subnormal), now 1.0. The ratio
    # overflowed and warned; below the documented floor of 1e-9 it is undefined: <NA>.
    before = pd.DataFrame({"limit_now": [5e-324, 0.0, 1e-9, 4.0]}, index=list("abcd"))
    now = pd.DataFrame({"limit_now": [1.0, 1.0, 2e-9, 1.0]}, index=list("abcd"))
    flags = early_warnings(before, now, rules=[_JUMP])["jump"]
    # b: from 0; c: exactly at the floor, (2e-9 − 1e-9) / 1e-9 = 1.0 >= 0.5; d: −75 %.
    assert flags.tolist() == [pd.NA, pd.NA, True, False]


def test_changes_too_large_for_a_float_compare_by_their_sign_without_warning() -> None:
    big = np.finfo(np.float64).max
    before = pd.DataFrame({"x": [-big, big, 0.5]}, index=list("abc"))
    now = pd.DataFrame({"x": [big, -big, big]}, index=list("abc"))
    rise = WarningRule(name="rise", column="x", kind="absolute_change", comparison=">", threshold=1e300)
    grew = WarningRule(name="grew", column="x", kind="relative_change", comparison=">", threshold=1e300)
    flags = early_warnings(before, now, rules=[rise, grew])
    # big − (−big) overflows to +inf: a rise; −big − big to −inf: not one.
    assert flags["rise"].tolist() == [True, False, True]
    # a: (big − (−big)) overflows to +inf, / big = +inf; b: −inf; c: (big − 0.5) / 0.5 overflows to +inf.
    assert flags["grew"].tolist() == [True, False, True]


def test_infinite_feature_values_are_refused() -> None:
    before = pd.DataFrame({"util_now": [0.1, 0.2]}, index=["a", "b"])
    now = pd.DataFrame({"util_now": [np.inf, 0.3]}, index=["a", "b"])
    with pytest.raises(
        SchemaError,
        match=r"X_current.util_now row 'a': value inf: 1 infinite value \(rows 'a'\); replace them "
        r"with NaN \(not evaluable\) or a finite cap",
    ):
        early_warnings(before, now, rules=DEFAULT_RULES[2:4])
