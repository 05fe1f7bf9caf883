"""Public names of jiebei_credit.scorecard and import-time weight."""

from __future__ import annotations

import subprocess
import sys

import jiebei_credit as jc


def test_public_names():
    assert sorted(jc.scorecard.__all__) == [
        "BinStats",
        "Binning",
        "BinningParams",
        "LineageRecord",
        "Scaling",
        "Scorecard",
        "WOETransformer",
        "bin_feature",
        "explain",
        "optimal_binning",
        "quantile_edges",
        "reject_inference",
        "scorecard_sql",
    ]
    for name in jc.scorecard.__all__:
        assert getattr(jc.scorecard, name).__module__.startswith("jiebei_credit.scorecard")


def test_import_does_not_load_statsmodels():
    code = "import sys, jiebei_credit; print('statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_get_params_lists_every_constructor_parameter():
    import inspect

    for cls in (jc.scorecard.Scorecard, jc.scorecard.WOETransformer):
        names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        assert list(cls().get_params(deep=False)) == names
        assert tuple(names) == cls._PARAMS
        # deep=True adds the fields of the nested BinningParams record, as scikit-learn names them
        fields = [f"binning__{f}" for f in jc.scorecard.BinningParams.names()]
        assert list(cls().get_params()) == [*names, *fields]
