"""Hostile inputs against every public function of jiebei_credit.monitoring.

As in tests/metrics/test_hostile.py: one argument at a time is replaced by a
variant (another representation of valid data, or a value that must be
refused), and each call must give the right result or a JiebeiCreditError
naming the argument, without mutating an input, touching
``warnings.filters`` or warning. A deterministic sweep covers every
variant; a Hypothesis property draws random samples, arguments and variants.

Covered:

* ``stability_report``: cards whose members are of the wrong kind (not
  fitted, features as a string or empty, binnings not a mapping or not
  binnings, no ``points``, ``points`` that raises, returns NaN, inf,
  bools, strings, the wrong length or another index); feature tables as
  pyarrow or nullable columns, with extra or reordered columns, repeated
  or other index labels, one row, NaN (a missing bin), inf, no rows, a
  missing or repeated feature column, or not a DataFrame; outcomes as every
  representation of tests/metrics/hostile_support.py, with NaN and pd.NA
  meaning "not observed", 2 or -1, Series on other labels, only one of the
  two given; every scalar parameter with wrong types and out-of-range
  values. Reference: the same report on the plain data (PSI and CSI are
  checked against independent computations in the metrics suites), and the
  report's status, which must be the most serious light of its checks.
* ``early_warnings``: snapshots with pyarrow, nullable (with <NA>), bool and
  integer columns, extra columns, rows in another order, borrowers on one
  side only, NaN, the largest floats and subnormal previous values (all
  valid), and repeated borrowers, complex, categorical or string columns,
  inf, absent or repeated needed columns, or no DataFrame (refused); rule
  sets as lists, tuples, a single rule, repeated names, non-rules, empty;
  ``missing_columns`` of every wrong kind. Reference: a slow per-borrower
  evaluation of each rule, written from the WarningRule docstring, with
  the documented floor for relative changes.
* ``WarningRule`` and ``WarningRule.from_dict``: every field with wrong
  types (bool, numpy bool, complex, NaN, inf, None, lists, numbers for
  strings), numpy scalars (valid), payloads with missing, extra or
  mistyped keys. Reference: the rule's fields and its ``to_dict`` round trip.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.monitoring import WarningRule, early_warnings, stability_report
from tests.metrics.hostile_support import (
    REFUSE,
    WRONG_TYPES,
    Variant,
    check,
    integer_variants,
    scalar_variants,
    vector_variants,
)

# ------------------------------------------------------ stability_report ---


class Bins:
    """Binning protocol: split at ``cut``, plus a missing bin."""

    def __init__(self, cut: float) -> None:
        self.cut = cut
        self.labels = ("low", "high", "missing")

    def bin_index(self, x: Any) -> np.ndarray:
        v = pd.Series(x).astype("float64").to_numpy()
        return np.where(np.isnan(v), 2, (v >= self.cut).astype(np.int64))


class Card:
    """Scorecard protocol with settable members; points fall with both features."""

    def __init__(self, **members: Any) -> None:
        self.features_: Any = ("u", "v")
        self.binnings_: Any = {"u": Bins(0.5), "v": Bins(2.0)}
        for k, v in members.items():
            setattr(self, k, v)

    def points(self, X: pd.DataFrame) -> Any:
        return 600.0 - 100.0 * X["u"] - 10.0 * X["v"]


def _card_with_points(fn: Callable[[pd.DataFrame], Any]) -> Card:
    card = Card()
    card.points = fn  # type: ignore[method-assign]
    return card


def make_sample(seed: int, n: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)

    def frame() -> pd.DataFrame:
        return pd.DataFrame({"u": np.round(rng.uniform(0, 1, n), 2), "v": rng.integers(0, 4, n).astype(float),
                             "other": "x"})

    def outcome() -> np.ndarray:  # observed outcomes; the NaN variants mark some "not observed"
        return rng.integers(0, 2, n).astype(float)

    return {"X_reference": frame(), "X_current": frame(), "y_reference": outcome(), "y_current": outcome()}


def report_base(sample: dict[str, Any]) -> dict[str, Any]:
    return {"card": Card(), **sample, "bins": 3, "smoothing": 0.5, "psi_thresholds": (0.1, 0.25),
            "bad_rate_alpha": (0.05, 0.01)}


def card_variants() -> list[Variant]:
    return [
        Variant("a card", Card(), "card"),
        Variant("features as a list", Card(features_=["u", "v"]), "card"),
        Variant("features as an Index", Card(features_=pd.Index(["u", "v"])), "card"),
        Variant("features as an array", Card(features_=np.array(["u", "v"])), "card"),
        Variant("binnings as a read-only mapping",
                Card(binnings_=MappingProxyType({"u": Bins(0.5), "v": Bins(2.0)})), "card"),
        Variant("a number", 5, REFUSE), Variant("None", None, REFUSE), Variant("a string", "card", REFUSE),
        Variant("features as a string", Card(features_="u"), REFUSE),
        Variant("no features", Card(features_=()), REFUSE),
        Variant("repeated features", Card(features_=("u", "u")), REFUSE),
        Variant("a feature without binning", Card(features_=("u", "v", "other")), REFUSE),
        Variant("binnings not a mapping", Card(binnings_=[Bins(0.5), Bins(2.0)]), REFUSE),
        Variant("a number for a binning", Card(binnings_={"u": 5, "v": Bins(2.0)}), REFUSE),
        Variant("labels of a binning a "
            "string", Card(binnings_={"u": Bins(0.5), "v": _labelled("abc")}), REFUSE),
        Variant("no points", _card_with_points(None), REFUSE),  # type: ignore[arg-type]
        Variant("points raise", _card_with_points(lambda X: X["nope"]), REFUSE),
        Variant("points NaN", _card_with_points(lambda X: X["u"] * np.nan), REFUSE),
        Variant("points inf", _card_with_points(lambda X: X["u"] / 0.0 + np.inf), REFUSE),
        Variant("points bools", _card_with_points(lambda X: X["u"] > 0.5), REFUSE),
        Variant("points strings", _card_with_points(lambda X: X["u"].astype(str)), REFUSE),
        Variant("points one short", _card_with_points(lambda X: np.ones(len(X) - 1)), REFUSE),
        Variant("points on other labels", _card_with_points(lambda X: (600 - X["u"]).set_axis(X.index + 1)),
                REFUSE),
        Variant("points as an array", _card_with_points(lambda X: (600.0 - 100.0 * X["u"] - 10.0 * X["v"])
                                                        .to_numpy()), "card"),
    ]


def _labelled(labels: Any) -> Bins:
    b = Bins(2.0)
    b.labels = labels
    return b


def frame_variants(f: pd.DataFrame, name: str) -> list[Variant]:
    n = len(f)
    nan_u = f.assign(u=np.where(np.arange(n) == 0, np.nan, f["u"]))
    return [
        Variant("the frame", f.copy(), f),
        Variant("pyarrow columns", f.astype({"u": "double[pyarrow]", "v": "double[pyarrow]"}), f),
        Variant("nullable Float64", f.astype({"u": "Float64", "v": "Float64"}), f),
        Variant("integer v", f.astype({"v": "int64"}), f),
        Variant("columns reordered, one more", f[["v", "u"]].assign(extra=1.0), f),
        Variant("no points for a NaN feature", nan_u, REFUSE),
        Variant("an inf", f.assign(u=np.where(np.arange(n) == 0, np.inf, f["u"])), REFUSE),
        Variant("no rows", f.iloc[:0].copy(), REFUSE),
        Variant("a feature missing", f.drop(columns="v"), REFUSE),
        Variant("a feature twice", pd.concat([f, f[["u"]]], axis=1), REFUSE),
        Variant("a Series", f["u"].copy(), REFUSE), Variant("a dict", {"u": f["u"].tolist()}, REFUSE),
        Variant("None", None, REFUSE), Variant("an array", f[["u", "v"]].to_numpy(), REFUSE),
    ]


def outcome_variants(y: np.ndarray, name: str) -> list[Variant]:
    out = []
    for var in vector_variants(y, "target"):
        if var.label == "None":
            out.append(Variant("None (only one outcome sample)", None, REFUSE))
        elif var.label in ("NaN", "pd.NA in nullable", "None in object"):
            # a missing outcome means "not observed yet": valid here
            out.append(dataclasses.replace(var, plain=np.asarray(pd.Series(var.value, dtype="Float64")
                                                                  .to_numpy(dtype=float, na_value=np.nan))))
        elif var.label == "series, repeated index labels" or var.label == "series, other labels":
            out.append(dataclasses.replace(var, plain=REFUSE))  # must match the rows of its X by label
        else:
            out.append(var)
    return out


REPORT_SCALARS: dict[str, list[Variant]] = {
    "bins": integer_variants(3),
    "smoothing": scalar_variants([0.5, 0, 2, np.float64(1e308)], [-1, float("inf"), *WRONG_TYPES]),
    "psi_thresholds": scalar_variants([(0.1, 0.25), [0.2, 0.2], np.array([0.0, 1.0])],
                                      [(0.25, 0.1), (float("nan"), 0.2), (True, 0.3), "0.1", 0.1, None]),
    "bad_rate_alpha": scalar_variants([(0.05, 0.01), [0.1, 0.1], (0.5, 1e-9)],
                                      [(0.01, 0.05), (0.0, 0.0), (1.0, 0.5), (0.05,), "x", None,
                                       (np.nan, 0.1)]),
}


def report_variants(param: str, args: dict[str, Any]) -> list[Variant]:
    if param == "card":
        return card_variants()
    if param in ("X_reference", "X_current"):
        return frame_variants(args[param], param)
    if param in ("y_reference", "y_current"):
        return outcome_variants(args[param], param)
    return REPORT_SCALARS[param]


def agree_report(result: Any, expected: Any) -> None:
    assert isinstance(result, jc.monitoring.StabilityReport)
    assert result.score_psi.value == pytest.approx(expected.score_psi.value, rel=1e-12, abs=1e-15)
    pd.testing.assert_frame_equal(result.score_psi.table, expected.score_psi.table)
    pd.testing.assert_frame_equal(result.features, expected.features)
    for f, r in expected.feature_psi.items():
        pd.testing.assert_frame_equal(result.feature_psi[f].table, r.table)
    for part in ("bad_rates", "discrimination"):
        a, b = getattr(result, part), getattr(expected, part)
        assert (a is None) == (b is None)
        if a is not None:
            pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(result.to_frame(), expected.to_frame())
    # the status is the most serious light: red > amber > insufficient > green
    order = ["green", "insufficient", "amber", "red"]
    assert result.status == max(result.to_frame()["status"], key=order.index)


def report_reference(plain: dict[str, Any]) -> Any:
    args = {**plain, "card": Card() if plain["card"] == "card" else plain["card"]}
    return stability_report(**args)


def run_report(sample: dict[str, Any], param: str, variant: Variant) -> str:
    args = report_base(sample)
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    valid = variant.plain is not REFUSE
    changed = {"card": ("card", "card.features_", "card.binnings_", "card.points", "card.binnings_['u']",
                        "card.binnings_['v']", "card.binnings_['v'].labels", "card.points(X_reference)"),
               "X_reference": ("X_reference", "card.points(X_reference)", "X_reference['u']"),
               "X_current": ("X_current", "card.points(X_current)", "X_current['u']"),
               }.get(param, (param,))
    return check(stability_report, call, changed=changed, valid=valid,
                 reference=(lambda: report_reference(plain)) if valid else None, agree=agree_report)


REPORT_PARAMS = list(report_base(make_sample(0, 8)))


@pytest.mark.parametrize("param", REPORT_PARAMS)
def test_stability_report_every_variant(param: str) -> None:
    sample = make_sample(11, 10)
    args = report_base(sample)
    outcomes = []
    for variant in report_variants(param, args):
        try:
            outcomes.append(run_report(sample, param, variant))
        except AssertionError as exc:
            raise AssertionError(f"stability_report({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


@given(st.data())
def test_stability_report_random(data: st.DataObject) -> None:
    sample = make_sample(data.draw(st.integers(0, 2**32 - 1), label="seed"),
                         data.draw(st.integers(3, 12), label="rows"))
    param = data.draw(st.sampled_from(REPORT_PARAMS), label="argument")
    variant = data.draw(st.sampled_from(report_variants(param, report_base(sample))), label="variant")
    run_report(sample, param, variant)


def test_stability_report_one_row_samples() -> None:
    # One row each side: one band, every check computable or insufficient; never green without data.
    sample = make_sample(3, 1)
    sample["y_reference"] = np.array([1.0])
    sample["y_current"] = np.array([np.nan])
    report = stability_report(Card(), sample["X_reference"], sample["X_current"],
                              y_reference=sample["y_reference"], y_current=sample["y_current"])
    assert report.bad_rates is not None
    assert (report.bad_rates["status"] == "insufficient").all()
    assert report.status in ("insufficient", "amber", "red")


# -------------------------------------------------------- early_warnings ---

RULES = (
    WarningRule(name="late", column="dpd", kind="level", comparison=">=", threshold=1),
    WarningRule(name="newly_late", column="dpd", kind="crossing", comparison=">", threshold=30),
    WarningRule(name="jump", column="util", kind="absolute_change", comparison=">=", threshold=0.3),
    WarningRule(name="halved", column="util", kind="relative_change", comparison="<=", threshold=-0.5),
)
FLOOR = 1e-9  # the documented floor of |previous| for a relative change


def make_snapshots(seed: int, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = pd.Index([f"b{i}" for i in range(n)], name="borrower_id")

    def snap() -> pd.DataFrame:
        util = np.round(rng.uniform(0, 1, n), 2)
        util[rng.random(n) < 0.15] = np.nan
        util[rng.random(n) < 0.15] = 0.0
        return pd.DataFrame({"dpd": rng.integers(0, 60, n).astype(float), "util": util}, index=ids)

    return snap(), snap()


def slow_flags(previous: pd.DataFrame, now: pd.DataFrame, rules: Any, missing_columns: str) -> pd.DataFrame:
    """Per borrower and rule, from the WarningRule docstring: True, False or <NA> (not evaluable)."""
    rules = (rules,) if isinstance(rules, WarningRule) else tuple(rules)
    ops: dict[str, Callable[[float, float], bool]] = {
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    }
    out = {}
    for rule in rules:
        needs_previous = rule.kind != "level"
        absent = rule.column not in now.columns or (needs_previous and rule.column not in previous.columns)
        if absent and missing_columns == "raise":
            raise ValueError("absent column")
        flags: list[Any] = []
        for borrower in now.index:
            if absent:
                flags.append(pd.NA)
                continue
            x1 = _number(now.loc[borrower, rule.column])
            x0 = _number(previous.loc[borrower, rule.column]) if (
                needs_previous and borrower in previous.index) else float("nan")
            op = ops[rule.comparison]
            t = rule.threshold
            if rule.kind == "level":
                flags.append(pd.NA if np.isnan(x1) else op(x1, t))
            elif rule.kind == "crossing":
                flags.append(pd.NA if np.isnan(x1) or np.isnan(x0) else op(x1, t) and not op(x0, t))
            elif rule.kind == "absolute_change":
                flags.append(pd.NA if np.isnan(x1) or np.isnan(x0) else op(x1 - x0, t))
            else:
                ok = not (np.isnan(x1) or np.isnan(x0)) and abs(x0) >= FLOOR
                flags.append(op((x1 - x0) / abs(x0), t) if ok else pd.NA)
        out[rule.name] = pd.array(flags, dtype="boolean")
    return pd.DataFrame(out, index=now.index)


def _number(v: Any) -> float:
    return float("nan") if v is pd.NA or v is None else float(v)


def snapshot_variants(f: pd.DataFrame, name: str) -> list[Variant]:
    n = len(f)
    big = np.finfo(np.float64).max
    with_na = f.astype({"util": "Float64"})
    with_na.iloc[0, with_na.columns.get_loc("util")] = pd.NA
    extreme = f.assign(util=np.where(np.arange(n) % 2 == 0, big, -big))
    tiny = f.assign(util=np.where(np.arange(n) == 0, 5e-324, f["util"]))
    return [
        Variant("the frame", f.copy(), f),
        Variant("pyarrow columns", f.astype({"dpd": "double[pyarrow]", "util": "double[pyarrow]"}), f),
        Variant("nullable with <NA>", with_na, with_na),
        Variant("integer dpd", f.astype({"dpd": "int64"}), f.astype({"dpd": "int64"})),
        Variant("bool dpd", f.assign(dpd=f["dpd"] > 5), f.assign(dpd=f["dpd"] > 5)),
        Variant("extra columns", f.assign(extra="x"), f),
        Variant("rows reversed", f.iloc[::-1].copy(), f.iloc[::-1]),
        Variant("first borrower missing", f.iloc[1:].copy(), f.iloc[1:]),
        Variant("a new borrower", pd.concat([f, f.iloc[:1].set_axis(["new"])]),
                pd.concat([f, f.iloc[:1].set_axis(["new"])])),
        Variant("largest floats", extreme, extreme),
        Variant("a subnormal value", tiny, tiny),
        Variant("repeated borrowers", pd.concat([f, f.iloc[:1]]), REFUSE),
        Variant("complex column", f.astype({"util": complex}), REFUSE),
        Variant("categorical column", f.astype({"dpd": "category"}), REFUSE),
        Variant("string column", f.astype({"util": str}), REFUSE),
        Variant("an inf", f.assign(util=np.where(np.arange(n) == 0, np.inf, f["util"])), REFUSE),
        Variant("a needed column missing", f.drop(columns="util"), REFUSE),
        Variant("a needed column twice", pd.concat([f, f[["util"]]], axis=1), REFUSE),
        Variant("a Series", f["util"].copy(), REFUSE), Variant("a dict", f.to_dict(), REFUSE),
        Variant("None", None, REFUSE), Variant("an array", f.to_numpy(), REFUSE),
    ]


def rules_variants() -> list[Variant]:
    return [
        Variant("a tuple", RULES, RULES), Variant("a list", list(RULES), RULES),
        Variant("one rule", RULES[2], (RULES[2],)), Variant("two rules", RULES[:2], RULES[:2]),
        Variant("empty", [], REFUSE), Variant("a repeated name", [RULES[0], RULES[0]], REFUSE),
        Variant("a dict inside", [RULES[0], RULES[0].to_dict()], REFUSE), Variant("a string", "late", REFUSE),
        Variant("None", None, REFUSE), Variant("a number", 5, REFUSE),
        Variant("a set", set(RULES), REFUSE), Variant("a generator", (r for r in RULES), REFUSE),
    ]


def warnings_variants(param: str, args: dict[str, Any]) -> list[Variant]:
    if param in ("X_reference", "X_current"):
        return snapshot_variants(args[param], param)
    if param == "rules":
        return rules_variants()
    return scalar_variants(["raise", "skip"], ["ignore", "", True, None, ["skip"], 1])


def agree_flags(result: Any, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(result, expected)


def run_warnings(snaps: tuple[pd.DataFrame, pd.DataFrame], param: str, variant: Variant) -> str:
    args = {"X_reference": snaps[0], "X_current": snaps[1], "rules": RULES,
            "missing_columns": "raise"}
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    valid = variant.plain is not REFUSE
    return check(early_warnings, call, changed=(param,), valid=valid,
                 reference=(lambda: slow_flags(plain["X_reference"], plain["X_current"],
                                               plain["rules"], plain["missing_columns"])) if valid else None,
                 agree=agree_flags)


WARNING_PARAMS = ["X_reference", "X_current", "rules", "missing_columns"]


@pytest.mark.parametrize("param", WARNING_PARAMS)
def test_early_warnings_every_variant(param: str) -> None:
    snaps = make_snapshots(5, 9)
    args = {"X_reference": snaps[0], "X_current": snaps[1]}
    outcomes = []
    for variant in warnings_variants(param, args):
        try:
            outcomes.append(run_warnings(snaps, param, variant))
        except AssertionError as exc:
            raise AssertionError(f"early_warnings({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


@given(st.data())
def test_early_warnings_random(data: st.DataObject) -> None:
    snaps = make_snapshots(data.draw(st.integers(0, 2**32 - 1), label="seed"), data.draw(st.integers(1, 10)))
    param = data.draw(st.sampled_from(WARNING_PARAMS), label="argument")
    args = {"X_reference": snaps[0], "X_current": snaps[1]}
    variant = data.draw(st.sampled_from(warnings_variants(param, args)), label="variant")
    run_warnings(snaps, param, variant)


def test_early_warnings_with_missing_columns_skipped() -> None:
    before, now = make_snapshots(1, 5)
    got = early_warnings(before.drop(columns="util"), now, rules=RULES, missing_columns="skip")
    assert got[["jump", "halved"]].isna().all().all()
    pd.testing.assert_frame_equal(got[["late", "newly_late"]], slow_flags(before, now, RULES[:2], "raise"))


# ------------------------------------------------------------ WarningRule ---

RULE = {"name": "r", "column": "util", "kind": "relative_change", "comparison": "<=", "threshold": -0.3,
        "description_en": "x", "description_zh": "y"}

RULE_FIELDS: dict[str, list[Variant]] = {
    "name": scalar_variants(["a", np.str_("b")], ["", " ", 5, None, True, ["r"], b"r"]),
    "column": scalar_variants(["c", np.str_("c")], ["", 0, None, ("c",), 1.5]),
    "kind": scalar_variants(["level", "crossing", "absolute_change", np.str_("relative_change")],
                            ["trend", "LEVEL", None, 1, ["level"], True]),
    "comparison": scalar_variants([">", ">=", "<", "<="], ["==", "=>", None, 0, [">"]]),
    "threshold": scalar_variants([0, -1, 0.5, np.int64(3), np.float32(0.25), 1e308],
                                 [float("nan"), float("inf"), -np.inf, *WRONG_TYPES]),
    "description_en": scalar_variants(["", "text", np.str_("t")], [None, 5, ["t"], b"t"]),
    "description_zh": scalar_variants(["", "中文"], [None, 5.0, {"zh": "x"}]),
}


def agree_rule(result: Any, expected: dict[str, Any]) -> None:
    assert isinstance(result, WarningRule)
    for k, v in expected.items():
        got = getattr(result, k)
        assert got == v
        if k == "threshold":
            assert type(got) is float
    assert WarningRule.from_dict(result.to_dict()) == result


@pytest.mark.parametrize("field", list(RULE_FIELDS))
def test_warning_rule_every_field(field: str) -> None:
    for variant in RULE_FIELDS[field]:
        plain = {**RULE, field: variant.plain}
        try:
            check(lambda **kw: WarningRule(**kw), {**RULE, field: variant.value}, changed=(field,),
                  valid=variant.plain is not REFUSE, reference=lambda plain=plain: plain, agree=agree_rule)
        except AssertionError as exc:
            raise AssertionError(f"WarningRule({field}={variant.label}): {exc}") from exc


def _payload(**changes: Any) -> dict[str, Any]:
    data = WarningRule(**RULE).to_dict()
    data.update(changes)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()

PAYLOADS: list[tuple[str, Any, Any, tuple[str, ...]]] = [
    ("as written", _payload(), RULE, ("data",)),
    ("a read-only mapping", MappingProxyType(_payload()), RULE, ("data",)),
    ("schema missing", _payload(schema=_DROP), REFUSE, ("schema",)),
    ("another schema", _payload(schema="x"), REFUSE, ("schema",)),
    ("schema as bytes", _payload(schema=b"x"), REFUSE, ("schema",)),
    ("version 2", _payload(version=2), REFUSE, ("version",)),
    ("version as a string", _payload(version="1"), REFUSE, ("version",)),
    ("version as a bool", _payload(version=True), REFUSE, ("version",)),
    ("version as a float", _payload(version=1.0), REFUSE, ("version",)),
    ("schema as an array", _payload(schema=np.array(["a", "b"])), REFUSE, ("schema",)),
    ("an unknown key", _payload(colour="red"), REFUSE, ("colour",)),
    ("kind missing", _payload(kind=_DROP), REFUSE, ("kind",)),
    ("threshold a string", _payload(threshold="0.3"), REFUSE, ("threshold",)),
    ("threshold NaN", _payload(threshold=float("nan")), REFUSE, ("threshold",)),
    ("not a mapping", [("name", "r")], REFUSE, ("mapping",)),
    ("None", None, REFUSE, ("mapping",)),
]


@pytest.mark.parametrize(("label", "data", "plain", "names"), PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_warning_rule_from_dict(label: str, data: Any, plain: Any, names: tuple[str, ...]) -> None:
    check(WarningRule.from_dict, {"data": data}, changed=names, valid=plain is not REFUSE,
          reference=lambda: plain, agree=agree_rule)
