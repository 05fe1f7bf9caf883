"""The public names of jiebei_credit.metrics are a contract."""

from __future__ import annotations

import dataclasses

import pytest

import jiebei_credit as jc


def test_public_names_are_pinned() -> None:
    assert sorted(jc.metrics.__all__) == sorted(
        [
            "PSI_THRESHOLDS",
            "BinningLike",
            "CalibrationSlopeResult",
            "DeLongResult",
            "HosmerLemeshowResult",
            "PSIResult",
            "auc",
            "binomial_test",
            "brier_score",
            "calibration_slope",
            "calibration_table",
            "csi",
            "delong_test",
            "gains_table",
            "gini",
            "hosmer_lemeshow",
            "jeffreys_test",
            "ks",
            "psi",
            "psi_status",
            "roc_curve",
        ]
    )
    for name in jc.metrics.__all__:
        assert getattr(jc.metrics, name) is not None


def test_public_objects_live_in_private_modules() -> None:
    for name in jc.metrics.__all__:
        obj = getattr(jc.metrics, name)
        module = getattr(obj, "__module__", "jiebei_credit.metrics._x")
        assert module.startswith("jiebei_credit.metrics._")


def test_results_are_frozen() -> None:
    r = jc.metrics.psi([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.value = 1.0  # type: ignore[misc]


def test_metrics_imports_no_other_stage() -> None:
    # DESIGN.md: metrics works on any feature table and imports neither features, records
    # nor scorecard.
    import ast
    from pathlib import Path

    package = Path(jc.metrics.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(
                    ("jiebei_credit.features", "jiebei_credit.records", "jiebei_credit.scorecard")
                ), f"{path.name} imports {name}"
