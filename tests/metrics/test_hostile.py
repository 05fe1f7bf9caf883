"""Hostile inputs against every public function of jiebei_credit.metrics.

Each call puts one variant in place of one argument of a valid call (see
hostile_support.py) and asserts one of two outcomes: the right result, or a
JiebeiCreditError naming the argument; never a mutated input, a changed
``warnings.filters`` or any warning. Two layers:

* a sweep: every variant of every argument of every function, on one fixed
  sample (deterministic, exhaustive over the variant lists);
* a Hypothesis property per function: random samples (4 to 10 rows, heavy
  ties), a random argument and a random variant.

Covered per argument kind:

* outcome ``y``: lists, tuples, Series (other and repeated index labels),
  pandas Index, pyarrow double/int64/bool, nullable Float64/Int64/boolean,
  int8/int64, bool, float32, object and categorical arrays; 2, -1, 0.5,
  NaN, pd.NA, None inside; strings, complex numbers, timedeltas, dates,
  2-D arrays, DataFrames, dicts, sets, scalars, None; empty, one row short
  or long;
* scores and PDs: the same representations; NaN, +-inf, 10**400, a bool, a
  string or a timedelta inside an object array; the largest and smallest
  floats (valid for scores), PDs outside [0, 1], as percentages, subnormal;
* weights: the same, plus negative, all zero, near the float maximum and
  subnormal (valid: the statistics do not depend on the scale);
* scalars: valid values and numpy scalars, wrong types (None, bool,
  numpy bool, str, bytes, complex, timedelta, list, tuple, dict, object,
  NaN), out-of-range values, floats for integers;
* cut points, thresholds, grades, binnings, feature lists and frames, each
  with their own valid and invalid forms;
* all row-aligned arguments as Series sharing an index, one with other,
  reordered or repeated labels; all of them empty or one row long.

References: AUC, Gini, KS and the ROC curve by an O(n^2) pair count and
slow CDFs (weighted), the Brier score by its formula, the binomial and
Jeffreys tests by scipy.stats, DeLong by the O(n^2) placement values of
test_delong.py. Table-valued functions (gains table, PSI, CSI, calibration
table, Hosmer-Lemeshow, calibration slope) are compared with the same
function on the plain numpy data, whose own correctness the other test
modules establish against independent implementations.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats

import jiebei_credit as jc
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
from tests.metrics.test_delong import slow_delong

# ------------------------------------------------------------------ data ---


def make_data(seed: int, n: int) -> dict[str, np.ndarray]:
    """A small sample with both classes (at least two each), tied scores and whole-number weights."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(np.float64)
    y[:2], y[2:4] = 1.0, 0.0
    y = y[rng.permutation(n)]
    return {
        "y": y,
        "score": rng.integers(0, 5, n).astype(np.float64) + rng.integers(0, 2, n) * 0.5,
        "score_b": rng.integers(0, 4, n).astype(np.float64),
        "pd": np.round(rng.uniform(0.02, 0.98, n), 2),
        "w": rng.integers(1, 4, n).astype(np.float64),
    }


# ------------------------------------------------------------ references ---


def _unit(w: np.ndarray | None, n: int) -> np.ndarray:
    return np.ones(n) if w is None else np.asarray(w, dtype=np.float64) / np.max(w)


def ref_auc(y: np.ndarray, score: np.ndarray, higher: str, w: np.ndarray | None = None) -> float:
    """Weighted Mann-Whitney by pairs: sum w_i w_j ([r_i > r_j] + 1/2 [r_i = r_j]) / (W_bad W_good)."""
    r = score if higher == "riskier" else -score
    u = _unit(w, y.size)
    bad = y == 1
    if not (u[bad].sum() > 0 and u[~bad].sum() > 0):
        raise ValueError("one class")
    rb, rg = r[bad], r[~bad]
    pairs = np.outer(u[bad], u[~bad]) * ((rb[:, None] > rg[None, :]) + 0.5 * (rb[:, None] == rg[None, :]))
    return float(pairs.sum() / (u[bad].sum() * u[~bad].sum()))


def ref_ks(y: np.ndarray, score: np.ndarray, higher: str, w: np.ndarray | None = None) -> float:
    """Largest gap between the weighted CDFs of bads and goods, at every observed value."""
    u = _unit(w, y.size)
    bad = y == 1
    if not (u[bad].sum() > 0 and u[~bad].sum() > 0):
        raise ValueError("one class")
    gaps = [abs(u[bad & (score <= t)].sum() / u[bad].sum() - u[~bad & (score <= t)].sum() / u[~bad].sum())
            for t in np.unique(score)]
    return float(max(gaps))


def ref_roc(y: np.ndarray, score: np.ndarray, higher: str, w: np.ndarray | None = None) -> pd.DataFrame:
    """Flag rows at or beyond each distinct threshold on the risky side; shares of bads and goods."""
    r = score if higher == "riskier" else -score
    u = _unit(w, y.size)
    bad = y == 1
    if not (u[bad].sum() > 0 and u[~bad].sum() > 0):
        raise ValueError("one class")
    rows = [(np.inf, 0.0, 0.0)]
    for t in np.unique(r)[::-1]:
        flagged = r >= t
        rows.append((t, u[~bad & flagged].sum() / u[~bad].sum(), u[bad & flagged].sum() / u[bad].sum()))
    out = pd.DataFrame(rows, columns=["threshold", "fpr", "tpr"])
    if higher == "safer":
        out["threshold"] = -out["threshold"]
    out["ks"] = out["tpr"] - out["fpr"]
    return out


def ref_brier(y: np.ndarray, pd_: np.ndarray, w: np.ndarray | None = None) -> float:
    u = _unit(w, y.size)
    return float(np.sum(u * (pd_ - y) ** 2) / u.sum())


# --------------------------------------------------------------- agreement ---


def agree_float(result: Any, expected: Any) -> None:
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-9, abs=1e-12)


def agree_frame(result: Any, expected: Any) -> None:
    assert isinstance(result, pd.DataFrame)
    if expected is None:  # ANY: either reading is right
        return
    pd.testing.assert_frame_equal(result, expected, check_exact=False, rtol=1e-9, atol=1e-12)


def agree_fields(result: Any, expected: Any) -> None:
    if expected is None:  # ANY: either reading is right
        assert dataclasses.is_dataclass(result)
        return
    assert type(result) is type(expected)
    for f in dataclasses.fields(result):
        a, b = getattr(result, f.name), getattr(expected, f.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12)
        elif isinstance(a, float):
            assert a == pytest.approx(b, rel=1e-9, abs=1e-12, nan_ok=True), f.name
        else:
            assert a == b, f.name


def agree_psi(result: Any, expected: Any) -> None:
    assert isinstance(result, jc.metrics.PSIResult)
    assert np.isfinite(result.value)
    assert result.value >= 0.0
    assert (result.table["reference_count"] >= 0).all()
    if expected is None:  # ANY (a sample read as categories): the default thresholds apply
        assert result.status == jc.metrics.psi_status(result.value)
    else:
        agree_fields(result, expected)


def agree_delong(result: Any, expected: dict[str, float]) -> None:
    assert isinstance(result, jc.metrics.DeLongResult)
    for name in ("auc_a", "auc_b", "difference", "se"):
        assert getattr(result, name) == pytest.approx(expected[name], rel=1e-9, abs=1e-12), name
    if expected["se"] > 1e-12:
        for name in ("z", "p_value", "ci_lower", "ci_upper"):
            assert getattr(result, name) == pytest.approx(expected[name], rel=1e-7, abs=1e-12), name
    elif result.difference == 0.0:
        assert (result.z, result.p_value) == (0.0, 1.0)


# ------------------------------------------------------------ the specs ---

HIGHER = scalar_variants(["riskier", "safer", np.str_("safer")],
                         ["up", "", "RISKIER", ["riskier"], 1, *WRONG_TYPES])
LEVEL = scalar_variants([0.9, np.float32(0.5), 0.999],
                        [0, 1, 1.5, -0.1, float("inf"), *WRONG_TYPES])


def edge_variants(score: np.ndarray) -> list[Variant]:
    lo, hi = float(np.min(score)), float(np.max(score))
    mid = (lo + hi) / 2
    e = np.array([mid, hi]) if mid < hi else np.array([mid, mid + 1.0])
    return [
        Variant("list", e.tolist(), e), Variant("ndarray", e, e), Variant("Series", pd.Series(e), e),
        Variant("pyarrow", pd.Series(e, dtype="double[pyarrow]"), e), Variant("one cut", e[:1], e[:1]),
        Variant("decreasing", e[::-1].copy(), REFUSE), Variant("repeated", np.array([mid, mid]), REFUSE),
        Variant("NaN", np.array([np.nan, hi]), REFUSE), Variant("-inf", np.array([-np.inf, mid]), REFUSE),
        Variant("empty", np.array([]), REFUSE), Variant("scalar", mid, REFUSE),
        Variant("string", "1,2", REFUSE),
        Variant("2-D", e.reshape(1, -1), REFUSE), Variant("bools", np.array([True, False]), REFUSE),
        Variant("complex", e.astype(complex), REFUSE), Variant("None", None, None),  # None: quantile bands
    ]


@dataclass(frozen=True)
class Spec:
    """A public function: its valid arguments, variants per argument and its reference."""

    fn: Callable[..., Any]
    base: Callable[[dict[str, np.ndarray]], dict[str, Any]]
    variants: Callable[[str, dict[str, Any]], list[Variant]]
    reference: Callable[[dict[str, Any]], Any]
    agree: Callable[[Any, Any], None]
    also_named: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def params(self, args: dict[str, Any]) -> list[str]:
        return list(args)


def _vectors(kinds: dict[str, str], scalars: dict[str, list[Variant]] | None = None,
             extra: Callable[[str, dict[str, Any]], list[Variant] | None] | None = None,
             ) -> Callable[[str, dict[str, Any]], list[Variant]]:
    def variants(param: str, args: dict[str, Any]) -> list[Variant]:
        if extra is not None:
            got = extra(param, args)
            if got is not None:
                return got
        if param in kinds:
            vs = vector_variants(np.asarray(args[param], dtype=np.float64), kinds[param])
            if param == "sample_weight":  # None is "no weights", not a wrong value
                vs = [v for v in vs if v.label != "None"] + [Variant("None", None, None)]
            return vs
        return (scalars or {})[param]
    return variants


def _disc(fn: Callable[..., Any], ref: Callable[..., Any], agree: Callable[[Any, Any], None]) -> Spec:
    return Spec(
        fn=fn,
        base=lambda d: {"y": d["y"], "score": d["score"], "higher": "safer", "sample_weight": d["w"]},
        variants=_vectors({"y": "target", "score": "real", "sample_weight": "weight"}, {"higher": HIGHER}),
        reference=lambda a: ref(a["y"], a["score"], str(a["higher"]), a["sample_weight"]),
        agree=agree,
    )


class _Bins:
    """A binning protocol object: two bins split at 2.0, plus a missing bin."""

    labels = ("low", "high", "missing")

    def bin_index(self, x: Any) -> np.ndarray:
        v = np.asarray(pd.Series(x).astype("float64"))
        return np.where(np.isnan(v), 2, (v >= 2.0).astype(np.int64))


class _BadBins(_Bins):
    def bin_index(self, x: Any) -> np.ndarray:
        return np.full(len(x), 7)


def _binning_variants() -> list[Variant]:
    return [Variant("a binning", _Bins(), "bins"), Variant("None", None, None),
            Variant("a number", 5, REFUSE), Variant("an object", object(), REFUSE),
            Variant("a string", "bins", REFUSE), Variant("bins out of range", _BadBins(), REFUSE),
            Variant("a dict", {"labels": ("a",)}, REFUSE)]


def _psi_sample_variants(v: np.ndarray) -> list[Variant]:
    """Samples for psi: numbers as numbers, categories as categories (either reading allowed)."""
    out = []
    category_like = {"categorical", "bool", "strings", "a string in object", "a bool in object",
                     "a timedelta in object", "strings '0'/'1'", "nullable boolean", "pyarrow bool"}
    own_length = {"one row short", "one row more"}
    for var in vector_variants(v, "real"):
        if var.label in category_like:
            out.append(dataclasses.replace(var, plain=ANY))
        elif var.label in own_length:
            out.append(dataclasses.replace(var, plain=np.asarray(var.value, dtype=np.float64)))
        else:
            out.append(var)
    return out


def _psi_reference(a: dict[str, Any]) -> Any:
    if any(v is ANY for v in a.values()):
        return None
    args = dict(a)
    if args.get("binning") == "bins":
        args["binning"] = _Bins()
    return jc.metrics.psi(**args)


def _csi_frames(args: dict[str, Any], param: str) -> list[Variant]:
    f = args[param]
    u = f["u"].to_numpy()
    return [
        Variant("the frame", f.copy(), f),
        Variant("pyarrow columns", f.astype({"u": "double[pyarrow]"}), f),
        Variant("nullable Float64", f.astype({"u": "Float64"}), f),
        Variant("repeated index", f.set_axis([0] * len(f)), f.set_axis([0] * len(f))),
        Variant("NaN (a missing bin)", f.assign(u=np.where(np.arange(len(f)) == 0, np.nan, u)),
                f.assign(u=np.where(np.arange(len(f)) == 0, np.nan, u))),
        Variant("one row", f.iloc[:1].copy(), f.iloc[:1]),
        Variant("an inf", f.assign(u=np.where(np.arange(len(f)) == 0, np.inf, u)), REFUSE),
        Variant("complex column", f.assign(u=u.astype(complex)), REFUSE),
        Variant("timedelta column", f.assign(u=pd.to_timedelta(u, unit="D")), REFUSE),
        Variant("no rows", f.iloc[:0].copy(), REFUSE),
        # features=None reads the reference's columns: a column missing there is not a feature
        Variant("column missing", f.drop(columns="u"),
                f.drop(columns="u") if param == "X_reference" else REFUSE),
        Variant("column twice", pd.concat([f, f[["u"]]], axis=1), REFUSE),
        Variant("a Series", f["u"].copy(), REFUSE), Variant("a dict", {"u": u.tolist()}, REFUSE),
        Variant("None", None, REFUSE),
    ]


def _csi_reference(a: dict[str, Any]) -> pd.DataFrame:
    features = list(a["X_reference"].columns) if a["features"] is None else list(a["features"])
    binnings = a["binnings"] or {}
    rows = []
    for f in features:
        b = _Bins() if binnings.get(f) == "bins" else None
        r = jc.metrics.psi(a["X_reference"][f], a["X_current"][f], binning=b, bins=a["bins"], missing="bin",
                           smoothing=a["smoothing"], thresholds=a["thresholds"])
        method = "binning" if b is not None else (
            "quantile" if pd.api.types.is_numeric_dtype(a["X_reference"][f].dtype) else "category")
        rows.append((r.value, r.status, len(r.table), len(r.empty_bins), method))
    return pd.DataFrame(rows, columns=["csi", "status", "bins", "empty_bins", "method"],
                        index=pd.Index(features, name="feature"))


SMOOTHING = scalar_variants([0.5, 0, 1e308, np.float32(2.0), 3], [-1, float("inf"), *WRONG_TYPES])
THRESHOLDS = scalar_variants([(0.1, 0.25), [0.0, 0.0], np.array([0.2, 0.3])],
                             [(0.3, 0.2), (float("nan"), 1.0), (True, 0.2), (0.1, 0.2, 0.3), "0.1", 0.1,
                              (-0.1, 0.2), None, {"amber": 0.1}])
MISSING = scalar_variants(["raise", "bin"], ["drop", "", True, None, ["bin"]])


def _grade_variants(args: dict[str, Any]) -> list[Variant]:
    n = len(args["y"])
    labels = np.array(["A", "B"] * (n // 2) + ["A"] * (n % 2))
    return [
        *integer_variants(2),
        Variant("labels", labels, labels), Variant("label Series", pd.Series(labels), labels),
        Variant("categorical labels", pd.Series(labels, dtype="category"), labels),
        Variant("pyarrow labels", pd.Series(labels, dtype="string[pyarrow]"), labels),
        Variant("integer labels", np.arange(n) % 3, np.arange(n) % 3),
        Variant("a missing label", np.array([None, *labels[1:]], dtype=object), REFUSE),
        Variant("labels one short", labels[:-1], REFUSE),
        # labels of two types are still labels when pandas can order them; refused when it cannot
        Variant("mixed label types", np.array([1, *labels[1:]], dtype=object),
                np.array([1, *labels[1:]], dtype=object)),
        Variant("unorderable labels", np.array([1 + 1j, *labels[1:]], dtype=object), ANY),
        Variant("2-D labels", labels.reshape(-1, 1), REFUSE),
    ]


def _grade_extra(param: str, args: dict[str, Any]) -> list[Variant] | None:
    if param == "grades":
        return _grade_variants(args)
    return None


COUNTS = [
    Variant("int", 3, 3.0), Variant("np.int64", np.int64(3), 3.0), Variant("float whole", 3.0, 3.0),
    Variant("list", [1, 3], np.array([1.0, 3.0])), Variant("Series", pd.Series([1, 3]), np.array([1.0, 3.0])),
    Variant("pyarrow", pd.Series([1, 3], dtype="int64[pyarrow]"), np.array([1.0, 3.0])),
    Variant("fraction", 1.5, REFUSE), Variant("negative", -1, REFUSE), Variant("2**60", 2**60, REFUSE),
    Variant("NaN", float("nan"), REFUSE), Variant("bool", True, REFUSE),
    Variant("bools", [True, False], REFUSE),
    Variant("str", "3", REFUSE), Variant("complex", 3 + 0j, REFUSE), Variant("None", None, REFUSE),
    Variant("three values", [1, 2, 3], np.array([1.0, 2.0, 3.0])),
    Variant("two and three", [[1, 2, 3]], REFUSE),
    Variant("empty", [], REFUSE), Variant("2-D", [[1], [3]], REFUSE),
]


def _count_variants(param: str) -> list[Variant]:
    if param == "pd":
        return [Variant("float", 0.3, 0.3), Variant("np.float32", np.float32(0.25), 0.25),
                Variant("array", np.array([0.1, 0.3]), np.array([0.1, 0.3])),
                Variant("above 1", 1.2, REFUSE), Variant("NaN", float("nan"), REFUSE),
                Variant("inf", float("inf"), REFUSE), *[Variant(f"{v!r}", v, REFUSE) for v in WRONG_TYPES
                                                        if not isinstance(v, float | list | tuple)]]
    return COUNTS


def _grade_reference(kind: str) -> Callable[[dict[str, Any]], Any]:
    def ref(a: dict[str, Any]) -> Any:
        d, n, p = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a[k], dtype=np.float64))
                                        for k in ("defaults", "count", "pd")))
        if (d > n).any() or (n < 1).any():
            raise ValueError("impossible counts")
        if kind == "binomial":
            greater = a.get("alternative", "greater") == "greater"
            out = stats.binom.sf(d - 1, n, p) if greater else stats.binom.cdf(d, n, p)
        else:
            out = stats.beta.cdf(p, d + 0.5, n - d + 0.5)
        scalar = all(np.ndim(a[k]) == 0 for k in ("defaults", "count", "pd"))
        return float(out[0]) if scalar else out
    return ref


def agree_tests(result: Any, expected: Any) -> None:
    if isinstance(expected, float):
        assert isinstance(result, float)
    np.testing.assert_allclose(result, expected, rtol=1e-9, atol=1e-14)


SPECS: dict[str, Spec] = {
    "auc": _disc(jc.metrics.auc, ref_auc, agree_float),
    "gini": _disc(jc.metrics.gini, lambda *a: 2 * ref_auc(*a) - 1, agree_float),
    "ks": _disc(jc.metrics.ks, ref_ks, agree_float),
    "roc_curve": _disc(jc.metrics.roc_curve, ref_roc, agree_frame),
    "gains_table": Spec(
        fn=jc.metrics.gains_table,
        base=lambda d: {"y": d["y"], "score": d["score"], "higher": "riskier", "bins": 3, "edges": None},
        variants=_vectors({"y": "target", "score": "real"},
                          {"higher": HIGHER, "bins": integer_variants(3)},
                          lambda p, a: edge_variants(a["score"]) if p == "edges" else None),
        reference=lambda a: jc.metrics.gains_table(**a),
        agree=agree_frame,
    ),
    "delong_test": Spec(
        fn=jc.metrics.delong_test,
        base=lambda d: {"y": d["y"], "score_a": d["score"], "score_b": d["score_b"], "higher": "riskier",
                        "sample_weight": d["w"], "level": 0.95},
        variants=_vectors({"y": "target", "score_a": "real", "score_b": "real", "sample_weight": "weight"},
                          {"higher": [*HIGHER, Variant("a pair", ("riskier", "safer"), ("riskier", "safer"))],
                           "level": LEVEL}),
        reference=lambda a: _delong_reference(a),
        agree=agree_delong,
    ),
    "brier_score": Spec(
        fn=jc.metrics.brier_score,
        base=lambda d: {"y": d["y"], "pd": d["pd"], "sample_weight": d["w"]},
        variants=_vectors({"y": "target", "pd": "prob", "sample_weight": "weight"}),
        reference=lambda a: ref_brier(a["y"], a["pd"], a["sample_weight"]),
        agree=agree_float,
    ),
    "calibration_slope": Spec(
        fn=jc.metrics.calibration_slope,
        base=lambda d: {"y": d["y"], "pd": d["pd"], "sample_weight": d["w"]},
        variants=_vectors({"y": "target", "pd": "prob", "sample_weight": "weight"}),
        reference=lambda a: jc.metrics.calibration_slope(**a),
        agree=agree_fields,
        # separation and a single PD value are joint properties of y, pd and the weights
        also_named={"y": ("pd",), "sample_weight": ("pd",)},
    ),
    "calibration_table": Spec(
        fn=jc.metrics.calibration_table,
        base=lambda d: {"y": d["y"], "pd": d["pd"], "grades": 2, "level": 0.95},
        variants=_vectors({"y": "target", "pd": "prob"}, {"level": LEVEL}, _grade_extra),
        reference=lambda a: jc.metrics.calibration_table(**a),
        agree=agree_frame,
    ),
    "hosmer_lemeshow": Spec(
        fn=jc.metrics.hosmer_lemeshow,
        base=lambda d: {"y": d["y"], "pd": d["pd"], "grades": 2, "dof": None},
        variants=_vectors({"y": "target", "pd": "prob"},
                          {"dof": [Variant("None", None, None),
                                   *[v for v in integer_variants(1) if v.value is not None]]}, _grade_extra),
        reference=lambda a: jc.metrics.hosmer_lemeshow(**a),
        agree=agree_fields,
    ),
    "binomial_test": Spec(
        fn=jc.metrics.binomial_test,
        base=lambda d: {"defaults": 1, "count": 3, "pd": 0.2, "alternative": "greater"},
        variants=lambda p, a: (scalar_variants(["greater", "less"], ["two-sided", None, True])
                               if p == "alternative" else _count_variants(p)),
        reference=_grade_reference("binomial"),
        agree=agree_tests,
    ),
    "jeffreys_test": Spec(
        fn=jc.metrics.jeffreys_test,
        base=lambda d: {"defaults": 1, "count": 3, "pd": 0.2},
        variants=lambda p, a: _count_variants(p),
        reference=_grade_reference("jeffreys"),
        agree=agree_tests,
    ),
    "psi": Spec(
        fn=jc.metrics.psi,
        base=lambda d: {"reference": d["score"], "current": d["score_b"], "bins": 3, "edges": None,
                        "binning": None, "missing": "raise", "smoothing": 0.5, "thresholds": (0.1, 0.25)},
        variants=lambda p, a: (
            _psi_sample_variants(np.asarray(a[p], dtype=np.float64)) if p in ("reference", "current")
            else edge_variants(a["reference"]) if p == "edges"
            else _binning_variants() if p == "binning"
            else {"bins": integer_variants(3), "missing": MISSING, "smoothing": SMOOTHING,
                  "thresholds": THRESHOLDS}[p]),
        reference=_psi_reference,
        agree=agree_psi,
    ),
    "csi": Spec(
        fn=jc.metrics.csi,
        base=lambda d: {"X_reference": pd.DataFrame({"u": d["score"], "c": np.where(d["y"] == 1, "a", "b")}),
                        "X_current": pd.DataFrame({"u": d["score_b"], "c": np.where(d["w"] > 1, "a", "c")}),
                        "features": None, "binnings": None, "bins": 3, "smoothing": 0.5,
                        "thresholds": (0.1, 0.25)},
        variants=lambda p, a: (
            _csi_frames(a, p) if p in ("X_reference", "X_current")
            else [Variant("None", None, None), Variant("list", ["u"], ["u"]),
                  Variant("tuple", ("c", "u"), ("c", "u")),
                  Variant("Index", pd.Index(["u"]), ["u"]), Variant("array", np.array(["c"]), ["c"]),
                  Variant("a string", "u", REFUSE), Variant("repeated", ["u", "u"], REFUSE),
                  Variant("unknown", ["zz"], REFUSE), Variant("empty", [], REFUSE),
                  Variant("a set", {"u"}, REFUSE),
                  Variant("a number", 5, REFUSE), Variant("unhashable", [["u"]], REFUSE)] if p == "features"
            else [Variant("None", None, None), Variant("dict", {"u": _Bins()}, {"u": "bins"}),
                  Variant("a None binning", {"u": None}, {}), Variant("a number", {"u": 5}, REFUSE),
                  Variant("an object", {"u": object()}, REFUSE),
                  Variant("not a mapping", [("u", _Bins())], REFUSE),
                  Variant("a binning, not a mapping", _Bins(), REFUSE),
                  Variant("out of range", {"u": _BadBins()}, REFUSE)]
            if p == "binnings"
            else {"bins": integer_variants(3), "smoothing": SMOOTHING, "thresholds": THRESHOLDS}[p]),
        reference=_csi_reference,
        agree=agree_frame,
    ),
    "psi_status": Spec(
        fn=jc.metrics.psi_status,
        base=lambda d: {"value": 0.15, "thresholds": (0.1, 0.25)},
        variants=lambda p, a: (
            scalar_variants([0.0, 0.15, 0.3, np.float32(0.05), np.inf, float("nan"), 7],
                            [-1.0, -np.inf, True, "0.1", None, 1 + 0j, [0.1], np.array([0.1])])
            if p == "value" else THRESHOLDS),
        reference=lambda a: _status_reference(a["value"], a["thresholds"]),
        agree=lambda r, e: _equal(r, e),
    ),
}


def _equal(result: Any, expected: Any) -> None:
    assert result == expected


def _status_reference(value: Any, thresholds: Any) -> str:
    amber, red = (float(t) for t in thresholds)
    v = float(value)
    if np.isnan(v):
        return "insufficient"
    return "red" if v > red else "amber" if v >= amber else "green"


def _delong_reference(a: dict[str, Any]) -> dict[str, float]:
    higher = a["higher"]
    h_a, h_b = (higher, higher) if isinstance(higher, str) else higher
    w = np.ones(len(a["y"])) if a["sample_weight"] is None else np.asarray(a["sample_weight"])
    if (w != np.round(w)).any() or w.max() > 2**53:
        raise ValueError("not frequency weights")
    k = w.astype(np.int64)
    y = np.repeat(a["y"], k)
    sa = np.repeat(a["score_a"] if h_a == "riskier" else -a["score_a"], k)
    sb = np.repeat(a["score_b"] if h_b == "riskier" else -a["score_b"], k)
    if min((y == 1).sum(), (y == 0).sum()) < 2:
        raise ValueError("fewer than two of a class")
    return slow_delong(y, sa, sb, float(a["level"]))


def _names(spec: Spec, param: str) -> tuple[str, ...]:
    # the changed argument, as named in messages (a binning inside csi's mapping is binnings['u'])
    return (param, f"{param}['u']", f"{param}['c']", f"{param}.labels", *spec.also_named.get(param, ()))


def _plain(args: dict[str, Any], param: str, variant: Variant) -> dict[str, Any]:
    return {**args, param: variant.plain}


def base_is_valid(name: str, data: dict[str, np.ndarray]) -> bool:
    """Whether the unchanged call succeeds on this sample (a random sample may be unusable,
    e.g. PDs that separate the outcomes for calibration_slope)."""
    try:
        SPECS[name].fn(**SPECS[name].base(data))
    except jc.errors.JiebeiCreditError:
        return False
    return True


def run(name: str, data: dict[str, np.ndarray], param: str, variant: Variant) -> str:
    spec = SPECS[name]
    args = spec.base(data)
    call = {**args, param: variant.value}
    if name == "psi" and isinstance(variant.plain, str) and variant.plain == "bins":
        plain: dict[str, Any] = {**args, param: "bins"}
    else:
        plain = _plain(args, param, variant)
    valid = variant.plain is not REFUSE
    if variant.plain is ANY:
        reference = None
    else:
        def reference() -> Any:
            return spec.reference(plain)
    return check(spec.fn, call, changed=_names(spec, param), valid=valid,
                 reference=reference if valid and variant.plain is not ANY else None, agree=spec.agree)


# --------------------------------------------------------------- the tests ---

FIXED = make_data(2027, 8)  # a sample on which every unchanged call succeeds
assert all(base_is_valid(name, FIXED) for name in SPECS)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_variant_of_every_argument(name: str) -> None:
    spec = SPECS[name]
    args = spec.base(FIXED)
    outcomes = []
    for param in spec.params(args):
        for variant in spec.variants(param, args):
            try:
                outcomes.append(run(name, FIXED, param, variant))
            except AssertionError as exc:
                raise AssertionError(f"{name}({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


@pytest.mark.parametrize("name", list(SPECS))
@given(data=st.data())
def test_random_samples_with_a_hostile_argument(name: str, data: st.DataObject) -> None:
    sample = make_data(data.draw(st.integers(0, 2**32 - 1), label="seed"),
                       data.draw(st.integers(4, 10), label="rows"))
    assume(base_is_valid(name, sample))
    spec = SPECS[name]
    args = spec.base(sample)
    param = data.draw(st.sampled_from(spec.params(args)), label="argument")
    variant = data.draw(st.sampled_from(spec.variants(param, args)), label="variant")
    run(name, sample, param, variant)


ROW_ARGS: dict[str, tuple[str, ...]] = {
    "auc": ("y", "score", "sample_weight"), "gini": ("y", "score", "sample_weight"),
    "ks": ("y", "score", "sample_weight"), "roc_curve": ("y", "score", "sample_weight"),
    "gains_table": ("y", "score"), "delong_test": ("y", "score_a", "score_b", "sample_weight"),
    "brier_score": ("y", "pd", "sample_weight"), "calibration_slope": ("y", "pd", "sample_weight"),
    "calibration_table": ("y", "pd"), "hosmer_lemeshow": ("y", "pd"),
}


@pytest.mark.parametrize("name", list(ROW_ARGS))
@pytest.mark.parametrize("labels", ["other labels", "reordered labels", "repeated labels"])
def test_series_sharing_an_index(name: str, labels: str) -> None:
    # Every row argument a Series on one index: valid. One of them on different labels: refused,
    # naming it (never matched by position, never realigned). The same repeated labels on all: valid.
    spec = SPECS[name]
    args = spec.base(FIXED)
    n = len(FIXED["y"])
    index = pd.Index([f"b{i}" for i in range(n)])
    as_series = {k: pd.Series(np.asarray(args[k], dtype=np.float64), index=index) for k in ROW_ARGS[name]}
    assert run_args(spec, {**args, **as_series}, ROW_ARGS[name], valid=True, plain=args) == "ok"
    last = ROW_ARGS[name][-1]
    if labels == "repeated labels":
        same = pd.Index(["b0"] * n)
        call = {**args, **{k: v.set_axis(same) for k, v in as_series.items()}}
        assert run_args(spec, call, ROW_ARGS[name], valid=True, plain=args) == "ok"
        return
    other = index[::-1] if labels == "reordered labels" else pd.Index([f"x{i}" for i in range(n)])
    call = {**args, **as_series, last: as_series[last].set_axis(other)}
    assert run_args(spec, call, (last,), valid=False, plain=args) == "refused"


def run_args(spec: Spec, call: dict[str, Any], changed: tuple[str, ...], *, valid: bool,
             plain: dict[str, Any]) -> str:
    return check(spec.fn, call, changed=changed, valid=valid,
                 reference=(lambda: spec.reference(plain)) if valid else None, agree=spec.agree)


@pytest.mark.parametrize("name", list(ROW_ARGS))
@pytest.mark.parametrize("rows", [0, 1])
def test_empty_and_one_row_samples(name: str, rows: int) -> None:
    # Empty: refused. One row: one class, refused where both are needed; otherwise the right value.
    spec = SPECS[name]
    args = spec.base(FIXED)
    call = {**args, **{k: np.asarray(args[k])[:rows] for k in ROW_ARGS[name]}}
    valid = rows == 1 and name in ("brier_score", "calibration_table", "hosmer_lemeshow")
    outcome = check(spec.fn, call, changed=ROW_ARGS[name], valid=valid,
                    reference=(lambda: spec.reference(call)) if valid else None, agree=spec.agree)
    assert outcome == ("ok" if valid else "refused")
