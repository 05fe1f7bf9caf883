"""Importing the package is cheap and has no side effects."""

from __future__ import annotations

import json
import subprocess
import sys


def _import_report() -> dict[str, object]:
    code = (
        "import sys, json, warnings, logging\n"
        # numpy, pandas and scipy.special install warning filters of their own at
        # import; load them first so that only this package's effect is measured.
        "import numpy, pandas, scipy.special\n"
        "filters = list(warnings.filters)\n"
        "import jiebei_credit\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'filters_same': filters == warnings.filters,\n"
        "                  'handlers': len(logging.getLogger('jiebei_credit').handlers)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_import_does_not_load_heavy_optional_modules() -> None:
    report = _import_report()
    modules = set(report["modules"])  # type: ignore[call-overload]
    for heavy in ("statsmodels", "matplotlib", "sklearn", "scipy.optimize", "scipy.stats"):
        assert heavy not in modules, f"import jiebei_credit imported {heavy}"


def test_import_changes_no_process_state() -> None:
    report = _import_report()
    assert report["filters_same"] is True
    assert report["handlers"] == 0


def test_binning_calls_change_no_warning_filters_in_a_fresh_process() -> None:
    # importing scipy.stats (which imports scipy.sparse) adds a process-wide warnings filter; the
    # chi-square tests of the high-cardinality guard and of monotonic="auto_turn" once imported it
    # lazily, so the first binning call of a process changed warnings.filters
    code = (
        "import warnings, numpy as np, sys\n"
        "from jiebei_credit.scorecard import BinningParams, bin_feature\n"
        "filters = list(warnings.filters)\n"
        "rng = np.random.default_rng(0)\n"
        "x = rng.normal(size=4000)\n"
        "y = (rng.random(4000) < 0.1 + 0.3 * (np.abs(x) > 1)).astype(int)\n"
        "bin_feature(x, y, binning=BinningParams(monotonic='auto_turn'))\n"
        "levels = np.array([f'c{i}' for i in range(60)], dtype=object)[rng.integers(0, 60, 4000)]\n"
        "bin_feature(levels, y)\n"
        "print(filters == warnings.filters, 'scipy.stats' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"]
