"""Public names of jiebei_credit.scorecard and import-time weight."""

from __future__ import annotations

import subprocess
import sys

import jiebei_credit as jc


def test_public_names():
    assert set(jc.scorecard.__all__) >= {
        "BinStats",
        "Binning",
        "WOETransformer",
        "bin_feature",
        "optimal_binning",
        "quantile_edges",
    }
    for name in jc.scorecard.__all__:
        assert getattr(jc.scorecard, name).__module__.startswith("jiebei_credit.scorecard")


def test_import_does_not_load_statsmodels():
    code = "import sys, jiebei_credit; print('statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
