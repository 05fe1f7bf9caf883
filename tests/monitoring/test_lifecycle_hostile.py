"""Hostile inputs against compare_cards, model_health and psi_over_time.

As in tests/monitoring/test_hostile.py: one argument at a time is replaced
by a variant (another representation of valid data, or a value that must
be refused); each call must give the result of the plain data or a
JiebeiCreditError naming the argument, without mutating an input, touching
``warnings.filters`` or warning.

Covered: the outcomes ``y`` / ``y_current`` in every representation of
tests/metrics/hostile_support.py (``None`` left out: it means "no
outcomes"); ``reference`` and ``current`` of psi_over_time likewise, and its
``dates`` as strings, datetimes, pyarrow timestamps, with NaT, numbers, a
time-zone, another length or other labels; every scalar parameter with
wrong types and out-of-range values; ``policy`` and ``applicants`` of the
wrong kind. Reference: the same call on the plain data.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.limits import LimitPolicy
from jiebei_credit.monitoring import (
    CardComparison,
    ModelHealth,
    PSIOverTime,
    compare_cards,
    model_health,
    psi_over_time,
)
from jiebei_credit.scorecard import BinningParams, Scorecard
from tests.metrics.hostile_support import (
    ANY,
    REFUSE,
    WRONG_TYPES,
    Variant,
    check,
    integer_variants,
    scalar_variants,
    vector_variants,
)

N = 60
POLICY = LimitPolicy(product_cap=50_000, income_multiple=3.0, pd_cutoff=0.30, refer_pd=0.2)


@cache
def sample() -> tuple[pd.DataFrame, np.ndarray, Scorecard, Scorecard]:
    rng = np.random.default_rng(5)
    X = pd.DataFrame({"util": rng.random(N), "inq": rng.poisson(1.0, N).astype(float),
                      "monthly_income": rng.uniform(3_000.0, 9_000.0, N),
                      "existing_debt_service": np.zeros(N), "existing_balance": np.zeros(N)})
    y = (rng.random(N) < 0.1 + 0.4 * X["util"].to_numpy()).astype(np.float64)
    two = BinningParams(max_bins=2)
    return X, y, Scorecard(binning=two).fit(X[["util"]], y), Scorecard(binning=two).fit(X[["util", "inq"]], y)


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12)


def _wrong_scalars(valid: list[Any], invalid: list[Any], *, keep: tuple[str, ...] = ()) -> list[Variant]:
    """``valid`` and ``invalid`` values, plus the wrong types except those valid here (by repr)."""
    wrong = [w for w in WRONG_TYPES if repr(w) not in keep]
    return scalar_variants(valid, [*invalid, *wrong])


# ------------------------------------------------------------ compare_cards ---


def compare_base() -> dict[str, Any]:
    X, y, a, b = sample()
    return {"champion": a, "challenger": b, "X": X, "y": y, "policy": POLICY}


def agree_compare(got: CardComparison, want: CardComparison) -> None:
    _same_frame(got.to_frame(), want.to_frame())
    assert got.score_psi.value == pytest.approx(want.score_psi.value, rel=1e-12)
    if want.swap_sets is not None:
        assert got.swap_sets is not None
        _same_frame(got.swap_sets, want.swap_sets)


COMPARE_VARIANTS: dict[str, list[Variant]] = {
    "y": [v for v in vector_variants(sample()[1], "target") if v.label != "None"],
    "on": _wrong_scalars(["points", np.str_("points"), None], ["pd", "Points", ""], keep=("None",)),
    "grades": integer_variants(4),
    "bins": integer_variants(5),
    "smoothing": _wrong_scalars([0.5, 1, np.float32(0.25)], [-0.1, float("inf")]),
    "psi_thresholds": _wrong_scalars([(0.1, 0.25), [0.05, 0.3], np.array([0.1, 0.2]), (1, 2)],
                                     [(0.3, 0.1), (0.1,), (-0.1, 0.2), (0.1, float("nan"))],
                                     keep=("(1, 2)",)),
    "level": _wrong_scalars([0.9, np.float64(0.99)], [0.0, 1.0, 95, -0.5]),
    "policy": scalar_variants([POLICY], [{"product_cap": 1.0}, "policy", 1, object()]),
    "applicants": scalar_variants([sample()[0]], [sample()[0].to_numpy(), sample()[0].iloc[:-1],
                                                  sample()[0][["util"]], "applicants", 5]),
}


def run_compare(param: str, variant: Variant) -> str:
    args = compare_base()
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    valid = variant.plain is not REFUSE
    return check(compare_cards, call, changed=(param,), valid=valid,
                 reference=(lambda: compare_cards(**plain)) if valid else None, agree=agree_compare)


@pytest.mark.parametrize("param", list(COMPARE_VARIANTS))
def test_compare_cards_every_variant(param: str) -> None:
    outcomes = []
    for variant in COMPARE_VARIANTS[param]:
        try:
            outcomes.append(run_compare(param, variant))
        except AssertionError as exc:
            raise AssertionError(f"compare_cards({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


# ------------------------------------------------------------- model_health ---


def health_base() -> dict[str, Any]:
    X, y, card, _ = sample()
    return {"card": card, "X_reference": X, "X_current": X.iloc[::-1].reset_index(drop=True),
            "y_current": y[::-1].copy(), "development_auc": 0.7}


def agree_health(got: ModelHealth, want: ModelHealth) -> None:
    assert got.verdict == want.verdict
    _same_frame(got.rules.drop(columns="reason"), want.rules.drop(columns="reason"))


HEALTH_VARIANTS: dict[str, list[Variant]] = {
    "y_current": [v for v in vector_variants(sample()[1][::-1].copy(), "target") if v.label != "None"],
    "development_auc": _wrong_scalars([0.7, np.float64(0.6), None], [0.0, 1.0, 1.5, -0.2, float("inf")],
                                      keep=("None",)),
    "psi_thresholds": _wrong_scalars([(0.1, 0.25), (0.0, 0.0), (1, 2)], [(0.3, 0.1), (0.1, 0.2, 0.3)],
                                     keep=("(1, 2)",)),
    "csi_threshold": _wrong_scalars([0.25, 0, np.float32(1.5)], [-0.01, float("inf")]),
    "alpha": _wrong_scalars([0.05, 0.5], [0.0, 1.0, 5]),
    "max_auc_drop": _wrong_scalars([0.05, 0, 1], [-0.1, 1.5]),
    "grades": integer_variants(4),
    "bins": integer_variants(5),
    "level": _wrong_scalars([0.9], [0.0, 1.0, 95]),
}


def run_health(param: str, variant: Variant) -> str:
    args = health_base()
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    valid = variant.plain is not REFUSE
    return check(model_health, call, changed=(param,), valid=valid,
                 reference=(lambda: model_health(**plain)) if valid else None, agree=agree_health)


@pytest.mark.parametrize("param", list(HEALTH_VARIANTS))
def test_model_health_every_variant(param: str) -> None:
    outcomes = []
    for variant in HEALTH_VARIANTS[param]:
        try:
            outcomes.append(run_health(param, variant))
        except AssertionError as exc:
            raise AssertionError(f"model_health({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


# ------------------------------------------------------------ psi_over_time ---


def _days(n: int) -> np.ndarray:
    return (np.datetime64("2024-01-01") + (np.arange(n) * 11) % 200).astype("datetime64[ns]")


def date_variants(d: np.ndarray) -> list[Variant]:
    n = d.size
    text = np.datetime_as_string(d, unit="D")
    with_nat = d.copy()
    with_nat[3] = np.datetime64("NaT", "ns")
    return [
        Variant("datetime64[ns]", d.copy(), d),
        Variant("datetime64[D]", d.astype("datetime64[D]"), d),
        Variant("ISO strings", text.tolist(), d),
        Variant("Series", pd.Series(d), d),
        Variant("DatetimeIndex", pd.DatetimeIndex(d), d),
        Variant("pyarrow timestamps", pd.Series(d).astype("timestamp[ns][pyarrow]"), d),
        Variant("python datetimes", [pd.Timestamp(x).to_pydatetime() for x in d], d),
        Variant("with NaT", pd.Series(with_nat), REFUSE),
        Variant("numbers", np.arange(n), REFUSE),
        Variant("time-zone aware", pd.Series(d).dt.tz_localize("UTC"), REFUSE),
        Variant("one short", d[:-1].copy(), REFUSE),
        Variant("Series, other labels", pd.Series(d, index=np.arange(n) + 7), REFUSE),
        Variant("unreadable strings", ["31/12/2024", *text[1:].tolist()], REFUSE),
        Variant("relative word", ["today", *text[1:].tolist()], REFUSE),
        Variant("None", None, REFUSE),
        Variant("2-D", d.reshape(-1, 1), REFUSE),
    ]


def psi_base() -> dict[str, Any]:
    rng = np.random.default_rng(9)
    return {"reference": rng.normal(size=200), "current": pd.Series(rng.normal(0.3, 1.0, 40)),
            "dates": _days(40)}


def agree_psi(got: PSIOverTime, want: PSIOverTime | None) -> None:
    if want is None:  # ANY: the invariants only
        assert (got.table["psi"].dropna() >= 0).all()
        assert got.table["n"].sum() == 40
        return
    _same_frame(got.table, want.table)


#: Samples metrics.psi may read as categories (one bin each), as tests/metrics/test_hostile.py lists them.
_CATEGORY_LIKE = {"categorical", "bool", "strings", "a string in object", "a bool in object",
                  "a timedelta in object", "strings '0'/'1'", "nullable boolean", "pyarrow bool"}


def _as_psi_reads(variants: list[Variant], *, own_length: bool) -> list[Variant]:
    """Category-like samples: any reading is right; a reference of its own length is still valid."""
    out = []
    for v in variants:
        if v.label in _CATEGORY_LIKE:
            out.append(Variant(v.label, v.value, ANY))
        elif own_length and v.label in ("one row short", "one row more"):
            out.append(Variant(v.label, v.value, np.asarray(v.value, dtype=np.float64)))
        else:
            out.append(v)
    return out


_PSI = psi_base()
PSI_VARIANTS: dict[str, list[Variant]] = {
    "reference": _as_psi_reads(vector_variants(_PSI["reference"], "real"), own_length=True),
    "current": _as_psi_reads(vector_variants(_PSI["current"].to_numpy(), "real"), own_length=False),
    "dates": date_variants(_PSI["dates"]),
    "freq": _wrong_scalars(["MS", "QS", "YS", "W-MON"], ["M", "ME", "W", "D", ""]),
    "bins": integer_variants(4),
    "smoothing": _wrong_scalars([0.5, 2], [-1.0, float("inf")]),
    "thresholds": _wrong_scalars([(0.1, 0.25), (1, 2)], [(0.25, 0.1), (0.1,)], keep=("(1, 2)",)),
    "missing": _wrong_scalars(["raise", "bin"], ["drop", "RAISE"]),
}


def run_psi(param: str, variant: Variant) -> str:
    args = psi_base()
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    valid = variant.plain is not REFUSE
    if variant.plain is ANY:
        return check(psi_over_time, call, changed=(param,), valid=True, reference=None, agree=agree_psi)
    # a sample of another length than the dates is refused naming one of the two
    changed = ("current", "dates") if param in ("current", "dates") else (param,)
    return check(psi_over_time, call, changed=changed, valid=valid,
                 reference=(lambda: psi_over_time(**plain)) if valid else None, agree=agree_psi)


@pytest.mark.parametrize("param", list(PSI_VARIANTS))
def test_psi_over_time_every_variant(param: str) -> None:
    outcomes = []
    for variant in PSI_VARIANTS[param]:
        try:
            outcomes.append(run_psi(param, variant))
        except AssertionError as exc:
            raise AssertionError(f"psi_over_time({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


@given(st.data())
def test_random_hostile_argument(data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["compare", "health", "psi"]), label="function")
    table, run = {"compare": (COMPARE_VARIANTS, run_compare), "health": (HEALTH_VARIANTS, run_health),
                  "psi": (PSI_VARIANTS, run_psi)}[which]
    param = data.draw(st.sampled_from(list(table)), label="argument")
    variant = data.draw(st.sampled_from(table[param]), label="variant")
    run(param, variant)
