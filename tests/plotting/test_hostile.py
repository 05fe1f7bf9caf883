"""Hostile inputs against every public function of jiebei_credit.plotting.

As in tests/metrics/test_hostile.py: one argument at a time is replaced by a
variant, and each call must draw the right picture or raise a
JiebeiCreditError naming the argument, without mutating an input, touching
``warnings.filters`` or warning.

Covered: the outcome, score and weight variants of
tests/metrics/hostile_support.py for plot_roc, plot_ks and
plot_score_distribution (a histogram accepts one class); ``higher``,
``label``, ``bins`` (up to 10 000) and ``ax`` (None, an Axes, a Figure, a
string, a number) with wrong types; PSI results with an unknown status, a
non-numeric value or a damaged table; calibration tables and binning
tables that are not frames, lack columns, are empty or hold strings.
What is drawn is checked against references: the AUC in plot_roc's legend
and the KS in plot_ks's title against the slow pair count and CDFs of the
metrics suite, the class counts in plot_score_distribution's legend, the
bars of plot_psi and plot_binning, and the grades of plot_calibration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes

import jiebei_credit as jc
from jiebei_credit.metrics import PSIResult
from jiebei_credit.plotting import (
    plot_binning,
    plot_calibration,
    plot_ks,
    plot_psi,
    plot_roc,
    plot_score_distribution,
)
from tests.metrics.hostile_support import (
    REFUSE,
    WRONG_TYPES,
    Variant,
    check,
    scalar_variants,
    vector_variants,
)
from tests.metrics.test_hostile import make_data, ref_auc, ref_ks


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def _axes_variants() -> list[Variant]:
    _, ax = plt.subplots()
    return [Variant("None", None, None), Variant("an Axes", ax, "axes"),
            Variant("a Figure", ax.figure, REFUSE), Variant("a string", "left", REFUSE),
            Variant("a number", 1, REFUSE), Variant("a list of Axes", [ax], REFUSE)]


HIGHER = scalar_variants(["riskier", "safer"], ["up", None, True, 1])
LABEL = scalar_variants([None, "model", np.str_("m"), ""], [5, True, ["m"], b"m"])
# 10 000 bins are allowed but slow to draw; the boundary is checked by refusing 10 001
BINS = scalar_variants([30, np.int64(5), 1, 500], [0, -1, 10_001, 10**6, 2.0, *WRONG_TYPES])


def _vectors(param: str, args: dict[str, Any]) -> list[Variant]:
    kind = {"y": "target", "score": "real", "sample_weight": "weight"}[param]
    vs = vector_variants(np.asarray(args[param], dtype=np.float64), kind)
    if param == "sample_weight":
        vs = [v for v in vs if v.label != "None"] + [Variant("None", None, None)]
    return vs


def _legend(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def agree_roc(plain: dict[str, Any]) -> Callable[[Any, Any], None]:
    def agree(ax: Any, expected: float) -> None:
        assert isinstance(ax, Axes)
        if isinstance(plain["ax"], str):  # the caller's Axes: drawn on, and returned
            assert ax is CALL_AXES[0]
        label = plain["label"]
        text = _legend(ax)[0]
        prefix = "AUC = " if label is None else f"{label} (AUC = "
        assert text.startswith(prefix)
        # the legend rounds to 3 decimals (a value on .xxx5 may round either way in binary)
        assert abs(float(text[len(prefix):].rstrip(")")) - expected) <= 0.0005 + 1e-12
    return agree


def agree_ks(ax: Any, expected: float) -> None:
    assert isinstance(ax, Axes)
    title = ax.get_title()
    assert title.startswith("KS = ")
    assert " at score " in title
    assert abs(float(title[5:].split(" ")[0]) - expected) <= 0.0005 + 1e-12


def agree_hist(ax: Any, expected: tuple[int, int]) -> None:
    goods, bads = expected
    want = [f"good (y = 0), n = {goods}"] * (goods > 0) + [f"bad (y = 1), n = {bads}"] * (bads > 0)
    assert _legend(ax) == want


#: the Axes handed to the call when the variant is "an Axes" (to check it is the one drawn on)
CALL_AXES: list[Axes] = []


Agree = Callable[[dict[str, Any]], Callable[[Any, Any], None]]


def _run(fn: Callable[..., Any], args: dict[str, Any], param: str, variant: Variant,
         reference: Callable[[dict[str, Any]], Any], agree: Agree) -> str:
    call = {**args, param: variant.value}
    plain = {**args, param: variant.plain}
    CALL_AXES[:] = [variant.value] if isinstance(variant.plain, str) and variant.plain == "axes" else []
    valid = variant.plain is not REFUSE
    try:
        return check(fn, call, changed=(param,), valid=valid,
                     reference=(lambda: reference(plain)) if valid else None, agree=agree(plain))
    finally:
        plt.close("all")


def _roc_ref(p: dict[str, Any]) -> float:
    return ref_auc(p["y"], p["score"], str(p["higher"]), p["sample_weight"])


def _ks_ref(p: dict[str, Any]) -> float:
    return ref_ks(p["y"], p["score"], str(p["higher"]), p["sample_weight"])


def _hist_ref(p: dict[str, Any]) -> tuple[int, int]:
    y = np.asarray(p["y"], dtype=float)
    return int((y == 0).sum()), int((y == 1).sum())


SPECS: dict[str, tuple[Callable[..., Any], Callable[[dict[str, np.ndarray]], dict[str, Any]],
                       Callable[[dict[str, Any]], Any], Agree,
                       dict[str, Callable[[], list[Variant]]]]] = {
    "plot_roc": (
        plot_roc,
        lambda d: {"y": d["y"], "score": d["score"], "higher": "safer", "sample_weight": d["w"],
                   "label": None, "ax": None},
        _roc_ref, agree_roc,
        {"higher": lambda: HIGHER, "label": lambda: LABEL, "ax": _axes_variants},
    ),
    "plot_ks": (
        plot_ks,
        lambda d: {"y": d["y"], "score": d["score"], "higher": "riskier", "sample_weight": d["w"],
                   "ax": None},
        _ks_ref, lambda p: agree_ks,
        {"higher": lambda: HIGHER, "ax": _axes_variants},
    ),
    "plot_score_distribution": (
        plot_score_distribution,
        lambda d: {"y": d["y"], "score": d["score"], "bins": 30, "ax": None},
        _hist_ref, lambda p: agree_hist,
        {"bins": lambda: BINS, "ax": _axes_variants},
    ),
}


def _variants(name: str, param: str, args: dict[str, Any]) -> list[Variant]:
    scalars = SPECS[name][4]
    return scalars[param]() if param in scalars else _vectors(param, args)


FIXED = make_data(2027, 8)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_variant_of_every_argument(name: str) -> None:
    fn, base, reference, agree, _ = SPECS[name]
    args = base(FIXED)
    outcomes = []
    for param in args:
        for variant in _variants(name, param, args):
            try:
                outcomes.append(_run(fn, args, param, variant, reference, agree))
            except AssertionError as exc:
                raise AssertionError(f"{name}({param}={variant.label}): {exc}") from exc
    assert "ok" in outcomes
    assert "refused" in outcomes


@pytest.mark.parametrize("name", list(SPECS))
# drawing is slow and the sweep above covers every variant: a quarter of the profile's examples
@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(data=st.data())
def test_random_samples_with_a_hostile_argument(name: str, data: st.DataObject) -> None:
    fn, base, reference, agree, _ = SPECS[name]
    sample = make_data(data.draw(st.integers(0, 2**32 - 1), label="seed"), data.draw(st.integers(4, 10)))
    args = base(sample)
    param = data.draw(st.sampled_from(list(args)), label="argument")
    variant = data.draw(st.sampled_from(_variants(name, param, args)), label="variant")
    _run(fn, args, param, variant, reference, agree)


PSI = jc.metrics.psi([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 2.0, 4.0], edges=[2.0, 3.0], smoothing=0)


def _psi_result(**changes: Any) -> PSIResult:
    fields = {"value": PSI.value, "status": PSI.status, "table": PSI.table, "empty_bins": PSI.empty_bins}
    return PSIResult(**{**fields, **changes})


TABLE_CASES: list[tuple[str, Callable[..., Any], dict[str, Any], bool, tuple[str, ...]]] = [
    ("psi result", plot_psi, {"result": PSI}, True, ("result",)),
    ("psi insufficient", plot_psi, {"result": _psi_result(value=float("nan"), status="insufficient")}, True,
     ("result",)),
    ("psi unknown status", plot_psi, {"result": _psi_result(status="blue")}, False, ("result.status",)),
    ("psi value a string", plot_psi, {"result": _psi_result(value="0.3")}, False, ("result.value",)),
    ("psi table without shares", plot_psi,
     {"result": _psi_result(table=PSI.table.drop(columns="current_share"))}, False, ("result.table",)),
    ("psi table with strings", plot_psi,
     {"result": _psi_result(table=PSI.table.assign(reference_share="x"))}, False, ("result.table",)),
    ("psi not a result", plot_psi, {"result": {"value": 0.3}}, False, ("result",)),
    ("psi None", plot_psi, {"result": None}, False, ("result",)),
    ("calibration table", plot_calibration,
     {"table": jc.metrics.calibration_table([0, 1, 0, 1], [0.1, 0.6, 0.2, 0.7], grades=["A", "B", "A", "B"])},
     True, ("table",)),
    ("calibration empty", plot_calibration,
     {"table": pd.DataFrame(columns=["default_rate", "pd_mean", "ci_lower", "ci_upper", "jeffreys_p"])},
     False, ("table",)),
    ("calibration strings", plot_calibration,
     {"table": pd.DataFrame({c: ["x"] for c in ["default_rate", "pd_mean", "ci_lower", "ci_upper",
                                                 "jeffreys_p"]})}, False, ("table['default_rate']",)),
    ("calibration a list", plot_calibration, {"table": [1, 2]}, False, ("table",)),
    ("binning ok", plot_binning, {"binning": jc.scorecard.bin_feature(
        np.arange(40.0), np.arange(40) % 2 == 0, binning=jc.scorecard.BinningParams(max_bins=2))}, True,
     ("binning",)),
    ("binning without table", plot_binning, {"binning": 5}, False, ("binning",)),
    ("binning table empty", plot_binning, {"binning": type("B", (), {
        "table": pd.DataFrame(columns=["label", "count", "bad_rate", "woe"])})()}, False, ("binning.table",)),
    ("binning line unknown", plot_binning, {"binning": 5, "line": "iv"}, False, ("line",)),
    ("binning ax a string", plot_binning, {"binning": 5, "ax": "x"}, False, ("ax",)),
]


@pytest.mark.parametrize(("label", "fn", "args", "valid", "names"), TABLE_CASES,
                         ids=[c[0] for c in TABLE_CASES])
def test_table_plots(label: str, fn: Callable[..., Any], args: dict[str, Any], valid: bool,
                     names: tuple[str, ...]) -> None:
    def agree(ax: Any, _: Any) -> None:
        assert isinstance(ax, Axes)
        if fn is plot_psi:
            r = args["result"]
            assert ax.get_title() == f"PSI = {r.value:.3f} ({r.status})"
            heights = [p.get_height() for p in ax.patches]
            np.testing.assert_allclose(heights, np.r_[r.table["reference_share"], r.table["current_share"]])
        elif fn is plot_calibration:
            assert [t.get_text() for t in ax.get_xticklabels()] == [str(g) for g in args["table"].index]
        else:
            assert len(ax.patches) == len(args["binning"].table)

    check(fn, args, changed=names, valid=valid, reference=(lambda: None) if valid else None, agree=agree)
